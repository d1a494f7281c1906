import Foundation

/// The one encoder of qgate's own JSON documents (`check`, `report`, `diff`, `ingest`, `runs`,
/// `trend`, `flaky`, `merge`, `prune`, `policy validate`), so that a finding, a test or a run is
/// spelled the same in every command: `snake_case` keys, sorted, two-space indentation,
/// `"key": value`, empty containers as `[]` / `{}`, non-finite numbers as strings, `##[` made
/// inert, one trailing newline. The documents are described by the JSON Schemas in
/// `docs/schemas/`. SARIF and GitLab Code Quality are other people's vocabularies and keep
/// their own encoders.
public enum QGateJSON {
    /// The configured encoder: compact, sorted, snake_case (``render(_:)`` lays it out).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// `value` as a qgate JSON document, ending with a newline.
    public static func render<T: Encodable>(_ value: T) throws -> String {
        let compact = try encoder().encode(value)
        return TextEscaper.inertJSON(layOut(compact)) + "\n"
    }

    /// Pretty prints compact JSON (as `JSONEncoder` writes it: no whitespace outside strings).
    static func layOut(_ compact: Data) -> String {
        let bytes = [UInt8](compact)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 2)
        var depth = 0
        var strings = JSONStringState()
        var index = 0
        func newline() {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if strings.consume(byte) {
                out.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(byte)
                let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if index < bytes.count, bytes[index] == close {
                    out.append(close)
                    index += 1
                } else {
                    depth += 1
                    newline()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline()
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline()
            case UInt8(ascii: ":"):
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
