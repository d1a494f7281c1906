import Foundation

/// The one Mermaid `xychart-beta` renderer, which GitHub renders inside a `mermaid` code block:
/// the history charts of a summary (``MermaidTrendChart``) and `qgate trend --format chart`
/// (``TrendRenderer``) both draw through it.
///
/// Percent axes span the data rounded out to whole points, so a small drop stays visible.
/// Titles and axis words come from callers that only pass numbers and fixed or sanitised words.
enum MermaidChart {
    /// One chart block (no newline after the closing fence): `series` is `line` or `bar`.
    static func block(title: String, labels: [String], values: [Double], axis: String, percent: Bool, series: String) -> String {
        let low = max(0, (values.min() ?? 0).rounded(.down) - 1)
        let high = min(100, (values.max() ?? 100).rounded(.up) + 1)
        let range = percent ? " \(Int(low)) --> \(Int(high))" : ""
        let shown = values.map { percent ? String(format: "%.2f", $0) : ReportFormatting.number($0) }
        return """
            ```mermaid
            xychart-beta
                title "\(title)"
                x-axis [\(labels.map { "\"\($0)\"" }.joined(separator: ", "))]
                y-axis "\(axis)"\(range)
                \(series) [\(shown.joined(separator: ", "))]
            ```
            """
    }
}

/// Line coverage and findings over the baseline branch's recent runs, for the Markdown summary.
/// Only numbers and fixed words go into the chart (run ids as axis labels). A series needs at
/// least two points to show a trend; runs without a value are left out of that series.
struct MermaidTrendChart {
    var history: [HistoryPoint]

    func render() -> String? {
        let coverage = history.compactMap { point in point.coverageLines.map { (point.run, $0) } }
        let findings = history.compactMap { point in point.findings.map { (point.run, Double($0)) } }
        let charts = [
            chart(title: "Line coverage (%)", axis: "%", series: "line", points: coverage, percent: true),
            chart(title: "Findings", axis: "findings", series: "bar", points: findings, percent: false),
        ].compactMap { $0 }
        return charts.isEmpty ? nil : charts.joined(separator: "\n\n")
    }

    private func chart(title: String, axis: String, series: String, points: [(Int64, Double)], percent: Bool) -> String? {
        guard points.count >= 2 else { return nil }
        return MermaidChart.block(
            title: title, labels: points.map { String($0.0) }, values: points.map(\.1), axis: axis,
            percent: percent, series: series)
    }
}
