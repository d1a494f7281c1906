import FuzzSupport

/// libFuzzer's entry point: one input, read as junit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzInput.read(start, count, as: .junit)
}
