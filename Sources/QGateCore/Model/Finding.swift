/// A position in a source file, 1-based, as precise as the report allows.
public struct SourceRange: Codable, Sendable, Hashable {
    public var startLine: Int?
    public var startColumn: Int?
    public var endLine: Int?
    public var endColumn: Int?

    public init(startLine: Int? = nil, startColumn: Int? = nil, endLine: Int? = nil, endColumn: Int? = nil) {
        self.startLine = startLine
        self.startColumn = startColumn
        self.endLine = endLine
        self.endColumn = endColumn
    }
}

/// The dependency a vulnerability finding is about. Its presence is what makes a finding a
/// "dependency finding", whose identity is advisory + package + installed version.
public struct DependencyInfo: Codable, Sendable, Hashable {
    public var name: String
    public var installedVersion: String?
    public var affectedSpec: String?
    public var fixedVersions: [String]

    public init(name: String, installedVersion: String? = nil, affectedSpec: String? = nil, fixedVersions: [String] = []) {
        self.name = name
        self.installedVersion = installedVersion
        self.affectedSpec = affectedSpec
        self.fixedVersions = fixedVersions
    }

    /// PEP 503-style normalisation (`Jinja2`, `jinja_2` → `jinja2`…): scanners spell names differently.
    public var normalizedName: String {
        var out = ""
        var lastWasSeparator = false
        for ch in name.lowercased() {
            if ch == "-" || ch == "_" || ch == "." {
                if !lastWasSeparator { out.append("-") }
                lastWasSeparator = true
            } else {
                out.append(ch)
                lastWasSeparator = false
            }
        }
        return out
    }
}

/// Whether the producing tool itself says a result is new relative to its own baseline
/// (SARIF `baselineState`). Kept for information; qgate's own new/fixed comes from fingerprints.
public enum ToolBaselineState: String, Codable, Sendable {
    case new, unchanged, updated, absent
}

/// One problem reported by one tool, normalised so that every gate, diff and summary can treat
/// flake8's E501 and Trivy's CVE alike.
public struct Finding: Codable, Sendable, Hashable {
    public var tool: String
    public var category: Category
    public var ruleID: String
    public var severity: Severity
    /// The tool's own confidence word where it gives one (bandit, SARIF precision).
    public var confidence: String?
    /// Repository-relative path, `/`-separated; nil for findings about no file.
    public var path: String?
    public var range: SourceRange
    public var message: String
    /// The flagged source line where the report carries it; the fingerprint hashes it so
    /// that a finding survives unrelated lines moving.
    public var snippet: String?
    public var dependency: DependencyInfo?
    /// Advisory identifiers, most portable first (CVE, GHSA, PYSEC, then tool-specific ids).
    public var advisories: [String]
    public var cwes: [Int]
    /// The tool's own stable identity for the result (SARIF `fingerprints`/`partialFingerprints`).
    public var toolFingerprint: String?
    /// Suppressed in the report itself (SARIF suppressions, safety ignores): kept, not gated.
    public var suppressed: Bool
    public var toolBaselineState: ToolBaselineState?
    /// Filled by ``FingerprintRecipe`` once a report's findings are complete.
    public var fingerprint: String

    public init(
        tool: String, category: Category, ruleID: String, severity: Severity, confidence: String? = nil,
        path: String? = nil, range: SourceRange = SourceRange(), message: String, snippet: String? = nil,
        dependency: DependencyInfo? = nil, advisories: [String] = [], cwes: [Int] = [],
        toolFingerprint: String? = nil, suppressed: Bool = false, toolBaselineState: ToolBaselineState? = nil
    ) {
        self.tool = tool
        self.category = category
        self.ruleID = ruleID
        self.severity = severity
        self.confidence = confidence
        self.path = path
        self.range = range
        self.message = message
        self.snippet = snippet
        self.dependency = dependency
        self.advisories = advisories
        self.cwes = cwes
        self.toolFingerprint = toolFingerprint
        self.suppressed = suppressed
        self.toolBaselineState = toolBaselineState
        self.fingerprint = ""
    }
}
