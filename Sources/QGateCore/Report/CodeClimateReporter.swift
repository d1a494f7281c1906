import Crypto
import Foundation

/// Renders GitLab Code Quality JSON (the Code Climate issue format) for the merge-request
/// widget: every counted finding of the run, new and unchanged, so that GitLab can compute
/// new and fixed itself by comparing fingerprints with the target branch's report.
///
/// GitLab requires fingerprints to be unique within a report; qgate's are unique per run except
/// when two scanners report the same dependency advisory, so a repeated one is salted with its
/// occurrence. They are hashed to 32 hex digits, the length GitLab's own analyzers produce.
public struct CodeClimateReporter: EvaluationReporter {
    /// Longest description, in Characters, before it is cut with "…" (the one cap of every output).
    public static let descriptionLimit = TextEscaper.messageLimit

    public init() {}

    public func render(_ evaluation: Evaluation) -> String {
        var out = ""
        try? write(evaluation) { out += $0 }
        return out
    }

    /// Streams the issues one at a time, never the whole document in memory.
    public func write(_ evaluation: Evaluation, to sink: (String) throws -> Void) throws {
        let findings = ReportFormatting.sorted(evaluation.findings.new + evaluation.findings.unchanged)
        let encoder = StreamedJSON.encoder()
        guard !findings.isEmpty else {
            try sink(String(decoding: try encoder.encode([CodeClimateIssue]()), as: UTF8.self) + "\n")
            return
        }
        var seen: [String: Int] = [:]
        let keys = findings.map { finding in
            let occurrence = seen[finding.fingerprint, default: 0]
            seen[finding.fingerprint] = occurrence + 1
            return occurrence == 0 ? finding.fingerprint : "\(finding.fingerprint)#\(occurrence)"
        }
        try StreamedJSON.array(zip(findings, keys).map { LazyIssue(finding: $0, key: $1) }, depth: 0, with: encoder, to: sink)
        try sink("\n")
    }

    /// An issue built (and its fingerprint hashed) only when encoded.
    private struct LazyIssue: Encodable {
        var finding: Finding
        var key: String

        func encode(to encoder: Encoder) throws {
            try CodeClimateIssue(finding, fingerprint: CodeClimateReporter.hash(key)).encode(to: encoder)
        }
    }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

/// One Code Climate issue, as GitLab reads it.
struct CodeClimateIssue: Encodable {
    struct Location: Encodable {
        struct Lines: Encodable { var begin: Int }
        var path: String
        var lines: Lines
    }

    var type = "issue"
    var description: String
    var checkName: String
    var fingerprint: String
    var severity: String
    var categories: [String]
    var location: Location

    enum CodingKeys: String, CodingKey {
        case type, description, fingerprint, severity, categories, location
        case checkName = "check_name"
    }

    init(_ finding: Finding, fingerprint: String) {
        description = finding.message.capped(toCharacters: CodeClimateReporter.descriptionLimit)
        checkName = "\(finding.tool):\(finding.ruleID)"
        self.fingerprint = fingerprint
        severity = Self.severity(finding.severity)
        categories = [Self.category(finding.category)]
        // GitLab requires a path; findings about no file (a dependency) point at the repository root.
        location = Location(path: finding.path ?? ".", lines: Location.Lines(begin: max(1, finding.range.startLine ?? 1)))
    }

    /// Code Climate's scale: info, minor, major, critical, blocker.
    static func severity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "blocker"
        case .high: "critical"
        case .medium: "major"
        case .low: "minor"
        case .info: "info"
        }
    }

    /// Code Climate's fixed category names.
    static func category(_ category: Category) -> String {
        switch category {
        case .lint: "Style"
        case .typing: "Bug Risk"
        case .security, .vulnerability, .secret, .misconfiguration: "Security"
        case .license: "Compatibility"
        }
    }
}
