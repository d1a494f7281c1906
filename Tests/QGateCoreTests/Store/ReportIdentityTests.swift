import Foundation
import QGateCore
import Testing

/// Issue 9 items 6 and 10: one finding reported by several reports of one tool counts once; a
/// retried CI job replaces its reports; the tool a report is filed under is part of its identity.
struct DuplicateReportTests {
    func withStore<T>(_ body: (SQLiteStore) throws -> T) throws -> T {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(try SQLiteStore(path: directory.appendingPathComponent("qgate.db").path))
    }

    static func read(_ paths: [String]) throws -> [IngestItem] {
        try Ingestor(context: ParseContext()).read(paths: paths.map { TestPaths.fixtures.appendingPathComponent($0).path })
    }

    @Test func banditJSONAndSARIFOfOneScanCountEachFindingOnce() throws {
        try withStore { store in
            let items = try Self.read(["reports/main/bandit.json", "reports/main/bandit.sarif"])
            #expect(items.map(\.report.findings.count) == [6, 6])
            let run = try store.ingest(items, into: RunContext(commit: "c1", branch: "main", pipeline: "1")).run
            let counted = FindingTriage.none.triage(try store.findings(runID: run.id)).counted
            #expect(counted.count == 6)
            #expect(counted.filter { $0.severity == .high }.count == 1)  // B602, not twice
            #expect(try store.totals(runIDs: [run.id])[run.id]?.findings == 6)  // the per-run aggregate agrees
        }
    }

    @Test func againstABaselineWithOneCopyNothingIsNew() throws {
        try withStore { store in
            let base = try store.ingest(
                try Self.read(["reports/main/bandit.json"]),
                into: RunContext(commit: "c1", branch: "main", pipeline: "1")
            ).run
            let head = try store.ingest(
                try Self.read(["reports/main/bandit.json", "reports/main/bandit.sarif"]),
                into: RunContext(commit: "c2", branch: "main", pipeline: "2")
            ).run
            let comparison = FindingComparison(
                current: FindingTriage.none.triage(try store.findings(runID: head.id)).counted,
                baseline: FindingTriage.none.triage(try store.findings(runID: base.id)).counted)
            #expect(comparison.new.isEmpty)
            #expect(comparison.fixed.isEmpty)
            #expect(comparison.unchanged.count == 6)
        }
    }

    @Test func theReportWithTheMostCopiesDecidesHowManyThereAre() throws {
        try withStore { store in
            let finding = Finding(
                tool: "flake8", category: .lint, ruleID: "W291", severity: .low, path: "m.py",
                range: SourceRange(startLine: 3), message: "trailing whitespace")
            var twice = ParsedReport(format: .junit, tool: "flake8", findings: [finding, finding])
            var once = ParsedReport(format: .junit, tool: "flake8", findings: [finding])
            FingerprintRecipe.assign(&twice.findings)
            FingerprintRecipe.assign(&once.findings)
            let run = try store.ingest(
                [
                    IngestItem(path: "a.xml", sha256: "a", report: twice),
                    IngestItem(path: "b.xml", sha256: "b", report: once),
                ],
                into: RunContext(commit: "c", pipeline: "p")
            ).run
            #expect(FindingTriage.none.triage(try store.findings(runID: run.id)).counted.count == 2)
            #expect(try store.totals(runIDs: [run.id])[run.id]?.findings == 2)
        }
    }
}

/// Retried CI jobs and `--tool`, through the built binary with a CI environment.
@Suite(.enabled(if: CLI.available, "the qgate binary is not built (make test builds it)"))
struct RetriedJobTests {
    let directory: URL
    var db: String { directory.appendingPathComponent("qgate.db").path }

    init() throws { directory = try TestPaths.temporaryDirectory() }

    static func github(job: String, attempt: Int) -> [String: String] {
        [
            "GITHUB_ACTIONS": "true", "GITHUB_SHA": "abcdef1234567890abcdef1234567890abcdef12", "GITHUB_REF_NAME": "main",
            "GITHUB_RUN_ID": "4242", "GITHUB_RUN_ATTEMPT": String(attempt), "GITHUB_JOB": job,
        ]
    }

    static func gitlab(job: String, id: Int) -> [String: String] {
        [
            "GITLAB_CI": "true", "CI_COMMIT_SHA": "abcdef1234567890abcdef1234567890abcdef12", "CI_COMMIT_BRANCH": "main",
            "CI_PIPELINE_ID": "99", "CI_JOB_NAME": job, "CI_JOB_ID": String(id),
        ]
    }

    func ingest(_ reports: [String], environment: [String: String], extra: [String] = []) throws -> [String: Any] {
        let result = try CLI.run(
            ["ingest", "--db", db, "--format", "json"] + extra + reports.map { "fixtures/" + $0 },
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func storedReports() throws -> [(tool: String, path: String)] {
        let store = try SQLiteStore(path: db, create: false)
        let runs = try store.runs()
        #expect(runs.count == 1)
        return try runs.flatMap { try store.reports(runID: $0.id) }.map { ($0.tool, $0.path) }
    }

    @Test func aGitHubRerunOfAFailedJobReplacesItsReportsAndKeepsTheOtherJobs() throws {
        _ = try ingest(["reports/main/bandit.json"], environment: Self.github(job: "scan", attempt: 1))
        _ = try ingest(["reports/main/pytest.xml"], environment: Self.github(job: "test", attempt: 1))
        // "Re-run failed jobs": only `scan` runs again, as attempt 2, in the same workflow run.
        let rerun = try ingest(["reports/pr/bandit.json"], environment: Self.github(job: "scan", attempt: 2))
        #expect(rerun["replaced"] as? Int == 1)
        let reports = try storedReports()
        #expect(reports.map(\.path).sorted() == ["fixtures/reports/main/pytest.xml", "fixtures/reports/pr/bandit.json"])
    }

    @Test func aGitLabRetryReplacesTheJobsReportsAndALateOlderAttemptIsIgnored() throws {
        _ = try ingest(["reports/main/bandit.json"], environment: Self.gitlab(job: "bandit: [3.12]", id: 100))
        _ = try ingest(["reports/main/bandit.json"], environment: Self.gitlab(job: "bandit: [3.11]", id: 101))
        _ = try ingest(["reports/pr/bandit.json"], environment: Self.gitlab(job: "bandit: [3.12]", id: 150))
        let late = try ingest(["reports/main/safety.json"], environment: Self.gitlab(job: "bandit: [3.12]", id: 120))
        #expect((late["reports"] as? [[String: Any]])?.first?["status"] as? String == "superseded")
        let reports = try storedReports()
        #expect(reports.map(\.path).sorted() == ["fixtures/reports/main/bandit.json", "fixtures/reports/pr/bandit.json"])
    }

    @Test func theJobFlagNamesTheJobAndItsAttempt() throws {
        _ = try ingest(["reports/main/bandit.json"], environment: [:], extra: ["--commit", "c0ffee", "--job", "lint", "--attempt", "1"])
        _ = try ingest(["reports/pr/bandit.json"], environment: [:], extra: ["--commit", "c0ffee", "--job", "lint", "--attempt", "2"])
        #expect(try storedReports().map(\.path) == ["fixtures/reports/pr/bandit.json"])
    }

    @Test func theSameBytesFiledUnderAnotherToolAreAnotherReport() throws {
        let flags = ["--commit", "c0ffee", "--pipeline", "1"]
        _ = try ingest(["reports/main/bandit.json"], environment: [:], extra: flags + ["--tool", "bandit"])
        let second = try ingest(["reports/main/bandit.json"], environment: [:], extra: flags + ["--tool", "semgrep"])
        #expect((second["reports"] as? [[String: Any]])?.first?["status"] as? String == "ingested")
        let policy = directory.appendingPathComponent("p.yml")
        try Data("policy: p\nrequire: [bandit, semgrep]\ngates: []\n".utf8).write(to: policy)
        let check = try CLI.run(["check", "--db", db, "--policy", policy.path] + flags)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(try storedReports().map(\.tool) == ["bandit", "semgrep"])
    }
}

/// `qgate merge` follows the same rule as ingest: a job's newest attempt wins, in either order.
struct MergedAttemptTests {
    static func item(_ name: String) -> IngestItem {
        IngestItem(path: name, sha256: "sha-\(name)", report: ParsedReport(format: .banditJSON, tool: "bandit"))
    }

    @Test(arguments: [[1, 2], [2, 1]])
    func theNewestAttemptOfAJobWinsWhateverTheMergeOrder(_ order: [Int]) throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = RunContext(commit: "c", pipeline: "p")
        let target = try SQLiteStore(path: directory.appendingPathComponent("all.db").path)
        _ = try target.ingest([Self.item("other-job.json")], into: run, job: JobContext(name: "test", attempt: 1))
        for attempt in order {
            let source = try SQLiteStore(path: directory.appendingPathComponent("attempt\(attempt).db").path)
            _ = try source.ingest([Self.item("bandit-\(attempt).json")], into: run, job: JobContext(name: "scan", attempt: attempt))
            _ = try target.merge(from: source)
        }
        let runID = try #require(try target.runs().first?.id)
        #expect(try target.reports(runID: runID).map(\.path).sorted() == ["bandit-2.json", "other-job.json"])
    }
}
