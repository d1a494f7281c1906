import Foundation

/// Evaluates a policy against one run of the store: the last stage before rendering
/// (store → run snapshot → evaluation). Everything that varies (today's date, the diff, the
/// baseline override) is injected, so the same store and options always give the same
/// ``Evaluation``.
///
/// Reads are per run and index-backed (runs by branch, findings/tests/coverage by run id);
/// each run's data is loaded at most once even when baselines, trends and the history chart
/// all need it. The store is only read here; recording the verdict is the caller's choice
/// (``RunStore/record(_:checkedAt:)``).
public struct Evaluator: Sendable {
    public var store: any RunStore
    public var policy: Policy
    public var options: Options

    /// What varies from one check to the next.
    public struct Options: Sendable {
        /// The run to check.
        public var runID: Int64
        /// `YYYY-MM-DD`, for waiver expiry.
        public var today: String
        /// `--baseline REF`: a run id, a commit (prefix) or `branch:NAME`.
        public var baseline: String?
        /// The change, for `coverage.patch` (`--diff FILE` / `--diff-base REF`).
        public var diff: UnifiedDiff?

        public init(runID: Int64, today: String, baseline: String? = nil, diff: UnifiedDiff? = nil) {
            self.runID = runID
            self.today = today
            self.baseline = baseline
            self.diff = diff
        }
    }

    /// How many baseline-branch runs the history chart shows.
    public static let historyLength = 20

    public init(store: any RunStore, policy: Policy, options: Options) {
        self.store = store
        self.policy = policy
        self.options = options
    }

    public func evaluate() async throws -> Evaluation {
        guard let run = try await store.run(id: options.runID) else {
            throw StoreError.runNotFound(reference: String(options.runID))
        }
        let data = RunDataCache(store: store, triage: FindingTriage(policy: policy, today: options.today))
        let reports = try await store.reports(runID: run.id)
        let current = try await data.findings(run.id)
        let coverageTotals = try await data.coverageTotals(run.id)
        // Line sets are decoded only when a diff asks which changed lines are covered.
        let coverage = options.diff == nil ? nil : try await store.coverage(runID: run.id)
        let tests = try await store.testsWithTool(runID: run.id)
        let quarantine = QuarantineTriage(policy.quarantine, today: options.today, tests: tests.map(\.test))
        let gateTests = tests.filter { !quarantine.forgives($0.test) }
        let knownFlaky = try await knownFlakyTests(run: run, tests: tests.map(\.test))

        let baseline = try await BaselineResolver(store: store, spec: policy.baseline, override: options.baseline).resolve(for: run)
        var comparison: FindingComparison?
        if let baselineRun = baseline.run {
            comparison = FindingComparison(current: current.counted, baseline: try await data.findings(baselineRun.id).counted,
                                           baselineRecipeIsOlder: try await store.oldestFingerprintRecipe(runID: baselineRun.id)
                                               < store.oldestFingerprintRecipe(runID: run.id))
        }
        let patch = MetricCalculator.patchCoverage(diff: options.diff, coverage: coverage, filter: FindingFilter())

        let context = GateContext(run: run, data: data, current: current, coverageTotals: coverageTotals, coverage: coverage,
                                  tests: gateTests.map(TestOutcome.init), storedTests: gateTests,
                                  knownFlaky: Set(knownFlaky.map(\.id)), baseline: baseline, comparison: comparison, diff: options.diff)
        var gates: [GateResult] = []
        for gate in policy.gates { gates.append(try await judge(gate, context)) }
        let missing = policy.require.map(\.name).filter { !Self.runHas($0, reports: reports) }
        let decision = VerdictDecision(gates: gates, missingReports: missing, baseline: baseline.outcome,
                                       onMissingBaseline: policy.baseline.onMissing)

        var baselineTests: [TestResult]?
        var baselineCoverage: [CoverageFileTotals]??
        if let baselineRun = baseline.run {
            baselineTests = try await store.tests(runID: baselineRun.id)
            baselineCoverage = .some(try await data.coverageTotals(baselineRun.id))
        }
        let historyPoints = try await history(run: run, branch: baseline.branch, data: data)
        let reportSummaries = reports.map { ReportSummary(tool: $0.tool, format: $0.format, path: $0.path) }
        return Evaluation(
            policy: policy.name, verdict: decision.verdict, reason: decision.reason,
            run: RunSummary(run, reports: reportSummaries), baseline: baseline.outcome, gates: gates, missingReports: missing,
            findings: findingChanges(current, comparison),
            tests: testChanges(tests.map(\.test), baseline: baselineTests,
                                   quarantine: quarantine, knownFlaky: knownFlaky),
            coverage: coverageChanges(coverageTotals, baseline: baselineCoverage, patch: patch),
            waivers: waiverOutcome(current),
            history: historyPoints,
            diagnostics: reports.flatMap(\.diagnostics).map(\.description))
    }

    // MARK: gates

    /// What every gate of one evaluation reads.
    private struct GateContext {
        var run: Run
        var data: RunDataCache
        var current: FindingTriage.Result
        var coverageTotals: [CoverageFileTotals]?
        /// With line sets; only loaded when there is a diff.
        var coverage: [FileCoverage]?
        /// The run's tests less those the quarantine forgives.
        var tests: [TestOutcome]
        var storedTests: [StoredTest]
        /// Ids of the run's tests that the history says are flaky.
        var knownFlaky: Set<String>
        var baseline: BaselineResolver.Choice
        var comparison: FindingComparison?
        var diff: UnifiedDiff?
    }

    private func judge(_ gate: Gate, _ context: GateContext) async throws -> GateResult {
        var fingerprints: [String] = []
        let value: Measurement
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
            value = try await newTestFailures(gate, context)
        } else if gate.metric == .testsFlaky, !context.tests.isEmpty {
            // Flaky tests of the run: marked by a rerun in this run, or flaky in the history.
            let selected = context.storedTests.filter { gate.filter.matches(testFile: $0.test.file, tool: $0.tool) }
            value = selected.isEmpty ? .unavailable("no test of the run matches the gate's filter")
                : .value(Double(selected.count { $0.test.status == .flaky || context.knownFlaky.contains($0.test.identity) }))
        } else {
            value = measure(gate, tests: context.tests,
                            coverage: context.coverageTotals, diff: context.diff,
                            fileCoverage: context.coverage, subject: "the run")
        }
        let baselineMeasurement = try await baselineValue(gate, context)
        let trend = try await trendWindow(gate, value: value, context)
        return GateJudge(gate: gate, value: value, baseline: baselineMeasurement,
                         trend: trend, onMissing: gate.onMissing ?? policy.baseline.onMissing,
                         fingerprints: fingerprints).judge()
    }

    /// The run's tests that the history up to the run says are flaky, marked when an active
    /// quarantine entry covers them.
    private func knownFlakyTests(run: Run, tests: [TestResult]) async throws -> [FlakyTest] {
        guard !tests.isEmpty else { return [] }
        let byID = Dictionary(tests.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        let active = policy.quarantine.filter { !$0.isExpired(today: options.today) }
        return try await store.flakyTests(FlakyWindow(last: policy.flaky.window, upTo: run), policy: policy.flaky).compactMap { flaky in
            guard let test = byID[flaky.id] else { return nil }
            var row = flaky
            row.quarantined = active.contains { $0.matches(test) }
            return row
        }
    }

    /// `tests.failed`/`tests.errors` with `scope: new`: tests failing so in this run whose id did
    /// not fail in the baseline run (a test the baseline did not have is new).
    private func newTestFailures(_ gate: Gate, _ context: GateContext) async throws -> Measurement {
        guard let baselineRun = context.baseline.run else {
            return .unavailable(context.baseline.missingReason + ", so new test failures are unknown")
        }
        let before = try await context.data.tests(baselineRun.id, store: store)
        guard !before.isEmpty else {
            return .unavailable("the baseline run \(baselineRun.id) has no test results, so new test failures are unknown")
        }
        guard !context.tests.isEmpty else { return .unavailable("the run has no test results") }
        let failedBefore = Set(before.filter(\.isFailing).map(\.identity))
        let status: TestStatus = gate.metric == .testsErrors ? .error : .failed
        return .value(Double(context.storedTests.count { stored in
            stored.test.status == status && !failedBefore.contains(stored.test.identity)
                && gate.filter.matches(testFile: stored.test.file, tool: stored.tool)
        }))
    }

    /// A test or coverage metric of one run, or why it has none.
    private func measure(_ gate: Gate, tests: [TestOutcome], coverage: [CoverageFileTotals]?, diff: UnifiedDiff?,
                         fileCoverage: [FileCoverage]?, subject: String) -> Measurement {
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
            guard let diff else { return .unavailable("no diff was given (--diff FILE or --diff-base REF), so changed lines are unknown") }
            guard let patch = MetricCalculator.patchCoverage(diff: diff, coverage: fileCoverage, filter: gate.filter) else {
                return .unavailable("\(subject) has no coverage report")
            }
            guard let percent = patch.percent else {
                return .unavailable("no changed line is coverable (coverage measures none of the diff's added or changed lines)")
            }
            return .value(percent)
        }
    }

    private func baselineValue(_ gate: Gate, _ context: GateContext) async throws -> Measurement {
        guard let run = context.baseline.run else { return .unavailable(context.baseline.missingReason) }
        if gate.metric == .coveragePatch { return .unavailable("coverage.patch has no baseline value") }
        if gate.scope != .all {
            return .unavailable(gate.metric == .findings ? "a \(gate.scope.rawValue)-findings count has no baseline value"
                                                          : "a count of new test failures has no baseline value")
        }
        return try await value(of: gate, runID: run.id, data: context.data, subject: "the baseline run \(run.id)")
    }

    /// The gate's metric (scope all) for a run other than the one checked.
    private func value(of gate: Gate, runID: Int64, data: RunDataCache, subject: String) async throws -> Measurement {
        if gate.metric == .findings {
            return .value(MetricCalculator.findingCount(try await data.findings(runID).counted, filter: gate.filter))
        }
        let tests = try await data.tests(runID)
        let coverage = try await data.coverageTotals(runID)
        return measure(gate, tests: tests, coverage: coverage, diff: nil,
                       fileCoverage: nil, subject: subject)
    }

    private func trendWindow(_ gate: Gate, value: Measurement, _ context: GateContext) async throws
        -> Result<TrendWindow, GateJudge.TrendUnavailable>? {
        guard let spec = gate.trend else { return nil }
        guard gate.scope == .all, gate.metric != .coveragePatch else {
            return .failure(.init("a trend needs a metric every run has (scope all, not coverage.patch)"))
        }
        guard let branch = context.baseline.branch else {
            return .failure(.init(context.baseline.missingReason + ", so there is no branch to take a trend from"))
        }
        guard let currentValue = value.value else { return .failure(.init("the run has no value to add to the trend")) }
        var values: [Double] = []
        for earlier in try await store.runs(branch: branch, before: context.run, limit: max(spec.window - 1, 0)).reversed() {
            if let value = try await self.value(of: gate, runID: earlier.id, data: context.data, subject: "run \(earlier.id)").value {
                values.append(value)
            }
        }
        values.append(currentValue)
        guard values.count >= 2 else {
            return .failure(.init("branch \(branch) has no earlier run with a value for \(gate.metric.rawValue), so there is no trend yet (2 points needed)"))
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

    private func testChanges(_ all: [TestResult], baseline: [TestResult]?, quarantine: QuarantineTriage,
                             knownFlaky: [FlakyTest]) -> TestChanges {
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
        return TestChanges(totals: TestCounts(all), failing: failing, flaky: flaky,
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

    private func coverageChanges(_ files: [CoverageFileTotals]?, baseline: [CoverageFileTotals]??, patch: PatchCoverage?) -> CoverageChanges {
        let baselineFiles = baseline ?? nil
        return CoverageChanges(
            lines: MetricCalculator.coverageValue(.coverageLines, files: files, filter: FindingFilter()),
            branches: MetricCalculator.coverageValue(.coverageBranches, files: files, filter: FindingFilter()),
            baselineLines: MetricCalculator.coverageValue(.coverageLines, files: baselineFiles, filter: FindingFilter()),
            baselineBranches: MetricCalculator.coverageValue(.coverageBranches, files: baselineFiles, filter: FindingFilter()),
            patch: patch?.percent, patchLinesValid: patch?.linesValid ?? 0, patchLinesCovered: patch?.linesCovered ?? 0,
            changedFiles: patch?.files ?? [])
    }

    private func waiverOutcome(_ current: FindingTriage.Result) -> WaiverOutcome {
        var outcome = WaiverOutcome()
        for (waiver, matched) in zip(policy.waivers, current.waiverMatches) {
            let entry = WaiverOutcome.Entry(selector: Self.selector(of: waiver), reason: waiver.reason, expires: waiver.expires,
                                            matched: matched)
            if waiver.isExpired(today: options.today) {
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

    // MARK: history

    /// The last runs of the baseline branch up to the checked run, oldest first.
    private func history(run: Run, branch: String?, data: RunDataCache) async throws -> [HistoryPoint] {
        guard let branch else { return [] }
        var runs = try await store.runs(branch: branch, before: run, limit: Self.historyLength)
        if run.context.branch == branch { runs.insert(run, at: 0) }
        let points = Array(runs.prefix(Self.historyLength).reversed())
        let totals = try await store.totals(runIDs: points.map(\.id))
        return points.map { point in
            let total = totals[point.id]
            return HistoryPoint(run: point.id, commit: point.context.commit, findings: total?.findings,
                                coverageLines: total?.coverageLines, testsFailed: total?.testsFailed)
        }
    }
}

/// Each run's findings (triaged), tests and coverage totals, loaded once per evaluation.
private final class RunDataCache {
    let store: any RunStore
    let triage: FindingTriage
    private var findingsByRun: [Int64: FindingTriage.Result] = [:]
    private var testsByRun: [Int64: [TestOutcome]] = [:]
    private var testResultsByRun: [Int64: [TestResult]] = [:]
    private var coverageByRun: [Int64: [CoverageFileTotals]?] = [:]

    init(store: any RunStore, triage: FindingTriage) {
        self.store = store
        self.triage = triage
    }

    func findings(_ runID: Int64) async throws -> FindingTriage.Result {
        if let cached = findingsByRun[runID] { return cached }
        let result = triage.triage(try await store.findings(runID: runID))
        findingsByRun[runID] = result
        return result
    }

    func tests(_ runID: Int64) async throws -> [TestOutcome] {
        if let cached = testsByRun[runID] { return cached }
        let tests = try await store.testOutcomes(runID: runID)
        testsByRun[runID] = tests
        return tests
    }

    func tests(_ runID: Int64, store: any RunStore) async throws -> [TestResult] {
        if let cached = testResultsByRun[runID] { return cached }
        let tests = try await store.tests(runID: runID)
        testResultsByRun[runID] = tests
        return tests
    }

    func coverageTotals(_ runID: Int64) async throws -> [CoverageFileTotals]? {
        if let cached = coverageByRun[runID] { return cached }
        let totals = try await store.coverageTotals(runID: runID)
        coverageByRun[runID] = .some(totals)
        return totals
    }
}
