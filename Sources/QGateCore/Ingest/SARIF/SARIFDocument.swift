import Foundation

// The parts of a SARIF 2.1.0 log that qgate reads, and nothing more: declaring only these
// fields keeps decoding of a 50 MB Trivy report fast and its memory bounded. Fields the
// specification requires but real tools omit (flawfinder's `kind: pass` results carry no
// `message`) are optional here; fields qgate cannot do without (`runs`, `results`,
// `tool.driver.name`) are required, so their absence is an error naming the JSON path.

/// A whole SARIF log. Decoding it checks `version` first, so a SARIF 1.x or 2.0 file fails
/// with "version", not with whatever shape difference happens to come first.
struct SARIFLog: Decodable {
    static let supportedVersion = "2.1.0"

    let runs: [SARIFRun]

    private enum CodingKeys: String, CodingKey { case version, runs }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(String.self, forKey: .version)
        guard version == Self.supportedVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container,
                debugDescription: "SARIF version \"\(version)\" is not supported; qgate reads SARIF \(Self.supportedVersion)")
        }
        runs = try container.decode([SARIFRun].self, forKey: .runs)
    }
}

/// One invocation of one tool, with its own rules, artifacts and base URIs.
struct SARIFRun: Decodable {
    let tool: SARIFTool
    let results: [SARIFResult]
    let invocations: [SARIFInvocation]?
    let originalUriBaseIds: [String: SARIFArtifactLocation]?
    let artifacts: [SARIFArtifact]?
}

/// The analysis tool: the driver, plus the plug-ins (CodeQL query packs) that may hold the rules.
struct SARIFTool: Decodable {
    let driver: SARIFToolComponent
    let extensions: [SARIFToolComponent]?
}

/// A driver or an extension, holding a rule table.
struct SARIFToolComponent: Decodable {
    let name: String
    let guid: String?
    let rules: [SARIFRule]?
}

/// A `reportingDescriptor`: what a rule is called, its default level and its property bag.
struct SARIFRule: Decodable {
    let id: String?
    let name: String?
    let shortDescription: SARIFMessageString?
    let help: SARIFMessageString?
    let messageStrings: [String: SARIFMessageString]?
    let defaultConfiguration: SARIFConfiguration?
    let properties: SARIFRuleProperties?
}

/// The slice of a rule's property bag that carries severity, category and confidence.
struct SARIFRuleProperties: Decodable {
    let tags: [String]?
    /// A score (`"7.5"`, `7.5`) or, from Semgrep 1.69, a word (`"MEDIUM"`).
    let securitySeverity: LenientString?
    let precision: LenientString?

    private enum CodingKeys: String, CodingKey {
        case tags, precision
        case securitySeverity = "security-severity"
    }
}

/// A `multiformatMessageString`; only the plain text is used.
struct SARIFMessageString: Decodable {
    let text: String?
}

/// A `reportingConfiguration`; may be `{}` or only `{"enabled": true}`.
struct SARIFConfiguration: Decodable {
    let level: SARIFLevel?
}

/// SARIF's closed set of result levels (§3.27.10).
enum SARIFLevel: String, Decodable {
    case none, note, warning, error
}

/// SARIF's closed set of result kinds; only `fail` is a problem.
enum SARIFResultKind: String, Decodable {
    case pass, open, informational, notApplicable, review, fail
}

/// One result, as reported.
struct SARIFResult: Decodable {
    let ruleId: String?
    let ruleIndex: Int?
    let rule: SARIFDescriptorReference?
    let kind: SARIFResultKind?
    let level: SARIFLevel?
    let message: SARIFMessage?
    let locations: [SARIFLocation]?
    let suppressions: [SARIFSuppression]?
    let baselineState: ToolBaselineState?
    let fingerprints: [String: SARIFFingerprintValue]?
    let partialFingerprints: [String: SARIFFingerprintValue]?
}

/// A `reportingDescriptorReference`: a rule named by id and/or index, possibly in an extension.
struct SARIFDescriptorReference: Decodable {
    let id: String?
    let index: Int?
    let toolComponent: SARIFToolComponentReference?
}

/// Names a tool component by index into `tool.extensions`, by guid or by name.
struct SARIFToolComponentReference: Decodable {
    let name: String?
    let index: Int?
    let guid: String?
}

/// A message: literal text, or an id into the rule's `messageStrings` with `{0}` arguments.
struct SARIFMessage: Decodable {
    let text: String?
    let id: String?
    let arguments: [String]?
}

struct SARIFLocation: Decodable {
    let physicalLocation: SARIFPhysicalLocation?
}

struct SARIFPhysicalLocation: Decodable {
    let artifactLocation: SARIFArtifactLocation?
    let region: SARIFRegion?
}

/// A file reference: a URI, possibly relative to a named base, or an index into `run.artifacts`.
struct SARIFArtifactLocation: Decodable {
    let uri: String?
    let uriBaseId: String?
    let index: Int?
}

struct SARIFArtifact: Decodable {
    let location: SARIFArtifactLocation?
}

struct SARIFRegion: Decodable {
    let startLine: Int?
    let startColumn: Int?
    let endLine: Int?
    let endColumn: Int?
    let snippet: SARIFMessageString?
}

/// How a result is suppressed. Only `status` matters: absent or `accepted` means suppressed.
struct SARIFSuppression: Decodable {
    enum Status: String, Decodable { case accepted, underReview, rejected }
    let status: Status?
}

/// One run of the tool, as the tool itself saw it.
struct SARIFInvocation: Decodable {
    let executionSuccessful: Bool?
    let toolExecutionNotifications: [SARIFNotification]?
    let ruleConfigurationOverrides: [SARIFConfigurationOverride]?
}

/// A message from the tool about its own execution (a file it could not parse).
struct SARIFNotification: Decodable {
    let level: SARIFLevel?
    let message: SARIFMessage?
}

/// A per-invocation change of one rule's configuration (its level).
struct SARIFConfigurationOverride: Decodable {
    let descriptor: SARIFDescriptorReference?
    let configuration: SARIFConfiguration?
}

/// A fingerprint value: a string for almost every tool, but nested objects and numbers were
/// seen (Black Duck); flattened to one deterministic string so it can still identify a result.
struct SARIFFingerprintValue: Decodable {
    let text: String

    init(from decoder: Decoder) throws {
        if let container = try? decoder.singleValueContainer() {
            if let string = try? container.decode(String.self) { text = string; return }
            if let number = try? container.decode(Double.self) {
                text = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
                return
            }
            if let flag = try? container.decode(Bool.self) { text = String(flag); return }
            if container.decodeNil() { text = ""; return }
        }
        if var array = try? decoder.unkeyedContainer() {
            var parts: [String] = []
            while !array.isAtEnd { parts.append(try array.decode(SARIFFingerprintValue.self).text) }
            text = "[" + parts.joined(separator: ",") + "]"
            return
        }
        let object = try decoder.container(keyedBy: AnyKey.self)
        let parts = try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
            "\(key.stringValue)=\(try object.decode(SARIFFingerprintValue.self, forKey: key).text)"
        }
        text = "{" + parts.joined(separator: ",") + "}"
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        let intValue: Int? = nil
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
