import Foundation

/// Everything a reporter needs to render a check, and nothing it must compute: reporters are
/// pure functions of this value (no clock, no store, no environment), which is what makes
/// every output format deterministic and golden-testable.
public struct Evaluation: Sendable, Codable, Equatable {
    /// Schema version of the JSON document (`qgate check --format json`).
    public var schemaVersion: Int = 1
    public var policy: String
    public var verdict: Verdict
    /// One sentence saying why: "2 gates failed: Tests pass, No new lint problems."
    public var reason: String
    public var run: RunSummary
    public var baseline: BaselineOutcome
    public var gates: [GateResult]
    /// Required reports the run lacks.
    public var missingReports: [String]
    public var findings: FindingChanges
    public var tests: TestChanges
    public var coverage: CoverageChanges
    public var waivers: WaiverOutcome
    /// Recent history of the baseline branch for charts, oldest first (may be empty): raw per-run
    /// totals as `qgate trend` shows them, before this policy's waivers and severity overrides.
    public var history: [HistoryPoint]
    /// Oddities worth a reviewer's attention (reports whose paths do not resolve, tools that failed).
    public var diagnostics: [String]

    /// The reason without its leading "fail: " (for outputs that print the verdict word themselves).
    public var explanation: String {
        let prefix = verdict.rawValue + ": "
        return reason.hasPrefix(prefix) ? String(reason.dropFirst(prefix.count)) : reason
    }

    public init(
        policy: String, verdict: Verdict, reason: String, run: RunSummary, baseline: BaselineOutcome,
        gates: [GateResult], missingReports: [String] = [], findings: FindingChanges = FindingChanges(),
        tests: TestChanges = TestChanges(), coverage: CoverageChanges = CoverageChanges(),
        waivers: WaiverOutcome = WaiverOutcome(), history: [HistoryPoint] = [], diagnostics: [String] = []
    ) {
        self.policy = policy
        self.verdict = verdict
        self.reason = reason
        self.run = run
        self.baseline = baseline
        self.gates = gates
        self.missingReports = missingReports
        self.findings = findings
        self.tests = tests
        self.coverage = coverage
        self.waivers = waivers
        self.history = history
        self.diagnostics = diagnostics
    }
}

/// The run's identity as printed.
public struct RunSummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var commit: String?
    public var branch: String?
    public var baseBranch: String?
    public var pullRequest: Int?
    public var pipeline: String?
    public var reports: [ReportSummary]

    public init(
        id: Int64, commit: String? = nil, branch: String? = nil, baseBranch: String? = nil,
        pullRequest: Int? = nil, pipeline: String? = nil, reports: [ReportSummary] = []
    ) {
        self.id = id
        self.commit = commit
        self.branch = branch
        self.baseBranch = baseBranch
        self.pullRequest = pullRequest
        self.pipeline = pipeline
        self.reports = reports
    }

    enum CodingKeys: String, CodingKey { case id, commit, branch, baseBranch, pullRequest, pipeline, reports }

    /// Every key always present (`null` when unknown), so a run reads the same in every document.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(commit, forKey: .commit)
        try container.encode(branch, forKey: .branch)
        try container.encode(baseBranch, forKey: .baseBranch)
        try container.encode(pullRequest, forKey: .pullRequest)
        try container.encode(pipeline, forKey: .pipeline)
        try container.encode(reports, forKey: .reports)
    }
}

/// One report of the run, as listed in summaries.
public struct ReportSummary: Sendable, Codable, Equatable {
    public var tool: String
    public var format: ReportFormat
    public var path: String

    public init(tool: String, format: ReportFormat, path: String) {
        self.tool = tool
        self.format = format
        self.path = path
    }
}

/// Which baseline was used, or why none was.
public struct BaselineOutcome: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case found, missing, notConfigured = "not_configured" }
    /// Why a baseline is missing. `noRunOnBranch` is what every check on a fresh CI runner sees
    /// when the store is not carried from pipeline to pipeline (reporters name that fix).
    public enum MissingCause: String, Sendable, Codable {
        /// The store has no run of the baseline branch at all (other than the checked run).
        case noRunOnBranch = "no_run_on_branch"
        /// The branch has runs, but none before the checked run.
        case noEarlierRun = "no_earlier_run"
        /// No run matches the reference given (`--baseline`, `baseline.run`).
        case noMatchingRun = "no_matching_run"
        /// The reference names the checked run itself.
        case checkedRunItself = "checked_run_itself"
    }

    public var status: Status
    /// What the policy asked for ("branch main", "run 12").
    public var requested: String?
    public var run: RunSummary?
    /// Set when `status` is `missing`.
    public var missingCause: MissingCause?

    public init(status: Status, requested: String? = nil, run: RunSummary? = nil, missingCause: MissingCause? = nil) {
        self.status = status
        self.requested = requested
        self.run = run
        self.missingCause = missingCause
    }
}

/// The result of one gate, with the numbers behind it.
public struct GateResult: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case pass, warn, fail
        /// Could not be evaluated (no baseline, no diff, no data) and `on_missing: pass` let it through.
        case skipped
    }

    public var name: String
    public var metric: Metric
    public var scope: Scope
    public var level: GateLevel
    public var status: Status
    /// The run's value (a count, or percent for percent metrics); nil when unavailable.
    public var actual: Double?
    /// Human-readable bound: "≤ 0", "≥ 80", "Δ ≥ -0.5", "slope ≥ -0.1 over 10 runs".
    public var bound: String
    public var baseline: Double?
    public var delta: Double?
    /// Why the gate has its status, in one sentence (mandatory when not pass).
    public var message: String
    /// Fingerprints of the findings the gate counted (for `findings`), sorted.
    public var findingFingerprints: [String]

    public init(
        name: String, metric: Metric, scope: Scope = .all, level: GateLevel = .fail, status: Status,
        actual: Double?, bound: String, baseline: Double? = nil, delta: Double? = nil, message: String = "",
        findingFingerprints: [String] = []
    ) {
        self.name = name
        self.metric = metric
        self.scope = scope
        self.level = level
        self.status = status
        self.actual = actual
        self.bound = bound
        self.baseline = baseline
        self.delta = delta
        self.message = message
        self.findingFingerprints = findingFingerprints
    }
}

/// Findings compared with the baseline. Lists are sorted worst first (severity, path, line, rule,
/// fingerprint). Waived and suppressed findings are not in `new`/`unchanged`.
public struct FindingChanges: Sendable, Codable, Equatable {
    public var new: [Finding] = []
    public var fixed: [Finding] = []
    public var unchanged: [Finding] = []
    /// All counted findings of the run (not waived, not suppressed), by severity.
    public var totals: FindingCounts = FindingCounts()
    public var waivedCount: Int = 0
    public var suppressedCount: Int = 0

    public init(
        new: [Finding] = [], fixed: [Finding] = [], unchanged: [Finding] = [], totals: FindingCounts = FindingCounts(),
        waivedCount: Int = 0, suppressedCount: Int = 0
    ) {
        self.new = new
        self.fixed = fixed
        self.unchanged = unchanged
        self.totals = totals
        self.waivedCount = waivedCount
        self.suppressedCount = suppressedCount
    }
}

/// Tests of the run, with what changed since the baseline.
public struct TestChanges: Sendable, Codable, Equatable {
    public var totals: TestCounts = TestCounts()
    /// Failed and errored tests, sorted by identity.
    public var failing: [TestResult] = []
    public var flaky: [TestResult] = []
    /// Identities of tests that passed in the baseline and fail now.
    public var newlyFailing: [String] = []
    /// Identities of tests that failed in the baseline and pass now.
    public var fixed: [String] = []
    /// Tests of this run that the history says are flaky (failed and passed on one commit, or
    /// flip often), sorted by id; nil when none.
    public var knownFlaky: [FlakyTest]?
    /// What the policy's quarantine did in this run; nil when the policy quarantines nothing.
    public var quarantine: QuarantineOutcome?

    public init(
        totals: TestCounts = TestCounts(), failing: [TestResult] = [], flaky: [TestResult] = [],
        newlyFailing: [String] = [], fixed: [String] = [], knownFlaky: [FlakyTest]? = nil,
        quarantine: QuarantineOutcome? = nil
    ) {
        self.totals = totals
        self.failing = failing
        self.flaky = flaky
        self.newlyFailing = newlyFailing
        self.fixed = fixed
        self.knownFlaky = knownFlaky
        self.quarantine = quarantine
    }
}

/// Quarantined tests of a run: those whose failure was forgiven, those whose quarantine has
/// expired (they count again), and quarantine entries that matched no failing test.
public struct QuarantineOutcome: Sendable, Codable, Equatable {
    /// A failing or flaky test and the entry that matched it.
    public struct Entry: Sendable, Codable, Equatable {
        public var test: String
        public var status: TestStatus
        public var pattern: String
        public var reason: String
        public var expires: String?

        public init(test: String, status: TestStatus, pattern: String, reason: String, expires: String?) {
            self.test = test
            self.status = status
            self.pattern = pattern
            self.reason = reason
            self.expires = expires
        }
    }

    public var applied: [Entry] = []
    public var expired: [Entry] = []
    /// Entries (as written) that matched no failing or flaky test of the run.
    public var unused: [WaiverOutcome.Entry] = []

    public init(applied: [Entry] = [], expired: [Entry] = [], unused: [WaiverOutcome.Entry] = []) {
        self.applied = applied
        self.expired = expired
        self.unused = unused
    }
}

/// Coverage of the run, of the baseline, and of the change.
public struct CoverageChanges: Sendable, Codable, Equatable {
    /// Percent; nil when the run has no coverage report.
    public var lines: Double?
    public var branches: Double?
    /// Lines and branches together, as coverage.py's TOTAL counts them (covered lines + covered
    /// branches over all lines + all branches); nil when the report measured no branches.
    public var combined: Double?
    public var baselineLines: Double?
    public var baselineBranches: Double?
    /// Covered share of the changed coverable lines, percent; nil without a diff or coverable changes.
    public var patch: Double?
    public var patchLinesValid: Int = 0
    public var patchLinesCovered: Int = 0
    /// Per changed file: its coverage and its changed lines that are not covered. Sorted by path.
    public var changedFiles: [ChangedFileCoverage] = []

    public init(
        lines: Double? = nil, branches: Double? = nil, baselineLines: Double? = nil, baselineBranches: Double? = nil,
        patch: Double? = nil, patchLinesValid: Int = 0, patchLinesCovered: Int = 0, changedFiles: [ChangedFileCoverage] = []
    ) {
        self.lines = lines
        self.branches = branches
        self.baselineLines = baselineLines
        self.baselineBranches = baselineBranches
        self.patch = patch
        self.patchLinesValid = patchLinesValid
        self.patchLinesCovered = patchLinesCovered
        self.changedFiles = changedFiles
    }
}

/// Coverage of one file the change touched.
public struct ChangedFileCoverage: Sendable, Codable, Equatable {
    public var path: String
    /// The file's whole line coverage, percent.
    public var lines: Double?
    public var changedLinesValid: Int
    public var changedLinesCovered: Int
    public var uncoveredChangedLines: [Int]

    public init(path: String, lines: Double?, changedLinesValid: Int, changedLinesCovered: Int, uncoveredChangedLines: [Int]) {
        self.path = path
        self.lines = lines
        self.changedLinesValid = changedLinesValid
        self.changedLinesCovered = changedLinesCovered
        self.uncoveredChangedLines = uncoveredChangedLines
    }
}

/// Which waivers hid findings, which have expired, and which matched nothing.
public struct WaiverOutcome: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        /// How the waiver is written: "rule B101 in tests/**", "fingerprint c1a2…".
        public var selector: String
        public var reason: String
        public var expires: String?
        /// Findings it matched in this run.
        public var matched: Int

        public init(selector: String, reason: String, expires: String?, matched: Int) {
            self.selector = selector
            self.reason = reason
            self.expires = expires
            self.matched = matched
        }
    }

    public var applied: [Entry] = []
    public var expired: [Entry] = []
    public var unused: [Entry] = []

    public init(applied: [Entry] = [], expired: [Entry] = [], unused: [Entry] = []) {
        self.applied = applied
        self.expired = expired
        self.unused = unused
    }
}

/// One run of the baseline branch's history, for trend charts.
public struct HistoryPoint: Sendable, Codable, Equatable {
    public var run: Int64
    public var commit: String?
    public var findings: Int?
    public var coverageLines: Double?
    public var testsFailed: Int?

    public init(run: Int64, commit: String?, findings: Int?, coverageLines: Double?, testsFailed: Int?) {
        self.run = run
        self.commit = commit
        self.findings = findings
        self.coverageLines = coverageLines
        self.testsFailed = testsFailed
    }
}

extension Evaluation {
    /// A copy whose strings from reports (finding and test messages, test details, gate
    /// messages) are cut to `limit` Characters with "…": what the JSON output shows and what
    /// `check` records, so a 10 MB message costs 2,000 characters, not 10 MB, each time.
    public func cappingMessages(to limit: Int = TextEscaper.messageLimit) -> Evaluation {
        var copy = self
        func cap(_ findings: inout [Finding]) {
            for index in findings.indices { findings[index].message = findings[index].message.capped(toCharacters: limit) }
        }
        func cap(_ tests: inout [TestResult]) {
            for index in tests.indices {
                tests[index].message = tests[index].message?.capped(toCharacters: limit)
                tests[index].details = tests[index].details?.capped(toCharacters: limit)
            }
        }
        cap(&copy.findings.new)
        cap(&copy.findings.fixed)
        cap(&copy.findings.unchanged)
        cap(&copy.tests.failing)
        cap(&copy.tests.flaky)
        for index in copy.gates.indices { copy.gates[index].message = copy.gates[index].message.capped(toCharacters: limit) }
        return copy
    }
}
