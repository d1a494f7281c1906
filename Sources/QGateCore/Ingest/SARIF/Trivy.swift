import Foundation

/// Trivy's conventions inside SARIF, across its three generations (the 2020 and 2021
/// templates and the Go writer since v0.23, FORMATS.md §5): where its own severity word and
/// the kind of finding survive, and how a rule id is spelled.
enum Trivy {
    /// Trivy's severity vocabulary; the `security-severity` score it also writes comes from a
    /// CVSS source and can disagree with the vendor severity Trivy itself reports.
    enum SeverityWord: String {
        case critical = "CRITICAL", high = "HIGH", medium = "MEDIUM", low = "LOW", unknown = "UNKNOWN"

        init?(_ text: String) {
            if let exact = SeverityWord(rawValue: text) {
                self = exact
            } else if let word = SeverityWord(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased()) {
                self = word
            } else {
                return nil
            }
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
        for tag in tags where tag.utf8.count <= 16 {  // the longest kind is "misconfiguration"
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
                let word = SeverityWord(String(rest[rest.index(after: rest.startIndex)..<close]))
            {
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
/// `Severity: S`, `Fixed Version: F`. A large image scan has tens of thousands of these, so
/// the text is scanned as UTF-8 bytes, line by line: no regular expressions, no Foundation
/// string searching.
struct TrivyText {
    var package: String?
    var installedVersion: String?
    /// Nil when the text has no `Fixed Version:` line; empty when it has one with no version.
    var fixedVersions: [String]?
    var vulnerabilityID: String?
    var severity: Severity?

    /// Whether the text named the package and its installed version, so a rule's help text
    /// need not be consulted.
    var hasPackageFacts: Bool { package != nil && installedVersion != nil && fixedVersions != nil }

    init() {}

    init(parsing text: String?) {
        guard let text else { return }
        let bytes = text.utf8
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            read(line: bytes[lineStart..<lineEnd])
            lineStart = lineEnd == bytes.endIndex ? lineEnd : bytes.index(after: lineEnd)
        }
    }

    private enum Key {
        static let package = Array("Package: ".utf8)
        static let installedVersion = Array("Installed Version: ".utf8)
        static let fixedVersion = Array("Fixed Version:".utf8)
        static let vulnerability = Array("Vulnerability ".utf8)
        static let severity = Array("Severity: ".utf8)
    }

    private mutating func read(line: Substring.UTF8View) {
        switch line.first {
        case UInt8(ascii: "P"):
            if package == nil { package = Self.token(of: line, after: Key.package) }
        case UInt8(ascii: "I"):
            if installedVersion == nil { installedVersion = Self.token(of: line, after: Key.installedVersion) }
        case UInt8(ascii: "F"):
            if fixedVersions == nil, line.starts(with: Key.fixedVersion) {
                fixedVersions = line.dropFirst(Key.fixedVersion.count)
                    .split(separator: UInt8(ascii: ","))
                    .map { Self.trimmed($0) }
                    .filter { !$0.isEmpty }
                    .map { String(decoding: $0, as: UTF8.self) }
            }
        case UInt8(ascii: "V"):
            if vulnerabilityID == nil { vulnerabilityID = Self.token(of: line, after: Key.vulnerability) }
        case UInt8(ascii: "S"):
            if severity == nil { severity = Self.token(of: line, after: Key.severity).flatMap { Trivy.SeverityWord($0)?.severity } }
        default:
            break
        }
    }

    /// The single word after `key` on a line that starts with it. Descriptions are free text
    /// ("Vulnerability in the MySQL Server product…"), so a value with spaces is not a value.
    private static func token(of line: Substring.UTF8View, after key: [UInt8]) -> String? {
        guard line.starts(with: key) else { return nil }
        let value = trimmed(line.dropFirst(key.count))
        guard !value.isEmpty, !value.contains(UInt8(ascii: " ")) else { return nil }
        return String(decoding: value, as: UTF8.self)
    }

    private static func trimmed(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        let isSpace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return bytes[bytes.endIndex...]
        }
        return bytes[first...last]
    }
}
