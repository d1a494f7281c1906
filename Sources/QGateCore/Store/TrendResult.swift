import Foundation

/// One value of a trend: the run it was measured on (for `--per day`, the day's last run with a
/// value) and the value, nil when that run lacks the report the metric needs (a gap, never 0).
public struct TrendPoint: Sendable, Equatable, Encodable {
    public var run: Int64
    public var commit: String?
    public var branch: String?
    /// ISO 8601 UTC, to the second.
    public var time: String
    /// Percent metrics in percent, rounded to 2 decimals; counts whole; durations in seconds.
    public var value: Double?

    public init(run: Int64, commit: String?, branch: String?, time: String, value: Double?) {
        self.run = run
        self.commit = commit
        self.branch = branch
        self.time = time
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case run, commit, branch, time, value }

    /// Every key is written, null included: a gap is visible in the JSON.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(run, forKey: .run)
        try container.encode(commit, forKey: .commit)
        try container.encode(branch, forKey: .branch)
        try container.encode(time, forKey: .time)
        try container.encode(value, forKey: .value)
    }
}

/// The `where` filters of a trend as the JSON shows them: only the keys given, each a list.
public struct TrendFilters: Sendable, Equatable, Encodable {
    public var values: [String: [String]]

    public init(_ filter: MetricFilter) {
        var values: [String: [String]] = [:]
        if !filter.tools.isEmpty { values["tool"] = filter.tools }
        if !filter.categories.isEmpty { values["category"] = filter.categories.map(\.rawValue) }
        if !filter.severities.isEmpty { values["severity"] = filter.severities.map(\.rawValue) }
        if !filter.rules.isEmpty { values["rule"] = filter.rules.map(\.pattern) }
        if !filter.paths.isEmpty { values["path"] = filter.paths.map(\.pattern) }
        self.values = values
    }

    public func encode(to encoder: Encoder) throws {
        try values.encode(to: encoder)
    }
}

/// One series of a trend: all points, or those of one tool/severity/category with `--by`.
public struct TrendSeries: Sendable, Equatable, Encodable {
    /// The value the series is split on (`high`, `bandit`); nil without `--by`.
    public var label: String?
    public var metric: Metric
    public var filters: TrendFilters
    /// Oldest first.
    public var points: [TrendPoint]

    public init(label: String?, metric: Metric, filters: TrendFilters, points: [TrendPoint]) {
        self.label = label
        self.metric = metric
        self.filters = filters
        self.points = points
    }

    enum CodingKeys: String, CodingKey { case label, metric, filters, points }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(label, forKey: .label)
        try container.encode(metric, forKey: .metric)
        try container.encode(filters, forKey: .filters)
        try container.encode(points, forKey: .points)
    }
}

/// What `qgate trend` answers. Its JSON is `{"metric", "filters", "branch", "per", "points"}`, or
/// with `--by` `{…, "by", "series": [{"label", "metric", "filters", "points"}]}`.
public struct TrendResult: Sendable, Equatable, Encodable {
    public var metric: Metric
    public var filters: TrendFilters
    public var branch: String?
    public var per: TrendQuery.Granularity
    public var by: TrendQuery.Split?
    /// One series without `--by`; else one per value, in scale order (severity), vocabulary
    /// order (category) or by name (tool).
    public var series: [TrendSeries]

    public init(
        metric: Metric, filters: TrendFilters, branch: String?, per: TrendQuery.Granularity,
        by: TrendQuery.Split?, series: [TrendSeries]
    ) {
        self.metric = metric
        self.filters = filters
        self.branch = branch
        self.per = per
        self.by = by
        self.series = series
    }

    enum CodingKeys: String, CodingKey { case metric, filters, branch, per, by, points, series }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metric, forKey: .metric)
        try container.encode(filters, forKey: .filters)
        try container.encode(branch, forKey: .branch)
        try container.encode(per, forKey: .per)
        if let by {
            try container.encode(by, forKey: .by)
            try container.encode(series, forKey: .series)
        } else {
            try container.encode(series.first?.points ?? [], forKey: .points)
        }
    }
}
