import GRDB

/// Keeps the per-run metric tables (`run_finding_counts`, `run_finding_sources`,
/// `run_test_counts`, `run_coverage_totals`) equal to what the metric definitions compute from
/// the run's rows, so that `qgate trend` reads a few rows per run instead of every finding.
///
/// A run's totals depend on all of its reports (the same vulnerability from two scanners counts
/// once; two coverage reports of one file are unioned), so they are recomputed for the whole run
/// whenever a report is added to it, inside the same transaction as the report.
enum RunAggregates {
    /// Formats whose reports are lists of findings even when empty (a clean scan is a zero, not a gap).
    static let findingFormats: [ReportFormat] = [.sarif, .banditJSON, .safetyJSON]

    /// Recomputes every aggregate of one run from its findings, tests and coverage rows.
    static func refresh(_ db: Database, runID: Int64) throws {
        // run_rule_counts comes with migration v5; v3 refreshes every run before it exists.
        let hasRuleCounts = try db.tableExists("run_rule_counts")
        for table in ["run_finding_counts", "run_finding_sources", "run_test_counts", "run_coverage_totals"]
            + (hasRuleCounts ? ["run_rule_counts"] : [])
        {
            try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ?", arguments: [runID])
        }
        try refreshFindings(db, runID: runID, byRule: hasRuleCounts)
        try refreshTests(db, runID: runID)
        try refreshCoverage(db, runID: runID)
    }

    /// Counts unsuppressed findings per tool, category and severity as ``FindingTriage/none``
    /// counts them: findings with one fingerprint are one finding (the same vulnerability from
    /// two scanners, the same finding from several reports of one tool), kept with the worst
    /// severity, then the first tool by name, then the first stored.
    private static func refreshFindings(_ db: Database, runID: Int64, byRule: Bool) throws {
        let rank = "CASE severity " + Severity.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.rank)" }.joined(separator: " ") + " END"
        // Content and tool fingerprints include the tool and never repeat within a report, so
        // they can only repeat when a tool has several reports in the run; dependency fingerprints
        // repeat across tools. Only those rows need the (sorting) window. (A multi-run SARIF file
        // is filed under its first run's tool: its other tools' copies elsewhere are not seen here.)
        let toolRepeats =
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM reports WHERE run_id = ? GROUP BY tool HAVING COUNT(*) > 1)
                    """, arguments: [runID]) ?? false
        let windowed = toolRepeats ? "1" : "substr(fingerprint, 1, 1) = 'd'"
        let counted = """
            SELECT tool, category, severity, rule FROM findings
            WHERE run_id = ? AND suppressed = 0 AND NOT (\(windowed))
            UNION ALL
            SELECT tool, category, severity, rule FROM (
                SELECT tool, category, severity, rule,
                       ROW_NUMBER() OVER (PARTITION BY fingerprint ORDER BY \(rank), tool, id) AS position
                FROM findings WHERE run_id = ? AND suppressed = 0 AND (\(windowed))
            ) WHERE position = 1
            """
        if byRule {
            // One pass over the findings: the per-severity counts are the sums of the per-rule
            // ones (reading the findings twice was most of the aggregate's cost on a large SARIF:
            // `fingerprint` and `suppressed` sit behind the long message in every row).
            try db.execute(
                sql: """
                    INSERT INTO run_rule_counts (run_id, tool, category, severity, rule, count)
                    SELECT ?, tool, category, severity, rule, COUNT(*) FROM (\(counted)) GROUP BY tool, category, severity, rule
                    """, arguments: [runID, runID, runID])
            try db.execute(
                sql: """
                    INSERT INTO run_finding_counts (run_id, tool, category, severity, count)
                    SELECT run_id, tool, category, severity, SUM(count) FROM run_rule_counts WHERE run_id = ?
                    GROUP BY tool, category, severity
                    """, arguments: [runID])
        } else {
            try db.execute(
                sql: """
                    INSERT INTO run_finding_counts (run_id, tool, category, severity, count)
                    SELECT ?, tool, category, severity, COUNT(*) FROM (\(counted)) GROUP BY tool, category, severity
                    """, arguments: [runID, runID, runID])
        }
        // A report of findings with none in it still says "this tool looked": zero, not a gap. An
        // xUnit report is a findings report when it holds no tests (flake8, pylint, mypy).
        let formats = findingFormats.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO run_finding_sources (run_id, tool)
                SELECT ?, tool FROM reports r
                WHERE r.run_id = ? AND (r.format IN (\(formats))
                    OR (r.format = 'junit' AND NOT EXISTS (SELECT 1 FROM tests t WHERE t.report_id = r.id)))
                UNION
                SELECT ?, tool FROM findings WHERE run_id = ?
                """, arguments: [runID, runID, runID, runID])
    }

    /// Test counts and summed durations per report tool and status.
    private static func refreshTests(_ db: Database, runID: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO run_test_counts (run_id, tool, status, count, duration)
                SELECT ?, r.tool, t.status, COUNT(*), TOTAL(t.duration)
                FROM tests t JOIN reports r ON r.id = t.report_id
                WHERE t.run_id = ? GROUP BY r.tool, t.status
                """, arguments: [runID, runID])
    }

    /// Coverage totals of the run as ``SQLiteStore/coverageTotals(runID:)`` measures them (files in
    /// several reports unioned); no row when the run has no coverage report.
    private static func refreshCoverage(_ db: Database, runID: Int64) throws {
        guard let files = try SQLiteStore.coverageTotals(db, runID: runID) else { return }
        var totals = CoverageFileTotals(path: "", linesValid: 0, linesCovered: 0, branchesValid: 0, branchesCovered: 0)
        for file in files {
            totals.linesValid += file.linesValid
            totals.linesCovered += file.linesCovered
            totals.branchesValid += file.branchesValid
            totals.branchesCovered += file.branchesCovered
        }
        try db.execute(
            sql: """
                INSERT INTO run_coverage_totals (run_id, lines_valid, lines_covered, branches_valid, branches_covered)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [runID, totals.linesValid, totals.linesCovered, totals.branchesValid, totals.branchesCovered])
    }
}

/// One run's headline numbers, read from the per-run aggregate tables: what the history chart
/// of a summary plots. Raw totals (unsuppressed, each vulnerability once), before any policy's
/// waivers or severity overrides, like `qgate trend`.
public struct RunTotals: Sendable, Equatable {
    public var findings: Int?
    public var coverageLines: Double?
    public var testsFailed: Int?

    public init(findings: Int? = nil, coverageLines: Double? = nil, testsFailed: Int? = nil) {
        self.findings = findings
        self.coverageLines = coverageLines
        self.testsFailed = testsFailed
    }
}

extension SQLiteStore {
    /// Headline totals of several runs in three index-backed queries, whatever the history's length.
    public func totals(runIDs: [Int64]) throws -> [Int64: RunTotals] {
        guard !runIDs.isEmpty else { return [:] }
        let list = runIDs.map(String.init).joined(separator: ",")
        return try read { db in
            // Every run in a history holds reports, so no finding counted is a zero, not a gap.
            var totals = Dictionary(uniqueKeysWithValues: runIDs.map { ($0, RunTotals(findings: 0)) })
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT run_id, SUM(count) AS n FROM run_finding_counts WHERE run_id IN (\(list)) GROUP BY run_id
                    """)
            {
                totals[row["run_id"], default: RunTotals()].findings = row["n"]
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT run_id, lines_valid, lines_covered FROM run_coverage_totals WHERE run_id IN (\(list))
                    """)
            {
                let valid: Int = row["lines_valid"]
                let covered: Int = row["lines_covered"]
                totals[row["run_id"], default: RunTotals()].coverageLines = valid == 0 ? nil : Double(covered) * 100 / Double(valid)
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT run_id, SUM(CASE WHEN status = 'failed' THEN count ELSE 0 END) AS failed
                    FROM run_test_counts WHERE run_id IN (\(list)) GROUP BY run_id
                    """)
            {
                totals[row["run_id"], default: RunTotals()].testsFailed = row["failed"]
            }
            return totals
        }
    }
}
