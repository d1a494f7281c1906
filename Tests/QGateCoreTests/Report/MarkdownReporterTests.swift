import Foundation
import Testing

@testable import QGateCore

struct MarkdownReporterTests {
    @Test func demoSummaryMatchesGoldenFile() throws {
        try Golden.check(MarkdownReporter().render(DemoEvaluation.make()), against: "Report/summary.md")
    }

    @Test func rendersTheSameBytesTwiceAndForShuffledInput() {
        let evaluation = DemoEvaluation.make()
        var shuffled = evaluation
        shuffled.findings.new.reverse()
        shuffled.findings.fixed.reverse()
        let reporter = MarkdownReporter()
        #expect(reporter.render(evaluation) == reporter.render(evaluation))
        #expect(reporter.render(shuffled) == reporter.render(evaluation))
    }

    @Test func startsWithTheMarkerThenTheVerdict() {
        var evaluation = DemoEvaluation.make()
        evaluation.policy = "prod rules/<x>"
        let lines = MarkdownReporter(options: .init(key: "job 1 --> evil")).render(evaluation).split(separator: "\n")
        #expect(lines.first == "<!-- qgate:summary policy=prod-rules--x- key=job-1-----evil -->")
        #expect(lines.dropFirst().first?.hasPrefix("### ❌ qgate: fail — 3 gates failed") == true)
    }

    @Test(arguments: [(Verdict.pass, "### ✅ qgate: pass"), (.warn, "### ⚠️ qgate: warn"), (.fail, "### ❌ qgate: fail")])
    func verdictLine(verdict: Verdict, prefix: String) {
        var evaluation = DemoEvaluation.make()
        evaluation.verdict = verdict
        let text = MarkdownReporter().render(evaluation)
        #expect(text.split(separator: "\n")[1].hasPrefix(prefix))
    }

    @Test func minimalEvaluationHasNoEmptySections() {
        let evaluation = Evaluation(
            policy: "dev", verdict: .pass, reason: "All 1 gates passed.", run: RunSummary(id: 1),
            baseline: BaselineOutcome(status: .notConfigured),
            gates: [GateResult(name: "Tests pass", metric: .testsFailed, status: .pass, actual: 0, bound: "≤ 0")])
        let expected = """
            <!-- qgate:summary policy=dev key=default -->
            ### ✅ qgate: pass — All 1 gates passed.

            | Gate | Status | Actual | Bound | Baseline | Δ |
            | --- | --- | --: | --- | --: | --: |
            | Tests pass | ✅ pass | 0 | ≤ 0 | — | — |

            Run 1: no baseline — the policy names none.

            ### New findings (0)

            0 new, 0 fixed, 0 unchanged.

            """
        #expect(MarkdownReporter().render(evaluation) == expected)
    }

    @Test func missingBaselineSaysWhichWasRequested() {
        var evaluation = DemoEvaluation.make()
        evaluation.baseline = BaselineOutcome(status: .missing, requested: "branch main")
        #expect(
            MarkdownReporter().render(evaluation).contains(
                "Run 13 (9f8e7d6) on feature/discounts: no baseline — no run found for branch main, so nothing is marked new or fixed."))
    }

    @Test func chartNeedsTwoPoints() {
        var evaluation = DemoEvaluation.make()
        evaluation.history = Array(evaluation.history.prefix(1))
        #expect(!MarkdownReporter().render(evaluation).contains("xychart-beta"))
        evaluation.history = []
        #expect(!MarkdownReporter().render(evaluation).contains("```"))
    }

    @Test func optionsHideFixedAndChart() {
        let text = MarkdownReporter(options: .init(showFixed: false, showChart: false)).render(DemoEvaluation.make())
        #expect(!text.contains("Fixed findings"))
        #expect(!text.contains("mermaid"))
        #expect(!text.contains("left out"))
    }

    @Test(arguments: [
        ([13, 16, 17], "13, 16–17"), ([5], "5"), ([1, 2, 3, 7, 9, 10], "1–3, 7, 9–10"), ([], ""),
        ([4, 2, 3, 3], "2–4"),
    ])
    func compactLineRanges(lines: [Int], expected: String) {
        #expect(ReportFormatting.lineRanges(lines) == expected)
    }

    @Test func manyRangesAreCapped() {
        let lines = Array(stride(from: 1, through: 100, by: 2))
        #expect(ReportFormatting.lineRanges(lines, maxRanges: 3) == "1, 3, 5, … (47 more)")
    }

    // MARK: Budget

    static func bigEvaluation(findings count: Int) -> Evaluation {
        var evaluation = DemoEvaluation.make()
        let severities = Severity.allCases
        evaluation.findings.new = (0..<count).map { index in
            let severity = index < count / 10 ? severities[index % 3] : severities[3 + index % 2]
            var finding = Finding(
                tool: "pylint", category: .lint, ruleID: "C\(index % 400)", severity: severity,
                path: "src/module_\(index % 97)/file_\(index).py", range: SourceRange(startLine: index % 500 + 1),
                message: "Message number \(index) about something that is not quite right here")
            finding.fingerprint = String(format: "c%024x:0", index)
            return finding
        }
        evaluation.findings.fixed = Array(evaluation.findings.new.prefix(3_000))
        return evaluation
    }

    static func expectWellFormed(_ text: String, limit: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(text.utf16.count <= limit, sourceLocation: sourceLocation)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("<!-- qgate:summary policy=prod key=default -->") == true, sourceLocation: sourceLocation)
        #expect(lines.dropFirst().first?.hasPrefix("### ❌ qgate: fail") == true, sourceLocation: sourceLocation)
        #expect(text.contains("| Gate | Status | Actual | Bound | Baseline | Δ |"), sourceLocation: sourceLocation)
        for gate in DemoEvaluation.make().gates {
            #expect(text.contains("| \(gate.name) |"), sourceLocation: sourceLocation)
        }
        #expect(
            text.components(separatedBy: "<details>").count == text.components(separatedBy: "</details>").count,
            sourceLocation: sourceLocation)
        expectWholeTables(lines, sourceLocation: sourceLocation)
    }

    /// Every table row is complete, and all rows of one table have the same number of cells.
    static func expectWholeTables(_ lines: [Substring], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        var cells: Int?
        for line in lines {
            guard line.hasPrefix("|") else { cells = nil; continue }
            #expect(line.hasSuffix(" |"), "cut row: \(line)", sourceLocation: sourceLocation)
            let count = line.filter { $0 == "|" }.count
            #expect(cells == nil || cells == count, "broken row: \(line)", sourceLocation: sourceLocation)
            cells = cells ?? count
        }
    }

    @Test func twentyThousandFindingsStayUnderTheLimit() {
        let text = MarkdownReporter().render(Self.bigEvaluation(findings: 20_000))
        Self.expectWellFormed(text, limit: 65_536)
        #expect(text.contains("> **Note:** The fixed-findings list, "))
        #expect(text.contains("were left out to stay under 65,536 characters."))
        #expect(text.contains("#### Critical (667)"))
    }

    @Test func fixedFindingsGoFirst() {
        var evaluation = DemoEvaluation.make()
        evaluation.findings.fixed = Self.bigEvaluation(findings: 600).findings.new
        let text = MarkdownReporter().render(evaluation)
        Self.expectWellFormed(text, limit: 65_536)
        #expect(text.hasSuffix("> **Note:** The fixed-findings list was left out to stay under 65,536 characters.\n"))
        #expect(text.contains("#### Low (13)"))
        #expect(text.contains("xychart-beta"))
    }

    @Test func tinyBudgetKeepsMarkerAndVerdict() {
        let text = MarkdownReporter(options: .init(maxLength: 100)).render(Self.bigEvaluation(findings: 2_000))
        #expect(text.utf16.count <= MarkdownReporter.minimumLength)
        #expect(text.hasPrefix("<!-- qgate:summary policy=prod key=default -->\n### ❌ qgate: fail"))
        #expect(text.contains("| Gate | Status |"))
        #expect(text.contains("left out to stay under 512 characters."))
        Self.expectWholeTables(text.split(separator: "\n"))
    }

    @Test(arguments: [4_000, 8_000, 20_000])
    func smallBudgets(maxLength: Int) {
        let text = MarkdownReporter(options: .init(maxLength: maxLength)).render(Self.bigEvaluation(findings: 2_000))
        Self.expectWellFormed(text, limit: max(maxLength, MarkdownReporter.minimumLength))
        #expect(text.contains("left out to stay under"))
    }

    @Test func demoFitsInFourThousandByTrimmingRows() {
        let text = MarkdownReporter(options: .init(maxLength: 4_000)).render(DemoEvaluation.make())
        Self.expectWellFormed(text, limit: 4_000)
        #expect(text.contains("left out to stay under 4,000 characters."))
    }
}
