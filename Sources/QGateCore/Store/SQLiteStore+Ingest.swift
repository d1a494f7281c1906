import Foundation
import GRDB

/// A parsed report with the identity of the file it came from.
public struct IngestItem: Sendable {
    public var path: String
    public var sha256: String
    public var report: ParsedReport

    public init(path: String, sha256: String, report: ParsedReport) {
        self.path = path
        self.sha256 = sha256
        self.report = report
    }
}

/// What happened to one report in an ingest.
public enum IngestStatus: String, Codable, Sendable {
    /// Stored now.
    case ingested
    /// The same content was already in this run, from the same job and under the same tool:
    /// nothing changed.
    case unchanged
    /// A newer attempt of the same job already stored its reports: this older one is not stored.
    case superseded
}

/// The outcome of one ingest: the run written to, each report's status, and how many reports
/// of earlier attempts of the job were replaced.
public struct IngestOutcome: Sendable {
    public var run: Run
    public var statuses: [IngestStatus]
    public var replaced: Int
}

extension SQLiteStore {
    /// Stores all `items` into the run identified by `context` (created if new), in ONE
    /// transaction: either every report lands or none does. With a job attempt, the reports of
    /// the job's earlier attempts in that run are deleted first (a retried job replaces them);
    /// if a later attempt is already stored, nothing is.
    public func ingest(
        _ items: [IngestItem], into context: RunContext, job: JobContext = JobContext(),
        now: Date = Date()
    ) throws -> IngestOutcome {
        try write { db in
            let run = try SQLiteStore.findOrCreateRun(db, context: context, now: now)
            let jobName = job.name ?? ""
            var statuses: [IngestStatus] = []
            var replaced = 0
            switch try SQLiteStore.admit(db, runID: run.id, job: job) {
            case .superseded:
                return IngestOutcome(run: run, statuses: items.map { _ in .superseded }, replaced: 0)
            case .replacing(let count):
                replaced = count
            }
            for item in items {
                if try SQLiteStore.hasReport(db, runID: run.id, job: jobName, tool: item.report.tool, sha256: item.sha256) {
                    statuses.append(.unchanged)
                    continue
                }
                try SQLiteStore.insert(item, runID: run.id, job: job, db: db, now: now)
                statuses.append(.ingested)
            }
            if statuses.contains(.ingested) || replaced > 0 { try RunAggregates.refresh(db, runID: run.id) }
            return IngestOutcome(run: run, statuses: statuses, replaced: replaced)
        }
    }

    /// Whether reports of `job` may be stored in a run, having deleted those of its earlier attempts.
    enum Admission: Equatable {
        /// Stored; `count` reports of earlier attempts were deleted to make way.
        case replacing(Int)
        /// A later attempt of the job is in the run already.
        case superseded
    }

    static func admit(_ db: Database, runID: Int64, job: JobContext) throws -> Admission {
        guard let name = job.name, let attempt = job.attempt else { return .replacing(0) }
        let latest = try Int.fetchOne(
            db, sql: "SELECT MAX(attempt) FROM reports WHERE run_id = ? AND job = ?",
            arguments: [runID, name])
        if let latest, latest > attempt { return .superseded }
        // Cascades to the reports' findings, tests and coverage files.
        try db.execute(sql: "DELETE FROM reports WHERE run_id = ? AND job = ? AND attempt < ?", arguments: [runID, name, attempt])
        return .replacing(db.changesCount)
    }

    /// A report's identity in a run: the job that wrote it, the tool it is filed under, its content.
    static func hasReport(_ db: Database, runID: Int64, job: String, tool: String, sha256: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM reports WHERE run_id = ? AND job = ? AND tool = ? AND sha256 = ?)
                """, arguments: [runID, job, tool, sha256]) ?? false
    }

    /// A run is identified by its commit and pipeline: every job of one pipeline writes to the same run.
    static func findOrCreateRun(_ db: Database, context: RunContext, now: Date) throws -> Run {
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT \(SQLiteStore.runColumns) FROM runs WHERE IFNULL(commit_sha, '') = ? AND IFNULL(pipeline_id, '') = ?
                """, arguments: [context.commit ?? "", context.pipeline ?? ""])
        {
            var run = SQLiteStore.run(from: row)
            // Later jobs may know more (a PR number, a base branch): fill what was missing.
            let merged = run.context.filling(from: context)
            if merged != run.context {
                try db.execute(
                    sql: "UPDATE runs SET branch = ?, base_branch = ?, pr_number = ? WHERE id = ?",
                    arguments: [merged.branch, merged.baseBranch, merged.pullRequest, run.id])
                run.context = merged
            }
            return run
        }
        try db.execute(
            sql: """
                INSERT INTO runs (commit_sha, branch, base_branch, pr_number, pipeline_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                context.commit, context.branch, context.baseBranch, context.pullRequest, context.pipeline,
                now.timeIntervalSince1970,
            ])
        return Run(id: db.lastInsertedRowID, context: context, createdAt: now)
    }

    /// The columns ``run(from:)`` reads (not the stored evaluation, which can be large).
    static let runColumns = "id, commit_sha, branch, base_branch, pr_number, pipeline_id, created_at, verdict"

    /// A run from a row with the ``runColumns``. Values no qgate writes (a text time, 1e300) are
    /// read as the nearest sane value instead of trapping: a damaged store still lists.
    static func run(from row: Row) -> Run {
        Run(
            id: row["id"],
            context: RunContext(
                commit: text(row["commit_sha"]), branch: text(row["branch"]), baseBranch: text(row["base_branch"]),
                pullRequest: Int.fromDatabaseValue(row["pr_number"] as DatabaseValue),
                pipeline: text(row["pipeline_id"])),
            createdAt: Date(timeIntervalSince1970: saneTime(row["created_at"])),
            verdict: text(row["verdict"]).flatMap(Verdict.init(rawValue:)))
    }

    /// A run from the checked values of ``MergeInput/runColumns``, in that order.
    static func run(from values: [DatabaseValue]) -> Run {
        Run(
            id: Int64.fromDatabaseValue(values[0]) ?? 0,
            context: RunContext(
                commit: text(values[1]), branch: text(values[2]), baseBranch: text(values[3]),
                pullRequest: Int.fromDatabaseValue(values[4]), pipeline: text(values[5])),
            createdAt: Date(timeIntervalSince1970: saneTime(values[6])),
            verdict: text(values[7]).flatMap(Verdict.init(rawValue:)))
    }

    private static func text(_ value: DatabaseValue) -> String? {
        String.fromDatabaseValue(value)
    }

    /// Seconds since 1970, clamped to years 1970…9999; 0 when the value is not a number.
    static func saneTime(_ value: DatabaseValue) -> Double {
        let seconds: Double
        switch value.storage {
        case .double(let number): seconds = number
        case .int64(let number): seconds = Double(number)
        default: return 0
        }
        guard seconds.isFinite else { return 0 }
        return min(max(seconds, 0), 253_402_300_799)
    }

    private static func insert(_ item: IngestItem, runID: Int64, job: JobContext, db: Database, now: Date) throws {
        let report = item.report
        let diagnostics = String(decoding: try JSONEncoder().encode(report.diagnostics), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO reports (run_id, tool, format, path, sha256, ingested_at, diagnostics, job, attempt, fingerprint_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                runID, report.tool, report.format.rawValue, item.path, item.sha256, now.timeIntervalSince1970,
                diagnostics, job.name ?? "", job.attempt, FingerprintRecipe.version,
            ])
        let reportID = db.lastInsertedRowID

        // Every value below comes from a closed Swift enum (severity, status) or is counted
        // (attempts >= 1), so the tables' CHECK constraints cannot fail here. SQLite evaluates
        // a CHECK `x IN ('a', 'b', 'c', …)` by building a temporary b-tree of the list for every
        // row; for a 100,000-test report that was a third of the whole ingest. The pragma only
        // changes statements prepared while it is on (these three), and is switched off after.
        try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
        defer { try? db.execute(sql: "PRAGMA ignore_check_constraints = OFF") }

        if !report.findings.isEmpty {
            var row = try RowInserter(
                db,
                sql: """
                    INSERT INTO findings (report_id, run_id, tool, category, rule, severity, confidence, path,
                        start_line, start_column, end_line, end_column, message, snippet, package, installed_version,
                        affected_spec, fixed_versions, advisories, cwes, tool_fingerprint, fingerprint, suppressed, tool_baseline_state)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for finding in report.findings {
                let dependency = finding.dependency
                row.bind(reportID)
                row.bind(runID)
                row.bind(finding.tool)
                row.bind(finding.category.rawValue)
                row.bind(finding.ruleID)
                row.bind(finding.severity.rawValue)
                row.bind(finding.confidence)
                row.bind(finding.path)
                row.bind(finding.range.startLine)
                row.bind(finding.range.startColumn)
                row.bind(finding.range.endLine)
                row.bind(finding.range.endColumn)
                row.bind(finding.message)
                row.bind(finding.snippet)
                row.bind(dependency?.name)
                row.bind(dependency?.installedVersion)
                row.bind(dependency?.affectedSpec)
                row.bind(dependency.map { jsonList($0.fixedVersions) })
                row.bind(jsonList(finding.advisories))
                row.bind(jsonList(finding.cwes.map(String.init)))
                row.bind(finding.toolFingerprint)
                row.bind(finding.fingerprint)
                row.bind(finding.suppressed)
                row.bind(finding.toolBaselineState?.rawValue)
                try row.insert()
            }
        }

        if !report.tests.isEmpty {
            var row = try RowInserter(
                db,
                sql: """
                    INSERT INTO tests (report_id, run_id, suite, class_name, name, file, status, duration, message, details, line, attempts)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for test in report.tests {
                // The one CHECK not implied by a Swift type (a library caller builds TestResult).
                guard test.attempts >= 1 else {
                    throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_CHECK, message: "CHECK constraint failed: attempts >= 1")
                }
                row.bind(reportID)
                row.bind(runID)
                row.bind(test.suite)
                row.bind(test.className)
                row.bind(test.name)
                row.bind(test.file)
                row.bind(test.status.rawValue)
                row.bind(test.duration)
                row.bind(test.message)
                row.bind(test.details)
                row.bind(test.line)
                row.bind(test.attempts)
                try row.insert()
            }
        }

        if let coverage = report.coverage, !coverage.isEmpty {
            var row = try RowInserter(
                db,
                sql: """
                    INSERT INTO coverage_files (report_id, run_id, path, lines_valid, lines_covered, branches_valid,
                        branches_covered, covered_lines, uncovered_lines) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for file in coverage {
                row.bind(reportID)
                row.bind(runID)
                row.bind(file.path)
                row.bind(file.linesValid)
                row.bind(file.linesCovered)
                row.bind(file.branchesValid)
                row.bind(file.branchesCovered)
                row.bind(LineSetCoding.encode(file.coveredLines))
                row.bind(LineSetCoding.encode(file.uncoveredLines))
                try row.insert()
            }
        }
    }
}

/// Lists are stored as JSON text: readable with `sqlite3`, queryable with json_each.
func jsonList(_ values: [String]) -> String {
    // Runs for several lists of every finding: lists of plain words (CVE ids, CWE numbers,
    // versions) are written directly, byte-for-byte what JSONEncoder writes for them.
    let isPlain: (String) -> Bool = {
        $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "/") }
    }
    if values.allSatisfy(isPlain) { return "[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
    return String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
}

func decodeList(_ text: String?) -> [String] {
    // Most findings have no advisories/CWEs: skip the decoder for the empty list (history queries load many rows).
    guard let text, text != "[]", let data = text.data(using: .utf8) else { return [] }
    return (try? JSONDecoder().decode([String].self, from: data)) ?? []
}
