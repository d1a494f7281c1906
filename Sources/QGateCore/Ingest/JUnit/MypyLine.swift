/// One line of mypy output, as mypy's JUnit writer copies it into a `<failure>`:
/// `path:LINE[:COL[:END_LINE:END_COL]]: error|warning|note: message  [code]`, where the path,
/// the numbers and the code may each be missing.
///
/// Read from the line's bytes with plain indices: mypy's global mode puts every message of a
/// run in one element, so this runs once per line of what can be a very large text.
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

    /// Reads one line (without its newline); nil for lines that are not messages (`--pretty`
    /// source and caret lines, blank lines, summaries, crash output).
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        let colon = UInt8(ascii: ":"), space = UInt8(ascii: " ")
        // --pretty echoes the source line and a caret line, both indented.
        guard let first = bytes.first, first != space, first != UInt8(ascii: "\t") else { return nil }
        var found: (kind: Kind, locationEnd: Int, messageStart: Int)?
        if let (kind, length) = MypyLine.kind(in: bytes, at: 0) {
            found = (kind, 0, length)
        } else {
            var index = 0
            while index + 1 < bytes.count, found == nil {
                if bytes[index] == colon, bytes[index + 1] == space, let (kind, length) = MypyLine.kind(in: bytes, at: index + 2) {
                    found = (kind, index, index + 2 + length)
                }
                index += 1
            }
        }
        guard let (kind, locationEnd, messageStart) = found else { return nil }
        self.kind = kind
        if locationEnd > 0 {
            let (pathEnd, numbers) = MypyLine.trailingNumbers(in: bytes, end: locationEnd)
            path = MypyLine.string(bytes, 0, pathEnd)
            line = numbers.first
            column = numbers.count >= 2 ? numbers[1] : nil
            endLine = numbers.count == 4 ? numbers[2] : nil
            endColumn = numbers.count == 4 ? numbers[3] : nil
        }
        var messageEnd = bytes.count
        while messageEnd > messageStart, [space, UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(bytes[messageEnd - 1]) {
            messageEnd -= 1
        }
        if let (codeStart, textEnd) = MypyLine.code(in: bytes, from: messageStart, to: messageEnd) {
            code = MypyLine.string(bytes, codeStart, messageEnd - 1)
            messageEnd = textEnd
        }
        message = MypyLine.string(bytes, messageStart, messageEnd)
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// `error: `, `note: ` or `warning: ` at `offset`, with its length.
    private static func kind(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Kind, Int)? {
        for kind in [Kind.error, .note, .warning] {
            let word = kind.rawValue.utf8
            let length = word.count + 2
            guard offset + length <= bytes.count else { continue }
            if bytes[offset..<offset + word.count].elementsEqual(word),
                bytes[offset + word.count] == UInt8(ascii: ":"), bytes[offset + word.count + 1] == UInt8(ascii: " ")
            {
                return (kind, length)
            }
        }
        return nil
    }

    /// Strips up to four `:digits` groups from the end of the location. A Windows drive
    /// (`C:\x.py:12`) stays in the path because `\x.py` is not a number; a location made only of
    /// numbers is kept whole as the path.
    private static func trailingNumbers(in bytes: UnsafeBufferPointer<UInt8>, end: Int) -> (pathEnd: Int, numbers: [Int]) {
        var pathEnd = end
        var numbers: [Int] = []
        while numbers.count < 4 {
            var start = pathEnd
            while start > 0, bytes[start - 1] >= UInt8(ascii: "0"), bytes[start - 1] <= UInt8(ascii: "9") { start -= 1 }
            let digits = pathEnd - start
            guard digits > 0, digits <= 9, start >= 2, bytes[start - 1] == UInt8(ascii: ":") else { break }
            numbers.insert(bytes[start..<pathEnd].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }, at: 0)
            pathEnd = start - 1
        }
        return (pathEnd, numbers)
    }

    /// Finds `  [code]` closing the message: mypy puts two spaces before the bracket, which keeps
    /// a `[…]` inside the message from being taken for a code. Returns where the code starts and
    /// where the message text ends.
    private static func code(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (codeStart: Int, textEnd: Int)? {
        guard end - start >= 4, bytes[end - 1] == UInt8(ascii: "]") else { return nil }
        var index = end - 2
        while index > start {
            let byte = bytes[index]
            let isCodeByte =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            if isCodeByte { index -= 1; continue }
            guard byte == UInt8(ascii: "["), index < end - 2, index - 2 >= start,
                bytes[index - 1] == UInt8(ascii: " "), bytes[index - 2] == UInt8(ascii: " ")
            else { return nil }
            var textEnd = index - 2
            while textEnd > start, bytes[textEnd - 1] == UInt8(ascii: " ") { textEnd -= 1 }
            return (index + 1, textEnd)
        }
        return nil
    }
}
