/// The outcome of one test case. `flaky` is its own outcome: a test that failed and then
/// passed on rerun is neither a pass to trust nor a failure to block on.
public enum TestStatus: String, CaseIterable, Codable, Sendable, Comparable {
    case passed, skipped, flaky, failed, error

    /// How bad an outcome is, for keeping the worst of duplicated testcases.
    public var badness: Int {
        switch self {
        case .passed: 0
        case .skipped: 1
        case .flaky: 2
        case .failed: 3
        case .error: 4
        }
    }

    public static func < (lhs: TestStatus, rhs: TestStatus) -> Bool { lhs.badness < rhs.badness }
}

/// One executed (or skipped) test from an xUnit report.
public struct TestResult: Codable, Sendable, Hashable {
    public var suite: String
    public var className: String
    public var name: String
    public var file: String?
    /// The test's line in `file`, when the report says (pytest's xunit1 `line`, Surefire has none).
    public var line: Int?
    public var status: TestStatus
    public var duration: Double?
    /// The first line of the failure or error message, or the skip reason.
    public var message: String?
    /// The failure's details (traceback), bounded in size.
    public var details: String?
    /// How many times the runner ran it when it reran it (pytest-rerunfailures attempts, Surefire
    /// `flaky*`/`rerun*` elements + 1); nil when it ran once.
    public var attempts: Int?

    public init(suite: String, className: String, name: String, file: String? = nil, line: Int? = nil, status: TestStatus,
                duration: Double? = nil, message: String? = nil, details: String? = nil, attempts: Int? = nil) {
        self.suite = suite
        self.className = className
        self.name = name
        self.file = file
        self.line = line
        self.status = status
        self.duration = duration
        self.message = message
        self.details = details
        self.attempts = attempts
    }

    /// Whether the outcome is a failure to block on (failed or error).
    public var isFailing: Bool { status == .failed || status == .error }

    /// The identity used to match the same test across runs.
    public var identity: String { className.isEmpty ? name : "\(className)::\(name)" }
}

/// Totals of a set of tests, by outcome.
public struct TestCounts: Codable, Sendable, Equatable {
    public var total = 0, passed = 0, failed = 0, errors = 0, skipped = 0, flaky = 0

    public init() {}

    public init<S: Sequence>(_ tests: S) where S.Element == TestResult {
        for test in tests { add(test.status) }
    }

    public mutating func add(_ status: TestStatus) {
        add(status, count: 1)
    }

    /// Adds `count` tests of one outcome (from a `GROUP BY status` or a per-run aggregate).
    public mutating func add(_ status: TestStatus, count: Int) {
        total += count
        switch status {
        case .passed: passed += count
        case .failed: failed += count
        case .error: errors += count
        case .skipped: skipped += count
        case .flaky: flaky += count
        }
    }
}
