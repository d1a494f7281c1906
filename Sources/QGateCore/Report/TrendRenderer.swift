import Foundation

/// The output formats of `qgate trend`.
public enum TrendFormat: String, Sendable, CaseIterable {
    case table, csv, json, chart
}

/// Renders a ``TrendResult`` as text: pure (no clock, no terminal), so every format has a golden file.
///
/// Gaps print as `-` in the table, an empty field in CSV, `null` in JSON, a blank in the
/// sparkline, and are left out of Mermaid series (Mermaid has no missing values).
public struct TrendRenderer: Sendable {
    public var result: TrendResult

    public init(_ result: TrendResult) {
        self.result = result
    }

    public func render(_ format: TrendFormat) throws -> String {
        switch format {
        case .table: table()
        case .csv: csv()
        case .json: try json()
        case .chart: mermaid() + "\n" + sparklines()
        }
    }

    /// Aligned columns: run, time, commit (12), branch, [split value,] value.
    public func table() -> String {
        var header = ["RUN", "TIME", "COMMIT", "BRANCH"]
        if let by = result.by { header.append(by.rawValue.uppercased()) }
        header.append(result.metric.rawValue.uppercased())
        var rows = [header]
        for series in result.series {
            for point in series.points {
                var row = [String(point.run), point.time, point.commit.map { String($0.prefix(12)) } ?? "-", point.branch ?? "-"]
                if let label = series.label { row.append(label) }
                row.append(point.value.map(format) ?? "-")
                rows.append(row)
            }
        }
        return TextTable.render(rows)
    }

    /// RFC 4180: fields escaped (``TextEscaper``, so no field holds a line break) and quoted when they hold a comma or quote;
    /// CRLF-free fields quoted when they hold a comma, quote or line break; header
    /// `run,time,commit,branch,value` (with the split key before `value` under `--by`).
    public func csv() -> String {
        var header = ["run", "time", "commit", "branch"]
        if let by = result.by { header.append(by.rawValue) }
        header.append("value")
        var lines = [header.joined(separator: ",")]
        for series in result.series {
            for point in series.points {
                var fields = [String(point.run), point.time, point.commit ?? "", point.branch ?? ""]
                if let label = series.label { fields.append(label) }
                fields.append(point.value.map(format) ?? "")
                lines.append(fields.map { Self.csvField(TextEscaper.escape($0)) }.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The trend as a qgate JSON document (docs/schemas/trend.schema.json).
    public func json() throws -> String {
        try QGateJSON.render(result)
    }

    /// One Mermaid `xychart-beta` block per series, over the points that have a value; a series
    /// without any value says so in a plain line instead.
    public func mermaid() -> String {
        result.series.map { series in
            let measured = series.points.compactMap { point in point.value.map { (point, $0) } }
            let title = Self.chartWord(
                result.metric.rawValue + (series.label.map { " " + $0 } ?? "")
                    + (result.branch.map { " on " + $0 } ?? ""))
            guard !measured.isEmpty else { return "\(title): no data\n" }
            let axis = result.metric.isPercent ? "%" : Self.chartWord(result.metric.rawValue)
            return MermaidChart.block(
                title: title, labels: measured.map { label(for: $0.0) }, values: measured.map(\.1), axis: axis,
                percent: result.metric.isPercent, series: "line") + "\n"
        }.joined(separator: "\n")
    }

    /// One line per series: `▁▂▃▅▇ min 71.20 max 74.90 last 72.97`, gaps as blanks.
    public func sparklines() -> String {
        result.series.map { series in
            let prefix = series.label.map { TextEscaper.escape($0) + "  " } ?? ""
            let values = series.points.compactMap(\.value)
            guard let low = values.min(), let high = values.max(), let last = values.last else { return prefix + "no data\n" }
            let bars = Array("▁▂▃▄▅▆▇█")
            let spark = String(
                series.points.map { point -> Character in
                    guard let value = point.value else { return " " }
                    guard high > low else { return bars[3] }
                    return bars[min(bars.count - 1, Int((value - low) / (high - low) * Double(bars.count - 1) + 0.5))]
                })
            return "\(prefix)\(spark) min \(format(low)) max \(format(high)) last \(format(last))\n"
        }.joined()
    }

    /// The x-axis label: the run id, or its UTC day with `--per day`.
    private func label(for point: TrendPoint) -> String {
        result.per == .day ? String(point.time.prefix(10)) : String(point.run)
    }

    /// Percents with 2 decimals, whole counts as integers.
    private func format(_ value: Double) -> String {
        if result.metric.isPercent { return String(format: "%.2f", value) }
        return ReportFormatting.number(value)
    }

    /// Text safe inside a Mermaid quoted string: tool and branch names come from reports and users.
    static func chartWord(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || " ._-/=".contains($0) ? $0 : "_" })
    }
}
