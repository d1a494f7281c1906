import Foundation

/// Tells which JSON report a document is from the names of its top-level members, the one
/// thing every writer of a format shares whatever its key order, indentation or escapes:
/// words found elsewhere (a bandit finding's code that mentions `"runs"`, bandit's
/// `metrics._totals` inside a SARIF run) decide nothing.
///
/// Each format has member names that no other format has at the top level: SARIF's `runs`,
/// bandit's `results` and `generated_at`, safety's `report_meta` (2.x/3.x `check`),
/// `scan_results` (3.x `scan`) and `scanned_packages`. The first such member decides, so
/// the members before it are stepped over without being decoded, and the rest of the
/// document is not read at all: the parser checks it. A top-level array is safety 1.x.
enum JSONTopLevel {
    static func format(of bytes: UnsafeBufferPointer<UInt8>) -> ReportFormat? {
        do {
            return try JSONScanner.peek(bytes) { scanner -> ReportFormat? in
                switch try scanner.peekKind() {
                case .array: return .safetyJSON
                case .object: break
                default: return nil
                }
                var format: ReportFormat?
                try scanner.forEachMemberWhile({ scanner, key in
                    switch key {
                    case "runs": format = .sarif
                    case "results", "generated_at": format = .banditJSON
                    case "report_meta", "scan_results", "scanned_packages": format = .safetyJSON
                    default:
                        try scanner.skipValue()
                        return true
                    }
                    return false
                })
                return format
            }
        } catch {
            // Not JSON, or cut off (a prefix) before a member that decides.
            return nil
        }
    }
}
