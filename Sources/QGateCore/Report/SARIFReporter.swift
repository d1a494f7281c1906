import Foundation

/// Renders one merged SARIF 2.1.0 log of the run's findings, for code-scanning uploads and
/// SARIF viewers: one run per tool, with new, unchanged and fixed (`absent`) results.
///
/// Results carry qgate's fingerprint as `partialFingerprints["qgate/v1"]`, so a consumer
/// matches results across uploads the way qgate does, and qgate's own comparison as
/// `baselineState`. Paths stay repository-relative under `%SRCROOT%`.
public struct SARIFReporter: EvaluationReporter {
    /// Longest message, in Characters, before it is cut with "…".
    public static let messageLimit = 4_000

    public init() {}

    public func render(_ evaluation: Evaluation) -> String {
        let changes = evaluation.findings
        let tagged: [(Finding, SARIFOutputLog.BaselineState)] = changes.new.map { ($0, SARIFOutputLog.BaselineState.new) }
            + changes.unchanged.map { ($0, .unchanged) }
            + changes.fixed.map { ($0, .absent) }
        let byTool = Dictionary(grouping: tagged) { $0.0.tool }
        let runs = byTool.keys.sorted().map { tool in
            SARIFOutputLog.Run(tool: tool, findings: (byTool[tool] ?? []).sorted { ReportFormatting.precedes($0.0, $1.0) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(SARIFOutputLog(runs: runs)) else { return "" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The subset of SARIF 2.1.0 qgate writes.
struct SARIFOutputLog: Encodable {
    enum BaselineState: String, Encodable { case new, unchanged, absent }

    var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    var version = "2.1.0"
    var runs: [Run]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case version, runs
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]

        init(tool name: String, findings: [(Finding, BaselineState)]) {
            let ruleIDs = Array(Set(findings.map(\.0.ruleID))).sorted()
            let index = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
            tool = Tool(driver: Driver(name: name, rules: ruleIDs.map { Rule(id: $0) }))
            results = findings.map { finding, state in Result(finding, state: state, ruleIndex: index[finding.ruleID] ?? 0) }
        }
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name: String
        var rules: [Rule]
    }

    struct Rule: Encodable { var id: String }

    struct Message: Encodable { var text: String }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]?
        var partialFingerprints: [String: String]
        var baselineState: BaselineState
        var properties: Properties

        init(_ finding: Finding, state: BaselineState, ruleIndex: Int) {
            ruleId = finding.ruleID
            self.ruleIndex = ruleIndex
            level = Self.level(finding.severity)
            let text = finding.message.capped(toCharacters: SARIFReporter.messageLimit)
            message = Message(text: text.isEmpty ? finding.ruleID : text)
            locations = finding.path.map { [Location(path: $0, range: finding.range)] }
            partialFingerprints = ["qgate/\(FingerprintRecipe.hashTag)": finding.fingerprint]
            baselineState = state
            properties = Properties(finding)
        }

        static func level(_ severity: Severity) -> String {
            switch severity {
            case .critical, .high: "error"
            case .medium: "warning"
            case .low, .info: "note"
            }
        }
    }

    struct Properties: Encodable {
        var severity: String
        var category: String
        var confidence: String?
        var advisories: [String]?
        var cwes: [String]?
        var packageName: String?
        var installedVersion: String?
        var fixedVersions: [String]?

        enum CodingKeys: String, CodingKey {
            case severity, category, confidence, advisories, cwes, installedVersion, fixedVersions
            case packageName = "package"
        }

        init(_ finding: Finding) {
            severity = finding.severity.rawValue
            category = finding.category.rawValue
            confidence = finding.confidence
            advisories = finding.advisories.isEmpty ? nil : finding.advisories
            cwes = finding.cwes.isEmpty ? nil : finding.cwes.map { "CWE-\($0)" }
            packageName = finding.dependency?.name
            installedVersion = finding.dependency?.installedVersion
            fixedVersions = finding.dependency.flatMap { $0.fixedVersions.isEmpty ? nil : $0.fixedVersions }
        }
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation

        init(path: String, range: SourceRange) {
            physicalLocation = PhysicalLocation(
                artifactLocation: ArtifactLocation(uri: Self.uriReference(path), uriBaseId: "%SRCROOT%"),
                region: Region(range))
        }

        /// A relative URI reference: every character outside the unreserved and sub-delimiter
        /// sets is percent-encoded, `:` included so that no first segment reads as a scheme.
        static func uriReference(_ path: String) -> String {
            var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            allowed.insert(charactersIn: "-._~/!$&'()*+,;=@")
            return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        }
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String
    }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int?
        var endLine: Int?
        var endColumn: Int?

        /// nil unless the start line is known; SARIF lines and columns start at 1.
        init?(_ range: SourceRange) {
            guard let line = range.startLine, line >= 1 else { return nil }
            startLine = line
            startColumn = range.startColumn.flatMap { $0 >= 1 ? $0 : nil }
            endLine = range.endLine.flatMap { $0 >= line ? $0 : nil }
            endColumn = endLine == nil ? nil : range.endColumn.flatMap { $0 >= 1 ? $0 : nil }
        }
    }
}
