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
    /// How many times the test ran: 1, or more when a rerun plugin ran it again (Surefire/Gradle
    /// `flaky*`/`rerun*` elements, pytest-rerunfailures attempts). ``TestCounts/runs`` sums it.
    public var attempts: Int

    public init(
        suite: String, className: String, name: String, file: String? = nil, line: Int? = nil, status: TestStatus,
        duration: Double? = nil, message: String? = nil, details: String? = nil, attempts: Int = 1
    ) {
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

    enum CodingKeys: String, CodingKey { case suite, className, name, file, line, status, duration, message, details, attempts }

    /// Evaluations stored before `attempts` existed decode with one attempt per test.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            suite: try c.decode(String.self, forKey: .suite), className: try c.decode(String.self, forKey: .className),
            name: try c.decode(String.self, forKey: .name), file: try c.decodeIfPresent(String.self, forKey: .file),
            line: try c.decodeIfPresent(Int.self, forKey: .line), status: try c.decode(TestStatus.self, forKey: .status),
            duration: try c.decodeIfPresent(Double.self, forKey: .duration),
            message: try c.decodeIfPresent(String.self, forKey: .message),
            details: try c.decodeIfPresent(String.self, forKey: .details),
            attempts: try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 1)
    }

    /// Whether the outcome is a failure to block on (failed or error).
    public var isFailing: Bool { status == .failed || status == .error }

    /// The identity used to match the same test across runs.
    public var identity: String { className.isEmpty ? name : "\(className)::\(name)" }
}

/// Totals of a set of tests, by outcome. `total` counts tests; `runs` counts executions, so
/// a test that a rerun plugin ran three times is one test and three runs ("612 tests, 1,224
/// runs", as EnricoMi's publish-unit-test-result-action says it).
public struct TestCounts: Codable, Sendable, Equatable {
    public var total = 0, passed = 0, failed = 0, errors = 0, skipped = 0, flaky = 0
    public var runs = 0

    public init() {}

    public init<S: Sequence>(_ tests: S) where S.Element == TestResult {
        for test in tests { add(test.status, count: 1, runs: test.attempts) }
    }

    enum CodingKeys: String, CodingKey { case total, passed, failed, errors, skipped, flaky, runs }

    /// Totals stored before `runs` existed decode with one run per test.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        total = try c.decode(Int.self, forKey: .total)
        passed = try c.decode(Int.self, forKey: .passed)
        failed = try c.decode(Int.self, forKey: .failed)
        errors = try c.decode(Int.self, forKey: .errors)
        skipped = try c.decode(Int.self, forKey: .skipped)
        flaky = try c.decode(Int.self, forKey: .flaky)
        runs = try c.decodeIfPresent(Int.self, forKey: .runs) ?? total
    }

    public mutating func add(_ status: TestStatus) {
        add(status, count: 1)
    }

    /// Adds `count` tests of one outcome (from a `GROUP BY status` or a per-run aggregate) that
    /// ran `runs` times in all (`count` when nil: one run each).
    public mutating func add(_ status: TestStatus, count: Int, runs: Int? = nil) {
        total += count
        self.runs += runs ?? count
        switch status {
        case .passed: passed += count
        case .failed: failed += count
        case .error: errors += count
        case .skipped: skipped += count
        case .flaky: flaky += count
        }
    }
}
