/// Turns flake8's JUnit testcases into findings. Both producers are read by one reader, because
/// each `<failure>` is one message either way:
/// - flake8-formatter-junit-xml: one testcase per message, `name="F401, 'os' imported but unused"`,
///   `message="pkg/calc.py:1:1: F401 …"` (the column is only there);
/// - flake8_junit (flake8-junit-report): one testcase per file, several
///   `<failure file line col message="F401 …" type="flake8 F401">` children.
/// "Check passed" testcases have no failure and so give nothing.
struct Flake8Findings {
    let paths: PathMemo

    func findings(in document: JUnitDocument) -> [Finding] {
        document.testCases.flatMap { testCase in
            testCase.outcomes.filter(\.kind.isProblem).map { finding(for: $0, in: testCase) }
        }
    }

    private func finding(for outcome: JUnitOutcome, in testCase: JUnitTestCase) -> Finding {
        let located = outcome.message.flatMap { LocatedMessage(Substring($0)) }
        let (code, text) = codeAndText(outcome, testCase, located: located)
        // flake8_junit names the testcase after the file; the formatter sets `file`.
        let rawPath = outcome.file ?? testCase.file ?? located?.path ?? (testCase.className == nil ? testCase.name : nil)
        let range = SourceRange(
            startLine: outcome.line ?? located?.line ?? testCase.line,
            startColumn: outcome.column ?? located?.column)
        return Finding(
            tool: "flake8", category: .lint, ruleID: code, severity: Flake8Findings.severity(code: code),
            path: rawPath.map(paths.normalize), range: range, message: text)
    }

    /// The code and text, from the best place the producer put them: the located message,
    /// flake8_junit's `type="flake8 CODE"`, a `CODE text` message, the `CODE, text` testcase name.
    private func codeAndText(
        _ outcome: JUnitOutcome, _ testCase: JUnitTestCase,
        located: LocatedMessage?
    ) -> (code: String, text: String) {
        if let located { return (located.code, located.text) }
        let fromMessage = outcome.message.flatMap { LintText.leadingCode(Substring($0)) }
        if let code = codeFromType(outcome.type) { return (code, fromMessage?.rest ?? outcome.message ?? "") }
        if let fromMessage { return (fromMessage.code, fromMessage.rest) }
        if let fromName = LintText.leadingCode(Substring(testCase.name)) { return (fromName.code, fromName.rest) }
        // No code anywhere: keep the message under the tool's name rather than drop it.
        return ("flake8", outcome.message ?? testCase.name)
    }

    private func codeFromType(_ type: String?) -> String? {
        guard let type, type.hasPrefix("flake8 ") else { return nil }
        let code = type.dropFirst("flake8 ".count)
        return LintText.isFlake8Code(code) ? String(code) : nil
    }

    /// README (Severity mapping): syntax errors and undefined names (`E9`, `F63`, `F7`, `F82`) break the build →
    /// high; other pyflakes codes → medium; style (E/W/C90/N and plugins) → low.
    static func severity(code: String) -> Severity {
        if ["E9", "F63", "F7", "F82"].contains(where: code.hasPrefix) { return .high }
        if code.hasPrefix("F") { return .medium }
        return .low
    }

    /// `path:row:col: CODE text`, the flake8 default format the formatter copies into `message`.
    struct LocatedMessage {
        var path: String
        var line: Int
        var column: Int?
        var code: String
        var text: String

        init?(_ message: Substring) {
            for separator in LintText.occurrences(of: ": ", in: message) {
                guard let (code, text) = LintText.leadingCode(message[separator.upperBound...]) else { continue }
                let (path, numbers) = LintText.splitTrailingNumbers(message[..<separator.lowerBound], limit: 2)
                guard !path.isEmpty, let line = numbers.first else { continue }
                self.path = String(path)
                self.line = line
                self.column = numbers.count == 2 ? numbers[1] : nil
                self.code = code
                self.text = text
                return
            }
            return nil
        }
    }
}
