import Testing

@testable import QGateCore

struct GateJudgeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var gate: Gate
        var value: MetricReading
        var baseline: MetricReading = .unavailable("no baseline run (branch main has no run before this one)")
        var trend: Result<TrendWindow, GateJudge.TrendUnavailable>?
        var onMissing: MissingAction = .warn
        var status: GateResult.Status
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "max met", gate: Gate(name: "g", metric: .findings, bound: Bound(max: 0)), value: .value(0),
            status: .pass, message: ""),
        Case(
            name: "max exceeded fails", gate: Gate(name: "g", metric: .findings, scope: .new, bound: Bound(max: 0)), value: .value(3),
            status: .fail, message: "found 3 new findings; the maximum is 0."),
        Case(
            name: "max exceeded at level warn warns", gate: Gate(name: "g", metric: .findings, bound: Bound(max: 0), level: .warn),
            value: .value(1), status: .warn, message: "found 1 finding; the maximum is 0."),
        Case(
            name: "min missed", gate: Gate(name: "g", metric: .coverageLines, bound: Bound(min: 80)), value: .value(72.972972),
            status: .fail, message: "coverage.lines is 72.97%; the minimum is 80.00%."),
        Case(
            name: "min met at the edge", gate: Gate(name: "g", metric: .coverageLines, bound: Bound(min: 75)), value: .value(75),
            status: .pass, message: ""),
        Case(
            name: "count metric", gate: Gate(name: "g", metric: .testsFailed, bound: Bound(max: 0)), value: .value(2),
            status: .fail, message: "tests.failed is 2; the maximum is 0."),
        Case(
            name: "delta within", gate: Gate(name: "g", metric: .coverageLines, delta: Bound(min: -0.5)), value: .value(73.5),
            baseline: .value(73.85), status: .pass, message: ""),
        Case(
            name: "delta below", gate: Gate(name: "g", metric: .coverageLines, delta: Bound(min: -0.5)), value: .value(72.97),
            baseline: .value(73.85), status: .fail,
            message: "coverage.lines changed by -0.88 points since the baseline (73.85% → 72.97%); the minimum change is -0.5 points."),
        Case(
            name: "delta above", gate: Gate(name: "g", metric: .findings, delta: Bound(max: 0)), value: .value(5),
            baseline: .value(3), status: .fail, message: "findings changed by +2 since the baseline (3 → 5); the maximum change is 0."),
        Case(
            name: "delta without baseline, on_missing pass", gate: Gate(name: "g", metric: .coverageLines, delta: Bound(min: 0)),
            value: .value(70), onMissing: .pass, status: .skipped,
            message: "no baseline run (branch main has no run before this one); not checked (on_missing: pass)."),
        Case(
            name: "delta without baseline, on_missing warn", gate: Gate(name: "g", metric: .coverageLines, delta: Bound(min: 0)),
            value: .value(70), onMissing: .warn, status: .warn,
            message: "no baseline run (branch main has no run before this one); warning (on_missing: warn)."),
        Case(
            name: "delta without baseline, on_missing fail",
            gate: Gate(name: "g", metric: .coverageLines, delta: Bound(min: 0), level: .warn),
            value: .value(70), onMissing: .fail, status: .fail,
            message: "no baseline run (branch main has no run before this one); failing (on_missing: fail)."),
        Case(
            name: "bound met, delta missing under pass: passes, says what was not checked",
            gate: Gate(name: "g", metric: .coverageLines, bound: Bound(min: 50), delta: Bound(min: 0)), value: .value(70),
            onMissing: .pass, status: .pass,
            message: "no baseline run (branch main has no run before this one); not checked (on_missing: pass)."),
        Case(
            name: "bound failed, delta missing under pass",
            gate: Gate(name: "g", metric: .coverageLines, bound: Bound(min: 80), delta: Bound(min: 0)),
            value: .value(70), onMissing: .pass, status: .fail,
            message:
                "coverage.lines is 70.00%; the minimum is 80.00%; no baseline run (branch main has no run before this one); not checked (on_missing: pass)."
        ),
        Case(
            name: "value unavailable", gate: Gate(name: "g", metric: .coveragePatch, bound: Bound(min: 90), onMissing: .pass),
            value: .unavailable("no diff was given"), onMissing: .pass, status: .skipped,
            message: "no diff was given; not checked (on_missing: pass)."),
        Case(
            name: "slope falling too fast",
            gate: Gate(name: "g", metric: .coverageLines, trend: TrendSpec(window: 4, slope: Bound(min: -0.1))),
            value: .value(77), trend: .success(TrendWindow(values: [80, 79, 78, 77], branch: "main")), status: .fail,
            message: "coverage.lines moves by -1 per run over the last 4 runs of branch main; the minimum slope is -0.1."),
        Case(
            name: "slope fine", gate: Gate(name: "g", metric: .coverageLines, trend: TrendSpec(window: 4, slope: Bound(min: -0.1))),
            value: .value(80), trend: .success(TrendWindow(values: [78, 80, 79, 80], branch: "main")), status: .pass, message: ""),
        Case(
            name: "far below the median",
            gate: Gate(name: "g", metric: .findings, trend: TrendSpec(window: 5, fromMedian: Bound(max: 2)), level: .warn),
            value: .value(9), trend: .success(TrendWindow(values: [3, 4, 100, 5, 9], branch: "main")), status: .warn,
            message: "findings is +4.5 from the median 4.5 of the 4 runs before it on branch main; the maximum is +2."),
        Case(
            name: "trend with too few points",
            gate: Gate(name: "g", metric: .coverageLines, trend: TrendSpec(window: 4, slope: Bound(min: 0))),
            value: .value(80), trend: .failure(.init("branch main has no earlier run")), onMissing: .warn, status: .warn,
            message: "branch main has no earlier run; warning (on_missing: warn)."),
    ]

    @Test(arguments: cases)
    func judges(_ example: Case) {
        let result = GateJudge(
            gate: example.gate, value: example.value, baseline: example.baseline, trend: example.trend,
            onMissing: example.onMissing
        ).judge()
        #expect(result.status == example.status)
        #expect(result.message == example.message)
    }

    @Test func theResultCarriesActualBaselineAndDelta() {
        let result = GateJudge(
            gate: Gate(name: "Coverage", metric: .coverageLines, bound: Bound(min: 70)), value: .value(72.5),
            baseline: .value(73.5), onMissing: .warn
        ).judge()
        #expect(result.actual == 72.5)
        #expect(result.baseline == 73.5)
        #expect(result.delta == -1)
        #expect(result.bound == "≥ 70")
    }

    @Test(arguments: [
        (Gate(name: "g", metric: .findings, bound: Bound(max: 0)), "≤ 0"),
        (Gate(name: "g", metric: .coverageLines, bound: Bound(min: 80)), "≥ 80"),
        (Gate(name: "g", metric: .testsTotal, bound: Bound(min: 10, max: 10)), "= 10"),
        (Gate(name: "g", metric: .testsTotal, bound: Bound(min: 1, max: 500)), "≥ 1 and ≤ 500"),
        (Gate(name: "g", metric: .coverageLines, delta: Bound(min: -0.5)), "Δ ≥ -0.5"),
        (Gate(name: "g", metric: .coverageLines, bound: Bound(min: 80), delta: Bound(min: -0.5, max: 5)), "≥ 80, Δ ≥ -0.5 and ≤ +5"),
        (Gate(name: "g", metric: .coverageLines, trend: TrendSpec(window: 10, slope: Bound(min: -0.1))), "slope ≥ -0.1 over 10 runs"),
        (Gate(name: "g", metric: .findings, trend: TrendSpec(window: 5, fromMedian: Bound(max: 3))), "vs median ≤ +3 over 5 runs"),
    ])
    func describesBounds(_ gate: Gate, _ text: String) {
        #expect(GateJudge(gate: gate, value: .value(0), baseline: .value(0), onMissing: .warn).boundText == text)
    }

    @Test func slopeIsTheLeastSquaresSlopePerRun() {
        #expect(TrendWindow(values: [1, 2, 3, 4], branch: "m").slope == 1)
        #expect(TrendWindow(values: [5, 5], branch: "m").slope == 0)
        #expect(abs(TrendWindow(values: [2, 4, 3, 7], branch: "m").slope - 1.4) < 1e-12)
    }

    @Test func medianIsOfTheRunsBeforeTheLast() {
        #expect(TrendWindow(values: [1, 9, 3, 100], branch: "m").earlierMedian == 3)
        #expect(TrendWindow(values: [1, 9, 3, 5, 100], branch: "m").earlierMedian == 4)
    }

    @Test(arguments: [(0.0, "0"), (-0.0001, "0"), (3, "3"), (72.972972, "72.97"), (0.5, "0.5"), (-0.88, "-0.88")])
    func formatsNumbers(_ value: Double, _ text: String) {
        #expect(NumberText.format(value) == text)
    }

    @Test func signedNumbersShowTheirSign() {
        #expect(GateJudge.signed(2) == "+2")
        #expect(GateJudge.signed(-0.5) == "-0.5")
        #expect(GateJudge.signed(0.001) == "0")
    }
}

struct VerdictDecisionTests {
    static func gate(_ name: String, _ status: GateResult.Status) -> GateResult {
        GateResult(name: name, metric: .findings, status: status, actual: 0, bound: "≤ 0")
    }

    static let found = BaselineOutcome(status: .found, requested: "branch main")
    static let missing = BaselineOutcome(status: .missing, requested: "branch main")

    @Test(arguments: [
        ([gate("A", .pass), gate("B", .pass)], [String](), found, MissingAction.warn, Verdict.pass, "pass: all 2 gates passed."),
        ([gate("A", .pass)], [], found, .warn, .pass, "pass: the gate passed."),
        ([], [], found, .warn, .pass, "pass: the policy has no gates."),
        ([gate("A", .pass), gate("B", .skipped)], [], found, .warn, .pass, "pass: 1 of 2 gates passed, 1 skipped (B)."),
        ([gate("A", .warn), gate("B", .pass)], [], found, .warn, .warn, "warn: 1 gate warned (A)."),
        (
            [gate("A", .fail), gate("B", .fail), gate("C", .warn)], [], found, .warn, .fail,
            "fail: 2 of 3 gates failed (A; B)."
        ),
        ([gate("A", .pass)], ["bandit", "safety"], found, .warn, .fail, "fail: required reports missing (bandit, safety)."),
        ([gate("A", .fail)], ["coverage"], found, .warn, .fail, "fail: 1 of 1 gate failed (A); required report missing (coverage)."),
        ([gate("A", .pass)], [], missing, .warn, .warn, "warn: no baseline run (branch main)."),
        ([gate("A", .warn)], [], missing, .warn, .warn, "warn: 1 gate warned (A); no baseline run (branch main)."),
        ([gate("A", .pass)], [], missing, .fail, .fail, "fail: no baseline run (branch main)."),
        ([gate("A", .pass)], [], missing, .pass, .pass, "pass: the gate passed."),
    ])
    func decides(
        _ gates: [GateResult], _ missingReports: [String], _ baseline: BaselineOutcome, _ onMissing: MissingAction,
        _ verdict: Verdict, _ reason: String
    ) {
        let decision = VerdictDecision(gates: gates, missingReports: missingReports, baseline: baseline, onMissingBaseline: onMissing)
        #expect(decision.verdict == verdict)
        #expect(decision.reason == reason)
    }
}
