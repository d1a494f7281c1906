import Foundation

/// Turns mypy's JUnit report into findings. mypy puts its whole output in the text of one
/// `<failure>` (global mode) or one per file (`--junit-format per_file`); the lines were split
/// and read as they streamed (``MypyLine``), and here:
/// - each `error:` line is a finding, medium; each `warning:` line a finding, low;
/// - `note:` lines continue the error or warning above them (same file) and are appended to its
///   message; a note with nothing above it is dropped;
/// - the rule is the `[code]`; mypy runs without codes (before 0.990, `--hide-error-codes`,
///   blocking errors) get the rule `mypy`, since the real code is unknown and guessing `misc`
///   would put them under a code mypy did not give.
/// mypy's testcases are never tests: a passing run is one empty testcase, which gives nothing.
struct MypyFindings {
    let paths: PathMemo
    let displayPath: String

    /// The rule of a message that carries no `[code]`.
    static let ruleWithoutCode = "mypy"

    func read(_ document: JUnitDocument) -> (findings: [Finding], diagnostics: [Diagnostic]) {
        var findings: [Finding] = []
        var diagnostics: [Diagnostic] = []
        for testCase in document.testCases {
            var previous: Int?
            for line in testCase.mypyLines {
                switch line.kind {
                case .note:
                    guard let index = previous, findings[index].path == line.path.map(paths.normalize) else { continue }
                    findings[index].message += "\n" + line.message
                case .error, .warning:
                    findings.append(finding(for: line))
                    previous = findings.count - 1
                }
            }
            let hasText = testCase.outcomes.contains { $0.kind.isProblem && !$0.text.allSatisfy(\.isWhitespace) }
            if hasText && !testCase.mypyLines.contains(where: { $0.kind != .note }) {
                diagnostics.append(
                    Diagnostic(
                        file: displayPath,
                        "mypy reported a failure in testcase \"\(testCase.name)\" but no line of it reads as an error; the type check may not have run"
                    ))
            }
        }
        if document.evidence.mypyBlockingError {
            diagnostics.append(Diagnostic(file: displayPath, "mypy stopped on a blocking error, so the type check did not complete"))
        }
        return (findings, diagnostics)
    }

    private func finding(for line: MypyLine) -> Finding {
        Finding(
            tool: "mypy", category: .typing, ruleID: line.code ?? MypyFindings.ruleWithoutCode,
            severity: line.kind == .warning ? .low : .medium,
            path: line.path.map(paths.normalize),
            range: SourceRange(startLine: line.line, startColumn: line.column, endLine: line.endLine, endColumn: line.endColumn),
            message: line.message)
    }
}
