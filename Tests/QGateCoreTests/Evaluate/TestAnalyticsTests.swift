import Foundation
import Testing

@testable import QGateCore

/// Test gates that use the history: `scope: new` on failing tests, `tests.flaky` from markers and
/// history, the quarantine, and how every output shows them.
struct TestAnalyticsTests {
    private static let baselinePolicy = BaselineSpec(branch: "main", onMissing: .fail)

    @Test func scopeNewCountsOnlyTestsThatDidNotFailInTheBaseline() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        try fixture.run(
            commit: "base",
            tests: [
                Make.caseResult("old_failure", .failed), Make.caseResult("breaks", .passed),
                Make.caseResult("old_error", .error),
            ])
        let run = try fixture.run(
            commit: "pr", branch: "feature",
            tests: [
                Make.caseResult("old_failure", .failed), Make.caseResult("breaks", .failed), Make.caseResult("added", .failed),
                Make.caseResult("old_error", .error), Make.caseResult("new_error", .error),
            ])
        let policy = Policy(
            name: "p", baseline: Self.baselinePolicy,
            gates: [
                Gate(name: "new failures", metric: .testsFailed, scope: .new, bound: Bound(max: 0)),
                Gate(name: "all failures", metric: .testsFailed, bound: Bound(max: 0)),
                Gate(name: "new errors", metric: .testsErrors, scope: .new, bound: Bound(max: 0)),
            ])
        let evaluation = try await fixture.evaluate(policy, run: run)
        #expect(evaluation.gates.map(\.actual) == [2, 3, 1])
        #expect(evaluation.gates[0].message == "tests.failed is 2; the maximum is 0.")
        #expect(evaluation.gates[0].baseline == nil)
        #expect(evaluation.tests.newlyFailing == ["tests.test_a::added", "tests.test_a::breaks", "tests.test_a::new_error"])
    }

    @Test func scopeNewWithoutABaselineIsMissing() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(commit: "pr", branch: "feature", tests: [Make.caseResult("a", .failed)])
        let policy = Policy(
            name: "p", baseline: Self.baselinePolicy,
            gates: [Gate(name: "new failures", metric: .testsFailed, scope: .new, bound: Bound(max: 0))])
        let gate = try #require(try await fixture.evaluate(policy, run: run).gates.first)
        #expect(gate.status == .fail)
        #expect(gate.message.contains("so new test failures are unknown; failing (on_missing: fail)"))
    }

    @Test func flakyGateCountsMarkersAndTheHistory() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        // test_x failed and passed on commit a (two pipelines): known flaky. It passes in the checked run.
        try fixture.run(commit: "a", pipeline: "1", tests: [Make.caseResult("test_x", .failed)])
        try fixture.run(commit: "a", pipeline: "2", tests: [Make.caseResult("test_x", .passed)])
        let run = try fixture.run(
            commit: "b",
            tests: [
                Make.caseResult("test_x", .passed), Make.caseResult("test_rerun", .flaky),
                Make.caseResult("test_ok", .passed),
            ])
        let policy = Policy(name: "p", gates: [Gate(name: "no flaky", metric: .testsFlaky, bound: Bound(max: 0))])
        let evaluation = try await fixture.evaluate(policy, run: run)
        #expect(evaluation.gates[0].actual == 2)
        #expect(evaluation.tests.flaky.map(\.name) == ["test_rerun"])
        #expect(evaluation.tests.knownFlaky?.map(\.id) == ["tests.test_a::test_rerun", "tests.test_a::test_x"])
        // Healed after heal_after passes in a row.
        var healed = policy
        healed.flaky.healAfter = 1
        #expect(try await fixture.evaluate(healed, run: run).gates[0].actual == 1)
    }

    @Test func quarantineForgivesUntilItExpiresAndListsUnusedEntries() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(
            commit: "a",
            tests: [
                Make.caseResult("test_checkout", .failed, className: "tests.test_cart", file: nil),
                Make.caseResult("test_total", .failed, className: "tests.test_cart", file: nil),
                Make.caseResult("test_store", .failed, className: "tests.test_store", file: nil),
            ])
        let policy = Policy(
            name: "p", gates: [Gate(name: "tests pass", metric: .testsFailed, bound: Bound(max: 0))],
            quarantine: [
                Quarantine(test: try Glob("tests/test_cart.py::test_checkout"), reason: "payment sandbox down", expires: "2027-02-01"),
                Quarantine(test: try Glob("tests.test_cart::test_total"), reason: "rounding bug 12", expires: "2027-01-01"),
                Quarantine(test: try Glob("tests/test_gone.py::*"), reason: "removed"),
            ])
        let evaluation = try await fixture.evaluate(policy, run: run, today: "2027-01-15")
        #expect(evaluation.gates[0].actual == 2)  // the expired one counts again
        let quarantine = try #require(evaluation.tests.quarantine)
        #expect(quarantine.applied.map(\.test) == ["tests.test_cart::test_checkout"])
        #expect(quarantine.expired.map(\.test) == ["tests.test_cart::test_total"])
        #expect(quarantine.unused.map(\.selector) == ["test tests/test_gone.py::*"])
        #expect(evaluation.tests.failing.map(\.name) == ["test_total", "test_store"])

        let markdown = MarkdownReporter().render(evaluation)
        #expect(
            markdown.contains(
                """
                ### Quarantined (1)

                - tests.test\\_cart::test\\_checkout (failed) — payment sandbox down; until 2027-02-01
                - tests.test\\_cart::test\\_total (failed) — quarantine expired on 2027-01-01: rounding bug 12. It counts again.
                - Unused: test tests/test\\_gone.py::\\* — removed. It matched no failing test in this run.
                """))
        let text = TextReporter().render(evaluation)
        #expect(text.contains("Quarantined (1):\n  tests.test_cart::test_checkout (failed)  payment sandbox down  until 2027-02-01\n"))
        #expect(text.contains("quarantine expired on 2027-01-01; it counts again: rounding bug 12"))
        let json = JSONReporter().render(evaluation)
        #expect(json.contains("\"quarantine\": {"))
        #expect(json.contains("\"pattern\": \"tests/test_cart.py::test_checkout\""))
    }

    @Test func summariesShowNewlyFailingAndFlakySectionsAndAnnotateAtTheTestsLine() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        try fixture.run(commit: "a", pipeline: "1", tests: [Make.caseResult("test_x", .failed), Make.caseResult("breaks", .passed)])
        try fixture.run(commit: "a", pipeline: "2", tests: [Make.caseResult("test_x", .passed), Make.caseResult("breaks", .passed)])
        var breaks = Make.caseResult("breaks", .failed)
        breaks.line = 42
        let run = try fixture.run(
            commit: "b", branch: "feature",
            tests: [
                Make.caseResult("test_x", .passed), breaks,
                Make.caseResult("test_rerun", .flaky),
            ])
        let policy = Policy(
            name: "p", baseline: Self.baselinePolicy,
            gates: [Gate(name: "new failures", metric: .testsFailed, scope: .new, bound: Bound(max: 0))])
        let evaluation = try await fixture.evaluate(policy, run: run)
        #expect(evaluation.tests.failing.first?.line == 42)

        let markdown = MarkdownReporter().render(evaluation)
        #expect(markdown.contains("### Newly failing (1)\n\n- tests.test\\_a::breaks (tests/test\\_a.py:42)"))
        #expect(markdown.contains("### Flaky (1 this run / 2 known)"))
        #expect(markdown.contains("| tests.test\\_a::test\\_x | 3 | 1 | 1 | 0.5 | no |"))
        let text = TextReporter().render(evaluation)
        #expect(text.contains("Newly failing (1):\n  tests.test_a::breaks  tests/test_a.py:42\n"))
        #expect(text.contains("Flaky (1 this run / 2 known):\n  this run  tests.test_a::test_rerun\n"))
        #expect(text.contains("  known     tests.test_a::test_x  1 of 3 runs failed, 1 flaky commit, flip rate 0.5"))
        let json = JSONReporter().render(evaluation)
        #expect(json.contains("\"known_flaky\": ["))
        #expect(json.contains("\"newly_failing\": [\n      \"tests.test_a::breaks\"\n    ]"))
        let github = GitHubReporter().render(evaluation)
        #expect(
            github.contains(
                "::error file=tests/test_a.py,line=42,title=newly failing test tests.test_a%3A%3Abreaks (failed)::assert False\n"))
    }
}
