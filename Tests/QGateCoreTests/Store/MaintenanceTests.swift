import Foundation
import QGateCore
import Testing

@Suite struct MaintenanceTests {
    static func finding(_ rule: String, line: Int) -> Finding {
        Finding(
            tool: "flake8", category: .lint, ruleID: rule, severity: .low, path: "pkg/a.py",
            range: SourceRange(startLine: line), message: "message \(rule)")
    }

    static func ingest(_ store: SQLiteStore, commit: String, pipeline: String, report: String, branch: String = "main", findings: Int = 3)
        throws
    {
        let items = [
            StoreTests.item(
                report, findings: (0..<findings).map { finding("E\($0)", line: $0 + 1) },
                coverage: nil)
        ]
        _ = try store.ingest(items, into: RunContext(commit: commit, branch: branch, pipeline: pipeline))
    }

    @Test func mergeFoldsParallelJobsIntoOneRunAndIsIdempotent() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lint = try SQLiteStore(path: directory.appendingPathComponent("lint.db").path)
        let tests = try SQLiteStore(path: directory.appendingPathComponent("tests.db").path)
        try Self.ingest(lint, commit: "c1", pipeline: "p1", report: "flake8.xml")
        try Self.ingest(tests, commit: "c1", pipeline: "p1", report: "pylint.xml", findings: 2)
        try Self.ingest(tests, commit: "c0", pipeline: "p0", report: "old.xml", findings: 1)

        let out = try SQLiteStore(path: directory.appendingPathComponent("out.db").path)
        let first = try out.merge(from: lint)
        #expect(first == MergeOutcome(runsCreated: 1, runsMatched: 0, reportsCopied: 1, reportsAlreadyPresent: 0))
        let second = try out.merge(from: tests)
        #expect(second == MergeOutcome(runsCreated: 1, runsMatched: 1, reportsCopied: 2, reportsAlreadyPresent: 0))
        let again = try out.merge(from: tests)
        #expect(again == MergeOutcome(runsCreated: 0, runsMatched: 2, reportsCopied: 0, reportsAlreadyPresent: 2))

        let runs = try out.runs()
        #expect(runs.count == 2)
        let merged = try #require(runs.first { $0.context.commit == "c1" })
        #expect(try out.reports(runID: merged.id).count == 2)
        #expect(try out.findings(runID: merged.id).count == 5)
        #expect(try out.foreignKeyViolations() == 0)
    }

    @Test func mergingAStoreIntoItselfIsRefused() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("a.db").path)
        #expect(throws: UsageError.self) { try store.merge(from: store) }
    }

    @Test func pruneKeepsTheNewestRunsLeavesNoOrphansAndShrinks() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("a.db").path)
        for index in 0..<30 {
            try Self.ingest(
                store, commit: "c\(index)", pipeline: "p\(index)", report: "r\(index).xml",
                branch: index % 3 == 0 ? "feature" : "main", findings: 300)
        }
        let mainBefore = try store.runs(branch: "main").count
        let outcome = try store.prune(.keepLast(5, branch: "main"))
        #expect(outcome.runsDeleted == mainBefore - 5)
        #expect(try store.runs(branch: "main").count == 5)
        #expect(try store.runs(branch: "feature").count == 10)
        #expect(outcome.bytesAfter < outcome.bytesBefore)
        #expect(try store.foreignKeyViolations() == 0)
        let all = try store.prune(.keepLast(3, branch: nil))
        #expect(all.runsDeleted == 12)
        #expect(try store.runs().map(\.id) == [30, 29, 28])
        let none = try store.prune(.olderThan(Date().addingTimeInterval(3600)), allowEverything: true)
        #expect(none.runsDeleted == 3)
        #expect(try store.runs().isEmpty)
    }
}
