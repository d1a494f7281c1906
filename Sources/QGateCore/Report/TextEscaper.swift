import Foundation

/// Turns any string from a report or from a CI variable (a message, path, rule, tool, test
/// name, branch, commit) into plain text that is inert in a terminal and in a CI log.
///
/// Text output goes to terminals, which obey escape sequences (ESC, OSC 0 window titles, OSC 8
/// links, BEL, C1 CSI), and to CI logs, whose runners read commands out of stdout *and*
/// stderr: GitHub Actions takes any line that starts with `::` (after spaces) and `##[` anywhere
/// in a line; Azure Pipelines takes `##vso[` anywhere. A report is attacker-controlled (a fork
/// can name a file anything), so one escaper is used for every line of text qgate prints, and
/// no string can start a line, end one, or carry a command.
///
/// Rules, applied to Unicode scalars:
/// * LF, CR and tab become `\n`, `\r`, `\t`; every other C0/C1 control (NUL, ESC, BEL, CSI,
///   DEL) and every bidi control (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) becomes
///   `\uXXXX`, so it is visible and does nothing.
/// * A `:` that would start a `::` at the start of the string (after spaces) becomes `\u003A`.
/// * The first `#` of `##[` or `##vso[` becomes `\u0023`.
/// * With a `limit`, the input is cut to that many Characters first and ends with "…".
/// Backslashes are kept as they are (Windows paths), so escaping twice changes nothing more.
public enum TextEscaper {
    /// The cap on any one string from a report in qgate's outputs, in Characters: text, JSON,
    /// GitHub, GitLab and SARIF messages are cut here (Markdown cells at
    /// ``MarkdownEscaper/defaultLimit``), so one 10 MB message prints as 2,000 characters.
    public static let messageLimit = 2_000

    /// The escaped text; `limit` caps the input in Characters (nil: no cap).
    public static func escape(_ text: String, limit: Int? = nil) -> String {
        let kept: Substring
        let wasCut: Bool
        if let limit { (kept, wasCut) = text.truncated(toCharacters: limit) } else { (kept, wasCut) = (text[...], false) }
        guard needsEscaping(kept) else { return wasCut ? String(kept) + "…" : String(kept) }
        var out = ""
        out.reserveCapacity(kept.utf8.count + 16)
        let scalars = Array(kept.unicodeScalars)
        var leading = true
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case ":" where leading && index + 1 < scalars.count && scalars[index + 1] == ":":
                out += "\\u003A"
            case "#" where startsCommand(scalars, at: index):
                out += "\\u0023"
            default:
                if isInvisibleControl(scalar) {
                    out += unicodeEscape(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            if scalar != " " { leading = false }
        }
        if wasCut { out += "…" }
        return out
    }

    /// Every line of `text` escaped on its own: for messages that are several lines by design
    /// (a policy's problems, one per line) but may quote report strings.
    public static func escapeLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "\n")
    }

    /// JSON text with `##[` and `##vso[` broken as `#\u0023[` and C1/bidi controls as `\uXXXX`:
    /// `#` and those occur only inside JSON strings, and the escapes decode to the same
    /// characters, so the document means exactly the same.
    public static func inertJSON(_ json: String) -> String {
        var json = json
        // Bytes, not scalars: a SARIF log can be hundreds of MB, and most hold nothing to change.
        let rewritten: [UInt8]? = json.withUTF8 { bytes in
            guard containsCommandOrInvisible(bytes) else { return nil }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + 64)
            var index = 0
            while index < bytes.count {
                if isCommand(bytes, at: index) {
                    out.append(UInt8(ascii: "#"))
                    out.append(contentsOf: Array("\\u0023".utf8))
                    index += 2
                    continue
                }
                if let length = invisibleLength(bytes, at: index) {
                    // C1 and bidi controls, which JSONEncoder leaves raw, as `\uXXXX` escapes.
                    let scalar =
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]), as: UTF8.self)
                        .unicodeScalars.first.map(unicodeEscape) ?? ""
                    out.append(contentsOf: Array(scalar.utf8))
                    index += length
                    continue
                }
                out.append(bytes[index])
                index += 1
            }
            return out
        }
        return rewritten.map { String(decoding: $0, as: UTF8.self) } ?? json
    }

    private static func containsCommandOrInvisible(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "#"): if isCommand(bytes, at: index) { return true }
            case 0xC2, 0xD8, 0xE2: if invisibleLength(bytes, at: index) != nil { return true }
            default: break
            }
        }
        return false
    }

    /// The UTF-8 length of a C1 control (C2 80–9F), U+061C (D8 9C) or a bidi control
    /// (E2 80 8E/8F/AA–AE, E2 81 A6–A9) starting at `index`, else nil.
    private static func invisibleLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 1 < bytes.count else { return nil }
        let first = bytes[index], second = bytes[index + 1]
        if first == 0xC2, (0x80...0x9F).contains(second) { return 2 }
        if first == 0xD8, second == 0x9C { return 2 }
        guard first == 0xE2, index + 2 < bytes.count else { return nil }
        let third = bytes[index + 2]
        if second == 0x80, third == 0x8E || third == 0x8F || (0xAA...0xAE).contains(third) { return 3 }
        if second == 0x81, (0xA6...0xA9).contains(third) { return 3 }
        return nil
    }

    private static let vsoBracket: [UInt8] = Array("vso[".utf8)

    /// `##[` or `##vso[` (any case) at `index`.
    private static func isCommand(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 2 < bytes.count, bytes[index] == UInt8(ascii: "#"), bytes[index + 1] == UInt8(ascii: "#") else { return false }
        if bytes[index + 2] == UInt8(ascii: "[") { return true }
        guard index + 5 < bytes.count else { return false }
        let lowered: [UInt8] = [bytes[index + 2] | 0x20, bytes[index + 3] | 0x20, bytes[index + 4] | 0x20, bytes[index + 5]]
        return lowered == vsoBracket
    }

    /// Whether `scalars[index...]` reads `##[` or `##vso[` (any case).
    static func startsCommand(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 2 < scalars.count, scalars[index] == "#", scalars[index + 1] == "#" else { return false }
        if scalars[index + 2] == "[" { return true }
        guard index + 5 < scalars.count else { return false }
        let word = String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 5)])).lowercased()
        return word == "vso" && scalars[index + 5] == "["
    }

    /// C0/C1 controls, DEL and the bidi controls that make a reviewer read something else.
    static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        let value: UInt32 = scalar.value
        if value <= 0x1F || (0x7F...0x9F).contains(value) { return true }
        if (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) { return true }
        return value == 0x200E || value == 0x200F || value == 0x061C
    }

    static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Fast path: most strings hold nothing to escape.
    private static func needsEscaping(_ text: Substring) -> Bool {
        var previous: UInt8 = 0
        var leading = true
        for byte in text.utf8 {
            switch byte {
            case 0x00...0x1F, 0x7F, 0xC2, 0xD8, 0xE2: return true  // C1 (C2 80–9F), U+061C (D8 9C), U+200E… (E2 80/81)
            case UInt8(ascii: ":") where leading && previous == UInt8(ascii: ":"): return true
            case UInt8(ascii: "#") where previous == UInt8(ascii: "#"): return true
            default: break
            }
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: ":") { leading = false }
            previous = byte
        }
        return false
    }
}
