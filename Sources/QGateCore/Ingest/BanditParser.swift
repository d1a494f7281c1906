import Foundation

/// Placeholder until the Bandit parser lands.
public struct BanditParser: ReportParser {
    public init() {}
    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        throw IngestError.invalid(file: source.displayPath, at: "", reason: "Bandit reports are not supported yet")
    }
}
