import Foundation

/// Small scanners for the `path:line:col: CODE text` spellings linters put in JUnit messages.
/// Hand-written rather than regular expressions: a large report runs them once per message.
enum LintText {
    /// `F401`, `E9`, `SIM115`: upper-case letters then digits, as flake8 and its plugins spell codes.
    static func isFlake8Code<S: StringProtocol>(_ text: S) -> Bool {
        let letters = text.prefix(while: { $0.isASCII && $0.isUppercase })
        let digits = text.dropFirst(letters.count)
        return !letters.isEmpty && !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Splits `CODE text` (or `CODE, text`, as testcase names have it) when it starts with a code.
    static func leadingCode(_ text: Substring) -> (code: String, rest: String)? {
        guard let end = text.firstIndex(where: { $0 == " " || $0 == "," }) else {
            return isFlake8Code(text) ? (String(text), "") : nil
        }
        let code = text[..<end]
        guard isFlake8Code(code) else { return nil }
        var rest = text[end...]
        if rest.hasPrefix(",") { rest = rest.dropFirst() }
        return (String(code), String(rest.drop(while: { $0 == " " })))
    }

    /// Splits `path:12:5` into the path and its trailing numbers (at most `limit` of them).
    /// A Windows drive (`C:\x.py:12`) stays in the path because `\x.py` is not a number.
    static func splitTrailingNumbers(_ text: Substring, limit: Int) -> (path: Substring, numbers: [Int]) {
        var path = text
        var numbers: [Int] = []
        while numbers.count < limit, let colon = path.utf8.lastIndex(of: UInt8(ascii: ":")) {
            let digits = path.utf8[path.utf8.index(after: colon)...]
            guard !digits.isEmpty, digits.count <= 9,
                digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { break }
            numbers.insert(digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }, at: 0)
            path = path[..<colon]
        }
        return (path, numbers)
    }

    /// Every position where the ASCII `separator` occurs in `text`, first to last. Searched
    /// byte-wise: this runs over every line of a mypy report.
    static func occurrences(of separator: StaticString, in text: Substring) -> [Range<Substring.Index>] {
        let needle = UnsafeBufferPointer(start: separator.utf8Start, count: separator.utf8CodeUnitCount)
        guard let first = needle.first else { return [] }
        let bytes = text.utf8
        var found: [Range<Substring.Index>] = []
        var index = bytes.startIndex
        while let start = bytes[index...].firstIndex(of: first) {
            var end = start
            var matched = 0
            while matched < needle.count, end < bytes.endIndex, bytes[end] == needle[matched] {
                end = bytes.index(after: end)
                matched += 1
            }
            if matched == needle.count {
                found.append(start..<end)
                index = end
            } else {
                index = bytes.index(after: start)
            }
        }
        return found
    }

    /// `text` without the ASCII spaces, tabs and line breaks around it; byte-wise, because
    /// Foundation's trimming copies through NSString.
    static func trimmed(_ text: String) -> String {
        func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        if first == bytes.startIndex && bytes.index(after: last) == bytes.endIndex { return text }
        return String(text[first...last])
    }

    /// The first non-blank line of `text`, trimmed; nil when there is none. Stops at that line:
    /// the text can be a 64 KiB traceback.
    static func firstLine(_ text: String?) -> String? {
        guard let text else { return nil }
        var rest = Substring(text)
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
            let line = trimmed(String(rest[..<end]))
            if !line.isEmpty { return line }
            rest = end == rest.endIndex ? "" : rest[rest.utf8.index(after: end)...]
        }
        return nil
    }
}
