import Foundation
import GRDB
import QGateCore
import Testing

@Suite struct StoreTests {
    static func item(
        _ name: String, findings: [Finding] = [], tests: [TestResult] = [], coverage: [FileCoverage]? = nil,
        format: ReportFormat = .junit, tool: String = "flake8"
    ) -> IngestItem {
        var report = ParsedReport(format: format, tool: tool, findings: findings, tests: tests, coverage: coverage)
        FingerprintRecipe.assign(&report.findings)
        return IngestItem(path: name, sha256: "sha-\(name)", report: report)
    }

    static let lint = Finding(
        tool: "flake8", category: .lint, ruleID: "F401", severity: .medium, path: "pkg/a.py",
        range: SourceRange(startLine: 3, startColumn: 1), message: "'os' imported but unused")

    func withStore<T>(_ body: (SQLiteStore, URL) throws -> T) throws -> T {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("nested/qgate.db").path)
        return try body(store, directory)
    }

    @Test func ingestCreatesTheRunAndStoresEverything() throws {
        try withStore { store, _ in
            let coverage = [
                FileCoverage(path: "pkg/a.py", coveredLines: [1, 2, 5], uncoveredLines: [3, 4], branchesValid: 4, branchesCovered: 3)
            ]
            let tests = [
                TestResult(
                    suite: "pytest", className: "tests.test_a", name: "test_one", status: .failed, duration: 0.5, message: "assert 1 == 2")
            ]
            let outcome = try store.ingest(
                [
                    Self.item("flake8.xml", findings: [Self.lint]),
                    Self.item("pytest.xml", tests: tests, tool: "pytest"),
                    Self.item("coverage.xml", coverage: coverage, format: .cobertura, tool: "cobertura"),
                ], into: RunContext(commit: "abc123", branch: "main", pipeline: "42"))
            #expect(outcome.statuses == [.ingested, .ingested, .ingested])
            #expect(outcome.run.context.branch == "main")

            let findings = try store.findings(runID: outcome.run.id)
            #expect(findings.count == 1)
            #expect(findings.first?.ruleID == "F401")
            #expect(findings.first?.range.startLine == 3)
            #expect(findings.first?.fingerprint.isEmpty == false)
            #expect(try store.tests(runID: outcome.run.id) == tests)
            #expect(try store.coverage(runID: outcome.run.id) == coverage)
            let reports = try store.reports(runID: outcome.run.id)
            #expect(reports.map(\.tool) == ["flake8", "pytest", "cobertura"])
            #expect(reports[0].findings.medium == 1)
            #expect(reports[1].tests.failed == 1)
            #expect(reports[2].coverage?.linesCovered == 3)
            #expect(reports[0].coverage == nil)
        }
    }

    @Test func reingestingTheSameContentChangesNothing() throws {
        try withStore { store, _ in
            let context = RunContext(commit: "abc", pipeline: "1")
            let first = try store.ingest([Self.item("flake8.xml", findings: [Self.lint])], into: context)
            let second = try store.ingest([Self.item("flake8.xml", findings: [Self.lint])], into: context)
            #expect(second.statuses == [.unchanged])
            #expect(second.run.id == first.run.id)
            #expect(try store.findings(runID: first.run.id).count == 1)
            #expect(try store.runs().count == 1)
        }
    }

    @Test func jobsOfOnePipelineShareARunAndFillMissingFields() throws {
        try withStore { store, _ in
            let a = try store.ingest([Self.item("a.xml")], into: RunContext(commit: "c1", branch: "feature", pipeline: "p1"))
            let b = try store.ingest(
                [Self.item("b.xml")], into: RunContext(commit: "c1", branch: "feature", baseBranch: "main", pullRequest: 7, pipeline: "p1"))
            #expect(a.run.id == b.run.id)
            #expect(b.run.context.pullRequest == 7)
            let other = try store.ingest([Self.item("c.xml")], into: RunContext(commit: "c1", pipeline: "p2"))
            #expect(other.run.id != a.run.id)
            #expect(try store.runs().map(\.id) == [other.run.id, a.run.id])
            #expect(try store.runs(branch: "feature").count == 1)
        }
    }

    @Test func concurrentWritersBothLand() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("qgate.db").path
        _ = try SQLiteStore(path: path)
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                let store = try SQLiteStore(path: path)  // one connection pool per "process"
                let findings = (0..<200).map { line in
                    Finding(
                        tool: "flake8", category: .lint, ruleID: "E501", severity: .low, path: "pkg/m\(index).py",
                        range: SourceRange(startLine: line + 1), message: "line too long \(line)")
                }
                _ = try store.ingest([Self.item("job\(index).xml", findings: findings)], into: RunContext(commit: "c", pipeline: "p"))
            } catch {
                errors.append(error)
            }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        let store = try SQLiteStore(path: path)
        let runs = try store.runs()
        #expect(runs.count == 1)
        #expect(try store.reports(runID: runs[0].id).count == 8)
        #expect(try store.findings(runID: runs[0].id).count == 1600)
    }

    @Test func aFileThatIsNotAStoreIsRefused() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("not-a-db").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        do {
            _ = try SQLiteStore(path: path)
        } catch let error as StoreError {
            #expect(error.description.contains("not a qgate store"))
        }
    }

    @Test func resolveRunAcceptsIdsCommitPrefixesAndLatest() throws {
        try withStore { store, _ in
            let a = try store.ingest([Self.item("a.xml")], into: RunContext(commit: "aaaa1111", pipeline: "1")).run
            let b = try store.ingest([Self.item("b.xml")], into: RunContext(commit: "bbbb2222", pipeline: "2")).run
            #expect(try store.resolveRun(String(a.id)).id == a.id)
            #expect(try store.resolveRun("bbbb").id == b.id)
            #expect(try store.resolveRun("latest").id == b.id)
            #expect(throws: StoreError.self) { try store.resolveRun("cccc") }
        }
    }
}

/// Collects errors from concurrent closures.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func append(_ error: Error) { lock.lock(); errors.append(error); lock.unlock() }
    var all: [Error] { lock.lock(); defer { lock.unlock() }; return errors }
}
