import Foundation

/// The one severity scale every tool's words are mapped onto, so that a gate can say
/// "no high findings" without knowing which tool produced them.
///
/// Ordered worst first: `critical < high` in `Comparable` terms means "more severe".
public enum Severity: String, CaseIterable, Codable, Sendable, Comparable {
    case critical, high, medium, low, info

    /// Position on the scale, 0 for the worst.
    public var rank: Int {
        switch self {
        case .critical: 0
        case .high: 1
        case .medium: 2
        case .low: 3
        case .info: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// Maps a numeric score (CVSS base score or SARIF `security-severity`) onto the scale with
    /// the bands GitHub and CVSS v3 use: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low, else info.
    public init(score: Double) {
        switch score {
        case 9...: self = .critical
        case 7..<9: self = .high
        case 4..<7: self = .medium
        case let s where s > 0: self = .low
        default: self = .info
        }
    }

    /// Maps the common severity words (`CRITICAL`, `High`, `moderate`, `unknown` …); nil when the
    /// word means nothing on this scale.
    public init?(word: String) {
        switch word.trimmingCharacters(in: .whitespaces).lowercased() {
        case "critical", "blocker": self = .critical
        case "high", "error", "major": self = .high
        case "medium", "moderate", "warning": self = .medium
        case "low", "minor", "note": self = .low
        case "info", "informational", "unknown", "undefined", "none", "negligible": self = .info
        default: return nil
        }
    }
}
