import Foundation

/// The lines a change added or modified, per file on the new side: what "coverage of changed
/// lines" (`coverage.patch`) measures. Read from `git diff` or `diff -u` output.
///
/// Only the new side matters: deleted files, deleted lines and binary files contribute nothing;
/// a renamed file is known by its new path.
public struct UnifiedDiff: Sendable, Equatable {
    /// Repository-relative new-side path → added/changed line numbers (1-based, sorted).
    public var changedLines: [String: [Int]]

    public init(changedLines: [String: [Int]] = [:]) {
        self.changedLines = changedLines
    }

    /// Changed files, sorted.
    public var paths: [String] { changedLines.keys.sorted() }

    /// Parses diff text; `source` names it in errors (the file, or `git diff REF...HEAD`).
    public static func parse(_ text: String, source: String) throws -> UnifiedDiff {
        var parser = Parser(source: source)
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            lineNumber += 1
            try parser.consume(line, at: lineNumber)
        }
        try parser.finish(at: lineNumber)
        return UnifiedDiff(changedLines: parser.result.mapValues { $0.sorted() })
    }
}

/// Why a diff could not be read. One sentence naming the file (and line) or the git command.
public enum DiffError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String)
    case malformed(source: String, line: Int, reason: String)
    case gitFailed(command: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file):
            "\(file): error: cannot read the diff file."
        case .malformed(let source, let line, let reason):
            "\(source):\(line):1: error: not a unified diff: \(reason)."
        case .gitFailed(let command, let reason):
            "error: `\(command)` failed: \(reason)."
        }
    }
}

extension DiffError: UserFacingError {}

extension UnifiedDiff {
    /// A line-by-line state machine. Inside a hunk the header's line counts say where it ends, so
    /// an added line that reads `+++ x` or `--- x` is content, not a file header.
    struct Parser {
        let source: String
        var result: [String: Set<Int>] = [:]
        /// The new-side path of the current file; nil for a deletion or before any header.
        private var newPath: String?
        private var oldRemaining = 0
        private var newRemaining = 0
        private var nextNewLine = 0

        init(source: String) {
            self.source = source
        }

        private var inHunk: Bool { oldRemaining > 0 || newRemaining > 0 }

        mutating func consume(_ line: Substring, at number: Int) throws {
            if inHunk {
                try consumeHunkLine(line, at: number)
                return
            }
            if line.hasPrefix("diff --git ") {
                newPath = Parser.gitHeaderNewPath(line.dropFirst("diff --git ".count))
            } else if line.hasPrefix("+++ ") {
                newPath = Parser.headerPath(line.dropFirst(4), prefix: "b/")
            } else if line.hasPrefix("rename to ") {
                newPath = Parser.unquote(line.dropFirst("rename to ".count))
            } else if line.hasPrefix("deleted file mode") {
                newPath = nil
            } else if line.hasPrefix("@@") {
                try startHunk(line, at: number)
            }
            // Everything else between files (index, mode, similarity, `Binary files … differ`,
            // `--- a/…`, `\ No newline…`) says nothing about new-side lines.
        }

        mutating func finish(at number: Int) throws {
            // A hunk cut short by the end of the text (a trailing newline is fine) is truncated input.
            if inHunk {
                throw DiffError.malformed(
                    source: source, line: number,
                    reason: "the last hunk ends early (\(newRemaining) new-side lines missing)")
            }
        }

        private mutating func startHunk(_ line: Substring, at number: Int) throws {
            // @@ -a[,b] +c[,d] @@ optional section heading
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 4, fields[0] == "@@", fields[3].hasPrefix("@@"),
                let old = Parser.range(fields[1], sign: "-"), let new = Parser.range(fields[2], sign: "+")
            else {
                throw DiffError.malformed(source: source, line: number, reason: "bad hunk header '\(line.prefix(60))'")
            }
            guard newPath != nil || new.count == 0 else {
                throw DiffError.malformed(source: source, line: number, reason: "a hunk before any file header")
            }
            oldRemaining = old.count
            newRemaining = new.count
            nextNewLine = new.start
        }

        private mutating func consumeHunkLine(_ line: Substring, at number: Int) throws {
            switch line.first {
            case " ", nil:
                // An empty line is a context line whose leading space an editor stripped.
                oldRemaining -= 1
                newRemaining -= 1
                nextNewLine += 1
            case "-":
                oldRemaining -= 1
            case "+":
                if let newPath { result[newPath, default: []].insert(nextNewLine) }
                newRemaining -= 1
                nextNewLine += 1
            case "\\":
                return  // `\ No newline at end of file`
            default:
                throw DiffError.malformed(
                    source: source, line: number,
                    reason: "a hunk line must start with ' ', '-' or '+' (\(newRemaining) new-side lines still expected)")
            }
            if oldRemaining < 0 || newRemaining < 0 {
                throw DiffError.malformed(source: source, line: number, reason: "the hunk is longer than its header says")
            }
        }

        /// `-a,b` / `+c,d` / `+c` (count 1).
        static func range(_ field: Substring, sign: Character) -> (start: Int, count: Int)? {
            guard field.first == sign else { return nil }
            let parts = field.dropFirst().split(separator: ",", omittingEmptySubsequences: false)
            guard let start = parts.first.flatMap({ Int($0) }), start >= 0 else { return nil }
            if parts.count == 1 { return (start, 1) }
            guard parts.count == 2, let count = Int(parts[1]), count >= 0 else { return nil }
            return (start, count)
        }

        /// `+++ b/path\tdate` → `path`; `/dev/null` → nil.
        static func headerPath(_ text: Substring, prefix: String) -> String? {
            var raw = text
            if raw.first != "\"", let tab = raw.firstIndex(of: "\t") { raw = raw[..<tab] }
            let path = unquote(raw)
            if path == "/dev/null" { return nil }
            return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
        }

        /// `diff --git a/x b/y`: the new path, for files whose header has no `+++` (binary, pure rename, mode change).
        static func gitHeaderNewPath(_ text: Substring) -> String? {
            if text.hasSuffix("\"") {
                guard let open = text.dropLast().lastIndex(of: "\"") else { return nil }
                return headerPath(text[open...], prefix: "b/")
            }
            guard let range = text.range(of: " b/", options: .backwards) else { return nil }
            return String(text[range.upperBound...])
        }

        /// Git quotes unusual paths C-style: `"b/caf\303\251.py"`. Octal escapes are UTF-8 bytes.
        static func unquote(_ text: Substring) -> String {
            guard text.count >= 2, text.first == "\"", text.last == "\"" else { return String(text) }
            var bytes: [UInt8] = []
            var characters = Array(text.dropFirst().dropLast().utf8)[...]
            while let byte = characters.popFirst() {
                guard byte == UInt8(ascii: "\\"), let next = characters.popFirst() else {
                    bytes.append(byte)
                    continue
                }
                switch next {
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(next - UInt8(ascii: "0"))
                    for _ in 0..<2 {
                        guard let digit = characters.first, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { break }
                        value = value * 8 + Int(digit - UInt8(ascii: "0"))
                        characters.removeFirst()
                    }
                    bytes.append(UInt8(truncatingIfNeeded: value))
                default: bytes.append(next)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
