import Foundation

// The parts of a SARIF 2.1.0 log that qgate reads, and nothing more. Each type reads itself
// from a ``JSONScanner``; every other member (rule help in Markdown, `fullDescription`, code
// flows, `properties` beyond the few read) is skipped without being decoded, which keeps a
// 50 MB Trivy log within about twice its size in memory. Fields the specification requires
// but real tools omit (flawfinder's `kind: pass` results carry no `message`) are optional
// here; fields qgate cannot do without (`runs`, `results`, `tool.driver.name`) are required,
// so their absence is an error naming the JSON path.

/// A whole SARIF log. `version` is checked before `runs` is read, even when it comes after
/// it, so a SARIF 1.x or 2.0 file fails with "version", not with whatever shape difference
/// happens to come first.
struct SARIFLog: JSONScannable {
    static let supportedVersion = "2.1.0"

    let runs: [SARIFRun]

    init(scanning scanner: inout JSONScanner) throws {
        var version: String?
        var runs: [SARIFRun]?
        var runsOffset: Int?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "version":
                let text = try scanner.string()
                guard text == Self.supportedVersion else {
                    throw scanner.failure("SARIF version \"\(text)\" is not supported; qgate reads SARIF \(Self.supportedVersion)")
                }
                version = text
            case "runs" where version != nil:
                runs = try scanner.array { try SARIFRun(scanning: &$0) }
            case "runs":
                runsOffset = scanner.offset
                try scanner.skipValue()
            default:
                try scanner.skipValue()
            }
        }
        guard version != nil else { throw scanner.missing("version") }
        if runs == nil, let runsOffset {
            runs = try scanner.revisit(member: "runs", at: runsOffset) { try $0.array { try SARIFRun(scanning: &$0) } }
        }
        guard let runs else { throw scanner.missing("runs") }
        self.runs = runs
    }
}

/// One invocation of one tool, with its own rules, artifacts and base URIs.
struct SARIFRun: JSONScannable {
    let tool: SARIFTool
    let results: [SARIFResult]
    let invocations: [SARIFInvocation]?
    let originalUriBaseIds: [String: SARIFArtifactLocation]?
    let artifacts: [SARIFArtifact]?

    init(scanning scanner: inout JSONScanner) throws {
        var tool: SARIFTool?
        var results: [SARIFResult]?
        var invocations: [SARIFInvocation]?
        var originalUriBaseIds: [String: SARIFArtifactLocation]?
        var artifacts: [SARIFArtifact]?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "tool": tool = try scanner.decode(SARIFTool.self)
            case "results": results = try scanner.array { try SARIFResult(scanning: &$0) }
            case "invocations": invocations = try scanner.arrayIfPresent(of: SARIFInvocation.self)
            case "originalUriBaseIds":
                originalUriBaseIds = try scanner.optional { try $0.dictionary { try SARIFArtifactLocation(scanning: &$0) } }
            case "artifacts": artifacts = try scanner.arrayIfPresent(of: SARIFArtifact.self)
            default: try scanner.skipValue()
            }
        }
        guard let tool else { throw scanner.missing("tool") }
        guard let results else { throw scanner.missing("results") }
        self.tool = tool
        self.results = results
        self.invocations = invocations
        self.originalUriBaseIds = originalUriBaseIds
        self.artifacts = artifacts
    }
}

/// The analysis tool: the driver, plus the plug-ins (CodeQL query packs) that may hold the rules.
struct SARIFTool: JSONScannable {
    let driver: SARIFToolComponent
    let extensions: [SARIFToolComponent]?

    init(scanning scanner: inout JSONScanner) throws {
        var driver: SARIFToolComponent?
        var extensions: [SARIFToolComponent]?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "driver": driver = try scanner.decode(SARIFToolComponent.self)
            case "extensions": extensions = try scanner.arrayIfPresent(of: SARIFToolComponent.self)
            default: try scanner.skipValue()
            }
        }
        guard let driver else { throw scanner.missing("driver") }
        self.driver = driver
        self.extensions = extensions
    }
}

/// A driver or an extension, holding a rule table.
struct SARIFToolComponent: JSONScannable {
    let name: String
    let guid: String?
    let rules: [SARIFRule]?

    init(scanning scanner: inout JSONScanner) throws {
        var name: String?
        var guid: String?
        var rules: [SARIFRule]?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "name": name = try scanner.string()
            case "guid": guid = try scanner.stringIfPresent()
            case "rules": rules = try scanner.arrayIfPresent(of: SARIFRule.self)
            default: try scanner.skipValue()
            }
        }
        guard let name else { throw scanner.missing("name") }
        self.name = name
        self.guid = guid
        self.rules = rules
    }
}

/// A `reportingDescriptor`: what a rule is called, its default level and its property bag.
struct SARIFRule: JSONScannable {
    var id: String?
    var name: String?
    var shortDescription: SARIFMessageString?
    var help: SARIFMessageString?
    var messageStrings: [String: SARIFMessageString]?
    var defaultConfiguration: SARIFConfiguration?
    var properties: SARIFRuleProperties?

    init(scanning scanner: inout JSONScanner) throws {
        var rule = SARIFRule()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "id": rule.id = try scanner.stringIfPresent()
            case "name": rule.name = try scanner.stringIfPresent()
            case "shortDescription": rule.shortDescription = try scanner.decodeIfPresent(SARIFMessageString.self)
            case "help": rule.help = try scanner.decodeIfPresent(SARIFMessageString.self)
            case "messageStrings":
                rule.messageStrings = try scanner.optional { try $0.dictionary { try SARIFMessageString(scanning: &$0) } }
            case "defaultConfiguration": rule.defaultConfiguration = try scanner.decodeIfPresent(SARIFConfiguration.self)
            case "properties": rule.properties = try scanner.decodeIfPresent(SARIFRuleProperties.self)
            default: try scanner.skipValue()
            }
        }
        self = rule
    }

    private init() {}
}

/// The slice of a rule's property bag that carries severity, category and confidence.
struct SARIFRuleProperties: JSONScannable {
    var tags: [String]?
    /// A score (`"7.5"`, `7.5`) or, from Semgrep 1.69, a word (`"MEDIUM"`).
    var securitySeverity: LenientString?
    var precision: LenientString?

    init(scanning scanner: inout JSONScanner) throws {
        var properties = SARIFRuleProperties()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "tags": properties.tags = try scanner.optional { try $0.array { try $0.string() } }
            case "security-severity": properties.securitySeverity = try scanner.decodeIfPresent(LenientString.self)
            case "precision": properties.precision = try scanner.decodeIfPresent(LenientString.self)
            default: try scanner.skipValue()
            }
        }
        self = properties
    }

    private init() {}
}

/// A `multiformatMessageString`; only the plain text is used (never the Markdown).
struct SARIFMessageString: JSONScannable {
    var text: String?

    init(scanning scanner: inout JSONScanner) throws {
        var text: String?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "text": text = try scanner.stringIfPresent()
            default: try scanner.skipValue()
            }
        }
        self.text = text
    }
}

/// A `reportingConfiguration`; may be `{}` or only `{"enabled": true}`.
struct SARIFConfiguration: JSONScannable {
    var level: SARIFLevel?

    init(scanning scanner: inout JSONScanner) throws {
        var level: SARIFLevel?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "level": level = try scanner.optional { try SARIFLevel(scanning: &$0) }
            default: try scanner.skipValue()
            }
        }
        self.level = level
    }
}

/// SARIF's closed set of result levels (§3.27.10).
enum SARIFLevel: String, JSONScannable {
    case none, note, warning, error

    init(scanning scanner: inout JSONScanner) throws {
        self = try scanner.word(SARIFLevel.self, expected: "none, note, warning or error")
    }
}

/// SARIF's closed set of result kinds; only `fail` is a problem.
enum SARIFResultKind: String, JSONScannable {
    case pass, open, informational, notApplicable, review, fail

    init(scanning scanner: inout JSONScanner) throws {
        self = try scanner.word(SARIFResultKind.self, expected: "pass, open, informational, notApplicable, review or fail")
    }
}

/// One result, as reported.
struct SARIFResult: JSONScannable {
    var ruleId: String?
    var ruleIndex: Int?
    var rule: SARIFDescriptorReference?
    var kind: SARIFResultKind?
    var level: SARIFLevel?
    var message: SARIFMessage?
    var locations: [SARIFLocation]?
    var suppressions: [SARIFSuppression]?
    var baselineState: ToolBaselineState?
    var fingerprints: [String: SARIFFingerprintValue]?
    var partialFingerprints: [String: SARIFFingerprintValue]?

    init(scanning scanner: inout JSONScanner) throws {
        var result = SARIFResult()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "ruleId": result.ruleId = try scanner.stringIfPresent()
            case "ruleIndex": result.ruleIndex = try scanner.intIfPresent()
            case "rule": result.rule = try scanner.decodeIfPresent(SARIFDescriptorReference.self)
            case "kind": result.kind = try scanner.decodeIfPresent(SARIFResultKind.self)
            case "level": result.level = try scanner.decodeIfPresent(SARIFLevel.self)
            case "message": result.message = try scanner.decodeIfPresent(SARIFMessage.self)
            case "locations": result.locations = try scanner.arrayIfPresent(of: SARIFLocation.self)
            case "suppressions": result.suppressions = try scanner.arrayIfPresent(of: SARIFSuppression.self)
            case "baselineState":
                result.baselineState = try scanner.optional {
                    try $0.word(ToolBaselineState.self, expected: "new, unchanged, updated or absent")
                }
            case "fingerprints":
                result.fingerprints = try scanner.optional { try $0.dictionary { try SARIFFingerprintValue(scanning: &$0) } }
            case "partialFingerprints":
                result.partialFingerprints = try scanner.optional { try $0.dictionary { try SARIFFingerprintValue(scanning: &$0) } }
            default: try scanner.skipValue()
            }
        }
        self = result
    }

    private init() {}
}

/// A `reportingDescriptorReference`: a rule named by id and/or index, possibly in an extension.
struct SARIFDescriptorReference: JSONScannable {
    var id: String?
    var index: Int?
    var toolComponent: SARIFToolComponentReference?

    init(scanning scanner: inout JSONScanner) throws {
        var reference = SARIFDescriptorReference()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "id": reference.id = try scanner.stringIfPresent()
            case "index": reference.index = try scanner.intIfPresent()
            case "toolComponent": reference.toolComponent = try scanner.decodeIfPresent(SARIFToolComponentReference.self)
            default: try scanner.skipValue()
            }
        }
        self = reference
    }

    private init() {}
}

/// Names a tool component by index into `tool.extensions`, by guid or by name.
struct SARIFToolComponentReference: JSONScannable {
    var name: String?
    var index: Int?
    var guid: String?

    init(scanning scanner: inout JSONScanner) throws {
        var reference = SARIFToolComponentReference()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "name": reference.name = try scanner.stringIfPresent()
            case "index": reference.index = try scanner.intIfPresent()
            case "guid": reference.guid = try scanner.stringIfPresent()
            default: try scanner.skipValue()
            }
        }
        self = reference
    }

    private init() {}
}

/// A message: literal text, or an id into the rule's `messageStrings` with `{0}` arguments.
struct SARIFMessage: JSONScannable {
    var text: String?
    var id: String?
    var arguments: [String]?

    init(scanning scanner: inout JSONScanner) throws {
        var message = SARIFMessage()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "text": message.text = try scanner.stringIfPresent()
            case "id": message.id = try scanner.stringIfPresent()
            case "arguments": message.arguments = try scanner.optional { try $0.array { try $0.string() } }
            default: try scanner.skipValue()
            }
        }
        self = message
    }

    private init() {}
}

struct SARIFLocation: JSONScannable {
    var physicalLocation: SARIFPhysicalLocation?

    init(scanning scanner: inout JSONScanner) throws {
        var physicalLocation: SARIFPhysicalLocation?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "physicalLocation": physicalLocation = try scanner.decodeIfPresent(SARIFPhysicalLocation.self)
            default: try scanner.skipValue()
            }
        }
        self.physicalLocation = physicalLocation
    }
}

struct SARIFPhysicalLocation: JSONScannable {
    var artifactLocation: SARIFArtifactLocation?
    var region: SARIFRegion?

    init(scanning scanner: inout JSONScanner) throws {
        var artifactLocation: SARIFArtifactLocation?
        var region: SARIFRegion?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "artifactLocation": artifactLocation = try scanner.decodeIfPresent(SARIFArtifactLocation.self)
            case "region": region = try scanner.decodeIfPresent(SARIFRegion.self)
            default: try scanner.skipValue()
            }
        }
        self.artifactLocation = artifactLocation
        self.region = region
    }
}

/// A file reference: a URI, possibly relative to a named base, or an index into `run.artifacts`.
struct SARIFArtifactLocation: JSONScannable {
    var uri: String?
    var uriBaseId: String?
    var index: Int?

    init(scanning scanner: inout JSONScanner) throws {
        var location = SARIFArtifactLocation()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "uri": location.uri = try scanner.stringIfPresent()
            case "uriBaseId": location.uriBaseId = try scanner.stringIfPresent()
            case "index": location.index = try scanner.intIfPresent()
            default: try scanner.skipValue()
            }
        }
        self = location
    }

    private init() {}
}

struct SARIFArtifact: JSONScannable {
    var location: SARIFArtifactLocation?

    init(scanning scanner: inout JSONScanner) throws {
        var location: SARIFArtifactLocation?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "location": location = try scanner.decodeIfPresent(SARIFArtifactLocation.self)
            default: try scanner.skipValue()
            }
        }
        self.location = location
    }
}

struct SARIFRegion: JSONScannable {
    var startLine: Int?
    var startColumn: Int?
    var endLine: Int?
    var endColumn: Int?
    var snippet: SARIFMessageString?

    init(scanning scanner: inout JSONScanner) throws {
        var region = SARIFRegion()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "startLine": region.startLine = try scanner.intIfPresent()
            case "startColumn": region.startColumn = try scanner.intIfPresent()
            case "endLine": region.endLine = try scanner.intIfPresent()
            case "endColumn": region.endColumn = try scanner.intIfPresent()
            case "snippet": region.snippet = try scanner.decodeIfPresent(SARIFMessageString.self)
            default: try scanner.skipValue()
            }
        }
        self = region
    }

    private init() {}
}

/// How a result is suppressed. Only `status` matters: absent or `accepted` means suppressed.
struct SARIFSuppression: JSONScannable {
    enum Status: String { case accepted, underReview, rejected }
    var status: Status?

    init(scanning scanner: inout JSONScanner) throws {
        var status: Status?
        try scanner.forEachMember { scanner, key in
            switch key {
            case "status": status = try scanner.optional { try $0.word(Status.self, expected: "accepted, underReview or rejected") }
            default: try scanner.skipValue()
            }
        }
        self.status = status
    }
}

/// One run of the tool, as the tool itself saw it.
struct SARIFInvocation: JSONScannable {
    var executionSuccessful: Bool?
    var toolExecutionNotifications: [SARIFNotification]?
    var ruleConfigurationOverrides: [SARIFConfigurationOverride]?

    init(scanning scanner: inout JSONScanner) throws {
        var invocation = SARIFInvocation()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "executionSuccessful": invocation.executionSuccessful = try scanner.optional { try $0.bool() }
            case "toolExecutionNotifications":
                invocation.toolExecutionNotifications = try scanner.arrayIfPresent(of: SARIFNotification.self)
            case "ruleConfigurationOverrides":
                invocation.ruleConfigurationOverrides = try scanner.arrayIfPresent(of: SARIFConfigurationOverride.self)
            default: try scanner.skipValue()
            }
        }
        self = invocation
    }

    private init() {}
}

/// A message from the tool about its own execution (a file it could not parse).
struct SARIFNotification: JSONScannable {
    var level: SARIFLevel?
    var message: SARIFMessage?

    init(scanning scanner: inout JSONScanner) throws {
        var notification = SARIFNotification()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "level": notification.level = try scanner.decodeIfPresent(SARIFLevel.self)
            case "message": notification.message = try scanner.decodeIfPresent(SARIFMessage.self)
            default: try scanner.skipValue()
            }
        }
        self = notification
    }

    private init() {}
}

/// A per-invocation change of one rule's configuration (its level).
struct SARIFConfigurationOverride: JSONScannable {
    var descriptor: SARIFDescriptorReference?
    var configuration: SARIFConfiguration?

    init(scanning scanner: inout JSONScanner) throws {
        var override = SARIFConfigurationOverride()
        try scanner.forEachMember { scanner, key in
            switch key {
            case "descriptor": override.descriptor = try scanner.decodeIfPresent(SARIFDescriptorReference.self)
            case "configuration": override.configuration = try scanner.decodeIfPresent(SARIFConfiguration.self)
            default: try scanner.skipValue()
            }
        }
        self = override
    }

    private init() {}
}

/// A fingerprint value: a string for almost every tool, but nested objects and numbers were
/// seen (Black Duck); flattened to one deterministic string so it can still identify a result.
struct SARIFFingerprintValue: JSONScannable {
    let text: String

    init(scanning scanner: inout JSONScanner) throws {
        switch try scanner.peekKind() {
        case .string: text = try scanner.string()
        case .number: text = LenientString.text(ofNumber: try scanner.double())
        case .bool: text = String(try scanner.bool())
        case .null:
            _ = try scanner.consumeNull()
            text = ""
        case .array:
            let parts = try scanner.array { try SARIFFingerprintValue(scanning: &$0).text }
            text = "[" + parts.joined(separator: ",") + "]"
        case .object:
            let members = try scanner.dictionary { try SARIFFingerprintValue(scanning: &$0).text }
            text = "{" + members.keys.sorted().map { "\($0)=\(members[$0] ?? "")" }.joined(separator: ",") + "}"
        }
    }
}

extension LenientString: JSONScannable {
    /// A string as it is, a number as ``text(ofNumber:)`` writes it; nil for anything else.
    init(scanning scanner: inout JSONScanner) throws {
        switch try scanner.peekKind() {
        case .string: self.init(value: try scanner.string())
        case .number: self.init(value: Self.text(ofNumber: try scanner.double()))
        default:
            try scanner.skipValue()
            self.init(value: nil)
        }
    }

    private init(value: String?) {
        self.value = value
    }

    /// `8` for 8.0, `7.5` for 7.5: how a score written as a number reads as text.
    static func text(ofNumber number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
