import Foundation

/// Trivy's conventions inside SARIF, across its three generations (the 2020 and 2021
/// templates and the Go writer since v0.23, FORMATS.md §5): where its own severity word and
/// the kind of finding survive, and how a rule id is spelled.
enum Trivy {
    /// Trivy's severity vocabulary; the `security-severity` score it also writes comes from a
    /// CVSS source and can disagree with the vendor severity Trivy itself reports.
    enum SeverityWord: String {
        case critical = "CRITICAL", high = "HIGH", medium = "MEDIUM", low = "LOW", unknown = "UNKNOWN"

        init?(_ text: some StringProtocol) {
            self.init(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased())
        }

        var severity: Severity {
            switch self {
            case .critical: .critical
            case .high: .high
            case .medium: .medium
            case .low: .low
            case .unknown: .info
            }
        }
    }

    /// The kind of finding from the rule's first tag (`vulnerability`, `misconfiguration`, …),
    /// else from the rule name (`OsPackageVulnerability`, `OS Package Vulnerability (Alpine)`,
    /// `Misconfiguration`, `Secret`, `License`).
    static func category(tags: [String], ruleName: String?) -> Category? {
        for tag in tags {
            switch tag.lowercased() {
            case "vulnerability": return .vulnerability
            case "misconfiguration": return .misconfiguration
            case "secret": return .secret
            case "license": return .license
            default: continue
            }
        }
        guard let name = ruleName?.lowercased() else { return nil }
        if name.contains("vulnerability") { return .vulnerability }
        if name.contains("misconfiguration") { return .misconfiguration }
        if name.contains("secret") { return .secret }
        if name.contains("license") { return .license }
        return nil
    }

    /// The severity word among the rule's tags: `tags[2]` for the Go writer, `tags[1]` for the
    /// templates.
    static func severity(tags: [String]) -> Severity? {
        tags.lazy.compactMap { SeverityWord($0)?.severity }.first
    }

    /// A Trivy rule id: `CVE-2019-1549`, `CVE-2018-14618/curl` (2021 template) or
    /// `[LOW] CVE-2011-3374` (2020 template).
    struct RuleID {
        /// The id without the 2020 template's `[SEVERITY] ` prefix.
        let id: String
        let severity: Severity?
        /// The part before `/` (the advisory for vulnerabilities).
        let advisory: String
        /// The part after `/`, which the 2021 template used for the package name.
        let package: String?

        init(_ raw: String) {
            var rest = Substring(raw)
            var severity: Severity?
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]"),
               let word = SeverityWord(rest[rest.index(after: rest.startIndex)..<close]) {
                severity = word.severity
                rest = rest[rest.index(after: close)...].drop { $0 == " " }
            }
            self.id = String(rest)
            self.severity = severity
            if let slash = rest.firstIndex(of: "/") {
                advisory = String(rest[..<slash])
                let package = rest[rest.index(after: slash)...]
                self.package = package.isEmpty ? nil : String(package)
            } else {
                advisory = String(rest)
                package = nil
            }
        }
    }
}

/// The `Key: value` lines Trivy writes into a result's message (Go writer) and a rule's
/// `help.text` (all generations): `Package: X`, `Installed Version: Y`, `Vulnerability CVE`,
/// `Severity: S`, `Fixed Version: F`. Read by splitting lines, no regular expressions: a
/// large image scan has tens of thousands of them.
struct TrivyText {
    var package: String?
    var installedVersion: String?
    /// Nil when the text has no `Fixed Version:` line; empty when it has one with no version.
    var fixedVersions: [String]?
    var vulnerabilityID: String?
    var severity: Severity?

    init() {}

    init(parsing text: String?) {
        guard let text, text.contains("\n") || text.contains(": ") else { return }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let value = Self.value(of: line, after: "Package: ") {
                package = package ?? value
            } else if let value = Self.value(of: line, after: "Installed Version: ") {
                installedVersion = installedVersion ?? value
            } else if let value = Self.value(of: line, after: "Fixed Version:") {
                fixedVersions = fixedVersions ?? value.split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            } else if let value = Self.value(of: line, after: "Vulnerability ") {
                vulnerabilityID = vulnerabilityID ?? value
            } else if let value = Self.value(of: line, after: "Severity: ") {
                severity = severity ?? Trivy.SeverityWord(value)?.severity
            }
        }
    }

    /// The trimmed rest of `line` after `key`; nil when the line does not start with it, and
    /// nil for an empty value except for `Fixed Version:`, whose emptiness is information.
    private static func value(of line: Substring, after key: String) -> String? {
        guard line.hasPrefix(key) else { return nil }
        let value = line.dropFirst(key.count).trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty && key != "Fixed Version:" ? nil : value
    }
}
