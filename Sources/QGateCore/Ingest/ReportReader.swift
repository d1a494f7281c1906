import Foundation

/// Reads one report end to end: detects the format (unless forced), runs its parser, applies
/// the `--tool` override and fingerprints the findings. The single entry point for turning a
/// file into a ``ParsedReport``.
public enum ReportReader {
    public static func read(_ source: ReportSource, as forced: ReportFormat? = nil,
                            context: ParseContext = ParseContext()) throws -> ParsedReport {
        let format = try forced ?? FormatDetector.detect(source)
        var report = try format.parser.parse(source, context: context)
        if let tool = context.toolOverride {
            report.tool = tool
            for index in report.findings.indices { report.findings[index].tool = tool }
        }
        FingerprintRecipe.assign(&report.findings)
        return report
    }
}
