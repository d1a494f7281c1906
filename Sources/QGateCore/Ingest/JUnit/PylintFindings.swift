import Foundation

/// A pylint-junit testcase name, `module:line:col`, where the column is pylint's 0-based one.
struct PylintTestName: Equatable {
    var module: String
    var line: Int
    var column: Int

    init?(_ name: String) {
        let (module, numbers) = LintText.splitTrailingNumbers(Substring(name), limit: 2)
        guard numbers.count == 2, !module.isEmpty,
            module.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
        else { return nil }
        self.module = String(module)
        line = numbers[0]
        column = numbers[1]
    }
}

/// Turns pylint-junit testcases into findings, one per testcase that has a `<failure>` (0.3.x)
/// or `<error>` (0.2.x). The text reads
/// `C0303:Trailing whitespace\npkg/calc.py:22:28:<source line>`; the symbolic name is the
/// `message` attribute. Testcases without such a child are the reporter's "All checks passed
/// for:" pseudo tests, and testcases sharing a name are distinct messages: nothing is merged.
struct PylintFindings {
    let paths: PathMemo

    func findings(in document: JUnitDocument) -> [Finding] {
        document.testCases.compactMap { testCase in
            testCase.outcomes.first(where: \.kind.isProblem).map { finding(for: $0, in: testCase) }
        }
    }

    private func finding(for outcome: JUnitOutcome, in testCase: JUnitTestCase) -> Finding {
        let name = PylintTestName(testCase.name)
        let text = PylintText(outcome.text, file: testCase.file)
        let symbol = outcome.message.flatMap { $0.isEmpty ? nil : $0 }
        var message = text.message.isEmpty ? (symbol ?? testCase.name) : text.message
        if let symbol, symbol != message { message += " (\(symbol))" }
        let line = testCase.line ?? name?.line ?? text.line
        // pylint counts columns from 0; qgate from 1.
        let column = (name?.column ?? text.column).map { $0 + 1 }
        let rawPath = testCase.file ?? text.path
        return Finding(
            tool: "pylint", category: .lint, ruleID: text.messageID ?? symbol ?? "pylint",
            severity: PylintFindings.severity(messageID: text.messageID, category: testCase.category),
            path: rawPath.map(paths.normalize),
            range: SourceRange(startLine: line == 0 ? nil : line, startColumn: column),
            message: message, snippet: text.source)
    }

    /// README (Severity mapping), by the message id's letter, else by the `class` category:
    /// fatal/error → high, warning → medium, refactor/convention → low, info → info.
    /// A message with neither is medium: unknown, so neither ignored nor blocking.
    static func severity(messageID: String?, category: String?) -> Severity {
        switch messageID?.first {
        case "F", "E": return .high
        case "W": return .medium
        case "R", "C": return .low
        case "I": return .info
        default: break
        }
        switch category {
        case "fatal", "error": return .high
        case "warning": return .medium
        case "refactor", "convention": return .low
        case "info": return .info
        default: return .medium
        }
    }
}

/// The text of a pylint-junit failure: `<msg id>:<message, maybe over several lines>` then a
/// last line `<path>:<line>:<col>:<source line>`.
struct PylintText {
    var messageID: String?
    var message: String
    var path: String?
    var line: Int?
    var column: Int?
    /// The flagged source line; nil when pylint had none (a file it could not read).
    var source: String?

    init(_ text: String, file: String?) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        if lines.count >= 2, let location = PylintText.location(lines[lines.count - 1], file: file) {
            (path, line, column, source) = location
            lines.removeLast()
        }
        if let first = lines.first, let colon = first.firstIndex(of: ":"), PylintText.isMessageID(first[..<colon]) {
            messageID = String(first[..<colon])
            lines[0] = first[first.index(after: colon)...]
        }
        message = lines.joined(separator: "\n").trimmingCharacters(in: .whitespaces)
    }

    /// `C0303`: a category letter and four digits.
    static func isMessageID(_ text: Substring) -> Bool {
        guard text.count == 5, let letter = text.first, "CRWEFI".contains(letter) else { return false }
        return text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Reads `path:line:col:source`. The path is taken from the testcase's `file` when the line
    /// starts with it, since a Windows path holds a colon of its own.
    private static func location(_ text: Substring, file: String?)
        -> (path: String, line: Int, column: Int, source: String?)?
    {
        if let file, text.hasPrefix(file + ":") {
            let rest = text.dropFirst(file.count + 1)
            let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) else { return nil }
            return (file, line, column, parts[2].isEmpty ? nil : String(parts[2]))
        }
        for separator in LintText.occurrences(of: ":", in: text) {
            let (path, numbers) = LintText.splitTrailingNumbers(text[..<separator.lowerBound], limit: 2)
            guard numbers.count == 2, !path.isEmpty else { continue }
            let source = text[separator.upperBound...]
            return (String(path), numbers[0], numbers[1], source.isEmpty ? nil : String(source))
        }
        return nil
    }
}
