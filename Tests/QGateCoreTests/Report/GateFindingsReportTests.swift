import Foundation
import Testing

@testable import QGateCore

/// Issue #12: every output names the findings behind a failing gate, also without a baseline
/// (where all of them are "unchanged" and none is new), and marks newly failing tests as new.
struct GateFindingsReportTests {
    /// A first run, no baseline: an absolute gate fails on 12 findings, none of them new.
    static func noBaseline() -> Evaluation {
        var evaluation = DemoEvaluation.make()
        let all = DemoEvaluation.newFindings()
        evaluation.baseline = BaselineOutcome(status: .notConfigured)
        evaluation.findings = FindingChanges(new: [], fixed: [], unchanged: all, totals: FindingCounts(all))
        let behind = Array(all.prefix(12))
        evaluation.gates = [
            GateResult(
                name: "No findings at all", metric: .findings, status: .fail, actual: 12, bound: "≤ 0",
                message: "found 12 findings; the maximum is 0.", findingFingerprints: behind.map(\.fingerprint).sorted()),
            GateResult(name: "Tests pass", metric: .testsFailed, status: .fail, actual: 2, bound: "≤ 0"),
        ]
        evaluation.tests.newlyFailing = []
        return evaluation
    }

    @Test func theModelListsTheFindingsOfEachFailingGateWorstFirst() throws {
        let groups = Self.noBaseline().gateFindings
        #expect(groups.map(\.gate) == ["No findings at all"])
        let findings = try #require(groups.first?.findings)
        #expect(findings.count == 12)
        #expect(findings.first?.severity == .critical)
        #expect(findings.map(\.severity) == findings.map(\.severity).sorted())
    }

    @Test func markdownNamesThemFoldingPastTen() {
        let text = MarkdownReporter().render(Self.noBaseline())
        #expect(text.contains("### Findings behind the failing gates"))
        #expect(text.contains("❌ **No findings at all**: 12 findings, worst first"))
        #expect(text.contains("| jinja2 2.10 | critical | safety | CVE-2019-10906 |"), "the critical one is listed first")
        #expect(text.contains("<details><summary>2 more findings of this gate</summary>"))
    }

    @Test func markdownStillFitsItsBudgetWithThem() {
        var options = MarkdownReporter.Options()
        options.maxLength = 1_500
        let text = MarkdownReporter(options: options).render(Self.noBaseline())
        #expect(text.utf16.count <= 1_500)
    }

    @Test func textNamesThem() {
        let text = TextReporter().render(Self.noBaseline())
        #expect(text.contains("No findings at all fails on 12 findings (worst first):"))
        #expect(text.contains("  … and 2 more"))
    }

    @Test func jsonCarriesThemPerGate() throws {
        let json = try #require(JSONSerialization.jsonObject(with: Data(JSONReporter().render(Self.noBaseline()).utf8)) as? [String: Any])
        let groups = try #require(json["gate_findings"] as? [[String: Any]])
        #expect(groups.count == 1)
        #expect(groups[0]["gate"] as? String == "No findings at all")
        #expect((groups[0]["findings"] as? [[String: Any]])?.count == 12)
        #expect(json["policy"] as? String == "prod", "the evaluation's own members are still there")
    }

    @Test func githubAnnotatesThemAndDoesNotClaimZeroNewWithoutABaseline() throws {
        let text = GitHubReporter().render(Self.noBaseline())
        #expect(text.contains("::error title=safety CVE-2019-10906 (critical)::"), "\(text.prefix(600))")
        let summary = try #require(text.split(separator: "\n").last)
        #expect(!summary.contains("0 new"))
        #expect(summary.contains("18 findings; new ones unknown (no baseline); 12 behind failing gates; 2 failing tests"), "\(summary)")
    }

    @Test func newlyFailingTestsAreMarkedNewInTextAndGitHub() {
        let evaluation = DemoEvaluation.make()
        let text = TextReporter().render(evaluation)
        #expect(text.contains("Failing tests (2, 1 new):"))
        #expect(text.contains("  failed (new)  tests.test_pricing.TestDiscounts::test_negative_discount"))
        #expect(GitHubReporter().render(evaluation).contains("2 failing tests (1 new)"))
    }
}
