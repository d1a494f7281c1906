import Foundation

/// Placeholder until the JUnit parser lands.
public struct JUnitParser: ReportParser {
    public init() {}
    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        throw IngestError.invalid(file: source.displayPath, at: "", reason: "JUnit reports are not supported yet")
    }
}
