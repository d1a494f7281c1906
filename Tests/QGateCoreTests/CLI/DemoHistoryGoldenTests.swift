import Foundation
import QGateCore
import Testing

/// Every output format on the two-run demo history (the fixtures' main baseline and the pull
/// request on top of it), through the built binary, against golden files. Same store and
/// policy, same bytes: these files only change when the output is meant to change
/// (QGATE_RECORD=1 rewrites them; the failure shows the diff).
@Suite(.serialized, .enabled(if: CLI.available, "the qgate binary is not built (make test builds it)"))
struct DemoHistoryGoldenTests {
    static let main = ["bandit.json", "coverage.xml", "flake8.xml", "mypy.xml", "pylint.xml", "pytest.xml", "safety.json"]
    static let mainCommit = "1111111111111111111111111111111111111111"
    static let prCommit = "2222222222222222222222222222222222222222"

    /// A store holding the two demo runs, both checked against rules/prod.yml.
    static func demoStore() throws -> URL {
        let directory = try TestPaths.temporaryDirectory()
        let db = directory.appendingPathComponent("q.db").path
        let first = try CLI.run(
            [
                "check", "--policy", "rules/prod.yml", "--db", db, "--commit", mainCommit, "--branch", "main",
                "--pipeline", "demo-1", "--root", "fixtures/sample/main",
            ] + main.map { "fixtures/reports/main/" + $0 })
        #expect(first.status == 1, "\(first.stderr)")
        let second = try CLI.run(
            [
                "check", "--policy", "rules/prod.yml", "--db", db, "--commit", prCommit, "--branch", "feature/bulk-pricing",
                "--base-branch", "main", "--pr", "7", "--pipeline", "demo-2", "--diff", "fixtures/sample/pr.diff",
                "--root", "fixtures/sample/pr", "--format", "json",
            ] + main.map { "fixtures/reports/pr/" + $0 })
        #expect(second.status == 1, "\(second.stderr)")
        return directory
    }

    @Test func everyOutputFormatOfThePullRequestRun() throws {
        let directory = try Self.demoStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("q.db").path
        let common = ["--db", db, "--policy", "rules/prod.yml", "--diff", "fixtures/sample/pr.diff", "--run", "2"]
        for (format, golden) in [
            ("text", "demo/check.txt"), ("markdown", "demo/summary.md"), ("json", "demo/check.json"),
            ("github", "demo/github.txt"), ("gitlab", "demo/codeclimate.json"), ("sarif", "demo/qgate.sarif"),
        ] {
            let result = try CLI.run(["report", "--format", format] + common)
            #expect(result.status == 0, "\(format): \(result.stderr)")
            try Golden.check(result.stdout, against: golden)
        }
        // The evaluation recorded by `check` renders the same as a fresh one.
        let recorded = try CLI.run(["report", "--db", db, "--run", "2", "--format", "markdown"])
        let fresh = try CLI.run(["report", "--format", "markdown"] + common)
        #expect(recorded.stdout == fresh.stdout)
    }

    @Test func diffBetweenTheTwoRuns() throws {
        let directory = try Self.demoStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("q.db").path
        for (format, golden) in [("text", "demo/diff.txt"), ("json", "demo/diff.json"), ("markdown", "demo/diff.md")] {
            let result = try CLI.run(["diff", "1", "2", "--db", db, "--format", format])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            try Golden.check(result.stdout, against: golden)
        }
        // Without arguments: the latest run against the latest earlier run of its base branch.
        let defaults = try CLI.run(["diff", "--db", db])
        let explicit = try CLI.run(["diff", "1", "2", "--db", db])
        #expect(defaults.stdout == explicit.stdout)
    }

    @Test func reportOfARunNeverCheckedSaysSo() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("q.db").path
        _ = try CLI.run(["ingest", "--db", db, "--commit", "c", "fixtures/reports/main/flake8.xml"])
        let result = try CLI.run(["report", "--db", db, "--format", "markdown"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: run 1 was never checked; run `qgate check` on it first, or give --policy\n")
    }
}
