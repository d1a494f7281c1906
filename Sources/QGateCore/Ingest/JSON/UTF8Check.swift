/// Validation of UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing past
/// U+10FFFF), byte by byte, so that a report's invalid bytes are refused at the offset where
/// they are instead of turning silently into U+FFFD when a `String` is made of them.
enum UTF8Check {
    /// The index just past the well-formed multi-byte sequence that starts at `index` (whose
    /// byte is ≥ 0x80), or nil when there is none.
    @inline(__always)
    static func endOfSequence(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = bytes[index]
        let count: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the range of the second byte
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0: count = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED: count = 3; high = 0x9F
        case 0xF0: count = 4; low = 0x90
        case 0xF1...0xF3: count = 4
        case 0xF4: count = 4; high = 0x8F
        default: return nil
        }
        guard index + count <= bytes.count else { return nil }
        let second = bytes[index + 1]
        guard second >= low && second <= high else { return nil }
        for position in index + 2..<index + count where bytes[position] & 0xC0 != 0x80 { return nil }
        return index + count
    }

    /// The offset of the first byte that does not begin a well-formed sequence; nil when all
    /// of `bytes` is UTF-8.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard let next = endOfSequence(in: bytes, at: index) else { return index }
            index = next
        }
        return nil
    }
}
