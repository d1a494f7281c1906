import Foundation
import Testing

@testable import QGateCore

/// Issue #16 items 3–5: every string from a report or a CI variable that qgate prints, on stdout
/// or stderr, in every output mode, is inert: no terminal escape (ESC, OSC 0/8, BEL, C1 CSI), no
/// line a CI runner reads as a command (`::` at a line start under GitHub, `##[` and `##vso[`
/// anywhere under Azure-style logs), no issue reference in Markdown, and NUL kept visible.
struct InertOutputTests {
    static let attacks = [
        "\u{1B}[31mred\u{1B}[0m", "\u{1B}]0;pwned title\u{07}", "\u{1B}]8;;https://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\",
        "bell\u{07}", "\u{9B}2J cleared", "x\n::error::forged", "\n::stop-commands::tok", "::add-mask::secret",
        "  ::warning::indented", "##[error]azure", "msg ##vso[task.setvariable variable=x]1", "##VSO[task.complete]",
        "nul\u{0}byte", "rtl\u{202E}txt.exe", "cr\rline", "tab\tstop", "GH-123 and gh-7", "\u{85}nel",
    ]

    /// The forbidden patterns of one line of output, or nil when it is inert.
    static func problem(in line: Substring, allowCommands: Bool = false) -> String? {
        for scalar in line.unicodeScalars where TextEscaper.isInvisibleControl(scalar) {
            return "control U+\(String(scalar.value, radix: 16)) in \(line.debugDescription.prefix(120))"
        }
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("::"), !allowCommands { return "line starts a workflow command: \(line.prefix(120))" }
        if line.contains("##[") || line.lowercased().contains("##vso[") { return "legacy command in \(line.prefix(120))" }
        return nil
    }

    static func expectInert(
        _ text: String, allowCommands: Bool = false, _ what: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let problem = problem(in: line, allowCommands: allowCommands) {
                Issue.record("\(what): \(problem)", sourceLocation: sourceLocation)
                return
            }
        }
    }

    static func hostileEvaluation() -> Evaluation {
        var evaluation = HostileStringsTests.hostileEvaluation()
        let words = attacks + HostileStringsTests.hostile
        evaluation.findings.new += words.enumerated().map { index, word in
            var finding = Finding(
                tool: word, category: .lint, ruleID: word, severity: .high, path: word,
                range: SourceRange(startLine: index + 1), message: word)
            finding.fingerprint = "t\(index):0"
            return finding
        }
        evaluation.findings.unchanged = evaluation.findings.new
        evaluation.run.branch = attacks[5]
        evaluation.run.commit = attacks[0]
        evaluation.gates[1].name = attacks[7]
        evaluation.diagnostics += attacks
        evaluation.missingReports += attacks
        evaluation.tests.failing += attacks.map { TestResult(suite: $0, className: $0, name: $0, status: .failed, message: $0) }
        return evaluation
    }

    @Test(arguments: InertOutputTests.attacks)
    func theEscaperLeavesNothingActive(attack: String) {
        let escaped = TextEscaper.escape(attack)
        #expect(Self.problem(in: escaped[...]) == nil, "\(escaped.debugDescription)")
        #expect(TextEscaper.escape(escaped) == escaped, "escaping twice changes nothing more")
    }

    @Test func theEscaperShowsWhatItEscaped() {
        #expect(TextEscaper.escape("a\u{1B}[31mb") == "a\\u001B[31mb")
        #expect(TextEscaper.escape("x\n::error::y") == "x\\n::error::y")
        #expect(TextEscaper.escape("::add-mask::s") == "\\u003A:add-mask::s")
        #expect(TextEscaper.escape("##[error]x ##vso[y]") == "\\u0023#[error]x \\u0023#vso[y]")
        #expect(TextEscaper.escape("nul\u{0}byte") == "nul\\u0000byte")
        #expect(TextEscaper.escape("C:\\dir\\file.py") == "C:\\dir\\file.py")
        #expect(TextEscaper.escape("tests/test_a.py::test_b") == "tests/test_a.py::test_b")
        #expect(TextEscaper.escape(String(repeating: "é", count: 3_000), limit: 2_000) == String(repeating: "é", count: 2_000) + "…")
    }

    @Test func textOutputIsInert() {
        let text = TextReporter().render(Self.hostileEvaluation())
        Self.expectInert(text, "text")
        #expect(text.utf8.count < 200_000)
    }

    @Test func githubOutputHasOnlyItsOwnCommands() {
        let text = GitHubReporter().render(Self.hostileEvaluation())
        Self.expectInert(text, allowCommands: true, "github")
        for line in text.split(separator: "\n") {
            #expect(["::error ", "::warning ", "::notice ", "::notice::qgate:"].contains { line.hasPrefix($0) })
        }
    }

    @Test(arguments: [OutputFormat.json, .sarif, .gitlab, .markdown])
    func structuredOutputIsInertAndKeepsTheText(format: OutputFormat) throws {
        let text = format.reporter().render(Self.hostileEvaluation())
        Self.expectInert(text, format.rawValue)
        if format != .markdown {
            // `#\u0023[` decodes to the same `##[`: the document still says exactly what the report said.
            let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8))
            let all = String(describing: decoded)
            #expect(all.contains("##vso[task.setvariable") || all.contains("##vso\\[task.setvariable"), "\(format)")
        }
    }

    @Test func markdownNeutralisesGitHubIssueReferences() {
        let escaped = MarkdownEscaper.escape("see GH-123, gh-7 and #9")
        #expect(!escaped.contains("GH-1") && !escaped.contains("gh-7"))
        #expect(escaped.contains("GH-\u{2060}123"))
        #expect(MarkdownEscaper.escape("::error::x").hasPrefix("\\::"))
        #expect(MarkdownEscaper.escape("  ::error::x") == "  \\::error::x")
    }

    @Test func runListingTrendAndDiffAreInert() throws {
        let listing = RunListing(
            runs: Self.attacks.enumerated().map { index, attack in
                RunListing.Entry(
                    run: RunSummary(
                        id: Int64(index), commit: attack, branch: attack,
                        reports: [ReportSummary(tool: attack, format: .junit, path: attack)]),
                    time: "t")
            })
        Self.expectInert(listing.table(), "runs")
        let points = Self.attacks.enumerated().map { index, attack in
            TrendPoint(run: Int64(index), commit: attack, branch: attack, time: "2026-01-01T00:00:00Z", value: 1)
        }
        let filters = TrendFilters(MetricFilter(tools: Self.attacks))
        let result = TrendResult(
            metric: .findings, filters: filters, branch: Self.attacks[5], per: .run, by: .tool,
            series: Self.attacks.map { TrendSeries(label: $0, metric: .findings, filters: filters, points: points) })
        for format in TrendFormat.allCases {
            Self.expectInert(try TrendRenderer(result).render(format), "trend \(format)")
        }
        var evaluation = Self.hostileEvaluation()
        evaluation.tests.newlyFailing = Self.attacks
        evaluation.tests.fixed = Self.attacks
        let diff = RunDiff(
            base: evaluation.run, head: evaluation.run, newFindings: evaluation.findings.new,
            fixedFindings: evaluation.findings.new, unchangedCount: 0, newlyFailingTests: Self.attacks,
            fixedTests: Self.attacks, coverageLines: nil, baseCoverageLines: nil, evaluation: evaluation)
        Self.expectInert(diff.text(), "diff")
    }
}
