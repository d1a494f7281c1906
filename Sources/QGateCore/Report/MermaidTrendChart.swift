import Foundation

/// Mermaid `xychart-beta` charts of line coverage and findings over the baseline branch's
/// recent runs, which GitHub renders inside a `mermaid` code block.
///
/// Only numbers and fixed words go into the chart (run ids as axis labels), so nothing from a
/// report needs Mermaid escaping. A series needs at least two points to show a trend; runs
/// without a value are left out of that series.
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
        let labels = points.map { "\"\($0.0)\"" }.joined(separator: ", ")
        let values = points.map { percent ? String(format: "%.2f", $0.1) : ReportFormatting.number($0.1) }
        // Percent axes span the data rounded out to whole points, so a small drop stays visible.
        let low = max(0, (points.map(\.1).min() ?? 0).rounded(.down) - 1)
        let high = min(100, (points.map(\.1).max() ?? 100).rounded(.up) + 1)
        let range = percent ? " \(Int(low)) --> \(Int(high))" : ""
        return """
            ```mermaid
            xychart-beta
                title "\(title)"
                x-axis [\(labels)]
                y-axis "\(axis)"\(range)
                \(series) [\(values.joined(separator: ", "))]
            ```
            """
    }
}
