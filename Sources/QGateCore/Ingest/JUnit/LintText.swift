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
        while numbers.count < limit, let colon = path.lastIndex(of: ":") {
            let tail = path[path.index(after: colon)...]
            guard !tail.isEmpty, tail.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(tail) else { break }
            numbers.insert(value, at: 0)
            path = path[..<colon]
        }
        return (path, numbers)
    }

    /// Every position where `separator` occurs in `text`, first to last.
    static func occurrences(of separator: String, in text: Substring) -> [Range<Substring.Index>] {
        var found: [Range<Substring.Index>] = []
        var searchStart = text.startIndex
        while searchStart < text.endIndex, let range = text[searchStart...].firstRange(of: separator) {
            found.append(range)
            searchStart = range.upperBound
        }
        return found
    }

    /// The first line of `text`, trimmed; nil when it is blank.
    static func firstLine(_ text: String?) -> String? {
        guard let text else { return nil }
        let line = text.split(whereSeparator: \.isNewline).lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first(where: { !$0.isEmpty })
        return line
    }
}
