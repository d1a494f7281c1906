import Foundation

/// Renders one merged SARIF 2.1.0 log of the run's findings, for code-scanning uploads and
/// SARIF viewers: one run per tool, with new and unchanged results, and fixed (`absent`) ones
/// only when asked: GitHub code scanning ignores `baselineState`, so an uploaded `absent`
/// result re-opens the alert it should close.
///
/// Results carry qgate's fingerprint as `partialFingerprints["qgate/v1"]`, so a consumer
/// matches results across uploads the way qgate does, and qgate's own comparison as
/// `baselineState`. Paths stay repository-relative under `%SRCROOT%`.
public struct SARIFReporter: EvaluationReporter {
    /// Longest message, in Characters, before it is cut with "…" (the one cap of every output).
    public static let messageLimit = TextEscaper.messageLimit

    /// Whether fixed findings are written as `absent` results (`--include-fixed`).
    public var includeFixed: Bool

    public init(includeFixed: Bool = false) {
        self.includeFixed = includeFixed
    }

    public func render(_ evaluation: Evaluation) -> String {
        var out = ""
        try? write(evaluation) { out += $0 }
        return out
    }

    /// Streams the log: one result at a time, never the whole document in memory.
    public func write(_ evaluation: Evaluation, to sink: (String) throws -> Void) throws {
        let changes = evaluation.findings
        let tagged: [(Finding, SARIFOutputLog.BaselineState)] =
            changes.new.map { ($0, SARIFOutputLog.BaselineState.new) }
            + changes.unchanged.map { ($0, .unchanged) }
            + (includeFixed ? changes.fixed.map { ($0, .absent) } : [])
        let byTool = Dictionary(grouping: tagged) { $0.0.tool }
        let encoder = StreamedJSON.encoder()
        let tools = byTool.keys.sorted()
        guard !tools.isEmpty else {
            try sink(TextEscaper.inertJSON(String(decoding: try encoder.encode(SARIFOutputLog(runs: [])), as: UTF8.self)) + "\n")
            return
        }
        try sink("{\n  \"$schema\" : \"\(SARIFOutputLog.schemaURI)\",\n  \"runs\" : [\n")
        for (index, tool) in tools.enumerated() {
            let findings = (byTool[tool] ?? []).sorted { ReportFormatting.precedes($0.0, $1.0) }
            let ruleIDs = Array(Set(findings.map(\.0.ruleID))).sorted()
            let ruleIndex = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
            try sink("    {\n      \"results\" : ")
            try StreamedJSON.array(
                findings.map { LazyResult(finding: $0.0, state: $0.1, ruleIndex: ruleIndex[$0.0.ruleID] ?? 0) },
                depth: 3, with: encoder, to: sink)
            let driver = SARIFOutputLog.Tool(driver: SARIFOutputLog.Driver(name: tool, rules: ruleIDs.map { SARIFOutputLog.Rule(id: $0) }))
            let toolJSON: String = try StreamedJSON.encoded(driver, depth: 3, with: encoder)
            let separator: String = index + 1 < tools.count ? ",\n" : "\n"
            try sink(",\n      \"tool\" : \(toolJSON)\n    }\(separator)")
        }
        try sink("  ],\n  \"version\" : \"2.1.0\"\n}\n")
    }

    /// A result built only when encoded, so a million findings never become a million results at once.
    private struct LazyResult: Encodable {
        var finding: Finding
        var state: SARIFOutputLog.BaselineState
        var ruleIndex: Int

        func encode(to encoder: Encoder) throws {
            try SARIFOutputLog.Result(finding, state: state, ruleIndex: ruleIndex).encode(to: encoder)
        }
    }
}

/// The subset of SARIF 2.1.0 qgate writes.
struct SARIFOutputLog: Encodable {
    enum BaselineState: String, Encodable { case new, unchanged, absent }

    static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    var schema = SARIFOutputLog.schemaURI
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
