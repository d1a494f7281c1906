import Yams

/// What a metric counts, which decides the bounds that make sense for it.
enum MetricUnit {
    /// Findings or tests: bounds are whole numbers, absolute ones never negative.
    case count
    /// Percentages in points (0–100), never fractions.
    case percent
    /// Seconds (test duration).
    case seconds
}

extension Metric {
    var unit: MetricUnit {
        if isPercent { return .percent }
        return self == .testsDuration ? .seconds : .count
    }

    /// The scopes a gate on this metric may take: findings compare by fingerprint (new, fixed),
    /// failing tests by id (new: failing now, not failing in the baseline run).
    var scopes: [Scope] {
        switch self {
        case .findings: [.all, .new, .fixed]
        case .testsFailed, .testsErrors: [.all, .new]
        default: [.all]
        }
    }

    /// The `where` filters that mean something for this metric: findings have them all, tests
    /// a tool and a file, coverage only a path.
    var applicableFilters: [String] {
        switch self {
        case .findings: GateKeys.filters
        case .testsTotal, .testsPassed, .testsFailed, .testsErrors, .testsSkipped, .testsFlaky,
            .testsPassRate, .testsDuration:
            ["tool", "path"]
        case .coverageLines, .coverageBranches, .coveragePatch: ["path"]
        }
    }
}

/// The keys a gate and its parts accept, in the order the docs list them.
enum GateKeys {
    static let gate = ["name", "metric", "where", "scope", "min", "max", "delta", "trend", "level", "on_missing"]
    static let filters = ["tool", "category", "severity", "rule", "path"]
    static let bound = ["min", "max"]
    static let trend = ["window", "slope", "median"]
    static let trendWindow = 2...1000
}

extension PolicyReader {
    mutating func readGates(_ node: Node) -> [Gate] {
        var gates: [Gate] = []
        var firstByName: [String: Node] = [:]
        for item in list(node, key: "gates", of: "gates") {
            guard let gate = readGate(item) else { continue }
            if let first = firstByName[gate.name] {
                report(
                    at: item, "duplicate gate name '\(gate.name)'",
                    hint: "the first is at line \(location(of: first).line); reports identify gates by name")
            } else {
                firstByName[gate.name] = item
            }
            gates.append(gate)
        }
        return gates
    }

    private mutating func readGate(_ node: Node) -> Gate? {
        guard let fields = readMapping(node, what: "a gate", context: "in a gate", allowed: GateKeys.gate) else { return nil }
        let name = fields["name"].flatMap { string($0, key: "name") }
        if fields["name"] == nil { report(at: node, "a gate needs a 'name'") }
        let label = name.map { "gate '\($0)'" } ?? "a gate"
        let metric = fields["metric"].flatMap { readMetric($0) }
        if fields["metric"] == nil {
            report(at: node, "\(label) needs a 'metric'", hint: "one of " + Metric.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let filter = fields["where"].map { readFilter($0, metric: metric) } ?? MetricFilter()
        let scope = fields["scope"].flatMap { choice($0, key: "scope", of: Scope.self) } ?? .all
        if scope != .all, let metric, let scopeNode = fields["scope"], !metric.scopes.contains(scope) {
            if metric.scopes.count > 1 {
                report(
                    at: scopeNode, "'scope: \(scope.rawValue)' does not apply to metric \(metric.rawValue)",
                    hint: "\(metric.rawValue) takes scope " + metric.scopes.map(\.rawValue).joined(separator: " or "))
            } else {
                report(
                    at: scopeNode,
                    "'scope: \(scope.rawValue)' applies only to metrics findings, tests.failed and tests.errors, not \(metric.rawValue)",
                    hint: "new and fixed compare findings by fingerprint, new compares failing tests by id; use 'delta' for other metrics")
            }
        }
        let bound = readBound(min: fields["min"], max: fields["max"], metric: metric, kind: .absolute)
        let delta = fields["delta"].flatMap { readBoundMapping($0, key: "delta", metric: metric, kind: .delta) }
        let trend = fields["trend"].flatMap { readTrend($0, metric: metric) }
        let level = fields["level"].flatMap { choice($0, key: "level", of: GateLevel.self) } ?? .fail
        let onMissing = fields["on_missing"].flatMap { choice($0, key: "on_missing", of: MissingAction.self) }
        if fields.keys.isDisjoint(with: ["min", "max", "delta", "trend"]) {
            report(at: node, "\(label) has no bound, so it can never fail", hint: "give 'min', 'max', 'delta' or 'trend'")
        }
        guard let name, let metric else { return nil }
        return Gate(
            name: name, metric: metric, filter: filter, scope: scope, bound: bound, delta: delta, trend: trend,
            level: level, onMissing: onMissing, location: location(of: node))
    }

    private mutating func readMetric(_ node: Node) -> Metric? {
        guard let text = string(node, key: "metric") else { return nil }
        if let metric = Metric(rawValue: text) { return metric }
        report(at: node, "unknown metric '\(text)'", hint: Suggestion.hint(for: text, in: Metric.allCases.map(\.rawValue)))
        return nil
    }

    // MARK: where

    private mutating func readFilter(_ node: Node, metric: Metric?) -> MetricFilter {
        var filter = MetricFilter()
        guard
            let fields = readMapping(
                node, what: "'where'", context: "in 'where'", allowed: GateKeys.filters,
                misplaced: [
                    "paths": "did you mean 'path'? (it takes a glob or a list of globs)",
                    "tools": "did you mean 'tool'? (it takes a name or a list of names)",
                ])
        else { return filter }
        if let metric {
            for key in GateKeys.filters where fields[key] != nil && !metric.applicableFilters.contains(key) {
                if let keyNode = fields.keyNode(key) {
                    report(
                        at: keyNode, "'\(key)' does not apply to metric \(metric.rawValue)",
                        hint: "\(metric.rawValue) can be filtered by " + metric.applicableFilters.joined(separator: " and "))
                }
            }
        }
        if let tools = fields["tool"] { filter.tools = strings(tools, key: "tool").map { $0.0.lowercased() } }
        if let categories = fields["category"] {
            filter.categories = strings(categories, key: "category").compactMap { _, item in
                choice(item, key: "category", of: Category.self)
            }
        }
        if let severities = fields["severity"] {
            filter.severities = strings(severities, key: "severity").compactMap { _, item in
                choice(item, key: "severity", of: Severity.self, hint: Self.severitySynonymHint)
            }
        }
        if let rules = fields["rule"] { filter.rules = globs(rules, key: "rule") }
        if let paths = fields["path"] { filter.paths = globs(paths, key: "path") }
        return filter
    }

    /// `error` is not on qgate's scale, but it is a word tools use for one of its levels.
    static func severitySynonymHint(_ word: String) -> String? {
        guard let mapped = Severity(word: word), mapped.rawValue != word.lowercased() else { return nil }
        return "qgate's scale is critical, high, medium, low, info; '\(word)' maps to '\(mapped.rawValue)'"
    }

    // MARK: Bounds

    enum BoundKind {
        /// `min`/`max` on the run's value.
        case absolute
        /// Run minus baseline.
        case delta
        /// Trend slope per run, or the run minus the window's median.
        case trend
    }

    private mutating func readBoundMapping(_ node: Node, key: String, metric: Metric?, kind: BoundKind) -> Bound? {
        guard let fields = readMapping(node, what: "'\(key)'", context: "in '\(key)'", allowed: GateKeys.bound) else { return nil }
        if fields["min"] == nil && fields["max"] == nil {
            report(at: node, "'\(key)' needs 'min' or 'max'")
            return nil
        }
        return readBound(min: fields["min"], max: fields["max"], metric: metric, kind: kind)
    }

    private mutating func readBound(min minNode: Node?, max maxNode: Node?, metric: Metric?, kind: BoundKind) -> Bound? {
        guard minNode != nil || maxNode != nil else { return nil }
        let min = minNode.flatMap { node in
            number(node, key: "min").flatMap { checkUnit($0, at: node, key: "min", metric: metric, kind: kind) }
        }
        let max = maxNode.flatMap { node in
            number(node, key: "max").flatMap { checkUnit($0, at: node, key: "max", metric: metric, kind: kind) }
        }
        if let min, let max, min > max, let minNode {
            report(at: minNode, "'min' (\(format(min))) is greater than 'max' (\(format(max))), so no value can pass")
        }
        return Bound(min: min, max: max)
    }

    /// The value when it makes sense for the metric's unit; nil after a report otherwise.
    private mutating func checkUnit(_ value: Double, at node: Node, key: String, metric: Metric?, kind: BoundKind) -> Double? {
        guard let metric else { return value }
        let name = metric.rawValue
        switch (metric.unit, kind) {
        case (.percent, .absolute):
            if value < 0 || value > 100 {
                report(at: node, "\(name) is a percentage: '\(key)' must lie between 0 and 100, found \(format(value))")
                return nil
            }
            if value > 0 && value < 1 {
                report(
                    at: node, "'\(key): \(format(value))' on \(name) looks like a fraction",
                    hint: "percent metrics are in points: did you mean \(format(value * 100))?")
                return nil
            }
        case (.percent, .delta), (.percent, .trend):
            if value < -100 || value > 100 {
                report(at: node, "\(name) is a percentage: '\(key)' must lie between -100 and 100 points, found \(format(value))")
                return nil
            }
        case (.count, .absolute):
            if value < 0 || value != value.rounded() {
                report(at: node, "\(name) is a count: '\(key)' must be a whole number of at least 0, found \(format(value))")
                return nil
            }
        case (.count, .delta):
            if value != value.rounded() {
                report(at: node, "\(name) is a count: '\(key)' in 'delta' must be a whole number, found \(format(value))")
                return nil
            }
        case (.seconds, .absolute):
            if value < 0 {
                report(at: node, "\(name) is a duration: '\(key)' must be at least 0 seconds, found \(format(value))")
                return nil
            }
        case (.count, .trend), (.seconds, .delta), (.seconds, .trend):
            break
        }
        return value
    }

    // MARK: trend

    private mutating func readTrend(_ node: Node, metric: Metric?) -> TrendSpec? {
        guard let fields = readMapping(node, what: "'trend'", context: "in 'trend'", allowed: GateKeys.trend) else { return nil }
        var window: Int?
        if let windowNode = fields["window"], let value = integer(windowNode, key: "window") {
            if GateKeys.trendWindow.contains(value) {
                window = value
            } else {
                report(
                    at: windowNode,
                    "'window' must be between \(GateKeys.trendWindow.lowerBound) and \(GateKeys.trendWindow.upperBound) runs, found \(value)"
                )
            }
        } else if fields["window"] == nil {
            report(at: node, "'trend' needs a 'window' (how many runs to look at)")
        }
        let slope = fields["slope"].flatMap { readBoundMapping($0, key: "slope", metric: metric, kind: .trend) }
        let median = fields["median"].flatMap { readBoundMapping($0, key: "median", metric: metric, kind: .trend) }
        if fields["slope"] == nil && fields["median"] == nil {
            report(at: node, "'trend' needs 'slope' or 'median'")
        }
        guard let window else { return nil }
        return TrendSpec(window: window, slope: slope, fromMedian: median)
    }
}
