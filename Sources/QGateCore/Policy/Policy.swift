import Foundation

/// A quality policy: the gates a run must pass, what it is compared with, and the accepted
/// exceptions. Loaded from YAML by ``PolicyLoader`` and fully validated before anything is
/// evaluated: a typo in a gate is an error, never a silently passing gate.
public struct Policy: Sendable, Equatable {
    public var name: String
    public var baseline: BaselineSpec
    /// Reports that must be present in the run; a missing one fails the check.
    public var require: [RequiredReport]
    public var gates: [Gate]
    public var waivers: [Waiver]
    /// Per tool/rule severity overrides, applied before any gate looks at a finding.
    public var severityOverrides: [SeverityOverride]
    /// Whether findings suppressed in the report itself (SARIF suppressions, safety ignores) count. Default false.
    public var countSuppressed: Bool
    /// Tests whose failures do not fail test gates, each with a reason and usually an expiry.
    public var quarantine: [Quarantine]
    /// How the history decides that a test is flaky.
    public var flaky: FlakyPolicy

    public init(
        name: String, baseline: BaselineSpec = BaselineSpec(), require: [RequiredReport] = [], gates: [Gate] = [],
        waivers: [Waiver] = [], severityOverrides: [SeverityOverride] = [], countSuppressed: Bool = false,
        quarantine: [Quarantine] = [], flaky: FlakyPolicy = FlakyPolicy()
    ) {
        self.name = name
        self.baseline = baseline
        self.require = require
        self.gates = gates
        self.waivers = waivers
        self.severityOverrides = severityOverrides
        self.countSuppressed = countSuppressed
        self.quarantine = quarantine
        self.flaky = flaky
    }
}

/// Where a value was written in the policy file, so that every message can point at it.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// What to do when something a gate needs is not there (no baseline run, no diff).
public enum MissingAction: String, Sendable, Equatable, CaseIterable {
    case pass, warn, fail
}

/// Which earlier run a change is compared with. Explicit: qgate never silently picks "some older run".
public struct BaselineSpec: Sendable, Equatable {
    /// Compare with the latest run on this branch (other than the run itself).
    public var branch: String?
    /// Or with this run: an id or a commit SHA (prefix).
    public var run: String?
    public var onMissing: MissingAction

    public init(branch: String? = nil, run: String? = nil, onMissing: MissingAction = .warn) {
        self.branch = branch
        self.run = run
        self.onMissing = onMissing
    }
}

/// A report the run must contain: a tool name (`flake8`, `trivy`), or `coverage` (any Cobertura)
/// or `tests` (any xUnit report with tests).
public struct RequiredReport: Sendable, Equatable {
    public var name: String
    public var location: SourceLocation?

    public init(name: String, location: SourceLocation? = nil) {
        self.name = name
        self.location = location
    }
}

/// The metrics a gate or a trend query can measure: one vocabulary for both.
public enum Metric: String, Sendable, Equatable, CaseIterable, Codable {
    case findings
    case testsTotal = "tests.total"
    case testsPassed = "tests.passed"
    case testsFailed = "tests.failed"
    case testsErrors = "tests.errors"
    case testsSkipped = "tests.skipped"
    case testsFlaky = "tests.flaky"
    case testsPassRate = "tests.pass_rate"
    case testsDuration = "tests.duration"
    case coverageLines = "coverage.lines"
    case coverageBranches = "coverage.branches"
    case coveragePatch = "coverage.patch"

    /// Percent metrics are bounded in points (0–100), not fractions.
    public var isPercent: Bool {
        switch self {
        case .testsPassRate, .coverageLines, .coverageBranches, .coveragePatch: true
        default: false
        }
    }

    /// Whether `where` filters apply to it (findings and tests filter by tool/path; coverage by path).
    public var isFindingMetric: Bool { self == .findings }
}

/// An inclusive range; either side may be open.
public struct Bound: Sendable, Equatable, Codable {
    public var min: Double?
    public var max: Double?

    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    public func contains(_ value: Double) -> Bool {
        if let min, value < min - 1e-9 { return false }
        if let max, value > max + 1e-9 { return false }
        return true
    }
}

/// Which findings a gate counts, compared with the baseline by fingerprint.
public enum Scope: String, Sendable, Equatable, CaseIterable, Codable {
    /// Every finding of the run.
    case all
    /// Findings whose fingerprint the baseline did not have (count-aware).
    case new
    /// Baseline findings the run no longer has.
    case fixed
}

/// What a metric counts: the `where:` of a gate or a trend query (tools, categories, severities,
/// rules, paths). It selects findings, and also tests (by tool and file) and coverage (by path),
/// hence the name. Empty lists match everything.
public struct MetricFilter: Sendable, Equatable {
    public var tools: [String] = []
    public var categories: [Category] = []
    public var severities: [Severity] = []
    /// Rule ids; glob patterns allowed (`B6*`).
    public var rules: [Glob] = []
    /// Repository-relative path globs (`src/**`, `**/*.py`).
    public var paths: [Glob] = []

    public init(
        tools: [String] = [], categories: [Category] = [], severities: [Severity] = [],
        rules: [Glob] = [], paths: [Glob] = []
    ) {
        self.tools = tools
        self.categories = categories
        self.severities = severities
        self.rules = rules
        self.paths = paths
    }

    public var isEmpty: Bool { tools.isEmpty && categories.isEmpty && severities.isEmpty && rules.isEmpty && paths.isEmpty }

    public func matches(_ finding: Finding) -> Bool {
        (tools.isEmpty || tools.contains(finding.tool.lowercased()))
            && (categories.isEmpty || categories.contains(finding.category))
            && (severities.isEmpty || severities.contains(finding.severity))
            && (rules.isEmpty || rules.contains { $0.matches(finding.ruleID) })
            && (paths.isEmpty || finding.path.map { path in paths.contains { $0.matches(path) } } ?? false)
    }

    /// Tests are filtered by tool (the report's) and path (the test's file).
    public func matches(testFile: String?, tool: String) -> Bool {
        (tools.isEmpty || tools.contains(tool.lowercased()))
            && (paths.isEmpty || testFile.map { file in paths.contains { $0.matches(file) } } ?? false)
    }

    /// Coverage is filtered by path only.
    public func matches(coveragePath: String) -> Bool {
        paths.isEmpty || paths.contains { $0.matches(coveragePath) }
    }
}

/// A trend bound over the last `window` runs of the baseline branch (the run included).
public struct TrendSpec: Sendable, Equatable {
    public var window: Int
    /// Least-squares slope per run.
    public var slope: Bound?
    /// The run's value minus the median of the window's earlier runs.
    public var fromMedian: Bound?

    public init(window: Int, slope: Bound? = nil, fromMedian: Bound? = nil) {
        self.window = window
        self.slope = slope
        self.fromMedian = fromMedian
    }
}

/// Whether a failing gate fails the check or only warns.
public enum GateLevel: String, Sendable, Equatable, CaseIterable, Codable {
    case fail, warn
}

/// One rule of the policy: a metric, the findings or tests it looks at, and its bounds.
public struct Gate: Sendable, Equatable {
    public var name: String
    public var metric: Metric
    public var filter: MetricFilter
    public var scope: Scope
    /// Absolute bound on the run's value.
    public var bound: Bound?
    /// Bound on run value minus baseline value.
    public var delta: Bound?
    public var trend: TrendSpec?
    public var level: GateLevel
    /// What the gate does when it cannot be evaluated (no baseline for `delta`/`scope: new`, no diff
    /// for `coverage.patch`, no data). Defaults to the policy's `baseline.on_missing`.
    public var onMissing: MissingAction?
    public var location: SourceLocation?

    public init(
        name: String, metric: Metric, filter: MetricFilter = MetricFilter(), scope: Scope = .all,
        bound: Bound? = nil, delta: Bound? = nil, trend: TrendSpec? = nil, level: GateLevel = .fail,
        onMissing: MissingAction? = nil, location: SourceLocation? = nil
    ) {
        self.name = name
        self.metric = metric
        self.filter = filter
        self.scope = scope
        self.bound = bound
        self.delta = delta
        self.trend = trend
        self.level = level
        self.onMissing = onMissing
        self.location = location
    }
}

/// An accepted exception. A reason is mandatory; an expired waiver stops hiding its findings and
/// says so; a waiver that matched nothing is reported as unused.
public struct Waiver: Sendable, Equatable {
    public var fingerprint: String?
    public var rule: Glob?
    public var tool: String?
    public var paths: [Glob]
    public var package: String?
    public var advisory: String?
    public var reason: String
    /// The last day the waiver applies (inclusive), as `YYYY-MM-DD`.
    public var expires: String?
    public var location: SourceLocation?

    public init(
        fingerprint: String? = nil, rule: Glob? = nil, tool: String? = nil, paths: [Glob] = [],
        package: String? = nil, advisory: String? = nil, reason: String, expires: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.fingerprint = fingerprint
        self.rule = rule
        self.tool = tool
        self.paths = paths
        self.package = package
        self.advisory = advisory
        self.reason = reason
        self.expires = expires
        self.location = location
    }

    /// Whether the waiver has expired on `today` (`YYYY-MM-DD`, compared as text, which orders dates).
    public func isExpired(today: String) -> Bool { Expiry.hasPassed(expires, today: today) }

    public func matches(_ finding: Finding) -> Bool {
        if let fingerprint, finding.fingerprint != fingerprint, !finding.fingerprint.hasPrefix(fingerprint) { return false }
        if let rule, !rule.matches(finding.ruleID) { return false }
        if let tool, finding.tool.lowercased() != tool.lowercased() { return false }
        if !paths.isEmpty {
            guard let path = finding.path, paths.contains(where: { $0.matches(path) }) else { return false }
        }
        if let package {
            guard let dependency = finding.dependency,
                dependency.normalizedName == DependencyInfo(name: package).normalizedName
            else { return false }
        }
        if let advisory {
            let wanted = advisory.uppercased()
            guard finding.advisories.contains(where: { $0.uppercased() == wanted }) || finding.ruleID.uppercased() == wanted else {
                return false
            }
        }
        return true
    }
}

/// The last day an exception applies: past it (`today` later, both `YYYY-MM-DD`, which order
/// as text) the exception has expired; none never expires.
enum Expiry {
    static func hasPassed(_ expires: String?, today: String) -> Bool {
        guard let expires else { return false }
        return expires < today
    }
}

/// A waiver for tests: the failures of the tests it names do not fail test gates until it
/// expires. The pattern is a glob over the test's id as the summary names it
/// (`tests.test_cart::test_total`) or its pytest node id (`tests/test_cart.py::test_*`).
public struct Quarantine: Sendable, Equatable {
    public var test: Glob
    public var reason: String
    /// The last day it applies (inclusive), `YYYY-MM-DD`.
    public var expires: String?
    public var location: SourceLocation?

    public init(test: Glob, reason: String, expires: String? = nil, location: SourceLocation? = nil) {
        self.test = test
        self.reason = reason
        self.expires = expires
        self.location = location
    }

    public func isExpired(today: String) -> Bool { Expiry.hasPassed(expires, today: today) }

    public func matches(_ test: TestResult) -> Bool {
        Quarantine.names(of: test).contains { self.test.matches($0) }
    }

    /// The names a test answers to: its id, `file::name` when the report gives the file, and
    /// pytest's node id rebuilt from a dotted module classname (`tests.test_cart` →
    /// `tests/test_cart.py`; a class inside the module keeps its `::Class`).
    static func names(of test: TestResult) -> [String] {
        var names = [test.identity]
        if let file = test.file { names.append("\(file)::\(test.name)") }
        if !test.className.isEmpty {
            let parts = test.className.split(separator: ".").map(String.init)
            for split in stride(from: parts.count, through: 1, by: -1) {
                let module = parts[..<split].joined(separator: "/") + ".py"
                let classes = parts[split...]
                names.append(([module] + classes + [test.name]).joined(separator: "::"))
            }
        }
        return names
    }
}

/// Re-grades a tool's rule (`tool: flake8, rule: E501, severity: info`).
public struct SeverityOverride: Sendable, Equatable {
    public var tool: String?
    public var rule: Glob
    public var severity: Severity

    public init(tool: String? = nil, rule: Glob, severity: Severity) {
        self.tool = tool
        self.rule = rule
        self.severity = severity
    }

    public func applies(to finding: Finding) -> Bool {
        (tool.map { $0.lowercased() == finding.tool.lowercased() } ?? true) && rule.matches(finding.ruleID)
    }
}

/// The earlier name of ``MetricFilter``, kept while other branches move over.
@available(*, deprecated, renamed: "MetricFilter")
public typealias FindingFilter = MetricFilter
