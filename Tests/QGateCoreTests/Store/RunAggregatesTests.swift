import Foundation
import GRDB
import Testing

@testable import QGateCore

/// The per-run aggregate tables stay equal to a recomputation from the rows through ingest,
/// merge, prune and the migration that creates them.
@Suite struct RunAggregatesTests {
    @Test func ingestFillsTheAggregatesItsTransactionWrote() throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let rows = try SyntheticHistory.aggregateRows(history.store)
        #expect(!rows.isEmpty)
        #expect(try SyntheticHistory.recomputedAggregateRows(history.store) == rows)
        // Run 2: one flake8 low, the shared CVE once (as trivy's critical); sources include safety with no counted finding.
        let run2 = rows.filter { $0.contains("run_id:2") }
        #expect(run2.contains { $0.hasPrefix("run_finding_counts") && $0.contains("tool:\"trivy\"") && $0.contains("count:1") })
        #expect(!run2.contains { $0.hasPrefix("run_finding_counts") && $0.contains("tool:\"safety\"") })
        #expect(run2.contains { $0.hasPrefix("run_finding_sources") && $0.contains("tool:\"safety\"") })
    }

    @Test func migrationV3IsFrozenSQLThatCountsAsRunAggregatesDoes() throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        // Run 5 measures a.py in two reports (line sets unioned); run 2 holds one CVE from two scanners.
        let live = try SyntheticHistory.aggregateRows(history.store)
        #expect(
            live.contains {
                $0.hasPrefix("run_coverage_totals") && $0.contains("run_id:5") && $0.contains("lines_valid:10")
                    && $0.contains("lines_covered:8")
            })
        try history.store.write { db in
            for table in ["run_finding_counts", "run_finding_sources", "run_test_counts", "run_coverage_totals"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try db.execute(sql: Schema.v3FillAggregates)
        }
        #expect(try SyntheticHistory.aggregateRows(history.store) == live)
    }

    @Test func noMigrationCallsLiveCode() throws {
        let source = try String(
            contentsOf: TestPaths.repositoryRoot.appendingPathComponent("Sources/QGateCore/Store/Schema.swift"), encoding: .utf8)
        #expect(!source.contains("RunAggregates."))
        #expect(!source.contains("SQLiteStore."))
    }

    @Test func reingestingTheSameReportChangesNothing() throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let before = try SyntheticHistory.aggregateRows(history.store)
        try SyntheticHistory.fill(history.store)
        #expect(try SyntheticHistory.aggregateRows(history.store) == before)
    }

    @Test func mergeFillsTheAggregatesOfCopiedAndFoldedRuns() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Two CI jobs of the same pipelines: runs 1–3 in one store, runs 2–5 in the other (run 2's reports twice).
        let first = try SQLiteStore(path: directory.appendingPathComponent("a.db").path)
        let second = try SQLiteStore(path: directory.appendingPathComponent("b.db").path)
        try SyntheticHistory.fill(first, runs: 1...3)
        try SyntheticHistory.fill(second, runs: 2...5)
        let merged = try SQLiteStore(path: directory.appendingPathComponent("out.db").path)
        _ = try merged.merge(from: first)
        _ = try merged.merge(from: second)

        let reference = try SyntheticHistory()
        defer { reference.remove() }
        #expect(try SyntheticHistory.aggregateRows(merged) == SyntheticHistory.aggregateRows(reference.store))
        #expect(try SyntheticHistory.recomputedAggregateRows(merged) == SyntheticHistory.aggregateRows(reference.store))
        let findings = try merged.trend(TrendQuery(metric: .findings)).series[0].points.map(\.value)
        #expect(findings == [3, 2, 2, nil, 0])
    }

    @Test func mergeFoldsAJobsReportIntoAnExistingRunsTotals() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = try SQLiteStore(path: directory.appendingPathComponent("a.db").path)
        let job = try SQLiteStore(path: directory.appendingPathComponent("b.db").path)
        let context = RunContext(commit: "c9", branch: "main", pipeline: "p9")
        _ = try target.ingest(
            [
                IngestItem(
                    path: "safety.json", sha256: "s1",
                    report: SyntheticHistory.report(
                        .safetyJSON, "safety", findings: [SyntheticHistory.vulnerability(tool: "safety", .high)]))
            ], into: context)
        _ = try job.ingest(
            [
                IngestItem(
                    path: "trivy.sarif", sha256: "s2",
                    report: SyntheticHistory.report(
                        .sarif, "trivy", findings: [SyntheticHistory.vulnerability(tool: "trivy", .critical)]))
            ], into: context)
        _ = try target.merge(from: job)
        let bySeverity = try target.trend(TrendQuery(metric: .findings, by: .severity))
        #expect(bySeverity.series.map(\.label) == ["critical"])
        #expect(bySeverity.series[0].points.map(\.value) == [1])
    }

    @Test func pruneCascadesToTheAggregates() throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        _ = try history.store.prune(.keepLast(2, branch: nil))
        let rows = try SyntheticHistory.aggregateRows(history.store)
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.contains("run_id:4") || $0.contains("run_id:5") })
        #expect(try history.store.foreignKeyViolations() == 0)
        #expect(try history.store.trend(TrendQuery(metric: .coverageLines)).series[0].points.map(\.value) == [50, 80])
    }

    @Test func theMigrationBackfillsAStoreWrittenBeforeIt() throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let expected = try SyntheticHistory.aggregateRows(history.store)
        // Make the store look like one written by the previous version.
        try history.store.write { db in
            for table in ["run_finding_counts", "run_finding_sources", "run_test_counts", "run_coverage_totals"] {
                try db.execute(sql: "DROP TABLE \(table)")
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-run-metric-aggregates'")
        }
        let reopened = try SQLiteStore(path: history.store.path)
        #expect(try SyntheticHistory.aggregateRows(reopened) == expected)
    }
}
