import Foundation
import Testing

@testable import QGateCore

@Suite(.serialized)
struct EvaluatorTests {
    // MARK: metrics and gates

    @Test func findingGatesCountWhatTheirFiltersSelect() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(
            commit: "c1",
            findings: [
                Make.finding("E501", severity: .low, path: "pkg/a.py", line: 1),
                Make.finding("F821", severity: .high, path: "pkg/b.py", line: 2),
                Make.finding("B602", tool: "bandit", category: .security, severity: .high, path: "pkg/b.py", line: 9),
                Make.finding(
                    "CVE-1", tool: "trivy", category: .vulnerability, severity: .critical, path: "requirements.txt", line: nil,
                    package: "django", version: "3.2.0", advisories: ["CVE-1"]),
                Make.finding("B101", tool: "bandit", category: .security, severity: .low, path: "tests/test_a.py", line: 3),
            ])
        let gates: [(Gate, Double)] = [
            (Gate(name: "all", metric: .findings, bound: Bound(max: 100)), 5),
            (
                Gate(
                    name: "security high+", metric: .findings,
                    filter: MetricFilter(categories: [.security, .vulnerability], severities: [.critical, .high]), bound: Bound(max: 100)),
                2
            ),
            (Gate(name: "tool", metric: .findings, filter: MetricFilter(tools: ["bandit"]), bound: Bound(max: 100)), 2),
            (Gate(name: "rule glob", metric: .findings, filter: MetricFilter(rules: [try Make.glob("B*")]), bound: Bound(max: 100)), 2),
            (Gate(name: "path glob", metric: .findings, filter: MetricFilter(paths: [try Make.glob("pkg/**")]), bound: Bound(max: 100)), 3),
        ]
        let evaluation = try await fixture.evaluate(Policy(name: "p", gates: gates.map(\.0)), run: run)
        #expect(evaluation.gates.map(\.actual) == gates.map(\.1))
        #expect(evaluation.gates[2].findingFingerprints.count == 2)
        #expect(evaluation.findings.totals.total == 5)
        #expect(evaluation.findings.totals.critical == 1)
    }

    @Test func testMetrics() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(
            commit: "c1",
            tests: [
                Make.caseResult("a", .passed, duration: 1.5), Make.caseResult("b", .passed, duration: 0.5),
                Make.caseResult("c", .failed, duration: 2),
                Make.caseResult("d", .error, duration: nil), Make.caseResult("e", .skipped, duration: 0),
                Make.caseResult("f", .flaky, duration: 1),
                Make.caseResult("g", .passed, className: "tests.test_b", file: "tests/test_b.py", duration: 1),
            ])
        let expected: [(Metric, Double)] = [
            (.testsTotal, 7), (.testsPassed, 3), (.testsFailed, 1), (.testsErrors, 1), (.testsSkipped, 1), (.testsFlaky, 1),
            (.testsPassRate, 50), (.testsDuration, 6),
        ]
        let policy = Policy(
            name: "p",
            gates: expected.map { Gate(name: $0.0.rawValue, metric: $0.0, bound: Bound(min: 0)) } + [
                Gate(
                    name: "by file", metric: .testsTotal, filter: MetricFilter(paths: [try Make.glob("tests/test_b.py")]),
                    bound: Bound(min: 0)),
                Gate(name: "by tool", metric: .testsTotal, filter: MetricFilter(tools: ["pytest"]), bound: Bound(min: 0)),
                Gate(name: "other tool", metric: .testsTotal, filter: MetricFilter(tools: ["unittest"]), bound: Bound(min: 0)),
            ])
        let evaluation = try await fixture.evaluate(policy, run: run)
        #expect(Array(evaluation.gates.map(\.actual).prefix(expected.count)) == expected.map(\.1))
        #expect(evaluation.gates[expected.count].actual == 1)
        #expect(evaluation.gates[expected.count + 1].actual == 7)
        #expect(evaluation.gates[expected.count + 2].actual == nil)
        #expect(evaluation.gates[expected.count + 2].message == "no test of the run matches the gate's filter; warning (on_missing: warn).")
        #expect(evaluation.tests.failing.map(\.name) == ["c", "d"])
        #expect(evaluation.tests.flaky.map(\.name) == ["f"])
    }

    @Test func passRateWithOnlySkippedTestsAndARunWithoutTestsAreMissing() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let skipped = try fixture.run(commit: "c1", tests: [Make.caseResult("a", .skipped)])
        let none = try fixture.run(commit: "c2", findings: [Make.finding("E1")])
        let policy = Policy(name: "p", gates: [Gate(name: "rate", metric: .testsPassRate, bound: Bound(min: 90), onMissing: .fail)])
        #expect(
            try await fixture.evaluate(policy, run: skipped).gates[0].message
                == "no test of the run ran (all skipped), so there is no pass rate; failing (on_missing: fail).")
        #expect(
            try await fixture.evaluate(policy, run: none).gates[0].message == "the run has no test results; failing (on_missing: fail).")
    }

    @Test func coverageMetricsOverPathFilters() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(
            commit: "c1",
            coverage: [
                Make.file("pkg/a.py", covered: 30, of: 40, branches: (1, 4)),
                Make.file("pkg/b.py", covered: 18, of: 25, branches: (1, 2)),
                Make.file("scripts/x.py", covered: 0, of: 10),
            ])
        let noCoverage = try fixture.run(commit: "c2", findings: [Make.finding("E1")])
        let policy = Policy(
            name: "p",
            gates: [
                Gate(name: "lines", metric: .coverageLines, bound: Bound(min: 80)),
                Gate(
                    name: "pkg lines", metric: .coverageLines, filter: MetricFilter(paths: [try Make.glob("pkg/**")]), bound: Bound(min: 70)
                ),
                Gate(name: "branches", metric: .coverageBranches, bound: Bound(min: 30)),
                Gate(
                    name: "nothing selected", metric: .coverageLines, filter: MetricFilter(paths: [try Make.glob("none/**")]),
                    bound: Bound(min: 1)),
            ])
        let evaluation = try await fixture.evaluate(policy, run: run)
        let expected: [Double?] = [64, 4800.0 / 65, 100.0 / 3, nil]
        #expect(evaluation.gates.map(\.actual) == expected)
        #expect(evaluation.gates.map(\.status) == [.fail, .pass, .pass, .warn])
        #expect(
            evaluation.gates[3].message
                == "the coverage report of the run measures no lines in the files the gate selects; warning (on_missing: warn).")
        #expect(evaluation.coverage.lines == 64)

        let missing = try await fixture.evaluate(policy, run: noCoverage)
        #expect(missing.gates[0].message == "the run has no coverage report; warning (on_missing: warn).")
        #expect(missing.coverage.lines == nil)
    }

    @Test func patchCoverageFromADiff() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(
            commit: "c1",
            coverage: [
                FileCoverage(path: "pkg/pricing.py", coveredLines: [10, 12, 14, 15, 18, 19, 41], uncoveredLines: [13, 16, 17]),
                FileCoverage(path: "pkg/store.py", coveredLines: [2, 7], uncoveredLines: []),
            ])
        let diff = try UnifiedDiff.load(path: TestPaths.fixtures.appendingPathComponent("sample/pr.diff").path)
        let policy = Policy(
            name: "p",
            gates: [
                Gate(name: "Changed lines are tested", metric: .coveragePatch, bound: Bound(min: 90)),
                Gate(
                    name: "store only", metric: .coveragePatch, filter: MetricFilter(paths: [try Make.glob("pkg/store.py")]),
                    bound: Bound(min: 90)),
            ])
        let evaluation = try await fixture.evaluate(policy, run: run, diff: diff)
        #expect(evaluation.gates.map(\.actual) == [75, 100])
        #expect(evaluation.gates.map(\.status) == [.fail, .pass])
        #expect(evaluation.coverage.patch == 75)
        #expect(evaluation.coverage.patchLinesValid == 12)
        #expect(evaluation.coverage.patchLinesCovered == 9)
        #expect(evaluation.coverage.changedFiles.map(\.uncoveredChangedLines) == [[13, 16, 17], []])

        let withoutDiff = try await fixture.evaluate(policy, run: run)
        #expect(withoutDiff.gates[0].status == .warn)
        #expect(
            withoutDiff.gates[0].message
                == "no diff was given (--diff FILE or --diff-base REF), so changed lines are unknown; warning (on_missing: warn).")
        let untouched = try await fixture.evaluate(policy, run: run, diff: UnifiedDiff(changedLines: ["README.md": [1]]))
        #expect(
            untouched.gates[0].message
                == "no changed line is coverable (coverage measures none of the diff's added or changed lines); warning (on_missing: warn)."
        )
    }

    // MARK: baselines

    @Test func newAndFixedAreCountAwareAndMovedLinesAreUnchanged() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        try fixture.run(
            commit: "base",
            findings: [
                Make.finding("E501", path: "pkg/a.py", line: 55, snippet: "x = 'long'"),
                Make.finding("F401", path: "pkg/b.py", line: 3, snippet: "import sys"),
                Make.finding("W1", path: "pkg/c.py", line: 4, snippet: "dup"),
            ])
        let pr = try fixture.run(
            commit: "pr", branch: "feature",
            findings: [
                Make.finding("E501", path: "pkg/a.py", line: 67, snippet: "x = 'long'"),  // moved 12 lines down
                Make.finding("W1", path: "pkg/c.py", line: 4, snippet: "dup"),
                Make.finding("W1", path: "pkg/c.py", line: 8, snippet: "dup"),  // a second identical copy
                Make.finding("F841", severity: .medium, path: "pkg/a.py", line: 18, snippet: "rounding = 2"),
            ])
        let policy = Policy(
            name: "p", baseline: BaselineSpec(branch: "main"),
            gates: [
                Gate(name: "No new problems", metric: .findings, scope: .new, bound: Bound(max: 0)),
                Gate(name: "Fixed", metric: .findings, scope: .fixed, bound: Bound(min: 0)),
            ])
        let evaluation = try await fixture.evaluate(policy, run: pr)
        #expect(evaluation.baseline.status == .found)
        #expect(evaluation.findings.new.map { "\($0.ruleID)@\($0.range.startLine ?? 0)" } == ["F841@18", "W1@8"])
        #expect(evaluation.findings.fixed.map(\.ruleID) == ["F401"])
        #expect(evaluation.findings.unchanged.map { "\($0.ruleID)@\($0.range.startLine ?? 0)" } == ["E501@67", "W1@4"])
        #expect(evaluation.gates.map(\.actual) == [2, 1])
        #expect(evaluation.gates[0].message == "found 2 new findings; the maximum is 0.")
        #expect(evaluation.gates[0].baseline == nil, "a new-findings count has no baseline value")
        #expect(evaluation.verdict == .fail)
        #expect(evaluation.reason == "fail: 1 of 2 gates failed (No new problems).")
    }

    @Test func theBaselineIsTheLatestEarlierRunOfTheBaselineBranchOnly() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let old = try fixture.run(commit: "c0ffee01", findings: [Make.finding("A")])
        let latest = try fixture.run(commit: "m2", findings: [Make.finding("A")])
        try fixture.run(commit: "f1", branch: "feature", findings: [Make.finding("A")])
        let pr = try fixture.run(commit: "f2", branch: "feature", findings: [Make.finding("A")])
        try fixture.run(commit: "m3", findings: [Make.finding("A")])  // created after the PR run
        let policy = Policy(name: "p", baseline: BaselineSpec(branch: "main"))

        #expect(try await fixture.evaluate(policy, run: pr).baseline.run?.id == latest.id)
        #expect(try await fixture.evaluate(policy, run: latest).baseline.run?.id == old.id, "never the run itself")
        #expect(try await fixture.evaluate(policy, run: pr, baseline: String(old.id)).baseline.run?.id == old.id)
        #expect(try await fixture.evaluate(policy, run: pr, baseline: "c0ffee").baseline.run?.commit == "c0ffee01")
        #expect(try await fixture.evaluate(policy, run: pr, baseline: "branch:feature").baseline.run?.commit == "f1")
        #expect(
            try await fixture.evaluate(Policy(name: "p", baseline: BaselineSpec(run: "c0ffee")), run: pr).baseline.run?.commit == "c0ffee01"
        )

        let onOtherBranch = try await fixture.evaluate(Policy(name: "p", baseline: BaselineSpec(branch: "release")), run: pr)
        #expect(onOtherBranch.baseline == BaselineOutcome(status: .missing, requested: "branch release", missingCause: .noRunOnBranch))
        let unknown = try await fixture.evaluate(policy, run: pr, baseline: "deadbeef")
        #expect(unknown.baseline == BaselineOutcome(status: .missing, requested: "run deadbeef", missingCause: .noMatchingRun))
        #expect(try await fixture.evaluate(Policy(name: "p"), run: pr).baseline.status == .notConfigured)
    }

    @Test(arguments: [
        (
            MissingAction.pass, GateResult.Status.skipped, Verdict.pass,
            "pass: 1 of 3 gates passed, 2 skipped (No new problems; Coverage may not drop)."
        ),
        (.warn, .warn, .warn, "warn: 2 gates warned (No new problems; Coverage may not drop); no baseline run (branch main)."),
        (.fail, .fail, .fail, "fail: 2 of 3 gates failed (No new problems; Coverage may not drop); no baseline run (branch main)."),
    ])
    func aMissingBaseline(_ onMissing: MissingAction, _ status: GateResult.Status, _ verdict: Verdict, _ reason: String) async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let pr = try fixture.run(
            commit: "pr", branch: "feature", findings: [Make.finding("E1")],
            coverage: [Make.file("a.py", covered: 1, of: 2)])
        let policy = Policy(
            name: "p", baseline: BaselineSpec(branch: "main", onMissing: onMissing),
            gates: [
                Gate(name: "No new problems", metric: .findings, scope: .new, bound: Bound(max: 0)),
                Gate(name: "Coverage may not drop", metric: .coverageLines, delta: Bound(min: -0.5)),
                Gate(name: "All findings", metric: .findings, bound: Bound(max: 10)),
            ])
        let evaluation = try await fixture.evaluate(policy, run: pr)
        #expect(evaluation.gates.map(\.status) == [status, status, .pass])
        let consequence =
            switch onMissing {
            case .pass: "not checked (on_missing: pass)"
            case .warn: "warning (on_missing: warn)"
            case .fail: "failing (on_missing: fail)"
            }
        #expect(
            evaluation.gates[0].message
                == "no baseline run (the store has no run of branch main), so new findings are unknown; \(consequence).")
        #expect(evaluation.gates[1].message == "no baseline run (the store has no run of branch main); \(consequence).")
        #expect(evaluation.verdict == verdict)
        #expect(evaluation.reason == reason)
        #expect(evaluation.findings.new.isEmpty)
        #expect(evaluation.findings.unchanged.count == 1, "without a baseline every counted finding is listed as not new")
    }

    @Test func aGateMayOverrideThePolicysOnMissing() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let pr = try fixture.run(commit: "pr", branch: "feature", findings: [Make.finding("E1")])
        let policy = Policy(
            name: "p", baseline: BaselineSpec(branch: "main", onMissing: .pass),
            gates: [
                Gate(name: "strict", metric: .findings, scope: .new, bound: Bound(max: 0), onMissing: .fail)
            ])
        #expect(try await fixture.evaluate(policy, run: pr).gates[0].status == .fail)
    }

    @Test func deltaAgainstTheBaseline() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        try fixture.run(
            commit: "base", tests: [Make.caseResult("a", .passed), Make.caseResult("b", .failed)],
            coverage: [Make.file("a.py", covered: 48, of: 65)])
        let pr = try fixture.run(
            commit: "pr", branch: "feature", tests: [Make.caseResult("a", .failed), Make.caseResult("b", .passed)],
            coverage: [Make.file("a.py", covered: 54, of: 74)])
        let policy = Policy(
            name: "p", baseline: BaselineSpec(branch: "main"),
            gates: [
                Gate(name: "Coverage may not drop", metric: .coverageLines, delta: Bound(min: -0.5)),
                Gate(name: "No more failures", metric: .testsFailed, delta: Bound(max: 0)),
            ])
        let evaluation = try await fixture.evaluate(policy, run: pr)
        #expect(evaluation.gates.map(\.status) == [.fail, .pass])
        #expect(
            evaluation.gates[0].message
                == "coverage.lines changed by -0.87 points since the baseline (73.85% → 72.97%); the minimum change is -0.5 points.")
        #expect(evaluation.coverage.baselineLines.map(NumberText.format) == "73.85")
        #expect(evaluation.tests.newlyFailing == ["tests.test_a::a"])
        #expect(evaluation.tests.fixed == ["tests.test_a::b"])
    }

    /// Issue #12: a pull request that adds a failing test and breaks another has 2 newly failing tests.
    @Test func anAddedFailingTestIsNewlyFailingToo() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        try fixture.run(commit: "base", tests: [Make.caseResult("a", .passed), Make.caseResult("b", .failed)])
        let pr = try fixture.run(
            commit: "pr", branch: "feature",
            tests: [
                Make.caseResult("a", .failed), Make.caseResult("b", .failed),
                Make.caseResult("added", .error),
            ])
        let policy = Policy(name: "p", baseline: BaselineSpec(branch: "main"), gates: [])
        let evaluation = try await fixture.evaluate(policy, run: pr)
        #expect(evaluation.tests.newlyFailing == ["tests.test_a::a", "tests.test_a::added"])
    }

    @Test func withoutTestsInTheBaselineNoFailureIsCalledNew() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        try fixture.run(commit: "base", coverage: [Make.file("a.py", covered: 1, of: 2)])
        let pr = try fixture.run(commit: "pr", branch: "feature", tests: [Make.caseResult("a", .failed)])
        let evaluation = try await fixture.evaluate(Policy(name: "p", baseline: BaselineSpec(branch: "main"), gates: []), run: pr)
        #expect(evaluation.tests.newlyFailing.isEmpty)
    }

    // MARK: trends and history

    @Test func trendGatesOverTheBaselineBranchHistory() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        for (index, covered) in [90, 89, 88, 87, 86].enumerated() {
            try fixture.run(commit: "m\(index)", coverage: [Make.file("a.py", covered: covered, of: 100)])
        }
        try fixture.run(commit: "other", branch: "feature", coverage: [Make.file("a.py", covered: 10, of: 100)])
        let pr = try fixture.run(commit: "pr", branch: "feature", coverage: [Make.file("a.py", covered: 85, of: 100)])
        let policy = Policy(
            name: "p", baseline: BaselineSpec(branch: "main"),
            gates: [
                Gate(name: "slope", metric: .coverageLines, trend: TrendSpec(window: 4, slope: Bound(min: -0.1))),
                Gate(name: "median", metric: .coverageLines, trend: TrendSpec(window: 4, fromMedian: Bound(min: -3))),
                Gate(name: "median strict", metric: .coverageLines, trend: TrendSpec(window: 4, fromMedian: Bound(min: -1)), level: .warn),
            ])
        let evaluation = try await fixture.evaluate(policy, run: pr)
        #expect(evaluation.gates.map(\.status) == [.fail, .pass, .warn])
        #expect(
            evaluation.gates[0].message
                == "coverage.lines moves by -1 per run over the last 4 runs of branch main; the minimum slope is -0.1.")
        #expect(
            evaluation.gates[2].message
                == "coverage.lines is -2 from the median 87.00% of the 3 runs before it on branch main; the minimum is -1.")
    }

    @Test func aTrendWithFewerThanTwoPointsIsMissing() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let first = try fixture.run(commit: "m0", findings: [Make.finding("E1")])
        let policy = Policy(
            name: "p", baseline: BaselineSpec(branch: "main", onMissing: .pass),
            gates: [
                Gate(name: "trend", metric: .findings, trend: TrendSpec(window: 10, slope: Bound(max: 0)))
            ])
        let evaluation = try await fixture.evaluate(policy, run: first)
        #expect(evaluation.gates[0].status == .skipped)
        #expect(
            evaluation.gates[0].message
                == "branch main has no earlier run with a value for findings, so there is no trend yet (2 points needed); not checked (on_missing: pass)."
        )
    }

    @Test func historyIsTheLastTwentyRunsOfTheBaselineBranchOldestFirst() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        for index in 0..<25 {
            try fixture.run(
                commit: "m\(index)", findings: (0..<(index % 3)).map { Make.finding("E\($0)") },
                tests: [Make.caseResult("a", index.isMultiple(of: 2) ? .passed : .failed)],
                coverage: [Make.file("a.py", covered: 50 + index, of: 100)])
        }
        let pr = try fixture.run(commit: "pr", branch: "feature", findings: [Make.finding("E1")])
        let evaluation = try await fixture.evaluate(Policy(name: "p", baseline: BaselineSpec(branch: "main")), run: pr)
        #expect(evaluation.history.count == 20)
        #expect(evaluation.history.first?.commit == "m5")
        #expect(evaluation.history.last?.commit == "m24")
        #expect(
            evaluation.history.last
                == HistoryPoint(
                    run: evaluation.history.last?.run ?? 0, commit: "m24", findings: 0,
                    coverageLines: 74, testsFailed: 0))
        #expect(evaluation.history[0].findings == 2)
        #expect(evaluation.history[0].testsFailed == 1)

        let onMain = try await fixture.evaluate(
            Policy(name: "p", baseline: BaselineSpec(branch: "main")),
            run: try #require(try fixture.store.run(matching: RunContext(commit: "m24"))))
        #expect(onMain.history.last?.commit == "m24", "a run of the baseline branch is its own latest history point")
        #expect(onMain.baseline.run?.commit == "m23")
    }

    // MARK: waivers, overrides, required reports

    @Test func waiverOutcomesAreListed() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(
            commit: "c1",
            findings: [
                Make.finding("B101", tool: "bandit", category: .security, path: "tests/test_a.py", line: 3),
                Make.finding("B101", tool: "bandit", category: .security, path: "tests/test_b.py", line: 3),
                Make.finding("E501", path: "pkg/a.py"),
            ])
        let policy = Policy(
            name: "p", gates: [Gate(name: "none", metric: .findings, bound: Bound(max: 0))],
            waivers: [
                Waiver(rule: try Make.glob("B101"), paths: [try Make.glob("tests/**")], reason: "asserts are how pytest works"),
                Waiver(rule: try Make.glob("E501"), reason: "long lines accepted", expires: "2027-01-01"),
                Waiver(fingerprint: "c0ffee", reason: "gone"),
            ])
        let evaluation = try await fixture.evaluate(policy, run: run, today: "2027-01-15")
        #expect(
            evaluation.waivers.applied == [
                .init(selector: "rule B101 in tests/**", reason: "asserts are how pytest works", expires: nil, matched: 2)
            ])
        #expect(
            evaluation.waivers.expired == [.init(selector: "rule E501", reason: "long lines accepted", expires: "2027-01-01", matched: 1)])
        #expect(evaluation.waivers.unused == [.init(selector: "fingerprint c0ffee", reason: "gone", expires: nil, matched: 0)])
        #expect(evaluation.findings.waivedCount == 2)
        #expect(evaluation.gates[0].actual == 1, "the expired waiver's finding counts again")
    }

    @Test func severityOverridesChangeWhatGatesSee() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(commit: "c1", findings: [Make.finding("E501", severity: .high), Make.finding("F821", severity: .high)])
        let gate = Gate(name: "no high", metric: .findings, filter: MetricFilter(severities: [.critical, .high]), bound: Bound(max: 0))
        let plain = try await fixture.evaluate(Policy(name: "p", gates: [gate]), run: run)
        let overridden = try await fixture.evaluate(
            Policy(
                name: "p", gates: [gate],
                severityOverrides: [
                    SeverityOverride(tool: "flake8", rule: try Make.glob("E501"), severity: .info)
                ]), run: run)
        #expect(plain.gates[0].actual == 2)
        #expect(overridden.gates[0].actual == 1)
        #expect(overridden.findings.unchanged.map(\.severity) == [.high, .info])
    }

    @Test func suppressedFindingsDoNotCountUnlessThePolicySaysSo() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(commit: "c1", findings: [Make.finding("E1", suppressed: true), Make.finding("E2")])
        let gate = Gate(name: "all", metric: .findings, bound: Bound(max: 10))
        let plain = try await fixture.evaluate(Policy(name: "p", gates: [gate]), run: run)
        #expect(plain.gates[0].actual == 1)
        #expect(plain.findings.suppressedCount == 1)
        #expect(try await fixture.evaluate(Policy(name: "p", gates: [gate], countSuppressed: true), run: run).gates[0].actual == 2)
    }

    @Test func requiredReports() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(commit: "c1", findings: [Make.finding("E1", tool: "Flake8")], tests: [Make.caseResult("a", .passed)])
        let policy = Policy(name: "p", require: ["flake8", "tests", "pytest", "coverage", "bandit"].map { RequiredReport(name: $0) })
        let evaluation = try await fixture.evaluate(policy, run: run)
        #expect(evaluation.missingReports == ["coverage", "bandit"])
        #expect(evaluation.verdict == .fail)
        #expect(evaluation.reason == "fail: required reports missing (coverage, bandit).")
    }

    // MARK: the evaluation as a whole

    @Test func sameStoreSameBytes() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        try fixture.run(
            commit: "base", findings: [Make.finding("E1"), Make.finding("E2", path: "b.py")],
            tests: [Make.caseResult("a", .passed)], coverage: [Make.file("a.py", covered: 3, of: 4)])
        let pr = try fixture.run(
            commit: "pr", branch: "feature",
            findings: [
                Make.finding("E2", path: "b.py"), Make.finding("E3", severity: .high), Make.finding("E3", severity: .high, line: 7),
            ],
            tests: [Make.caseResult("a", .failed), Make.caseResult("b", .passed)], coverage: [Make.file("a.py", covered: 2, of: 4)])
        let policy = Policy(
            name: "p", baseline: BaselineSpec(branch: "main"),
            gates: [
                Gate(name: "new", metric: .findings, scope: .new, bound: Bound(max: 0)),
                Gate(name: "cov", metric: .coverageLines, bound: Bound(min: 80), delta: Bound(min: 0)),
                Gate(name: "tests", metric: .testsFailed, bound: Bound(max: 0)),
            ])
        let first = JSONReporter().render(try await fixture.evaluate(policy, run: pr))
        let second = JSONReporter().render(try await fixture.evaluate(policy, run: pr))
        #expect(first == second)
        #expect(
            TextReporter().render(try await fixture.evaluate(policy, run: pr))
                == TextReporter().render(try await fixture.evaluate(policy, run: pr)))
    }

    @Test func theVerdictIsRecordedOnTheRun() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(commit: "c1", findings: [Make.finding("E1")])
        let evaluation = try await fixture.evaluate(
            Policy(name: "prod", gates: [Gate(name: "none", metric: .findings, bound: Bound(max: 0))]), run: run)
        try fixture.store.record(evaluation)
        #expect(try fixture.store.run(id: run.id)?.verdict == .fail)
    }

    @Test func anUnknownRunIsAnError() async throws {
        let fixture = try EvaluationStore()
        defer { fixture.remove() }
        let error = await #expect(throws: StoreError.self) {
            try await fixture.store.evaluate(runID: 42, policy: Policy(name: "p"), today: "2027-01-01")
        }
        #expect(error?.description == "error: no run matches '42' in the store; `qgate runs` lists them.")
    }
}

/// `QGATE_BENCH=1 swift test --filter EvaluationBenchmarkTests`: the 1,000-run budget, kept out
/// of `make test` because filling the store takes a while on a busy machine.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["QGATE_BENCH"] == "1", "set QGATE_BENCH=1 to run"))
struct EvaluationBenchmarkTests {
    @Test func evaluatingAStoreOfAThousandRunsTakesLessThan100ms() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await EvaluationBenchmark.run(storePath: directory.appendingPathComponent("bench.db").path)
        print("evaluation of \(result.runs) runs: \(Int(result.seconds * 1000)) ms")
        #expect(result.seconds < 0.1)
    }
}
