import Foundation
import Testing

@testable import QGateCore

struct GitHubReporterTests {
    @Test func demoAnnotationsMatchGoldenFile() throws {
        try Golden.check(GitHubReporter().render(DemoEvaluation.make()), against: "Report/github.txt")
    }

    @Test func capsEachLevelAtTenWorstFirst() {
        var evaluation = DemoEvaluation.make()
        evaluation.findings.new = MarkdownReporterTests.bigEvaluation(findings: 100).findings.new
        let lines = GitHubReporter().render(evaluation).split(separator: "\n")
        // 7 new critical/high findings, the pre-existing high one behind the failing gate, and
        // the newly failing test (its report names its file).
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 9)
        #expect(lines.filter { $0.hasPrefix("::warning ") }.count == 3)
        #expect(lines.filter { $0.hasPrefix("::notice ") }.count == 10)
        #expect(lines.first?.contains("(critical)") == true)
        #expect(lines.last?.hasPrefix("::notice::qgate: fail — ") == true)
        #expect(lines.last?.hasSuffix("; 80 more not annotated.") == true)
    }

    @Test(arguments: [
        ("100% done", "100%25 done"),
        ("two\r\nlines", "two%0D%0Alines"),
        ("a:b,c", "a:b,c"),
        ("::error::x", "::error::x"),
    ])
    func encodesData(input: String, expected: String) {
        #expect(WorkflowCommandEncoding.data(input) == expected)
    }

    @Test(arguments: [
        ("src/a.py", "src/a.py"),
        ("a.py,line=1,title=x", "a.py%2Cline=1%2Ctitle=x"),
        ("C:\\x::y", "C%3A\\x%3A%3Ay"),
        ("50%\nz", "50%25%0Az"),
    ])
    func encodesProperties(input: String, expected: String) {
        #expect(WorkflowCommandEncoding.property(input) == expected)
    }

    @Test func annotationCarriesFileLineColumnAndTitle() {
        var evaluation = DemoEvaluation.make()
        evaluation.findings.new = [
            DemoEvaluation.finding(
                "bandit", .security, "B602", .high, path: "pkg/run, er.py", line: 14,
                column: 5, message: "50% risky\nreally")
        ]
        evaluation.gates = []
        let lines = GitHubReporter().render(evaluation).split(separator: "\n")
        #expect(lines.first == "::error file=pkg/run%2C er.py,line=14,col=5,title=bandit B602 (high)::50%25 risky%0Areally")
    }

    @Test func stepSummaryAppendsToTheFileTheEnvironmentNames() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("summary.md")
        let environment = [StepSummary.environmentVariable: file.path]
        #expect(try StepSummary.append(markdown: "first", environment: environment) == file)
        try StepSummary.append(markdown: "second\n", environment: environment)
        #expect(try String(contentsOf: file, encoding: .utf8) == "first\nsecond\n")
        #expect(try StepSummary.append(markdown: "x", environment: [:]) == nil)
        #expect(try StepSummary.append(markdown: "x", environment: [StepSummary.environmentVariable: ""]) == nil)
    }

    @Test func stepSummaryErrorNamesTheFile() throws {
        let path = "/nonexistent-qgate-dir/summary.md"
        #expect(throws: StepSummaryError.cannotWrite(path: path, reason: "no such file")) {
            try StepSummary.append(markdown: "x", environment: [StepSummary.environmentVariable: path])
        }
        #expect(
            StepSummaryError.cannotWrite(path: path, reason: "the file cannot be created").description
                == "/nonexistent-qgate-dir/summary.md: error: cannot append the summary to $GITHUB_STEP_SUMMARY: the file cannot be created."
        )
    }
}
