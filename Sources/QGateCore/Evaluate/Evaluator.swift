import Foundation

/// Evaluates a policy against one run: the last stage before rendering (store → run snapshot →
/// evaluation). A pure function of its inputs: the ``RunSnapshot`` the store read, the policy,
/// the change's diff (read by the caller) and today's date. No store, no process, no clock, no
/// cache: the same inputs always give the same ``Evaluation``.
///
/// Recording the verdict is the caller's choice (``RunStore/record(_:checkedAt:)``).
public struct Evaluator: Sendable {
    public var policy: Policy
    /// `YYYY-MM-DD`, for waiver and quarantine expiry.
    public var today: String
    /// The change, for `coverage.patch` (`--diff FILE` / `--diff-base REF`).
    public var diff: UnifiedDiff?
    /// Why `--diff-base` gave no diff (a shallow clone has no merge base): gates that need
    /// the diff treat it as missing and follow `on_missing`, instead of the check dying.
    public var diffProblem: DiffError?

    /// How many baseline-branch runs the history chart shows.
    public static let historyLength = 20

    public init(policy: Policy, today: String, diff: UnifiedDiff? = nil, diffProblem: DiffError? = nil) {
        self.policy = policy
        self.today = today
        self.diff = diff
        self.diffProblem = diffProblem
    }

    /// `evaluate(snapshot, policy, diff, today) -> Evaluation`.
    public static func evaluate(
        _ snapshot: RunSnapshot, policy: Policy, diff: UnifiedDiff?, today: String,
        diffProblem: DiffError? = nil
    ) -> Evaluation {
        Evaluator(policy: policy, today: today, diff: diff, diffProblem: diffProblem).evaluate(snapshot)
    }

    public func evaluate(_ snapshot: RunSnapshot) -> Evaluation {
        let run = snapshot.run
        let triage = FindingTriage(policy: policy, today: today)
        let reports = snapshot.reports
        let current = triage.triage(snapshot.findings)
        let coverageTotals = snapshot.coverage
        // Line sets are only in the snapshot when a diff asks which changed lines are covered.
        let coverage = diff == nil ? nil : snapshot.lineCoverage
        let tests = snapshot.tests
        let quarantine = QuarantineTriage(policy.quarantine, today: today, tests: tests.map(\.test))
        let gateTests = tests.filter { !quarantine.forgives($0.test) }
        let knownFlaky = knownFlakyTests(snapshot.flakyTests, tests: tests.map(\.test))

        let baseline = snapshot.baseline.choice
        // Each other run's findings are triaged once, as the current run's are.
        var others: [Int64: TriagedRun] = [:]
        for data in [snapshot.baseline.data].compactMap({ $0 }) + snapshot.trendRuns where others[data.run.id] == nil {
            others[data.run.id] = TriagedRun(data: data, findings: triage.triage(data.findings))
        }
        var comparison: FindingComparison?
        if let baselineRun = baseline.run, let baselineData = others[baselineRun.id] {
            comparison = FindingComparison(
                current: current.counted, baseline: baselineData.findings.counted,
                baselineRecipeIsOlder: snapshot.baseline.fingerprintRecipe < snapshot.fingerprintRecipe)
        }
        let patch = MetricCalculator.patchCoverage(diff: diff, coverage: coverage, filter: MetricFilter())

        let context = GateContext(
            run: run, others: others, trendRuns: snapshot.trendRuns.map(\.run),
            baselineTests: snapshot.baseline.testResults, current: current,
            coverageTotals: coverageTotals, coverage: coverage,
            tests: gateTests.map(TestOutcome.init), storedTests: gateTests,
            knownFlaky: Set(knownFlaky.map(\.id)), baseline: baseline, comparison: comparison, diff: diff)
        let gates = policy.gates.map { judge($0, context) }
        let missing = policy.require.map(\.name).filter { !Self.runHas($0, reports: reports) }
        let decision = VerdictDecision(
            gates: gates, missingReports: missing, baseline: baseline.outcome,
            onMissingBaseline: policy.baseline.onMissing)

        let baselineTests = baseline.run.map { _ in snapshot.baseline.testResults }
        let baselineCoverage = baseline.run.map { _ in snapshot.baseline.data?.coverage }
        let reportSummaries = reports.map { ReportSummary(tool: $0.tool, format: $0.format, path: $0.path) }
        return Evaluation(
            policy: policy.name, verdict: decision.verdict, reason: decision.reason,
            run: RunSummary(run, reports: reportSummaries), baseline: baseline.outcome, gates: gates, missingReports: missing,
            findings: findingChanges(current, comparison),
            tests: testChanges(tests.map(\.test), baseline: baselineTests, quarantine: quarantine, knownFlaky: knownFlaky),
            coverage: coverageChanges(coverageTotals, baseline: baselineCoverage, patch: patch),
            waivers: waiverOutcome(current),
            history: snapshot.history,
            diagnostics: reports.flatMap(\.diagnostics).map(\.description) + diffDiagnostics)
    }

    /// The diff that could not be computed, as a note (once, beside the gates it left unknown).
    private var diffDiagnostics: [String] {
        guard case .gitFailed(let command, let reason)? = diffProblem else { return [] }
        return [
            "warning: `\(command)` failed (\(reason)): no diff, so gates on changed lines follow on_missing; "
                + "a shallow clone lacks the merge base: fetch the history (actions/checkout with fetch-depth: 0) or give --diff FILE"
        ]
    }

    /// Another run's data with its findings triaged by the policy.
    private struct TriagedRun {
        var data: RunData
        var findings: FindingTriage.Result
    }

    // MARK: gates

    /// What every gate of one evaluation reads.
    private struct GateContext {
        var run: Run
        /// The baseline run and the trend runs, by id.
        var others: [Int64: TriagedRun]
        /// Earlier runs of the baseline branch, newest first.
        var trendRuns: [Run]
        var baselineTests: [TestResult]
        var current: FindingTriage.Result
        var coverageTotals: [CoverageFileTotals]?
        /// With line sets; only loaded when there is a diff.
        var coverage: [FileCoverage]?
        /// The run's tests less those the quarantine forgives.
        var tests: [TestOutcome]
        var storedTests: [StoredTest]
        /// Ids of the run's tests that the history says are flaky.
        var knownFlaky: Set<String>
        var baseline: BaselineChoice
        var comparison: FindingComparison?
        var diff: UnifiedDiff?
    }

    private func judge(_ gate: Gate, _ context: GateContext) -> GateResult {
        var fingerprints: [String] = []
        let value: MetricReading
        if gate.metric == .findings {
            let selected: [Finding]?
            switch gate.scope {
            case .all: selected = context.current.counted
            case .new: selected = context.comparison?.new
            case .fixed: selected = context.comparison?.fixed
            }
            if let selected {
                let matching = selected.filter { gate.filter.matches($0) }
                fingerprints = matching.map(\.fingerprint).sorted()
                value = .value(Double(matching.count))
            } else {
                value = .unavailable(context.baseline.missingReason + ", so \(gate.scope.rawValue) findings are unknown")
            }
        } else if gate.scope == .new {
            value = newTestFailures(gate, context)
        } else if gate.metric == .testsFlaky, !context.tests.isEmpty {
            // Flaky tests of the run: marked by a rerun in this run, or flaky in the history.
            let selected = context.storedTests.filter { gate.filter.matches(testFile: $0.test.file, tool: $0.tool) }
            value =
                selected.isEmpty
                ? .unavailable("no test of the run matches the gate's filter")
                : .value(Double(selected.count { $0.test.status == .flaky || context.knownFlaky.contains($0.test.identity) }))
        } else {
            value = measure(
                gate, tests: context.tests,
                coverage: context.coverageTotals, diff: context.diff,
                fileCoverage: context.coverage, subject: "the run")
        }
        let baselineMeasurement = baselineValue(gate, context)
        let trend = trendWindow(gate, value: value, context)
        return GateJudge(
            gate: gate, value: value, baseline: baselineMeasurement,
            trend: trend, onMissing: gate.onMissing ?? policy.baseline.onMissing,
            fingerprints: fingerprints
        ).judge()
    }

    /// The run's tests that the history up to the run says are flaky, marked when an active
    /// quarantine entry covers them.
    private func knownFlakyTests(_ flakyTests: [FlakyTest], tests: [TestResult]) -> [FlakyTest] {
        guard !tests.isEmpty else { return [] }
        let byID = Dictionary(tests.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        let active = policy.quarantine.filter { !$0.isExpired(today: today) }
        return flakyTests.compactMap { flaky in
            guard let test = byID[flaky.id] else { return nil }
            var row = flaky
            row.quarantined = active.contains { $0.matches(test) }
            return row
        }
    }

    /// `tests.failed`/`tests.errors` with `scope: new`: tests failing so in this run whose id did
    /// not fail in the baseline run (a test the baseline did not have is new).
    private func newTestFailures(_ gate: Gate, _ context: GateContext) -> MetricReading {
        guard let baselineRun = context.baseline.run else {
            return .unavailable(context.baseline.missingReason + ", so new test failures are unknown")
        }
        let before = context.baselineTests
        guard !before.isEmpty else {
            return .unavailable("the baseline run \(baselineRun.id) has no test results, so new test failures are unknown")
        }
        guard !context.tests.isEmpty else { return .unavailable("the run has no test results") }
        let failedBefore = Set(before.filter(\.isFailing).map(\.identity))
        let status: TestStatus = gate.metric == .testsErrors ? .error : .failed
        return .value(
            Double(
                context.storedTests.count { stored in
                    stored.test.status == status && !failedBefore.contains(stored.test.identity)
                        && gate.filter.matches(testFile: stored.test.file, tool: stored.tool)
                }))
    }

    /// A test or coverage metric of one run, or why it has none.
    private func measure(
        _ gate: Gate, tests: [TestOutcome], coverage: [CoverageFileTotals]?, diff: UnifiedDiff?,
        fileCoverage: [FileCoverage]?, subject: String
    ) -> MetricReading {
        let metric = gate.metric
        switch metric {
        case .findings:
            return .unavailable("findings are counted by the caller")
        case .testsTotal, .testsPassed, .testsFailed, .testsErrors, .testsSkipped, .testsFlaky, .testsPassRate, .testsDuration:
            if let value = MetricCalculator.testValue(metric, tests: tests, filter: gate.filter) { return .value(value) }
            if tests.isEmpty { return .unavailable("\(subject) has no test results") }
            if metric == .testsPassRate, MetricCalculator.testValue(.testsTotal, tests: tests, filter: gate.filter) != nil {
                return .unavailable("no test of \(subject) ran (all skipped), so there is no pass rate")
            }
            return .unavailable("no test of \(subject) matches the gate's filter")
        case .coverageLines, .coverageBranches:
            if let value = MetricCalculator.coverageValue(metric, files: coverage, filter: gate.filter) { return .value(value) }
            if coverage == nil { return .unavailable("\(subject) has no coverage report") }
            let what = metric == .coverageBranches ? "branches" : "lines"
            return .unavailable("the coverage report of \(subject) measures no \(what) in the files the gate selects")
        case .coveragePatch:
            guard let diff else {
                if case .gitFailed(let command, let reason)? = diffProblem {
                    return .unavailable(
                        "the diff could not be computed (`\(command)`: \(reason)), so changed lines are unknown; "
                            + "fetch the history (actions/checkout with fetch-depth: 0, or git fetch --unshallow) or give --diff FILE")
                }
                return .unavailable("no diff was given (--diff FILE or --diff-base REF), so changed lines are unknown")
            }
            guard let patch = MetricCalculator.patchCoverage(diff: diff, coverage: fileCoverage, filter: gate.filter) else {
                return .unavailable("\(subject) has no coverage report")
            }
            guard let percent = patch.percent else {
                return .unavailable("no changed line is coverable (coverage measures none of the diff's added or changed lines)")
            }
            return .value(percent)
        }
    }

    private func baselineValue(_ gate: Gate, _ context: GateContext) -> MetricReading {
        guard let run = context.baseline.run else { return .unavailable(context.baseline.missingReason) }
        if gate.metric == .coveragePatch { return .unavailable("coverage.patch has no baseline value") }
        if gate.scope != .all {
            return .unavailable(
                gate.metric == .findings
                    ? "a \(gate.scope.rawValue)-findings count has no baseline value"
                    : "a count of new test failures has no baseline value")
        }
        guard let data = context.others[run.id] else { return .unavailable(context.baseline.missingReason) }
        return value(of: gate, data, subject: "the baseline run \(run.id)")
    }

    /// The gate's metric (scope all) for a run other than the one checked.
    private func value(of gate: Gate, _ run: TriagedRun, subject: String) -> MetricReading {
        if gate.metric == .findings {
            return .value(MetricCalculator.findingCount(run.findings.counted, filter: gate.filter))
        }
        return measure(
            gate, tests: run.data.tests, coverage: run.data.coverage, diff: nil,
            fileCoverage: nil, subject: subject)
    }

    private func trendWindow(_ gate: Gate, value: MetricReading, _ context: GateContext)
        -> Result<TrendWindow, GateJudge.TrendUnavailable>?
    {
        guard let spec = gate.trend else { return nil }
        guard gate.scope == .all, gate.metric != .coveragePatch else {
            return .failure(.init("a trend needs a metric every run has (scope all, not coverage.patch)"))
        }
        guard let branch = context.baseline.branch else {
            return .failure(.init(context.baseline.missingReason + ", so there is no branch to take a trend from"))
        }
        guard let currentValue = value.value else { return .failure(.init("the run has no value to add to the trend")) }
        var values: [Double] = []
        for earlier in context.trendRuns.prefix(max(spec.window - 1, 0)).reversed() {
            guard let data = context.others[earlier.id] else { continue }
            if let value = self.value(of: gate, data, subject: "run \(earlier.id)").value {
                values.append(value)
            }
        }
        values.append(currentValue)
        guard values.count >= 2 else {
            return .failure(
                .init(
                    "branch \(branch) has no earlier run with a value for \(gate.metric.rawValue), so there is no trend yet (2 points needed)"
                ))
        }
        return .success(TrendWindow(values: values, branch: branch))
    }

    /// `require` entries: a tool name (case-insensitive), `coverage` (any Cobertura report) or
    /// `tests` (any report with tests).
    static func runHas(_ required: String, reports: [StoredReport]) -> Bool {
        switch required.lowercased() {
        case "coverage": reports.contains { $0.format == .cobertura }
        case "tests": reports.contains { $0.tests.total > 0 }
        case let tool: reports.contains { $0.tool.lowercased() == tool }
        }
    }

    // MARK: sections

    private func findingChanges(_ current: FindingTriage.Result, _ comparison: FindingComparison?) -> FindingChanges {
        let counted = current.counted.sorted(by: FindingOrder.worstFirst)
        return FindingChanges(
            new: comparison?.new ?? [], fixed: comparison?.fixed ?? [],
            unchanged: comparison?.unchanged ?? counted,
            totals: FindingCounts(counted), waivedCount: current.waived.count, suppressedCount: current.suppressed.count)
    }

    private func testChanges(
        _ all: [TestResult], baseline: [TestResult]?, quarantine: QuarantineTriage,
        knownFlaky: [FlakyTest]
    ) -> TestChanges {
        // Quarantined failures are listed under the quarantine, not as failing or new.
        let results = all.filter { !quarantine.forgives($0) }
        let failing = results.filter { $0.status == .failed || $0.status == .error }.sorted(by: Self.testOrder)
        let flaky = results.filter { $0.status == .flaky }.sorted(by: Self.testOrder)
        var newlyFailing: [String] = []
        var fixed: [String] = []
        // A test the baseline did not have and that fails now is newly failing too (a pull request
        // that adds a failing test); only when the baseline has tests at all, else nothing is known.
        if let baseline, !baseline.isEmpty {
            let before = Self.worstStatus(baseline)
            let now = Self.worstStatus(results)
            for (identity, status) in now {
                let previous = before[identity]
                let failsNow = status == .failed || status == .error
                let failedBefore = previous == .failed || previous == .error
                if failsNow && !failedBefore { newlyFailing.append(identity) }
                if failedBefore && status == .passed { fixed.append(identity) }
            }
        }
        let quarantined = quarantine.outcome
        return TestChanges(
            totals: TestCounts(all), failing: failing, flaky: flaky,
            newlyFailing: newlyFailing.sorted(), fixed: fixed.sorted(),
            knownFlaky: knownFlaky.isEmpty ? nil : knownFlaky,
            quarantine: quarantined == QuarantineOutcome() ? nil : quarantined)
    }

    static func testOrder(_ a: TestResult, _ b: TestResult) -> Bool {
        (a.identity, a.suite, a.file ?? "", a.status.rawValue) < (b.identity, b.suite, b.file ?? "", b.status.rawValue)
    }

    private static func worstStatus(_ tests: [TestResult]) -> [String: TestStatus] {
        var statuses: [String: TestStatus] = [:]
        for test in tests { statuses[test.identity] = max(statuses[test.identity] ?? test.status, test.status) }
        return statuses
    }

    private func coverageChanges(_ files: [CoverageFileTotals]?, baseline: [CoverageFileTotals]??, patch: PatchCoverage?) -> CoverageChanges
    {
        let baselineFiles = baseline ?? nil
        var changes = CoverageChanges(
            lines: MetricCalculator.coverageValue(.coverageLines, files: files, filter: MetricFilter()),
            branches: MetricCalculator.coverageValue(.coverageBranches, files: files, filter: MetricFilter()),
            baselineLines: MetricCalculator.coverageValue(.coverageLines, files: baselineFiles, filter: MetricFilter()),
            baselineBranches: MetricCalculator.coverageValue(.coverageBranches, files: baselineFiles, filter: MetricFilter()),
            patch: patch?.percent, patchLinesValid: patch?.linesValid ?? 0, patchLinesCovered: patch?.linesCovered ?? 0,
            changedFiles: patch?.files ?? [])
        if let files {
            let valid = files.reduce(0) { $0 + $1.linesValid + $1.branchesValid }
            let covered = files.reduce(0) { $0 + $1.linesCovered + $1.branchesCovered }
            if files.contains(where: { $0.branchesValid > 0 }), valid > 0 { changes.combined = Double(covered) * 100 / Double(valid) }
        }
        return changes
    }

    private func waiverOutcome(_ current: FindingTriage.Result) -> WaiverOutcome {
        var outcome = WaiverOutcome()
        for (waiver, matched) in zip(policy.waivers, current.waiverMatches) {
            let entry = WaiverOutcome.Entry(
                selector: Self.selector(of: waiver), reason: waiver.reason, expires: waiver.expires,
                matched: matched)
            if waiver.isExpired(today: today) {
                outcome.expired.append(entry)
            } else if matched == 0 {
                outcome.unused.append(entry)
            } else {
                outcome.applied.append(entry)
            }
        }
        return outcome
    }

    /// How a waiver is written: "rule B101 in tests/**", "fingerprint c1a2…", "package jinja2 advisory CVE-2019-10906".
    static func selector(of waiver: Waiver) -> String {
        var parts: [String] = []
        if let fingerprint = waiver.fingerprint { parts.append("fingerprint \(fingerprint)") }
        if let tool = waiver.tool { parts.append("tool \(tool)") }
        if let rule = waiver.rule { parts.append("rule \(rule.pattern)") }
        if let package = waiver.package { parts.append("package \(package)") }
        if let advisory = waiver.advisory { parts.append("advisory \(advisory)") }
        if !waiver.paths.isEmpty { parts.append("in " + waiver.paths.map(\.pattern).joined(separator: ", ")) }
        return parts.isEmpty ? "every finding" : parts.joined(separator: " ")
    }
}
