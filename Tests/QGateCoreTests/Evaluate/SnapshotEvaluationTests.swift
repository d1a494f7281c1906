import Foundation
import Testing

@testable import QGateCore

/// The evaluator as a pure function: snapshots built by hand, no store, no process, no clock.
struct SnapshotEvaluationTests {
    static func run(_ id: Int64, _ commit: String, branch: String = "main") -> Run {
        Run(
            id: id, context: RunContext(commit: commit, branch: branch),
            createdAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(id) * 60))
    }

    static func found(_ run: Run) -> BaselineChoice {
        BaselineChoice(
            outcome: BaselineOutcome(status: .found, requested: "branch main", run: RunSummary(run)), run: run,
            branch: "main", missingReason: "")
    }

    static let e1 = Make.fingerprinted(Make.finding("E1"), "f-e1:0")
    static let e2 = Make.fingerprinted(Make.finding("E2", severity: .high), "f-e2:0")

    @Test func newFindingsAreThoseTheBaselineSnapshotLacks() {
        let base = Self.run(1, "b")
        let head = Self.run(2, "h", branch: "feature")
        let snapshot = RunSnapshot(
            run: head, findings: [Self.e1, Self.e2],
            baseline: BaselineSnapshot(choice: Self.found(base), data: RunData(run: base, findings: [Self.e1])))
        let policy = Policy(
            name: "p", baseline: BaselineSpec(branch: "main"),
            gates: [
                Gate(name: "No new", metric: .findings, scope: .new, bound: Bound(max: 0)),
                Gate(name: "At most 5", metric: .findings, bound: Bound(max: 5)),
            ])
        let evaluation = Evaluator.evaluate(snapshot, policy: policy, diff: nil, today: "2027-01-01")
        #expect(evaluation.gates.map(\.status) == [.fail, .pass])
        #expect(evaluation.gates[0].actual == 1)
        #expect(evaluation.findings.new.map(\.ruleID) == ["E2"])
        #expect(evaluation.findings.unchanged.map(\.ruleID) == ["E1"])
        #expect(evaluation.verdict == .fail)
    }

    @Test func aTrendGateReadsTheSnapshotsEarlierRunsOldestFirst() {
        let earlier = (1...4).map { index in
            RunData(
                run: Self.run(Int64(index), "c\(index)"),
                coverage: [CoverageFileTotals(Make.file("a.py", covered: 90 - index, of: 100))])
        }
        let head = Self.run(5, "c5")
        // Newest first, as the store returns them: 86, 87, 88, 89 % before the run's 85 %.
        let snapshot = RunSnapshot(
            run: head, coverage: [CoverageFileTotals(Make.file("a.py", covered: 85, of: 100))],
            baseline: BaselineSnapshot(choice: Self.found(earlier[3].run), data: earlier[3]),
            trendRuns: earlier.reversed())
        let gate = Gate(name: "Coverage trend", metric: .coverageLines, trend: TrendSpec(window: 5, slope: Bound(min: -0.5)))
        let evaluation = Evaluator.evaluate(
            snapshot, policy: Policy(name: "p", baseline: BaselineSpec(branch: "main"), gates: [gate]),
            diff: nil, today: "2027-01-01")
        #expect(evaluation.gates[0].status == .fail, "\(evaluation.gates[0].message)")
        #expect(evaluation.gates[0].message.contains("-1"), "\(evaluation.gates[0].message)")
    }

    @Test func theSameSnapshotGivesTheSameBytesAndTodayDecidesWaiverExpiry() throws {
        let head = Self.run(2, "h")
        let snapshot = RunSnapshot(run: head, findings: [Self.e1])
        let waiver = Waiver(rule: try Glob("E1"), reason: "known", expires: "2027-01-10")
        let policy = Policy(name: "p", gates: [Gate(name: "none", metric: .findings, bound: Bound(max: 0))], waivers: [waiver])
        let before = Evaluator.evaluate(snapshot, policy: policy, diff: nil, today: "2027-01-09")
        #expect(
            JSONReporter().render(before)
                == JSONReporter().render(Evaluator.evaluate(snapshot, policy: policy, diff: nil, today: "2027-01-09")))
        #expect(before.verdict == .pass)
        let after = Evaluator.evaluate(snapshot, policy: policy, diff: nil, today: "2027-01-11")
        #expect(after.verdict == .fail)
        #expect(after.waivers.expired.count == 1)
    }

    @Test func patchCoverageNeedsTheDiffTheCallerRead() {
        let head = Self.run(2, "h")
        let file = Make.file("a.py", covered: 2, of: 4)
        let snapshot = RunSnapshot(run: head, coverage: [CoverageFileTotals(file)], lineCoverage: [file])
        let gate = Gate(name: "Patch", metric: .coveragePatch, bound: Bound(min: 80))
        let policy = Policy(name: "p", gates: [gate])
        let withDiff = Evaluator.evaluate(snapshot, policy: policy, diff: UnifiedDiff(changedLines: ["a.py": [1, 3]]), today: "2027-01-01")
        #expect(withDiff.gates[0].actual == 50)
        #expect(withDiff.gates[0].status == .fail)
        let withoutDiff = Evaluator.evaluate(snapshot, policy: policy, diff: nil, today: "2027-01-01")
        #expect(withoutDiff.gates[0].actual == nil)
    }
}
