import Foundation
import GRDB

@testable import QGateCore

/// A small history with every case a trend must get right, built through `SQLiteStore.ingest`:
///
/// | run | branch  | time (UTC)       | findings reports                               | tests            | coverage            |
/// |-----|---------|------------------|------------------------------------------------|------------------|---------------------|
/// | 1   | main    | 2027-01-15 10:00 | flake8 E1, E2 (low); bandit B602 (high)        | 3 passed 1 failed| a.py 8/10           |
/// | 2   | main    | 2027-01-15 12:00 | flake8 E1 (low); CVE-1 on pkg 1.0 from safety (high) and trivy (critical) | — | a.py 9/10 |
/// | 3   | feature | 2027-01-16 09:00 | bandit B602, B603 (high)                       | 4 passed         | —                   |
/// | 4   | main    | 2027-01-17 08:00 | —                                              | 2 passed 2 skipped | a.py 7/10, b.py 3/10 |
/// | 5   | main    | 2027-01-17 18:00 | flake8, empty                                  | —                | a.py 1–5 and 4–8 of 10 in two reports |
struct SyntheticHistory {
    let directory: URL
    let store: SQLiteStore

    static let day = 86_400.0
    static let start = 1_800_000_000.0 - 1_800_000_000.0.truncatingRemainder(dividingBy: day)  // 2027-01-15T00:00:00Z

    init() throws {
        directory = try TestPaths.temporaryDirectory()
        store = try SQLiteStore(path: directory.appendingPathComponent("qgate.db").path)
        try Self.fill(store)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    static func fill(_ store: SQLiteStore, runs: ClosedRange<Int> = 1...5) throws {
        let all: [(String, String, Double, [ParsedReport])] = [
            (
                "c1", "main", start + 10 * 3600,
                [
                    report(.sarif, "flake8", findings: [lint("E1"), lint("E2")]),
                    report(.banditJSON, "bandit", findings: [security("B602")]),
                    report(
                        .junit, "pytest",
                        tests: [caseResult("a", .passed), caseResult("b", .passed), caseResult("c", .passed), caseResult("d", .failed)]),
                    report(.cobertura, "coverage", coverage: [Make.file("a.py", covered: 8, of: 10)]),
                ]
            ),
            (
                "c2", "main", start + 12 * 3600,
                [
                    report(.sarif, "flake8", findings: [lint("E1")]),
                    report(.safetyJSON, "safety", findings: [vulnerability(tool: "safety", .high)]),
                    report(.sarif, "trivy", findings: [vulnerability(tool: "trivy", .critical)]),
                    report(.cobertura, "coverage", coverage: [Make.file("a.py", covered: 9, of: 10)]),
                ]
            ),
            (
                "c3", "feature", start + day + 9 * 3600,
                [
                    report(.banditJSON, "bandit", findings: [security("B602"), security("B603")]),
                    report(.junit, "pytest", tests: (1...4).map { caseResult("t\($0)", .passed) }),
                ]
            ),
            (
                "c4", "main", start + 2 * day + 8 * 3600,
                [
                    report(
                        .junit, "pytest",
                        tests: [caseResult("a", .passed), caseResult("b", .passed), caseResult("c", .skipped), caseResult("d", .skipped)]),
                    report(
                        .cobertura, "coverage", coverage: [Make.file("a.py", covered: 7, of: 10), Make.file("b.py", covered: 3, of: 10)]),
                ]
            ),
            (
                "c5", "main", start + 2 * day + 18 * 3600,
                [
                    report(.sarif, "flake8"),
                    report(
                        .cobertura, "coverage",
                        coverage: [FileCoverage(path: "a.py", coveredLines: [1, 2, 3, 4, 5], uncoveredLines: [6, 7, 8, 9, 10])]),
                    report(
                        .cobertura, "coverage",
                        coverage: [FileCoverage(path: "a.py", coveredLines: [4, 5, 6, 7, 8], uncoveredLines: [1, 2, 3, 9, 10])]),
                ]
            ),
        ]
        for index in runs {
            let (commit, branch, time, reports) = all[index - 1]
            let items = reports.enumerated().map { position, report in
                IngestItem(path: "reports/\(report.tool)-\(position)", sha256: "\(commit)-\(position)", report: report)
            }
            _ = try store.ingest(
                items, into: RunContext(commit: commit, branch: branch, pipeline: "p-\(commit)"),
                now: Date(timeIntervalSince1970: time))
        }
    }

    static func report(
        _ format: ReportFormat, _ tool: String, findings: [Finding] = [], tests: [TestResult] = [],
        coverage: [FileCoverage]? = nil
    ) -> ParsedReport {
        var report = ParsedReport(format: format, tool: tool, findings: findings, tests: tests, coverage: coverage)
        FingerprintRecipe.assign(&report.findings)
        return report
    }

    static func lint(_ rule: String) -> Finding {
        Make.finding(rule, tool: "flake8", category: .lint, severity: .low, path: "a.py", line: Int(rule.dropFirst()) ?? 1)
    }

    static func security(_ rule: String) -> Finding {
        Make.finding(rule, tool: "bandit", category: .security, severity: .high, path: "a.py", line: rule == "B602" ? 3 : 4)
    }

    static func vulnerability(tool: String, _ severity: Severity) -> Finding {
        Make.finding(
            "CVE-1", tool: tool, category: .vulnerability, severity: severity, path: nil, line: nil,
            package: "pkg", version: "1.0", advisories: ["CVE-1"])
    }

    static func caseResult(_ name: String, _ status: TestStatus) -> TestResult {
        Make.caseResult(name, status, duration: 0.5)
    }

    /// Every row of the aggregate tables, as text, for comparing a store with its recomputation.
    static func aggregateRows(_ store: SQLiteStore) throws -> [String] {
        try store.read { db in
            var rows: [String] = []
            for (table, key) in [
                ("run_finding_counts", "1, 2, 3, 4"), ("run_finding_sources", "1, 2"), ("run_test_counts", "1, 2, 3"),
                ("run_coverage_totals", "1"),
            ] {
                rows += try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(key)").map { "\(table) \($0)" }
            }
            return rows
        }
    }

    /// The aggregate rows a full recomputation gives (the store is left recomputed).
    static func recomputedAggregateRows(_ store: SQLiteStore) throws -> [String] {
        try store.write { db in
            for run in try Int64.fetchAll(db, sql: "SELECT id FROM runs") { try RunAggregates.refresh(db, runID: run) }
        }
        return try aggregateRows(store)
    }
}
