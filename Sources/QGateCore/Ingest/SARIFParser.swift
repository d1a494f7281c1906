import Foundation

/// Placeholder until the SARIF parser lands.
public struct SARIFParser: ReportParser {
    public init() {}
    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        throw IngestError.invalid(file: source.displayPath, at: "", reason: "SARIF reports are not supported yet")
    }
}
