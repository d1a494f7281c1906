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
        total += 1
        switch finding.severity {
        case .critical: critical += 1
        case .high: high += 1
        case .medium: medium += 1
        case .low: low += 1
        case .info: info += 1
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
