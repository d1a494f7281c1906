import Foundation

/// What `qgate trend` asks of the history: one metric of the policy vocabulary, its `where`
/// filters, which runs (branch, window) and how the values are grouped (per run or per day, one
/// series or one per tool/severity/category).
///
/// Built from what a person typed by ``TrendQuery/init(metric:where:branch:window:by:per:)``, which
/// rejects what cannot be answered (an unknown metric, a filter the metric ignores) with a
/// ``UsageError`` instead of printing a silently unfiltered series.
public struct TrendQuery: Sendable, Equatable {
    /// What `--by` splits the series by.
    public enum Split: String, Sendable, Equatable, CaseIterable, Codable {
        case tool, severity, category
    }

    /// One point per run, or per UTC day (the day's last run that has a value).
    public enum Granularity: String, Sendable, Equatable, CaseIterable, Codable {
        case run, day
    }

    /// Which runs the series covers.
    public enum Window: Sendable, Equatable {
        case all
        /// The newest N points (runs, or days with runs).
        case last(Int)
        /// Runs created at or after this time.
        case since(Date)
    }

    public var metric: Metric
    public var filter: MetricFilter
    public var branch: String?
    public var window: Window
    public var by: Split?
    public var per: Granularity

    /// A query over values already parsed; ``validate()`` still applies.
    public init(
        metric: Metric, filter: MetricFilter = MetricFilter(), branch: String? = nil, window: Window = .all,
        by: Split? = nil, per: Granularity = .run
    ) throws {
        self.metric = metric
        self.filter = filter
        self.branch = branch
        self.window = window
        self.by = by
        self.per = per
        try validate()
    }

    /// A query from command-line words: the metric name and `key=value` filter clauses.
    public init(
        metric name: String, where clauses: [String], branch: String? = nil, window: Window = .all,
        by: Split? = nil, per: Granularity = .run
    ) throws {
        try self.init(
            metric: Self.metric(named: name), filter: MetricFilter(clauses: clauses), branch: branch,
            window: window, by: by, per: per)
    }

    /// Refuses what the history cannot answer or what the metric would silently ignore.
    public func validate() throws {
        if metric == .coveragePatch {
            throw TrendQueryError.patchHasNoHistory
        }
        if case .last(let count) = window, count < 1 { throw TrendQueryError.windowTooShort(count) }
        let used = filter.usedKeys
        let allowed = Self.filterKeys(for: metric)
        if let key = used.first(where: { !allowed.contains($0) }) {
            throw TrendQueryError.filterNotHonoured(metric: metric, key: key, allowed: allowed)
        }
        if let by, !Self.splits(for: metric).contains(by) {
            let valid = Self.splits(for: metric).map(\.rawValue)
            throw TrendQueryError.splitNotHonoured(metric: metric, split: by.rawValue, allowed: valid)
        }
    }

    /// `where` keys each metric honours, as ``MetricCalculator`` applies them.
    static func filterKeys(for metric: Metric) -> [String] {
        switch metric {
        case .findings: MetricFilter.keys
        case .testsTotal, .testsPassed, .testsFailed, .testsErrors, .testsSkipped, .testsFlaky, .testsPassRate, .testsDuration:
            ["tool", "path"]
        case .coverageLines, .coverageBranches, .coveragePatch: ["path"]
        }
    }

    static func splits(for metric: Metric) -> [Split] {
        switch metric {
        case .findings: Split.allCases
        case .testsTotal, .testsPassed, .testsFailed, .testsErrors, .testsSkipped, .testsFlaky, .testsPassRate, .testsDuration:
            [.tool]
        case .coverageLines, .coverageBranches, .coveragePatch: []
        }
    }

    /// The metric a person named, or a usage error with the closest valid name.
    public static func metric(named name: String) throws -> Metric {
        if let metric = Metric(rawValue: name) { return metric }
        let names = Metric.allCases.map(\.rawValue)
        throw TrendQueryError.unknownMetric(name, hint: Suggestion.hint(for: name, in: names))
    }

    /// `--since`: a day (`2027-01-15`, midnight UTC) or an ISO 8601 time.
    public static func date(since text: String) throws -> Date {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        if text.count == 10, let date = day.date(from: text) { return date }
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let date = full.date(from: text) { return date }
        throw TrendQueryError.notADate(text)
    }
}

extension MetricFilter {
    /// The `where` keys, in the order the policy documents them.
    static let keys = ["tool", "category", "severity", "rule", "path"]

    /// A filter from `key=value` clauses (`severity=high`, `category=lint,typing`, `path=src/**`).
    /// Repeating a key, or listing values with commas, selects any of them.
    public init(clauses: [String]) throws {
        self.init()
        for clause in clauses {
            guard let equals = clause.firstIndex(of: "="), equals != clause.startIndex else {
                throw TrendQueryError.clauseNotKeyValue(clause, keys: Self.keys)
            }
            let key = String(clause[..<equals]).trimmingCharacters(in: .whitespaces).lowercased()
            let values = clause[clause.index(after: equals)...].split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !values.isEmpty else { throw TrendQueryError.clauseWithoutValue(clause) }
            switch key {
            case "tool": tools += values.map { $0.lowercased() }
            case "category": categories += try values.map { try Self.parse($0, as: Category.self, key: key) }
            case "severity": severities += try values.map { try Self.parse($0, as: Severity.self, key: key) }
            case "rule": rules += try values.map { try Self.glob($0, key: key) }
            case "path": paths += try values.map { try Self.glob($0, key: key) }
            default:
                throw TrendQueryError.unknownKey(key, hint: Suggestion.hint(for: key, in: Self.keys))
            }
        }
    }

    /// The keys this filter restricts, in ``keys`` order.
    var usedKeys: [String] {
        zip(Self.keys, [!tools.isEmpty, !categories.isEmpty, !severities.isEmpty, !rules.isEmpty, !paths.isEmpty])
            .filter(\.1).map(\.0)
    }

    /// Whether the per-run aggregate tables can answer it (rule and path need the findings themselves).
    var isAggregatable: Bool { rules.isEmpty && paths.isEmpty }

    private static func parse<Value: RawRepresentable & CaseIterable>(_ text: String, as: Value.Type, key: String) throws -> Value
    where Value.RawValue == String {
        if let value = Value(rawValue: text.lowercased()) { return value }
        let names = Value.allCases.map(\.rawValue)
        throw TrendQueryError.unknownValue(key: key, value: text, hint: Suggestion.hint(for: text, in: names))
    }

    private static func glob(_ pattern: String, key: String) throws -> Glob {
        do { return try Glob(pattern) } catch let error as Glob.SyntaxError {
            throw TrendQueryError.badPattern(key: key, pattern: pattern.capped(toCharacters: 80), reason: error.message)
        }
    }
}

/// Why a trend query was refused, as values: the parts of the request it names (a filter clause,
/// a date, a metric), never the command line's flags. The executable says which flag each part
/// came from (`--where`, `--since`, `--last`); the sentences here name none.
public enum TrendQueryError: Error, Sendable, Equatable {
    case patchHasNoHistory
    case windowTooShort(Int)
    case filterNotHonoured(metric: Metric, key: String, allowed: [String])
    case splitNotHonoured(metric: Metric, split: String, allowed: [String])
    case unknownMetric(String, hint: String)
    case notADate(String)
    case clauseNotKeyValue(String, keys: [String])
    case clauseWithoutValue(String)
    case unknownKey(String, hint: String)
    case unknownValue(key: String, value: String, hint: String)
    case badPattern(key: String, pattern: String, reason: String)
}

extension TrendQueryError: UserFacingError {
    public var description: String { "error: " + sentence(windowFlag: "the window", sinceFlag: "the date", whereFlag: "the filter") }

    /// The sentence, naming the request's parts as the caller calls them (the CLI passes its flags).
    public func sentence(windowFlag: String, sinceFlag: String, whereFlag: String) -> String {
        switch self {
        case .patchHasNoHistory:
            "coverage.patch has no history: it needs a diff; use `qgate check --diff` for one change"
        case .windowTooShort:
            "\(windowFlag) must be 1 or more"
        case .filterNotHonoured(let metric, let key, let allowed):
            "\(metric.rawValue) cannot be filtered by \(key) (it can be by: \(allowed.joined(separator: ", ")))"
        case .splitNotHonoured(let metric, let split, let allowed):
            "\(metric.rawValue) cannot be split by \(split)"
                + (allowed.isEmpty ? "" : " (it can be by: \(allowed.joined(separator: ", ")))")
        case .unknownMetric(let name, let hint):
            "unknown metric '\(name)'; \(hint)"
        case .notADate(let text):
            "\(sinceFlag) '\(text)' is not a date; give YYYY-MM-DD or an ISO 8601 time such as 2027-01-15T08:00:00Z"
        case .clauseNotKeyValue(let clause, let keys):
            "\(whereFlag) '\(clause)' is not key=value (keys: \(keys.joined(separator: ", ")))"
        case .clauseWithoutValue(let clause):
            "\(whereFlag) '\(clause)' has no value"
        case .unknownKey(let key, let hint):
            "\(whereFlag): unknown key '\(key)'; \(hint)"
        case .unknownValue(let key, let value, let hint):
            "\(whereFlag) \(key)=\(value): unknown \(key); \(hint)"
        case .badPattern(let key, let pattern, let reason):
            "\(whereFlag) \(key)=\(pattern): \(reason)"
        }
    }
}
