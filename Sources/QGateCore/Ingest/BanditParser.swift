import Foundation

/// Reads bandit's `-f json` report (FORMATS.md §2): one `security` finding per `results[]`
/// entry, and one warning per file bandit could not scan (`errors[]`), because a scan that
/// skipped files is not a clean scan and must not look like one.
///
/// Mapping decisions:
/// - `ruleID` is `test_id` (`B602`); the message is `issue_text` followed by `test_name` in
///   brackets, the way bandit's own screen output names the test (`[B602:subprocess_…]`).
/// - The range starts at `line_number` (the line bandit reports) and ends at the last line of
///   `line_range`. `col_offset` is 0-based and belongs to the first line of `line_range`, so it
///   becomes `startColumn` (+1) only when that line is `line_number`. `end_col_offset` is the
///   0-based exclusive end, so `endColumn` is the same number + 1, SARIF's convention (bandit's
///   SARIF formatter writes the same values); 0 means "unknown" and gives no end column.
/// - `snippet` is the first line of `line_range` (where the flagged node starts) from `code`
///   without bandit's `N ` prefix; the fingerprint hashes it, so a finding keeps its identity
///   when unrelated lines move, and it is the line bandit's SARIF quotes, so the JSON and the
///   SARIF of one scan give the same fingerprints (and count once in a run).
/// - Bidirectional control characters in `code` or `issue_text` are kept as data; escaping
///   them is the reporters' job.
public struct BanditParser: ReportParser {
    public init() {}

    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        let data = try source.readAll()
        let report = try JSONReport.scan(data, source: source) { try BanditReport(scanning: &$0) }
        var paths = NormalizedPaths(context.paths)
        let findings = report.results.map { $0.finding(path: paths.normalize($0.filename)) }
        let diagnostics = (report.errors ?? []).map { error in
            Diagnostic(
                .warning, file: source.displayPath,
                "bandit could not scan \(paths.normalize(error.filename)): \(error.reason); the scan is incomplete")
        }
        return ParsedReport(format: .banditJSON, tool: "bandit", findings: findings, diagnostics: diagnostics)
    }
}

extension BanditResult {
    func finding(path: String) -> Finding {
        let name = testName ?? ""
        let confidenceWord = issueConfidence?.lowercased() ?? ""
        return Finding(
            tool: "bandit", category: .security, ruleID: testID, severity: issueSeverity.severity,
            confidence: confidenceWord.isEmpty ? nil : confidenceWord,
            path: path, range: range,
            message: name.isEmpty ? issueText : "\(issueText) [\(name)]",
            snippet: snippet,
            cwes: issueCWE.map { [$0] } ?? [])
    }

    var range: SourceRange {
        let firstLine = lineRange?.first ?? lineNumber
        let lastLine = max(lineRange?.last ?? lineNumber, lineNumber)
        let startColumn = firstLine == lineNumber ? colOffset.map { $0 + 1 } : nil
        let endColumn = endColOffset.flatMap { $0 > 0 ? $0 + 1 : nil }
        return SourceRange(startLine: lineNumber, startColumn: startColumn, endLine: lastLine, endColumn: endColumn)
    }
}

/// Normalises each distinct path once: bandit repeats a file's name for every result in it,
/// and normalisation is string work that would otherwise dominate a large report.
struct NormalizedPaths {
    private let normalizer: PathNormalizer
    private var cache: [String: String] = [:]

    init(_ normalizer: PathNormalizer) { self.normalizer = normalizer }

    mutating func normalize(_ raw: String) -> String {
        if let known = cache[raw] { return known }
        let normalized = normalizer.normalize(raw)
        cache[raw] = normalized
        return normalized
    }
}

/// bandit's `code` excerpt: source lines each prefixed with their number and a space
/// (`"21 x = 1\n22 y = 2\n"`, `bandit/core/issue.py` `get_code`).
enum BanditCode {
    /// The source of line `number` without its prefix; nil when the excerpt does not hold it
    /// or the line is blank (a blank line identifies nothing).
    static func sourceLine(_ number: Int, in code: UnsafeBufferPointer<UInt8>) -> String? {
        let prefix = Array("\(number) ".utf8)
        for line in code.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        where line.starts(with: prefix) {
            var text = line.dropFirst(prefix.count)
            if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
            let source = String(decoding: text, as: UTF8.self)
            return source.allSatisfy(\.isWhitespace) ? nil : source
        }
        return nil
    }
}
