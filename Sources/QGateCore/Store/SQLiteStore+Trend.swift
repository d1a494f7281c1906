import Foundation
import GRDB

extension SQLiteStore {
    /// Answers a trend query in one read transaction.
    ///
    /// Filters on tool, category and severity only are answered from the per-run aggregate tables
    /// (a few rows per run); rule and path filters read the findings, tests or coverage files of
    /// the selected runs through their `run_id` indexes. Either way the value of each run is what
    /// ``MetricCalculator`` computes for it, so `trend` and `check` agree.
    public func trend(_ query: TrendQuery) throws -> TrendResult {
        try read { db in
            let runs = try Self.trendRuns(db, query: query)
            let source = TrendSource(db: db, runs: runs, metric: query.metric)
            var series: [TrendSeries] = []
            for (label, filter) in try source.splits(of: query.filter, by: query.by) {
                let values = try source.values(filter: filter)
                let points = Self.points(runs: runs, values: values, per: query.per, metric: query.metric)
                series.append(TrendSeries(label: label, metric: query.metric, filters: TrendFilters(filter), points: points))
            }
            return TrendResult(
                metric: query.metric, filters: TrendFilters(query.filter), branch: query.branch, per: query.per,
                by: query.by, series: series)
        }
    }

    /// The runs of the window, oldest first (by creation time, then id).
    static func trendRuns(_ db: Database, query: TrendQuery) throws -> [Run] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let branch = query.branch {
            conditions.append("branch = ?")
            arguments += [branch]
        }
        var limit: Int?
        switch (query.window, query.per) {
        case (.all, _):
            break
        case (.since(let date), _):
            conditions.append("created_at >= ?")
            arguments += [date.timeIntervalSince1970]
        case (.last(let count), .run):
            limit = count
        case (.last(let count), .day):
            // The Nth newest day with a run starts the window.
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            if let day = try Int64.fetchOne(
                db,
                sql: """
                    SELECT DISTINCT CAST(created_at / 86400 AS INTEGER) AS day FROM runs \(whereClause)
                    ORDER BY day DESC LIMIT 1 OFFSET ?
                    """, arguments: arguments + [count - 1])
            {
                conditions.append("created_at >= ?")
                arguments += [Double(day * 86_400)]
            }
        }
        var sql = "SELECT \(SQLiteStore.runColumns) FROM runs"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY created_at DESC, id DESC"
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteStore.run(from:)).reversed()
    }

    /// One point per run, or per UTC day: the day's last run with a value (the day's last run
    /// when none has one, so the gap is still shown).
    static func points(runs: [Run], values: [Int64: Double], per: TrendQuery.Granularity, metric: Metric) -> [TrendPoint] {
        func point(_ run: Run) -> TrendPoint {
            TrendPoint(
                run: run.id, commit: run.context.commit, branch: run.context.branch, time: Timestamp.iso8601(run.createdAt),
                value: values[run.id].map { rounded($0, metric: metric) })
        }
        switch per {
        case .run:
            return runs.map(point)
        case .day:
            var points: [TrendPoint] = []
            var day: Int64?
            var chosen: Run?
            var chosenHasValue = false
            for run in runs {
                let runDay = Int64((run.createdAt.timeIntervalSince1970 / 86_400).rounded(.down))
                if runDay != day, let previous = chosen {
                    points.append(point(previous))
                    chosen = nil
                    chosenHasValue = false
                }
                day = runDay
                let hasValue = values[run.id] != nil
                if hasValue || !chosenHasValue {
                    chosen = run
                    chosenHasValue = hasValue
                }
            }
            if let chosen { points.append(point(chosen)) }
            return points
        }
    }

    /// Percent values to 2 decimals (what a reader compares), durations to milliseconds.
    static func rounded(_ value: Double, metric: Metric) -> Double {
        if metric.isPercent { return (value * 100).rounded() / 100 }
        if metric == .testsDuration { return (value * 1000).rounded() / 1000 }
        return value
    }
}

/// Reads one metric's per-run values for a fixed set of runs, from the aggregate tables when the
/// filter allows it, else from the rows themselves (loaded once, shared by every series).
private final class TrendSource {
    let db: Database
    let runs: [Run]
    let metric: Metric
    /// The selected run ids as a JSON array, bound to `json_each(?)`: one parameter for any window size.
    let runIDs: String
    private var findingsByRun: [Int64: [Finding]]?
    private var testsByRun: [Int64: [TestOutcome]]?

    init(db: Database, runs: [Run], metric: Metric) {
        self.db = db
        self.runs = runs
        self.metric = metric
        runIDs = "[" + runs.map { String($0.id) }.joined(separator: ",") + "]"
    }

    private var selected: String { "run_id IN (SELECT value FROM json_each(?))" }

    // MARK: series

    /// The series to compute: the filter itself, or one narrowed filter per value of `by` found
    /// in the selected runs (or given in the filter).
    func splits(of filter: MetricFilter, by: TrendQuery.Split?) throws -> [(String?, MetricFilter)] {
        guard let by else { return [(nil, filter)] }
        switch by {
        case .tool:
            let table = metric == .findings ? "run_finding_sources" : "run_test_counts"
            let found = try String.fetchAll(
                db, sql: "SELECT DISTINCT lower(tool) FROM \(table) WHERE \(selected)",
                arguments: [runIDs])
            return Set(filter.tools.isEmpty ? found : filter.tools).sorted().map { tool in
                var narrowed = filter
                narrowed.tools = [tool]
                return (tool, narrowed)
            }
        case .severity:
            let found = try present("severity")
            return Severity.allCases.filter { filter.severities.isEmpty ? found.contains($0.rawValue) : filter.severities.contains($0) }
                .map { severity in
                    var narrowed = filter
                    narrowed.severities = [severity]
                    return (severity.rawValue, narrowed)
                }
        case .category:
            let found = try present("category")
            return Category.allCases.filter { filter.categories.isEmpty ? found.contains($0.rawValue) : filter.categories.contains($0) }
                .map { category in
                    var narrowed = filter
                    narrowed.categories = [category]
                    return (category.rawValue, narrowed)
                }
        }
    }

    private func present(_ column: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT \(column) FROM run_finding_counts WHERE \(selected)", arguments: [runIDs]))
    }

    // MARK: values

    /// The metric's value per run id; runs without one (a gap) are absent.
    func values(filter: MetricFilter) throws -> [Int64: Double] {
        switch metric {
        case .findings:
            if filter.isAggregatable { return try aggregatedFindings(filter) }
            return filter.paths.isEmpty ? try ruleCountedFindings(filter) : try countedFindings(filter)
        case .testsTotal, .testsPassed, .testsFailed, .testsErrors, .testsSkipped, .testsFlaky, .testsPassRate, .testsDuration:
            return filter.paths.isEmpty ? try aggregatedTests(filter) : try loadedTests(filter)
        case .coverageLines, .coverageBranches:
            return filter.paths.isEmpty ? try aggregatedCoverage() : try loadedCoverage(filter)
        case .coveragePatch:
            return [:]
        }
    }

    /// Runs with a report of findings from one of the filtered tools (any tool without a tool filter).
    private func findingSources(_ filter: MetricFilter) throws -> Set<Int64> {
        var sql = "SELECT DISTINCT run_id FROM run_finding_sources WHERE \(selected)"
        var arguments: StatementArguments = [runIDs]
        Self.restrict(&sql, &arguments, "lower(tool)", filter.tools)
        return Set(try Int64.fetchAll(db, sql: sql, arguments: arguments))
    }

    private func aggregatedFindings(_ filter: MetricFilter) throws -> [Int64: Double] {
        let sources = try findingSources(filter)
        var sql = "SELECT run_id, SUM(count) FROM run_finding_counts WHERE \(selected)"
        var arguments: StatementArguments = [runIDs]
        Self.restrict(&sql, &arguments, "lower(tool)", filter.tools)
        Self.restrict(&sql, &arguments, "category", filter.categories.map(\.rawValue))
        Self.restrict(&sql, &arguments, "severity", filter.severities.map(\.rawValue))
        sql += " GROUP BY run_id"
        var counts: [Int64: Double] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) { counts[row[0]] = row[1] }
        return Dictionary(uniqueKeysWithValues: sources.map { ($0, counts[$0] ?? 0) })
    }

    /// Rule filters (globs) are matched against the distinct rules of the store, then summed
    /// from `run_rule_counts`: a few rows per run, never the findings themselves.
    private func ruleCountedFindings(_ filter: MetricFilter) throws -> [Int64: Double] {
        let sources = try findingSources(filter)
        let rules = try String.fetchAll(db, sql: "SELECT DISTINCT rule FROM run_rule_counts")
            .filter { rule in filter.rules.contains { $0.matches(rule) } }
        var counts: [Int64: Double] = [:]
        if !rules.isEmpty {
            var sql = "SELECT run_id, SUM(count) FROM run_rule_counts WHERE \(selected)"
            var arguments: StatementArguments = [runIDs]
            Self.restrict(&sql, &arguments, "rule", rules)
            Self.restrict(&sql, &arguments, "lower(tool)", filter.tools)
            Self.restrict(&sql, &arguments, "category", filter.categories.map(\.rawValue))
            Self.restrict(&sql, &arguments, "severity", filter.severities.map(\.rawValue))
            sql += " GROUP BY run_id"
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) { counts[row[0]] = row[1] }
        }
        return Dictionary(uniqueKeysWithValues: sources.map { ($0, counts[$0] ?? 0) })
    }

    private func countedFindings(_ filter: MetricFilter) throws -> [Int64: Double] {
        let sources = try findingSources(filter)
        let byRun = try loadFindings()
        return Dictionary(
            uniqueKeysWithValues: sources.map { run in
                (run, MetricCalculator.findingCount(byRun[run] ?? [], filter: filter))
            })
    }

    /// The counted findings (``FindingTriage/none``) of every selected run, with only the columns filters read.
    private func loadFindings() throws -> [Int64: [Finding]] {
        if let findingsByRun { return findingsByRun }
        var raw: [Int64: [Finding]] = [:]
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT run_id, tool, category, rule, severity, path, fingerprint, suppressed FROM findings
                WHERE \(selected) ORDER BY run_id, id
                """, arguments: [runIDs])
        while let row = try cursor.next() {
            var finding = Finding(
                tool: row[1], category: Category(rawValue: row[2]) ?? .lint, ruleID: row[3],
                severity: Severity(rawValue: row[4]) ?? .info, path: row[5], message: "", suppressed: row[7])
            finding.fingerprint = row[6]
            raw[row[0], default: []].append(finding)
        }
        let counted = raw.mapValues { FindingTriage.none.triage($0).counted }
        findingsByRun = counted
        return counted
    }

    private func aggregatedTests(_ filter: MetricFilter) throws -> [Int64: Double] {
        var sql = "SELECT run_id, status, SUM(count), TOTAL(duration) FROM run_test_counts WHERE \(selected)"
        var arguments: StatementArguments = [runIDs]
        Self.restrict(&sql, &arguments, "lower(tool)", filter.tools)
        sql += " GROUP BY run_id, status"
        var counts: [Int64: (TestCounts, Double)] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let run: Int64 = row[0]
            var entry = counts[run] ?? (TestCounts(), 0)
            entry.0.add(TestStatus(rawValue: row[1]) ?? .error, count: row[2])
            entry.1 += row[3]
            counts[run] = entry
        }
        return counts.compactMapValues { MetricCalculator.testValue(metric, counts: $0.0, duration: $0.1) }
    }

    private func loadedTests(_ filter: MetricFilter) throws -> [Int64: Double] {
        if testsByRun == nil {
            var byRun: [Int64: [TestOutcome]] = [:]
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.run_id, t.status, t.file, t.duration, r.tool FROM tests t JOIN reports r ON r.id = t.report_id
                    WHERE t.\(selected) ORDER BY t.run_id, t.id
                    """, arguments: [runIDs])
            while let row = try cursor.next() {
                byRun[row[0], default: []].append(
                    TestOutcome(
                        status: TestStatus(rawValue: row[1]) ?? .error, file: row[2],
                        duration: row[3], tool: row[4]))
            }
            testsByRun = byRun
        }
        return (testsByRun ?? [:]).compactMapValues { MetricCalculator.testValue(metric, tests: $0, filter: filter) }
    }

    private func aggregatedCoverage() throws -> [Int64: Double] {
        var values: [Int64: Double] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT run_id, lines_valid, lines_covered, branches_valid, branches_covered FROM run_coverage_totals WHERE \(selected)
                """, arguments: [runIDs])
        {
            let totals = CoverageFileTotals(
                path: "", linesValid: row[1], linesCovered: row[2], branchesValid: row[3],
                branchesCovered: row[4])
            values[row[0]] = MetricCalculator.coverageValue(metric, files: [totals], filter: MetricFilter())
        }
        return values
    }

    private func loadedCoverage(_ filter: MetricFilter) throws -> [Int64: Double] {
        var values: [Int64: Double] = [:]
        for run in runs {
            values[run.id] = MetricCalculator.coverageValue(
                metric, files: try SQLiteStore.coverageTotals(db, runID: run.id), filter: filter)
        }
        return values
    }

    /// Appends ` AND column IN (?, …)` when `values` is not empty.
    private static func restrict(_ sql: inout String, _ arguments: inout StatementArguments, _ column: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        sql += " AND \(column) IN (" + values.map { _ in "?" }.joined(separator: ", ") + ")"
        arguments += StatementArguments(values)
    }
}
