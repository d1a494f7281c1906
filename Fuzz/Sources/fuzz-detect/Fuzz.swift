import FuzzSupport

/// libFuzzer's entry point: one input, read as whatever format detection makes of it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzInput.read(start, count, as: nil)
}
