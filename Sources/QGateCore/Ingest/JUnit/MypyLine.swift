/// One line of mypy output, as mypy's JUnit writer copies it into a `<failure>`:
/// `path:LINE[:COL[:END_LINE:END_COL]]: error|warning|note: message  [code]`, where the path,
/// the numbers and the code may each be missing.
struct MypyLine: Sendable, Equatable {
    enum Kind: String, Sendable {
        case error, warning, note
    }

    var kind: Kind
    var path: String?
    var line: Int?
    var column: Int?
    var endLine: Int?
    var endColumn: Int?
    var message: String
    var code: String?

    /// Reads one line; nil for lines that are not messages (`--pretty` source and caret lines,
    /// blank lines, crash output).
    init?(_ text: String) {
        let line = Substring(text)
        // --pretty echoes the source line and a caret line, both indented.
        guard let first = line.first, !first.isWhitespace else { return nil }
        if let (kind, rest) = MypyLine.kindPrefix(line) {
            self.init(kind: kind, location: nil, rest: rest)
            return
        }
        for separator in LintText.occurrences(of: ": ", in: line) {
            guard let (kind, rest) = MypyLine.kindPrefix(line[separator.upperBound...]) else { continue }
            self.init(kind: kind, location: line[..<separator.lowerBound], rest: rest)
            return
        }
        return nil
    }

    private init(kind: Kind, location: Substring?, rest: Substring) {
        self.kind = kind
        if let location {
            let (path, trailing) = LintText.splitTrailingNumbers(location, limit: 4)
            // A "path" made only of digits was a number all along; keep the text as the path.
            self.path = String(path.isEmpty ? location : path)
            let numbers = path.isEmpty ? [] : trailing
            line = numbers.first
            column = numbers.count >= 2 ? numbers[1] : nil
            endLine = numbers.count == 4 ? numbers[2] : nil
            endColumn = numbers.count == 4 ? numbers[3] : nil
        }
        (message, code) = MypyLine.splitCode(rest)
    }

    private static func kindPrefix(_ text: Substring) -> (Kind, Substring)? {
        for kind in [Kind.error, .warning, .note] {
            let prefix = kind.rawValue + ": "
            if text.hasPrefix(prefix) { return (kind, text.dropFirst(prefix.count)) }
        }
        return nil
    }

    /// `Incompatible types …  [assignment]` → the message and `assignment`. mypy puts two spaces
    /// before the bracket, which keeps a `[…]` inside the message from being taken for a code.
    private static func splitCode(_ text: Substring) -> (String, String?) {
        let trimmed = text.trimmingTrailingSpaces
        guard trimmed.hasSuffix("]"), let open = LintText.occurrences(of: "  [", in: trimmed).last else {
            return (String(trimmed), nil)
        }
        let code = trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)]
        let isCode = !code.isEmpty && code.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "_" }
        guard isCode else { return (String(trimmed), nil) }
        return (String(trimmed[..<open.lowerBound].trimmingTrailingSpaces), String(code))
    }
}

extension Substring {
    fileprivate var trimmingTrailingSpaces: Substring {
        var text = self
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
