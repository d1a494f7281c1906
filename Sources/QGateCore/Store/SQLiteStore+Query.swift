import Foundation
import GRDB

/// A report as stored, with the totals `ingest` and `runs` print.
public struct StoredReport: Sendable, Codable {
    public var id: Int64
    public var runID: Int64
    public var tool: String
    public var format: ReportFormat
    public var path: String
    public var sha256: String
    public var findings: FindingCounts
    public var tests: TestCounts
    public var coverage: CoverageTotals?
    public var diagnostics: [Diagnostic]
}

extension SQLiteStore {
    /// Runs, newest first, optionally of one branch.
    public func runs(branch: String? = nil, last: Int? = nil) throws -> [Run] {
        try read { db in
            var sql = "SELECT \(SQLiteStore.runColumns) FROM runs"
            var arguments: StatementArguments = []
            if let branch {
                sql += " WHERE branch = ?"
                arguments += [branch]
            }
            sql += " ORDER BY id DESC"
            if let last {
                sql += " LIMIT ?"
                arguments += [last]
            }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteStore.run(from:))
        }
    }

    public func run(id: Int64) throws -> Run? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.runColumns) FROM runs WHERE id = ?", arguments: [id]).map(
                SQLiteStore.run(from:))
        }
    }

    /// Resolves what a user types for a run: an exact run id, a commit prefix of at least 4 hex
    /// characters that names one commit (its newest run when it ran in several pipelines), or
    /// `latest`. Anything else, empty or ambiguous, is refused: never a pattern, never a guess.
    public func resolveRun(_ reference: String) throws -> Run {
        let reference = reference.trimmingCharacters(in: .whitespaces)
        guard !reference.isEmpty else { throw StoreError.invalidRunReference(reference: reference, reason: .empty) }
        let isHex = reference.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
        let isDecimal = reference.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        guard reference == "latest" || isDecimal || (isHex && reference.count >= 4) else {
            throw StoreError.invalidRunReference(reference: reference, reason: isHex ? .shortPrefix : .notAReference)
        }
        let found: Run? = try read { db in
            if reference == "latest" {
                return try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.runColumns) FROM runs ORDER BY id DESC LIMIT 1").map(
                    SQLiteStore.run(from:))
            }
            var byID: Run?
            if isDecimal, let id = Int64(reference) {
                byID = try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.runColumns) FROM runs WHERE id = ?", arguments: [id]).map(
                    SQLiteStore.run(from:))
            }
            guard isHex, reference.count >= 4 else { return byID }
            let prefix = reference.lowercased()
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteStore.runColumns) FROM runs WHERE length(commit_sha) >= ? AND lower(substr(commit_sha, 1, ?)) = ? ORDER BY id DESC
                    """, arguments: [prefix.count, prefix.count, prefix])
            let commits = Set(rows.compactMap { ($0["commit_sha"] as String?)?.lowercased() })
            if commits.count > 1 || (byID != nil && !rows.isEmpty) {
                var candidates = commits.sorted().map { String($0.prefix(12)) }
                if let byID { candidates.insert("run \(byID.id)", at: 0) }
                throw StoreError.ambiguousRunReference(reference: reference, candidates: candidates)
            }
            return byID ?? rows.first.map(SQLiteStore.run(from:))
        }
        guard let found else { throw StoreError.runNotFound(reference: reference) }
        return found
    }

    /// Every branch a run of the store has, for "did you mean" on a typed `--branch`.
    public func branches() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT branch FROM runs WHERE branch IS NOT NULL ORDER BY branch") }
    }

    /// Every tool a report of the store is filed under, for "did you mean" on `--where tool=…`.
    public func tools() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT tool FROM reports ORDER BY tool") }
    }

    /// The verdict of each policy checked on each run, by policy name; one query.
    public func verdicts(runIDs: [Int64]) throws -> [Int64: [PolicyVerdict]] {
        guard !runIDs.isEmpty else { return [:] }
        let list = "[" + runIDs.map(String.init).joined(separator: ",") + "]"
        return try read { db in
            var verdicts: [Int64: [PolicyVerdict]] = [:]
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT run_id, policy, verdict, checked_at FROM run_verdicts
                    WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, policy
                    """, arguments: [list])
            while let row = try cursor.next() {
                guard let verdict = Verdict(rawValue: row[2]) else { continue }
                verdicts[row[0], default: []].append(
                    PolicyVerdict(
                        policy: row[1], verdict: verdict,
                        checkedAt: Timestamp.iso8601(Date(timeIntervalSince1970: row[3]))))
            }
            return verdicts
        }
    }

    /// Keeps one verdict per policy and run (the latest check of that policy).
    static func recordVerdict(_ db: Database, runID: Int64, policy: String, verdict: String, checkedAt: Double) throws {
        try db.execute(
            sql: """
                INSERT INTO run_verdicts (run_id, policy, verdict, checked_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (run_id, policy) DO UPDATE SET verdict = excluded.verdict, checked_at = excluded.checked_at
                """, arguments: [runID, policy, verdict, checkedAt])
    }

    /// Each run's reports as summaries list them (tool, format, path), in ingest order; one query.
    public func reportSummaries(runIDs: [Int64]) throws -> [Int64: [ReportSummary]] {
        guard !runIDs.isEmpty else { return [:] }
        let list = "[" + runIDs.map(String.init).joined(separator: ",") + "]"
        return try read { db in
            var summaries: [Int64: [ReportSummary]] = [:]
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT run_id, tool, format, path FROM reports WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, id
                    """, arguments: [list])
            while let row = try cursor.next() {
                let format = ReportFormat(rawValue: row[2]) ?? .junit
                summaries[row[0], default: []].append(ReportSummary(tool: row[1], format: format, path: row[3]))
            }
            return summaries
        }
    }

    /// The reports of a run with their totals, in ingest order.
    public func reports(runID: Int64) throws -> [StoredReport] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM reports WHERE run_id = ? ORDER BY id", arguments: [runID])
            return try rows.map { row in try SQLiteStore.storedReport(row, db: db) }
        }
    }

    static func storedReport(_ row: Row, db: Database) throws -> StoredReport {
        let id: Int64 = row["id"]
        var findings = FindingCounts()
        for counts in try Row.fetchAll(
            db,
            sql: """
                SELECT severity, suppressed, COUNT(*) AS n FROM findings WHERE report_id = ? GROUP BY severity, suppressed
                """, arguments: [id])
        {
            let n: Int = counts["n"]
            if counts["suppressed"] as Bool {
                findings.suppressed += n
                continue
            }
            findings.add(Severity(rawValue: counts["severity"]) ?? .info, count: n)
        }
        var tests = TestCounts()
        for counts in try Row.fetchAll(
            db,
            sql: """
                SELECT status, COUNT(*) AS n, SUM(attempts) AS runs FROM tests WHERE report_id = ? GROUP BY status
                """, arguments: [id])
        {
            let status = TestStatus(rawValue: counts["status"]) ?? .error
            tests.add(status, count: counts["n"], runs: counts["runs"])
        }
        let format = ReportFormat(rawValue: row["format"]) ?? .junit
        var coverage: CoverageTotals?
        if format == .cobertura,
            let totals = try Row.fetchOne(
                db,
                sql: """
                    SELECT IFNULL(SUM(lines_valid), 0) AS lv, IFNULL(SUM(lines_covered), 0) AS lc,
                           IFNULL(SUM(branches_valid), 0) AS bv, IFNULL(SUM(branches_covered), 0) AS bc
                    FROM coverage_files WHERE report_id = ?
                    """, arguments: [id])
        {
            var value = CoverageTotals()
            value.linesValid = totals["lv"]
            value.linesCovered = totals["lc"]
            value.branchesValid = totals["bv"]
            value.branchesCovered = totals["bc"]
            coverage = value
        }
        let diagnosticsText: String = row["diagnostics"]
        let diagnostics = (try? JSONDecoder().decode([Diagnostic].self, from: Data(diagnosticsText.utf8))) ?? []
        return StoredReport(
            id: id, runID: row["run_id"], tool: row["tool"], format: format, path: row["path"],
            sha256: row["sha256"], findings: findings, tests: tests, coverage: coverage, diagnostics: diagnostics)
    }

    /// The oldest fingerprint recipe (``FingerprintRecipe/version``) that identified findings of
    /// a run; the current one for a run without reports.
    public func oldestFingerprintRecipe(runID: Int64) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT MIN(fingerprint_version) FROM reports WHERE run_id = ?", arguments: [runID])
        } ?? FingerprintRecipe.version
    }

    /// Every finding of a run (suppressed ones included; callers decide).
    public func findings(runID: Int64) throws -> [Finding] {
        try read { db in
            // Explicit columns read by position: evaluation loads the findings of every run in a
            // trend/history window, and name lookups per column dominate otherwise.
            let cursor = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT \(SQLiteStore.findingColumns) FROM findings WHERE run_id = ? ORDER BY id"),
                arguments: [runID])
            var findings: [Finding] = []
            while let row = try cursor.next() { findings.append(SQLiteStore.finding(fromColumns: row)) }
            return findings
        }
    }

    static let findingColumns = """
        tool, category, rule, severity, confidence, path, start_line, start_column, end_line, end_column, message, snippet, \
        package, installed_version, affected_spec, fixed_versions, advisories, cwes, tool_fingerprint, suppressed, \
        tool_baseline_state, fingerprint
        """

    /// A finding from a row selected with ``findingColumns``, in that order.
    static func finding(fromColumns row: Row) -> Finding {
        let package: String? = row[12]
        var finding = Finding(
            tool: row[0], category: Category(rawValue: row[1]) ?? .lint, ruleID: row[2],
            severity: Severity(rawValue: row[3]) ?? .info, confidence: row[4], path: row[5],
            range: SourceRange(startLine: row[6], startColumn: row[7], endLine: row[8], endColumn: row[9]),
            message: row[10], snippet: row[11],
            dependency: package.map {
                DependencyInfo(
                    name: $0, installedVersion: row[13], affectedSpec: row[14],
                    fixedVersions: decodeList(row[15]))
            },
            advisories: decodeList(row[16]), cwes: decodeList(row[17]).compactMap { Int($0) },
            toolFingerprint: row[18], suppressed: row[19],
            toolBaselineState: (row[20] as String?).flatMap(ToolBaselineState.init(rawValue:)))
        finding.fingerprint = row[21]
        return finding
    }

    static func finding(from row: Row) -> Finding {
        let package: String? = row["package"]
        var finding = Finding(
            tool: row["tool"], category: Category(rawValue: row["category"]) ?? .lint, ruleID: row["rule"],
            severity: Severity(rawValue: row["severity"]) ?? .info, confidence: row["confidence"], path: row["path"],
            range: SourceRange(
                startLine: row["start_line"], startColumn: row["start_column"], endLine: row["end_line"], endColumn: row["end_column"]),
            message: row["message"], snippet: row["snippet"],
            dependency: package.map {
                DependencyInfo(
                    name: $0, installedVersion: row["installed_version"], affectedSpec: row["affected_spec"],
                    fixedVersions: decodeList(row["fixed_versions"]))
            },
            advisories: decodeList(row["advisories"]), cwes: decodeList(row["cwes"]).compactMap { Int($0) },
            toolFingerprint: row["tool_fingerprint"], suppressed: row["suppressed"],
            toolBaselineState: (row["tool_baseline_state"] as String?).flatMap(ToolBaselineState.init(rawValue:)))
        finding.fingerprint = row["fingerprint"]
        return finding
    }

    /// Every test of a run.
    public func tests(runID: Int64) throws -> [TestResult] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tests WHERE run_id = ? ORDER BY id", arguments: [runID]).map(
                SQLiteStore.testResult(from:))
        }
    }

    static func testResult(from row: Row) -> TestResult {
        TestResult(
            suite: row["suite"], className: row["class_name"], name: row["name"], file: row["file"], line: row["line"],
            status: TestStatus(rawValue: row["status"]) ?? .error, duration: row["duration"],
            message: row["message"], details: row["details"], attempts: row["attempts"])
    }

    /// Per-file coverage of a run; several coverage reports in one run are merged per file
    /// (a line is covered when any report covers it).
    public func coverage(runID: Int64) throws -> [FileCoverage]? {
        try read { db in try SQLiteStore.coverage(db, runID: runID) }
    }

    static func coverage(_ db: Database, runID: Int64) throws -> [FileCoverage]? {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM coverage_files WHERE run_id = ? ORDER BY path, id", arguments: [runID])
        let hasReport =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM reports WHERE run_id = ? AND format = 'cobertura')",
                arguments: [runID]) ?? false
        guard hasReport else { return nil }
        var merged: [String: FileCoverage] = [:]
        var order: [String] = []
        for row in rows {
            let path: String = row["path"]
            let file = FileCoverage(
                path: path, coveredLines: LineSetCoding.decode(row["covered_lines"]),
                uncoveredLines: LineSetCoding.decode(row["uncovered_lines"]),
                branchesValid: row["branches_valid"], branchesCovered: row["branches_covered"])
            if let existing = merged[path] {
                merged[path] = existing.merged(with: file)
            } else {
                merged[path] = file
                order.append(path)
            }
        }
        return order.compactMap { merged[$0] }
    }
}

extension FileCoverage {
    /// The union of two measurements of the same file: covered anywhere wins.
    public func merged(with other: FileCoverage) -> FileCoverage {
        let covered = Set(coveredLines).union(other.coveredLines)
        let uncovered = Set(uncoveredLines).union(other.uncoveredLines).subtracting(covered)
        return FileCoverage(
            path: path, coveredLines: covered.sorted(), uncoveredLines: uncovered.sorted(),
            branchesValid: max(branchesValid, other.branchesValid),
            branchesCovered: max(branchesCovered, other.branchesCovered))
    }
}

// MARK: - Queries for evaluation (baselines, metrics over history, verdicts)

/// A test with the tool of the report it came from, which `where: { tool: … }` filters on.
public struct StoredTest: Sendable, Hashable {
    public var test: TestResult
    public var tool: String

    public init(test: TestResult, tool: String) {
        self.test = test
        self.tool = tool
    }
}

/// What test metrics need of one test: its outcome, file, duration and tool. Loaded for the
/// runs of a trend or history window instead of whole test results.
public struct TestOutcome: Sendable, Hashable {
    public var status: TestStatus
    public var file: String?
    public var duration: Double?
    public var tool: String

    public init(status: TestStatus, file: String? = nil, duration: Double? = nil, tool: String) {
        self.status = status
        self.file = file
        self.duration = duration
        self.tool = tool
    }

    public init(_ stored: StoredTest) {
        self.init(status: stored.test.status, file: stored.test.file, duration: stored.test.duration, tool: stored.tool)
    }
}

/// One file's coverage totals without its line sets: enough for `coverage.lines|branches`
/// over many runs without decoding every run's line blobs.
public struct CoverageFileTotals: Sendable, Hashable {
    public var path: String
    public var linesValid: Int
    public var linesCovered: Int
    public var branchesValid: Int
    public var branchesCovered: Int

    public init(path: String, linesValid: Int, linesCovered: Int, branchesValid: Int, branchesCovered: Int) {
        self.path = path
        self.linesValid = linesValid
        self.linesCovered = linesCovered
        self.branchesValid = branchesValid
        self.branchesCovered = branchesCovered
    }

    public init(_ file: FileCoverage) {
        self.init(
            path: file.path, linesValid: file.linesValid, linesCovered: file.linesCovered,
            branchesValid: file.branchesValid, branchesCovered: file.branchesCovered)
    }
}

extension SQLiteStore {
    /// The run a context identifies (commit + pipeline, as ingest does), without creating it.
    public func run(matching context: RunContext) throws -> Run? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(SQLiteStore.runColumns) FROM runs WHERE IFNULL(commit_sha, '') = ? AND IFNULL(pipeline_id, '') = ?
                    """, arguments: [context.commit ?? "", context.pipeline ?? ""]
            ).map(SQLiteStore.run(from:))
        }
    }

    /// Runs of `branch` created before `run` (never `run` itself), newest first. Uses the
    /// `runs_branch` index; the sort touches only that branch's runs.
    public func runs(branch: String, before run: Run, limit: Int) throws -> [Run] {
        guard limit > 0 else { return [] }
        return try read { db in
            let created = run.createdAt.timeIntervalSince1970
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteStore.runColumns) FROM runs
                    WHERE branch = ? AND id != ? AND (created_at < ? OR (created_at = ? AND id < ?))
                    ORDER BY created_at DESC, id DESC LIMIT ?
                    """, arguments: [branch, run.id, created, created, run.id, limit]
            ).map(SQLiteStore.run(from:))
        }
    }

    /// Every test of a run with its report's tool, in ingest order.
    public func testsWithTool(runID: Int64) throws -> [StoredTest] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.*, r.tool AS report_tool FROM tests t JOIN reports r ON r.id = t.report_id
                    WHERE t.run_id = ? ORDER BY t.id
                    """, arguments: [runID]
            ).map { row in
                StoredTest(test: SQLiteStore.testResult(from: row), tool: row["report_tool"])
            }
        }
    }

    /// The outcome, file, duration and tool of every test of a run.
    public func testOutcomes(runID: Int64) throws -> [TestOutcome] {
        try read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT t.status, t.file, t.duration, r.tool FROM tests t JOIN reports r ON r.id = t.report_id
                    WHERE t.run_id = ? ORDER BY t.id
                    """)
            let cursor = try Row.fetchCursor(statement, arguments: [runID])
            var outcomes: [TestOutcome] = []
            while let row = try cursor.next() {
                outcomes.append(TestOutcome(status: TestStatus(rawValue: row[0]) ?? .error, file: row[1], duration: row[2], tool: row[3]))
            }
            return outcomes
        }
    }

    /// Per-file coverage totals of a run; nil when the run has no coverage report. Line sets are
    /// decoded only for files measured by several reports (their union must be computed).
    public func coverageTotals(runID: Int64) throws -> [CoverageFileTotals]? {
        try read { db in try SQLiteStore.coverageTotals(db, runID: runID) }
    }

    static func coverageTotals(_ db: Database, runID: Int64) throws -> [CoverageFileTotals]? {
        let (hasReport, rows) = try {
            let hasReport =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM reports WHERE run_id = ? AND format = 'cobertura')",
                    arguments: [runID]) ?? false
            let cursor = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT path, lines_valid, lines_covered, branches_valid, branches_covered FROM coverage_files
                        WHERE run_id = ? ORDER BY path, id
                        """), arguments: [runID])
            var rows: [CoverageFileTotals] = []
            while let row = try cursor.next() {
                rows.append(
                    CoverageFileTotals(
                        path: row[0], linesValid: row[1], linesCovered: row[2], branchesValid: row[3],
                        branchesCovered: row[4]))
            }
            return (hasReport, rows)
        }()
        guard hasReport else { return nil }
        let paths = rows.map(\.path)
        guard Set(paths).count != paths.count else { return rows }
        return try coverage(db, runID: runID)?.map(CoverageFileTotals.init)
    }

    /// Records a check's outcome on its run: the verdict (for `runs`) and the whole evaluation
    /// (for `report --run`), in one write.
    public func record(_ evaluation: Evaluation, checkedAt: Date = Date()) throws {
        // Messages are stored capped, as every output shows them: the findings themselves are in the store already.
        let json = try EvaluationRecord.encode(evaluation)
        try write { db in
            try db.execute(
                sql: "UPDATE runs SET verdict = ?, policy = ?, checked_at = ?, evaluation = ? WHERE id = ?",
                arguments: [
                    evaluation.verdict.rawValue, evaluation.policy, checkedAt.timeIntervalSince1970, json,
                    evaluation.run.id,
                ])
            try SQLiteStore.recordVerdict(
                db, runID: evaluation.run.id, policy: evaluation.policy, verdict: evaluation.verdict.rawValue,
                checkedAt: checkedAt.timeIntervalSince1970)
        }
    }

    /// The evaluation the last `check` of a run recorded; nil when the run was never checked.
    public func storedEvaluation(runID: Int64) throws -> Evaluation? {
        let json = try read { db in try String.fetchOne(db, sql: "SELECT evaluation FROM runs WHERE id = ?", arguments: [runID]) }
        guard let json else { return nil }
        return try EvaluationRecord.decode(json, location: path, runID: runID)
    }
}
