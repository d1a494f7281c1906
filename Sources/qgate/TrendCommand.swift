import ArgumentParser
import Foundation
import QGateCore

struct Trend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One value of a metric per run (or per day), oldest first.",
        discussion: """
            METRIC is one of the policy vocabulary: findings, tests.total|passed|failed|errors|skipped|flaky|pass_rate|duration, \
            coverage.lines|branches. Runs that lack the report a metric needs are gaps, not zeros. \
            `--format chart` prints a Mermaid xychart per series followed by a sparkline line; on a terminal only the sparkline.
            """
    )

    @Argument(help: "The metric, e.g. findings, tests.failed, coverage.lines.") var metric: String
    @Option(
        name: .customLong("where"),
        help: "A filter key=value (tool, category, severity, rule, path); repeatable, values may be comma-separated.")
    var clauses: [String] = []
    @Option(help: "Only runs of this branch.") var branch: String?
    @Option(help: "Only the newest N points (runs, or days with --per day).") var last: Int?
    @Option(help: "Only runs created on or after this date (YYYY-MM-DD, UTC) or ISO 8601 time.") var since: String?
    @Option(help: "One series per tool, severity or category.") var by: TrendQuery.Split?
    @Option(help: "One point per run or per day (the day's last run with a value).") var per: TrendQuery.Granularity = .run
    @Option(name: [.short, .long], help: "Output format (chart: a Mermaid chart for Markdown).") var format: TrendFormat = .table
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if last != nil && since != nil { throw ValidationError("Give at most one of --last N and --since DATE.") }
    }

    func run() async throws {
        let window: TrendQuery.Window
        if let last {
            window = .last(last)
        } else if let since {
            window = .since(try TrendQuery.date(since: since))
        } else {
            window = .all
        }
        let query = try TrendQuery(metric: metric, where: clauses, branch: branch, window: window, by: by, per: per)
        let opened = try await store.openForReading()
        try await StoredNames.warn(branch: branch, tools: query.filter.tools, in: opened)
        let result = try await opened.trend(query)
        let renderer = TrendRenderer(result)
        if format == .chart && isatty(1) == 1 {
            Terminal.standardOutput.write(renderer.sparklines())
        } else {
            Terminal.standardOutput.write(try renderer.render(format))
        }
    }
}

extension TrendQuery.Split: ExpressibleByArgument {}
extension TrendQuery.Granularity: ExpressibleByArgument {}
extension TrendFormat: ExpressibleByArgument {}
