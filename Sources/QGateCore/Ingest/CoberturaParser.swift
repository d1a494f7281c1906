import Foundation

/// Placeholder until the Cobertura parser lands.
public struct CoberturaParser: ReportParser {
    public init() {}
    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        throw IngestError.invalid(file: source.displayPath, at: "", reason: "Cobertura reports are not supported yet")
    }
}
