import Foundation

/// What a rule implies for every result that cites it, worked out once per rule rather than
/// once per result: category, severity (when the rule's properties decide it), CWEs and
/// confidence.
struct SARIFRuleTraits {
    let category: Category
    /// What `security-severity` says (a score or a word); nil to fall back on the level.
    let securitySeverity: Severity?
    /// Trivy's own severity word among the rule's tags; nil for other tools.
    let trivyTagSeverity: Severity?
    let cwes: [Int]
    let confidence: String?

    /// Traits of a result whose rule could not be found.
    static let unknownRule = SARIFRuleTraits(category: .lint, securitySeverity: nil, trivyTagSeverity: nil, cwes: [],
                                             confidence: nil)

    init(category: Category, securitySeverity: Severity?, trivyTagSeverity: Severity?, cwes: [Int], confidence: String?) {
        self.category = category
        self.securitySeverity = securitySeverity
        self.trivyTagSeverity = trivyTagSeverity
        self.cwes = cwes
        self.confidence = confidence
    }

    init(rule: SARIFRule, dialect: SARIFDialect) {
        let tags = rule.properties?.tags ?? []
        let scoreOrWord = rule.properties?.securitySeverity?.value
        let genericCategory: Category = tags.contains { $0.caseInsensitiveCompare("security") == .orderedSame } || scoreOrWord != nil
            ? .security : .lint
        securitySeverity = scoreOrWord.flatMap(SARIFSeverityMapping.severity(securitySeverity:))
        cwes = SARIFRuleTraits.cwes(in: tags)
        confidence = rule.properties?.precision?.value
        switch dialect {
        case .generic:
            category = genericCategory
            trivyTagSeverity = nil
        case .trivy:
            category = Trivy.category(tags: tags, ruleName: rule.name) ?? genericCategory
            trivyTagSeverity = Trivy.severity(tags: tags)
        }
    }

    /// `external/cwe/cwe-089` (CodeQL, bandit) and `CWE-346` or `CWE-346: Origin…` (Semgrep).
    static func cwes(in tags: [String]) -> [Int] {
        var found: [Int] = []
        for tag in tags {
            let lowered = tag.lowercased()
            let rest: Substring
            if lowered.hasPrefix("external/cwe/cwe-") {
                rest = lowered.dropFirst("external/cwe/cwe-".count)
            } else if lowered.hasPrefix("cwe-") {
                rest = lowered.dropFirst("cwe-".count)
            } else {
                continue
            }
            if let number = Int(rest.prefix { $0.isASCII && $0.isNumber }), !found.contains(number) {
                found.append(number)
            }
        }
        return found
    }
}

/// Whose conventions a run follows. Trivy writes its own severity words and puts package
/// facts in message text; everything else is read as the SARIF specification describes.
enum SARIFDialect {
    case generic, trivy

    init(driverName: String) {
        self = driverName.caseInsensitiveCompare("trivy") == .orderedSame ? .trivy : .generic
    }
}

/// The default mapping of SARIF's severity signals onto qgate's scale (SPEC.md §3).
enum SARIFSeverityMapping {
    /// `security-severity` as a score (GitHub's bands, 9.0 itself critical, 0 info) or, as
    /// Semgrep 1.69 writes it, a word.
    static func severity(securitySeverity text: String) -> Severity? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let score = Double(trimmed) { return Severity(score: score) }
        switch trimmed.uppercased() {
        case "CRITICAL": return .critical
        case "HIGH": return .high
        case "MEDIUM": return .medium
        case "LOW": return .low
        default: return nil
        }
    }

    static func severity(level: SARIFLevel) -> Severity {
        switch level {
        case .error: .high
        case .warning: .medium
        case .note: .low
        case .none: .info
        }
    }
}
