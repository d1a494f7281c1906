/// The outcome of a check: pass, warn or fail.
public enum Verdict: String, Sendable, Codable, Comparable, CaseIterable {
    case pass, warn, fail

    private var order: Int {
        switch self {
        case .pass: 0
        case .warn: 1
        case .fail: 2
        }
    }

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.order < rhs.order }
}
