/// Totals of a set of findings by severity; suppressed findings are counted apart because
/// gates ignore them by default.
public struct FindingCounts: Codable, Sendable, Equatable {
    public var total = 0, critical = 0, high = 0, medium = 0, low = 0, info = 0, suppressed = 0

    public init() {}

    public init<S: Sequence>(_ findings: S) where S.Element == Finding {
        for finding in findings { add(finding) }
    }

    public mutating func add(_ finding: Finding) {
        guard !finding.suppressed else { suppressed += 1; return }
        add(finding.severity, count: 1)
    }

    /// Adds `count` unsuppressed findings of one severity (from a `GROUP BY severity`).
    public mutating func add(_ severity: Severity, count: Int) {
        total += count
        switch severity {
        case .critical: critical += count
        case .high: high += count
        case .medium: medium += count
        case .low: low += count
        case .info: info += count
        }
    }

    public subscript(severity: Severity) -> Int {
        switch severity {
        case .critical: critical
        case .high: high
        case .medium: medium
        case .low: low
        case .info: info
        }
    }
}
