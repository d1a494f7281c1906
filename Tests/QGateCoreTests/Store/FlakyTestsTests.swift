import Foundation
import Testing

@testable import QGateCore

/// Flaky tests from the history: the rule (same commit, flips over a minimum sample, broken is
/// not flaky, healing, resets) and the store query behind `qgate flaky`.
struct FlakyTestsTests {
    private static func observations(_ outcomes: String, commits: [String]? = nil) -> [TestObservation] {
        outcomes.enumerated().map { index, outcome in
            TestObservation(
                run: Int64(index + 1), commit: commits?[index] ?? "c\(index)", createdAt: Double(1_800_000_000 + index * 60),
                failed: outcome == "F" || outcome == "B", passed: outcome == "P" || outcome == "B")
        }
    }

    @Test func failedAndPassedOnOneCommitIsFlaky() throws {
        let row = try #require(FlakyJudge.judge(id: "t", Self.observations("PFP", commits: ["a", "b", "b"]), policy: FlakyPolicy()))
        #expect(row.flakyCommits == 1)
        #expect(row.runs == 3)
        #expect(row.failures == 1)
        #expect(row.flipRate == 1)
        #expect(row.firstSeen == "2027-01-15T08:01:00Z")
        #expect(row.lastSeen == row.firstSeen)
        // A rerun marker is both outcomes in one run.
        #expect(FlakyJudge.judge(id: "t", Self.observations("PPB"), policy: FlakyPolicy())?.flakyCommits == 1)
    }

    @Test func flipsCountOnlyOverTheMinimumSample() {
        let policy = FlakyPolicy(minRuns: 6, maxFlips: 2)
        // Each failure on its own commit: 4 flips over 5 runs is below the minimum sample.
        #expect(FlakyJudge.judge(id: "t", Self.observations("PFPFP"), policy: policy) == nil)
        let row = FlakyJudge.judge(id: "t", Self.observations("PFPFPP"), policy: policy)
        #expect(row?.flakyCommits == 0)
        #expect(row?.flipRate == 0.8)
        // Two flips (one failing streak) is not more than max_flips.
        #expect(FlakyJudge.judge(id: "t", Self.observations("PPFFPP"), policy: policy) == nil)
    }

    @Test func alwaysFailingIsBrokenNotFlaky() {
        #expect(
            FlakyJudge.judge(
                id: "t", Self.observations("FFFFFFFFFFFF", commits: Array(repeating: "same", count: 12)),
                policy: FlakyPolicy(minRuns: 2, maxFlips: 0)) == nil)
    }

    @Test func consecutivePassesHealAFlakyTest() {
        let policy = FlakyPolicy(healAfter: 3)
        let flaky = Self.observations("FB" + "PP", commits: ["a", "a", "b", "c"])
        #expect(FlakyJudge.judge(id: "t", flaky, policy: policy) != nil)
        let healed = Self.observations("FB" + "PPP", commits: ["a", "a", "b", "c", "d"])
        #expect(FlakyJudge.judge(id: "t", healed, policy: policy) == nil)
    }

    @Test func theStoreFindsFlakyTestsAcrossPipelinesAndResetsThem() throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let ok = { (name: String) in Make.caseResult(name, .passed) }
        // Commit a: the first pipeline fails test_x, a retried pipeline passes it. test_broken always fails.
        try fixture.run(
            commit: "a", pipeline: "1", tests: [Make.caseResult("test_x", .failed), Make.caseResult("test_broken", .failed), ok("test_ok")])
        try fixture.run(commit: "a", pipeline: "2", tests: [ok("test_x"), Make.caseResult("test_broken", .failed), ok("test_ok")])
        try fixture.run(
            commit: "b", branch: "feature",
            tests: [
                ok("test_x"), Make.caseResult("test_broken", .failed),
                Make.caseResult("test_marker", .flaky), ok("test_ok"),
            ])
        let all = try fixture.store.flakyTests(FlakyWindow(), policy: FlakyPolicy())
        #expect(all.map(\.id) == ["tests.test_a::test_marker", "tests.test_a::test_x"])
        let x = try #require(all.last)
        #expect((x.runs, x.failures, x.flakyCommits) == (3, 1, 1))
        #expect(x.flipRate == 0.5)
        #expect(try fixture.store.flakyTests(FlakyWindow(branch: "main"), policy: FlakyPolicy()).map(\.id) == ["tests.test_a::test_x"])
        #expect(try fixture.store.flakyTests(FlakyWindow(last: 2), policy: FlakyPolicy()).map(\.id) == ["tests.test_a::test_marker"])

        #expect(try fixture.store.resetFlaky(test: "tests.test_a::test_x", now: Date(timeIntervalSince1970: 0)) == 3)
        #expect(try fixture.store.flakyTests(FlakyWindow(), policy: FlakyPolicy()).map(\.id) == ["tests.test_a::test_marker"])
        // After the reset only later runs count: a new failure and pass on one commit makes it flaky again.
        try fixture.run(commit: "c", pipeline: "1", tests: [Make.caseResult("test_x", .failed)])
        try fixture.run(commit: "c", pipeline: "2", tests: [ok("test_x")])
        #expect(try fixture.store.flakyTests(FlakyWindow(), policy: FlakyPolicy()).map(\.id).contains("tests.test_a::test_x"))
        #expect(throws: UsageError.self) { try fixture.store.resetFlaky(test: "tests.test_a::test_nope", now: Date()) }
    }
}
