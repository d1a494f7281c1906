import Foundation

/// What changed between two runs, without a policy: findings new / fixed / unchanged by
/// fingerprint (count-aware), tests whose status changed, and the coverage delta. Built on the
/// evaluator with an empty policy, so "new" means exactly what it means in `check`.
public struct RunDiff: Sendable, Encodable {
    public var base: RunSummary
    public var head: RunSummary
    public var newFindings: [Finding]
    public var fixedFindings: [Finding]
    public var unchangedCount: Int
    public var newlyFailingTests: [String]
    public var fixedTests: [String]
    public var coverageLines: Double?
    public var baseCoverageLines: Double?
    public var coverageDelta: Double? {
        guard let coverageLines, let baseCoverageLines else { return nil }
        return coverageLines - baseCoverageLines
    }
    /// The evaluation behind it, for the Markdown rendering.
    public var evaluation: Evaluation

    enum CodingKeys: String, CodingKey {
        case base, head, newFindings = "new_findings", fixedFindings = "fixed_findings", unchangedCount = "unchanged_count"
        case newlyFailingTests = "newly_failing_tests", fixedTests = "fixed_tests", coverageLines = "coverage_lines"
        case baseCoverageLines = "base_coverage_lines", coverageDelta = "coverage_delta"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(base, forKey: .base)
        try c.encode(head, forKey: .head)
        try c.encode(newFindings, forKey: .newFindings)
        try c.encode(fixedFindings, forKey: .fixedFindings)
        try c.encode(unchangedCount, forKey: .unchangedCount)
        try c.encode(newlyFailingTests, forKey: .newlyFailingTests)
        try c.encode(fixedTests, forKey: .fixedTests)
        try c.encode(coverageLines, forKey: .coverageLines)
        try c.encode(baseCoverageLines, forKey: .baseCoverageLines)
        try c.encode(coverageDelta, forKey: .coverageDelta)
    }

    /// Plain text: one line per change, worst first.
    public func text() -> String {
        var lines = [
            TextEscaper.escape(
                "run \(head.id) (\(head.commit.map { String($0.prefix(12)) } ?? "-")) compared with run \(base.id) (\(base.commit.map { String($0.prefix(12)) } ?? "-"))"
            )
        ]
        lines.append("findings: \(newFindings.count) new, \(fixedFindings.count) fixed, \(unchangedCount) unchanged")
        for finding in newFindings { lines.append("  + " + RunDiff.describe(finding)) }
        for finding in fixedFindings { lines.append("  - " + RunDiff.describe(finding)) }
        lines.append("tests: \(newlyFailingTests.count) newly failing, \(fixedTests.count) fixed")
        for test in newlyFailingTests { lines.append("  + " + TextReporter.oneLine(test)) }
        for test in fixedTests { lines.append("  - " + TextReporter.oneLine(test)) }
        if let coverageLines {
            let base = baseCoverageLines.map { String(format: "%.2f%%", $0) } ?? "n/a"
            let delta = coverageDelta.map(ReportFormatting.points) ?? "n/a"
            lines.append(String(format: "coverage: lines %.2f%% (base %@, delta %@)", coverageLines, base, delta))
        } else {
            lines.append("coverage: no coverage report in run \(head.id)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ finding: Finding) -> String {
        let location = finding.path.map { path in finding.range.startLine.map { "\(path):\($0)" } ?? path } ?? "-"
        let message = finding.message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return "\(finding.severity.rawValue)  \(TextReporter.oneLine(location))  \(TextReporter.oneLine(finding.tool)) "
            + "\(TextReporter.oneLine(finding.ruleID))  \(TextReporter.oneLine(message))"
    }
}
