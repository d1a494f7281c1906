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
    static let unknownRule = SARIFRuleTraits(
        category: .lint, securitySeverity: nil, trivyTagSeverity: nil, cwes: [],
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
        let genericCategory: Category =
            tags.contains { Self.equalsIgnoringCase($0, "security") } || scoreOrWord != nil
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

    /// `caseInsensitiveCompare(word) == .orderedSame` for a lower-case ASCII `word`, without
    /// Foundation for ASCII text: this runs for every tag of every rule.
    static func equalsIgnoringCase(_ text: String, _ word: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.caseInsensitiveCompare(String(decoding: expected, as: UTF8.self)) == .orderedSame
        }
        guard text.utf8.count == expected.count else { return false }
        return zip(text.utf8, expected).allSatisfy { byte, lower in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte) == lower
        }
    }

    /// `external/cwe/cwe-089` (CodeQL, bandit) and `CWE-346` or `CWE-346: Origin…` (Semgrep).
    static func cwes(in tags: [String]) -> [Int] {
        var found: [Int] = []
        for tag in tags {
            // Most tags are words ("security", "HIGH"): skip them before paying for lowercased().
            guard let first = tag.utf8.first,
                first == UInt8(ascii: "e") || first == UInt8(ascii: "E")
                    || first == UInt8(ascii: "c") || first == UInt8(ascii: "C") || first >= 0x80
            else { continue }
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

/// The default mapping of SARIF's severity signals onto qgate's scale (README, Severity mapping).
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
