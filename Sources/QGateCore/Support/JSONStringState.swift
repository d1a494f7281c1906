/// Whether a byte of JSON text lies inside a string literal, followed byte by byte: the one place
/// that knows `"` opens and closes a string and `\` escapes the next byte, for the scanners that
/// only care about the structure outside strings (the depth limit, cutting trailing text, layout).
struct JSONStringState {
    private var inString = false
    private var escaped = false

    /// Takes the next byte; true when it belongs to a string (its quotes included), so it carries
    /// no structure.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return true
        }
        if byte == UInt8(ascii: "\"") {
            inString = true
            return true
        }
        return false
    }
}
