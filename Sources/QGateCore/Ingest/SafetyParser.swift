import Foundation

/// Placeholder until the Safety parser lands.
public struct SafetyParser: ReportParser {
    public init() {}
    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        throw IngestError.invalid(file: source.displayPath, at: "", reason: "Safety reports are not supported yet")
    }
}
