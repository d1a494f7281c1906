import Foundation
import Testing

@testable import QGateCore

/// Trend series checked against values computed by hand from ``SyntheticHistory``'s table.
@Suite struct TrendTests {
    /// Values per run, oldest first; nil is a gap.
    static func values(
        _ history: SyntheticHistory, _ metric: String, where clauses: [String] = [], branch: String? = nil,
        window: TrendQuery.Window = .all, per: TrendQuery.Granularity = .run
    ) throws -> [Double?] {
        let query = try TrendQuery(metric: metric, where: clauses, branch: branch, window: window, per: per)
        let result = try history.store.trend(query)
        #expect(result.series.count == 1)
        return result.series.first?.points.map(\.value) ?? []
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var metric: String
        var clauses: [String] = []
        var expected: [Double?]
        var testDescription: String { ([metric] + clauses).joined(separator: " ") }
    }

    static let cases: [Case] = [
        // Run 4 has no findings report at all: a gap. Run 2's CVE from safety and trivy is one finding.
        Case(metric: "findings", expected: [3, 2, 2, nil, 0]),
        // The merged vulnerability keeps the worst severity (trivy's critical), so run 2 has no high.
        Case(metric: "findings", clauses: ["severity=high"], expected: [1, 0, 2, nil, 0]),
        Case(metric: "findings", clauses: ["severity=critical,high"], expected: [1, 1, 2, nil, 0]),
        Case(metric: "findings", clauses: ["tool=bandit"], expected: [1, nil, 2, nil, nil]),
        Case(metric: "findings", clauses: ["tool=Safety", "tool=trivy"], expected: [nil, 1, nil, nil, nil]),
        Case(metric: "findings", clauses: ["category=vulnerability"], expected: [0, 1, 0, nil, 0]),
        // Rule filters read the per-rule counts, path filters the findings themselves: the same values.
        Case(metric: "findings", clauses: ["rule=E*"], expected: [2, 1, 0, nil, 0]),
        Case(metric: "findings", clauses: ["rule=*", "severity=high"], expected: [1, 0, 2, nil, 0]),
        Case(metric: "findings", clauses: ["rule=CVE*"], expected: [0, 1, 0, nil, 0]),
        Case(metric: "findings", clauses: ["path=a.py", "tool=bandit"], expected: [1, nil, 2, nil, nil]),
        Case(metric: "tests.total", expected: [4, nil, 4, 4, nil]),
        Case(metric: "tests.failed", expected: [1, nil, 0, 0, nil]),
        Case(metric: "tests.skipped", expected: [0, nil, 0, 2, nil]),
        Case(metric: "tests.pass_rate", expected: [75, nil, 100, 100, nil]),
        Case(metric: "tests.duration", expected: [2, nil, 2, 2, nil]),
        Case(metric: "tests.total", clauses: ["tool=junit"], expected: [nil, nil, nil, nil, nil]),
        Case(metric: "tests.total", clauses: ["path=tests/**"], expected: [4, nil, 4, 4, nil]),
        // Run 5's two reports of a.py are unioned: lines 1–8 of 10.
        Case(metric: "coverage.lines", expected: [80, 90, nil, 50, 80]),
        Case(metric: "coverage.lines", clauses: ["path=b.py"], expected: [nil, nil, nil, 30, nil]),
        Case(metric: "coverage.branches", expected: [nil, nil, nil, nil, nil]),
    ]

    @Test(arguments: cases) func seriesMatchesHandComputedValues(_ testCase: Case) async throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        #expect(try Self.values(history, testCase.metric, where: testCase.clauses) == testCase.expected)
    }

    @Test func everyRunValueIsWhatTheEvaluatorComputes() async throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        for metric in Metric.allCases where metric != .coveragePatch {
            let trend = try history.store.trend(TrendQuery(metric: metric))
            for point in trend.series[0].points {
                let store = history.store
                let run = try #require(try store.run(id: point.run))
                let data = RunData(
                    run: run, findings: try store.findings(runID: run.id), tests: try store.testOutcomes(runID: run.id),
                    coverage: try store.coverageTotals(runID: run.id))
                let direct = MetricCalculator.value(metric, of: data, filter: MetricFilter())
                if metric == .findings && point.value == nil { continue }  // check counts a run without findings reports as 0
                #expect(point.value == direct.map { SQLiteStore.rounded($0, metric: metric) }, "\(metric.rawValue) run \(point.run)")
            }
        }
    }

    @Test func branchLastAndSinceSelectRunsOldestFirst() async throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let main = try history.store.trend(TrendQuery(metric: .coverageLines, branch: "main"))
        #expect(main.series[0].points.map(\.run) == [1, 2, 4, 5])
        #expect(main.series[0].points.map(\.value) == [80, 90, 50, 80])
        #expect(try Self.values(history, "coverage.lines", window: .last(2)) == [50, 80])
        #expect(try Self.values(history, "coverage.lines", branch: "feature") == [nil])
        let since = try TrendQuery.date(since: "2027-01-16")
        #expect(try Self.values(history, "tests.total", window: .since(since)) == [4, 4, nil])
        let sinceTime = try TrendQuery.date(since: "2027-01-15T11:00:00Z")
        #expect(try Self.values(history, "coverage.lines", window: .since(sinceTime)) == [90, nil, 50, 80])
    }

    @Test func perDayTakesEachDaysLastRunWithAValue() async throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let days = try history.store.trend(TrendQuery(metric: .coverageLines, per: .day)).series[0].points
        #expect(days.map(\.run) == [2, 3, 5])
        #expect(days.map(\.value) == [90, nil, 80])
        // Day 3's last run has no tests: the day's value comes from run 4.
        let tests = try history.store.trend(TrendQuery(metric: .testsTotal, per: .day)).series[0].points
        #expect(tests.map(\.run) == [1, 3, 4])
        #expect(try Self.values(history, "coverage.lines", window: .last(2), per: .day) == [nil, 80])
        #expect(try Self.values(history, "coverage.lines", branch: "main", window: .last(1), per: .day) == [80])
    }

    @Test func bySeverityGivesOneSeriesPerSeverityPresentInScaleOrder() async throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let result = try history.store.trend(TrendQuery(metric: .findings, by: .severity))
        #expect(result.series.map(\.label) == ["critical", "high", "low"])
        #expect(
            result.series.map { $0.points.map(\.value) } == [
                [0, 1, 0, nil, 0],
                [1, 0, 2, nil, 0],
                [2, 1, 0, nil, 0],
            ])
        #expect(result.series[1].filters == TrendFilters(MetricFilter(severities: [.high])))
    }

    @Test func byToolMakesGapsWhereTheToolDidNotRun() async throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let result = try history.store.trend(TrendQuery(metric: .findings, filter: MetricFilter(rules: [Make.glob("*")]), by: .tool))
        #expect(result.series.map(\.label) == ["bandit", "flake8", "safety", "trivy"])
        #expect(
            result.series.map { $0.points.map(\.value) } == [
                [1, nil, 2, nil, nil],
                [2, 1, nil, nil, 0],
                [nil, 0, nil, nil, nil],  // the shared CVE is kept under trivy (worse severity)
                [nil, 1, nil, nil, nil],
            ])
        let tests = try history.store.trend(TrendQuery(metric: .testsPassed, by: .tool))
        #expect(tests.series.map(\.label) == ["pytest"])
        let categories = try history.store.trend(
            TrendQuery(
                metric: .findings, filter: MetricFilter(categories: [.lint, .security]),
                by: .category))
        #expect(categories.series.map(\.label) == ["lint", "security"])
        #expect(categories.series.map { $0.points.map(\.value) } == [[2, 1, 0, nil, 0], [1, 0, 2, nil, 0]])
    }

    @Test func goldenOutputs() async throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let coverage = TrendRenderer(try history.store.trend(TrendQuery(metric: .coverageLines)))
        try Golden.check(coverage.csv(), against: "History/coverage-lines.csv")
        try Golden.check(try coverage.json(), against: "History/coverage-lines.json")
        try Golden.check(coverage.table(), against: "History/coverage-lines.txt")
        try Golden.check(try coverage.render(.chart), against: "History/coverage-lines-chart.md")
        let bySeverity = TrendRenderer(try history.store.trend(TrendQuery(metric: .findings, branch: "main", by: .severity)))
        try Golden.check(bySeverity.csv(), against: "History/findings-by-severity.csv")
        try Golden.check(try bySeverity.json(), against: "History/findings-by-severity.json")
        try Golden.check(bySeverity.table(), against: "History/findings-by-severity.txt")
    }

    @Test func csvQuotesFieldsPerRFC4180() {
        #expect(TrendRenderer.csvField("main") == "main")
        #expect(TrendRenderer.csvField("a,b") == "\"a,b\"")
        #expect(TrendRenderer.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(TrendRenderer.csvField("two\nlines") == "\"two\nlines\"")
    }

    @Test func sparklineScalesBetweenMinAndMaxWithBlankGaps() async throws {
        func points(_ values: [Double?]) -> [TrendPoint] {
            values.enumerated().map { TrendPoint(run: Int64($0.offset + 1), commit: nil, branch: nil, time: "t", value: $0.element) }
        }
        let series = TrendSeries(
            label: nil, metric: .coverageLines, filters: TrendFilters(MetricFilter()),
            points: points([71.2, 72, nil, 74.9, 72.97]))
        let renderer = TrendRenderer(
            TrendResult(
                metric: .coverageLines, filters: series.filters, branch: nil, per: .run, by: nil,
                series: [series]))
        #expect(renderer.sparklines() == "▁▃ █▄ min 71.20 max 74.90 last 72.97\n")
        let empty = TrendSeries(label: "high", metric: .findings, filters: series.filters, points: points([nil]))
        #expect(
            TrendRenderer(
                TrendResult(
                    metric: .findings, filters: series.filters, branch: nil, per: .run, by: .severity,
                    series: [empty])
            ).sparklines() == "high  no data\n")
        #expect(TrendRenderer.chartWord("feat/\"x\"") == "feat/_x_")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var metric: String
        var clauses: [String] = []
        var by: TrendQuery.Split?
        var message: String
        var testDescription: String { message }
    }

    static let refusals: [Refusal] = [
        Refusal(metric: "coverage.line", message: "error: unknown metric 'coverage.line'; did you mean 'coverage.lines'?"),
        Refusal(metric: "finding", message: "error: unknown metric 'finding'; did you mean 'findings'?"),
        Refusal(
            metric: "coverage.patch",
            message: "error: coverage.patch has no history: it needs a diff; use `qgate check --diff` for one change"),
        Refusal(
            metric: "findings", clauses: ["severity=hgh"], message: "error: --where severity=hgh: unknown severity; did you mean 'high'?"),
        Refusal(
            metric: "findings", clauses: ["category=vulnerabilities"],
            message: "error: --where category=vulnerabilities: unknown category; did you mean 'vulnerability'?"),
        Refusal(metric: "findings", clauses: ["sevrity=high"], message: "error: --where: unknown key 'sevrity'; did you mean 'severity'?"),
        Refusal(
            metric: "findings", clauses: ["high"],
            message: "error: --where 'high' is not key=value (keys: tool, category, severity, rule, path)"),
        Refusal(metric: "findings", clauses: ["tool="], message: "error: --where 'tool=' has no value"),
        Refusal(
            metric: "coverage.lines", clauses: ["severity=high"],
            message: "error: coverage.lines cannot be filtered by severity (it can be by: path)"),
        Refusal(
            metric: "tests.failed", clauses: ["rule=E1"],
            message: "error: tests.failed cannot be filtered by rule (it can be by: tool, path)"),
        Refusal(metric: "coverage.lines", by: .tool, message: "error: coverage.lines cannot be split by tool"),
        Refusal(metric: "tests.failed", by: .severity, message: "error: tests.failed cannot be split by severity (it can be by: tool)"),
    ]

    @Test(arguments: refusals) func refusesWhatItCannotAnswer(_ refusal: Refusal) {
        let error = #expect(throws: TrendQueryError.self) {
            _ = try TrendQuery(metric: refusal.metric, where: refusal.clauses, by: refusal.by)
        }
        #expect(error.map(Self.asTheCLISaysIt) == refusal.message)
    }

    /// The core's error is a value; the executable names the flags (`--where`, `--since`, `--last`).
    static func asTheCLISaysIt(_ error: TrendQueryError) -> String {
        "error: " + error.sentence(windowFlag: "--last", sinceFlag: "--since", whereFlag: "--where")
    }

    @Test func refusesAnEmptyWindowAndAnUnreadableDate() {
        #expect(throws: TrendQueryError.windowTooShort(0)) { _ = try TrendQuery(metric: .findings, window: .last(0)) }
        #expect(throws: TrendQueryError.notADate("yesterday")) { _ = try TrendQuery.date(since: "yesterday") }
        #expect(
            TrendQueryError.notADate("yesterday").description
                == "error: the date 'yesterday' is not a date; give YYYY-MM-DD or an ISO 8601 time such as 2027-01-15T08:00:00Z")
    }

    @Test func noCoreErrorNamesAFlag() {
        let errors: [TrendQueryError] = [
            .windowTooShort(0), .notADate("x"), .clauseNotKeyValue("x", keys: ["tool"]),
            .clauseWithoutValue("x="), .unknownKey("k", hint: ""), .unknownValue(key: "k", value: "v", hint: ""),
            .badPattern(key: "path", pattern: "[", reason: "r"),
        ]
        for error in errors { #expect(!error.description.contains("--"), "\(error.description)") }
    }
}

/// The computed timestamp agrees with Foundation's ISO 8601 formatter.
@Suite struct TimestampTests {
    @Test(arguments: [0.0, 59.9, 951_782_400, 1_800_000_000, 1_709_164_799, 4_102_444_800, -1, -86_401])
    func matchesISO8601DateFormatter(_ seconds: Double) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let date = Date(timeIntervalSince1970: seconds)
        #expect(Timestamp.iso8601(date) == formatter.string(from: date))
    }
}
