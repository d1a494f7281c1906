import Foundation

/// The ingest stage: reads every report (all must parse) into ``IngestItem``s, touching no
/// store. Storing them is one ``RunStore/ingest(_:into:job:now:)`` transaction
/// (``IngestPipeline``), so nothing is written unless every report is valid.
public struct Ingestor: Sendable {
    public var context: ParseContext
    public var forcedFormat: ReportFormat?

    public init(context: ParseContext, forcedFormat: ReportFormat? = nil) {
        self.context = context
        self.forcedFormat = forcedFormat
    }

    /// Parses every report without touching the store.
    public func read(paths: [String]) throws -> [IngestItem] {
        try paths.map { path in
            // A pipe (`<(cat report.xml)`) can be read once; the readers below read a file up to
            // three times (detect, parse, hash), so its bytes are kept in a temporary file first.
            let spool = try StreamSpool(path: path)
            defer { spool.remove() }
            let source = spool.source
            // The content hash runs on the second core while this one parses: same answer,
            // one pass of wall time instead of two.
            let hashing = BackgroundHash(source)
            var report = try ReportReader.read(source, as: forcedFormat, context: context)
            let sha256 = try hashing.result()
            report.diagnostics.append(contentsOf: pathDiagnostics(report, displayPath: path))
            return IngestItem(path: path, sha256: sha256, report: report)
        }
    }

    /// README (Using it): a report whose paths mostly do not resolve says so, instead of silently matching nothing.
    func pathDiagnostics(_ report: ParsedReport, displayPath: String) -> [Diagnostic] {
        guard context.paths.repositoryRoot != nil else { return [] }
        // Coverage reports say so themselves (the Cobertura parser knows its <source> roots).
        let paths = Set(report.findings.compactMap(\.path)).filter { !$0.isEmpty && $0 != "." }
        guard paths.count >= 1 else { return [] }
        let missing = paths.filter { !context.paths.exists($0) }
        guard missing.count * 2 > paths.count else { return [] }
        let example = missing.sorted().first ?? ""
        return [
            Diagnostic(
                .warning, file: displayPath,
                "\(missing.count) of \(paths.count) paths in the report do not exist under the repository root (e.g. '\(example)'); findings on them cannot match changed lines. Run qgate from the repository root, or check the tool's working directory."
            )
        ]
    }
}

/// What `qgate ingest` prints: the run and, per report, its status and totals.
public struct IngestSummary: Sendable, Encodable {
    public struct Report: Sendable, Encodable {
        public var path: String
        public var format: ReportFormat
        public var tool: String
        public var status: IngestStatus
        public var findings: FindingCounts
        public var tests: TestCounts
        public var coverage: CoverageCounts?
        public var warnings: [String]

        init(item: IngestItem, status: IngestStatus) {
            path = item.path
            format = item.report.format
            tool = item.report.tool
            self.status = status
            findings = FindingCounts(item.report.findings)
            tests = TestCounts(item.report.tests)
            coverage = item.report.coverage.map { CoverageCounts(CoverageTotals($0)) }
            warnings = item.report.diagnostics.filter { $0.level == .warning }.map(\.message)
        }

        enum CodingKeys: String, CodingKey { case path, format, tool, status, findings, tests, coverage, warnings }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(format, forKey: .format)
            try container.encode(tool, forKey: .tool)
            try container.encode(status, forKey: .status)
            try container.encode(findings, forKey: .findings)
            try container.encode(tests, forKey: .tests)
            try container.encode(coverage, forKey: .coverage)  // explicit null when absent
            try container.encode(warnings, forKey: .warnings)
        }
    }

    /// Coverage totals with the wire names of the JSON contract.
    public struct CoverageCounts: Sendable, Encodable {
        public var linesValid, linesCovered, branchesValid, branchesCovered: Int

        init(_ totals: CoverageTotals) {
            linesValid = totals.linesValid
            linesCovered = totals.linesCovered
            branchesValid = totals.branchesValid
            branchesCovered = totals.branchesCovered
        }

        enum CodingKeys: String, CodingKey {
            case linesValid = "lines_valid", linesCovered = "lines_covered"
            case branchesValid = "branches_valid", branchesCovered = "branches_covered"
        }
    }

    /// The run the reports went into, with every report it holds now.
    public var run: RunSummary
    /// Reports of earlier attempts of the same job that this ingest replaced.
    public var replaced: Int
    public var reports: [Report]

    enum CodingKeys: String, CodingKey { case run, replaced, reports }

    /// What an ingest of `items` did, from the store's outcome; `runReports`: every report the run holds now.
    public init(items: [IngestItem], outcome: IngestOutcome, runReports: [ReportSummary] = []) {
        self.init(
            run: outcome.run, runReports: runReports, replaced: outcome.replaced,
            reports: zip(items, outcome.statuses).map { item, status in Report(item: item, status: status) })
    }

    init(run: Run, runReports: [ReportSummary], replaced: Int, reports: [Report]) {
        self.replaced = replaced
        self.run = RunSummary(run, reports: runReports)
        self.reports = reports
    }
}

/// A SHA-256 of a report computed on another thread; `result()` waits for it.
private final class BackgroundHash: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before it signals; read only after waiting.
    private var outcome: Result<String, Error> = .failure(IngestError.unreadable(file: "", reason: "not hashed"))

    init(_ source: ReportSource) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            outcome = Result { try ContentHash.sha256(of: source.url, displayPath: source.displayPath) }
            done.signal()
        }
    }

    func result() throws -> String {
        done.wait()
        return try outcome.get()
    }
}

/// A report given as a pipe, FIFO or character device, copied to a temporary file so it can be
/// read like any other; a regular file is used as it is.
private struct StreamSpool {
    let source: ReportSource
    private let temporary: URL?

    init(path: String) throws {
        var info = stat()
        let type = stat(path, &info) == 0 ? info.st_mode & S_IFMT : S_IFREG
        guard type == S_IFIFO || type == S_IFCHR || type == S_IFSOCK else {
            source = ReportSource(path: path)
            temporary = nil
            return
        }
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw IngestError.unreadable(file: path, reason: IngestError.reason(errno: errno))
        }
        defer { try? input.close() }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qgate-stream-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let output = FileHandle(forWritingAtPath: url.path) else {
            throw IngestError.unreadable(file: path, reason: "cannot create a temporary copy of the stream")
        }
        defer { try? output.close() }
        temporary = url
        source = ReportSource(url: url, displayPath: path)
        do {
            var total = 0
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                total += chunk.count
                if total > 1 << 31 {
                    throw IngestError.limitExceeded(file: path, line: 1, column: 1, limit: "larger than \(1 << 31) bytes")
                }
                try output.write(contentsOf: chunk)
            }
        } catch let error as IngestError {
            remove()
            throw error
        } catch {
            remove()
            throw IngestError.unreadable(file: path, reason: ReportSource.reason(error))
        }
    }

    func remove() {
        if let temporary { try? FileManager.default.removeItem(at: temporary) }
    }
}
