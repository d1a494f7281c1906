import Foundation

/// Everything an evaluation reads about one run, in one value: the run, its reports, findings,
/// tests and coverage, its baseline's data, the earlier runs of every trend window the policy
/// needs, the history chart's points and the tests the history says are flaky.
///
/// Why a value: the evaluator is a pure function of it (``Evaluator/evaluate(_:policy:diff:today:)``),
/// so it needs no store, no process and no clock, and its tests build snapshots by hand. A store
/// fills it in one call (``RunStore/snapshot(_:)``).
public struct RunSnapshot: Sendable {
    public var run: Run
    /// The run's reports, in ingest order.
    public var reports: [StoredReport]
    /// Every finding of the run (suppressed ones included; the evaluator triages them).
    public var findings: [Finding]
    /// Every test of the run with its report's tool, in ingest order.
    public var tests: [StoredTest]
    /// Per-file coverage totals; nil without a coverage report.
    public var coverage: [CoverageFileTotals]?
    /// Per-file coverage with line sets; loaded only when the request asks (a diff is given).
    public var lineCoverage: [FileCoverage]?
    /// The oldest fingerprint recipe that identified the run's findings.
    public var fingerprintRecipe: Int
    /// Tests the history up to the run says are flaky (over the policy's `flaky.window`).
    public var flakyTests: [FlakyTest]
    public var baseline: BaselineSnapshot
    /// Earlier runs of the baseline branch, newest first, as many as the longest trend window
    /// needs (its window less the run itself); empty when no gate has a trend.
    public var trendRuns: [RunData]
    /// The history chart: the last runs of the baseline branch up to the run, oldest first.
    public var history: [HistoryPoint]

    public init(
        run: Run, reports: [StoredReport] = [], findings: [Finding] = [], tests: [StoredTest] = [],
        coverage: [CoverageFileTotals]? = nil, lineCoverage: [FileCoverage]? = nil,
        fingerprintRecipe: Int = FingerprintRecipe.version, flakyTests: [FlakyTest] = [],
        baseline: BaselineSnapshot = BaselineSnapshot(), trendRuns: [RunData] = [], history: [HistoryPoint] = []
    ) {
        self.run = run
        self.reports = reports
        self.findings = findings
        self.tests = tests
        self.coverage = coverage
        self.lineCoverage = lineCoverage
        self.fingerprintRecipe = fingerprintRecipe
        self.flakyTests = flakyTests
        self.baseline = baseline
        self.trendRuns = trendRuns
        self.history = history
    }
}

/// What a metric of a run other than the checked one is computed from: its findings, test
/// outcomes and coverage totals.
public struct RunData: Sendable {
    public var run: Run
    public var findings: [Finding]
    public var tests: [TestOutcome]
    public var coverage: [CoverageFileTotals]?

    public init(run: Run, findings: [Finding] = [], tests: [TestOutcome] = [], coverage: [CoverageFileTotals]? = nil) {
        self.run = run
        self.findings = findings
        self.tests = tests
        self.coverage = coverage
    }
}

/// The run a check compares with, and its data.
public struct BaselineSnapshot: Sendable {
    public var choice: BaselineChoice
    /// The baseline run's data; nil when there is no baseline run.
    public var data: RunData?
    /// The baseline run's whole test results (new failures, fixed tests).
    public var testResults: [TestResult]
    /// The oldest fingerprint recipe of the baseline run's findings.
    public var fingerprintRecipe: Int

    public init(
        choice: BaselineChoice = .notConfigured, data: RunData? = nil, testResults: [TestResult] = [],
        fingerprintRecipe: Int = FingerprintRecipe.version
    ) {
        self.choice = choice
        self.data = data
        self.testResults = testResults
        self.fingerprintRecipe = fingerprintRecipe
    }
}

/// Which run is the baseline, or why there is none.
public struct BaselineChoice: Sendable, Equatable {
    public var outcome: BaselineOutcome
    public var run: Run?
    /// The branch trend gates and the history chart read: the branch asked for, else the baseline run's.
    public var branch: String?
    /// Why there is no baseline, as a clause for gate messages ("no baseline run (branch main)").
    public var missingReason: String

    public init(outcome: BaselineOutcome, run: Run?, branch: String?, missingReason: String) {
        self.outcome = outcome
        self.run = run
        self.branch = branch
        self.missingReason = missingReason
    }

    /// Neither the policy nor `--baseline` names a baseline.
    public static let notConfigured = BaselineChoice(
        outcome: BaselineOutcome(status: .notConfigured), run: nil, branch: nil,
        missingReason: "no baseline is configured (policy baseline or --baseline)")
}

/// What a snapshot must hold, derived from the policy: which baseline, how long the trend
/// windows and the flaky window are, and whether line sets are needed (a diff was given).
public struct SnapshotRequest: Sendable, Equatable {
    public var runID: Int64
    public var baseline: BaselineSpec
    /// `--baseline REF`, overriding the policy's baseline.
    public var baselineOverride: String?
    /// Earlier runs the longest trend window needs (0 without trend gates).
    public var trendRuns: Int
    public var flaky: FlakyPolicy
    /// Load coverage line sets (for `coverage.patch` and the changed-files table).
    public var lineCoverage: Bool
    /// How many runs the history chart shows.
    public var historyLength: Int

    public init(runID: Int64, policy: Policy, baselineOverride: String? = nil, lineCoverage: Bool = false) {
        self.runID = runID
        baseline = policy.baseline
        self.baselineOverride = baselineOverride
        trendRuns = policy.gates.compactMap { $0.trend.map { max($0.window - 1, 0) } }.max() ?? 0
        flaky = policy.flaky
        self.lineCoverage = lineCoverage
        historyLength = Evaluator.historyLength
    }
}
