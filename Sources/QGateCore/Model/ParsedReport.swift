/// The input formats qgate reads. The raw values are the names users type after `--as` and
/// see in JSON output.
public enum ReportFormat: String, CaseIterable, Codable, Sendable {
    case junit
    case cobertura
    case banditJSON = "bandit-json"
    case safetyJSON = "safety-json"
    case sarif
}

/// A recoverable oddity noticed while reading a report (a banner skipped, paths that do not
/// resolve, files a scanner could not read). Printed and kept; never fatal.
public struct Diagnostic: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Level: String, Codable, Sendable { case warning, note }
    public var level: Level
    public var file: String
    public var message: String

    public init(_ level: Level = .warning, file: String, _ message: String) {
        self.level = level
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(level.rawValue): \(message)" }
}

/// Everything one report said, normalised, before it touches the store.
public struct ParsedReport: Sendable {
    public var format: ReportFormat
    public var tool: String
    public var findings: [Finding]
    public var tests: [TestResult]
    /// nil for reports that carry no coverage (as opposed to coverage of zero files).
    public var coverage: [FileCoverage]?
    public var diagnostics: [Diagnostic]

    public init(
        format: ReportFormat, tool: String, findings: [Finding] = [], tests: [TestResult] = [],
        coverage: [FileCoverage]? = nil, diagnostics: [Diagnostic] = []
    ) {
        self.format = format
        self.tool = tool
        self.findings = findings
        self.tests = tests
        self.coverage = coverage
        self.diagnostics = diagnostics
    }
}
