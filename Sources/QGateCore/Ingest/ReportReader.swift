import Foundation

/// Reads one report end to end: detects the format (unless forced), runs its parser, applies
/// the `--tool` override and fingerprints the findings. The single entry point for turning a
/// file into a ``ParsedReport``.
public enum ReportReader {
    public static func read(
        _ source: ReportSource, as forced: ReportFormat? = nil,
        context: ParseContext = ParseContext()
    ) throws -> ParsedReport {
        let format = try forced ?? FormatDetector.detect(source)
        var report = try format.parser.parse(source, context: context)
        if let tool = context.toolOverride {
            report.tool = tool
            for index in report.findings.indices { report.findings[index].tool = tool }
        }
        try refuseClimbingPaths(report, source: source)
        FingerprintRecipe.assign(&report.findings)
        return report
    }

    /// A path that climbs above the repository root (`../../etc/x`, after `..` was resolved) names
    /// no file of the repository; kept, it could dodge a waiver or a baseline. The report is refused.
    static func refuseClimbingPaths(_ report: ParsedReport, source: ReportSource) throws {
        let climbing =
            report.findings.lazy.compactMap(\.path).first(where: PathNormalizer.climbsAboveRoot)
            ?? report.tests.lazy.compactMap(\.file).first(where: PathNormalizer.climbsAboveRoot)
            ?? (report.coverage ?? []).lazy.map(\.path).first(where: PathNormalizer.climbsAboveRoot)
        guard let climbing else { return }
        let shown = String(climbing.prefix(200).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        throw IngestError.invalid(
            file: source.displayPath, at: "",
            reason: "the path '\(shown)' climbs above the repository root; qgate refuses paths outside the repository")
    }
}
