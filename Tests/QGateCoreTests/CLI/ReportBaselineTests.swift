import Foundation
import QGateCore
import Testing

/// `report` evaluates with the same baseline options as `check`, and `diff` without arguments
/// compares with the run that `check` compared with (issue #12).
@Suite(.serialized, .enabled(if: CLI.available, "the qgate binary is not built (make test builds it)"))
struct ReportBaselineTests {
    /// Run 1 and 2 on main, run 3 a pull request checked against run 1 (not the latest main run).
    static func store() throws -> (URL, String) {
        let directory = try TestPaths.temporaryDirectory()
        let db = directory.appendingPathComponent("q.db").path
        let main = DemoHistoryGoldenTests.main
        for (commit, pipeline) in [(DemoHistoryGoldenTests.mainCommit, "m1"), ("3333333333333333333333333333333333333333", "m2")] {
            let result = try CLI.run(
                [
                    "ingest", "--db", db, "--commit", commit, "--branch", "main", "--pipeline", pipeline,
                    "--root", "fixtures/sample/main",
                ] + main.map { "fixtures/reports/main/" + $0 })
            #expect(result.status == 0, "\(result.stderr)")
        }
        let pr = try CLI.run(
            [
                "check", "--policy", "rules/prod.yml", "--db", db, "--commit", DemoHistoryGoldenTests.prCommit,
                "--branch", "feature", "--base-branch", "main", "--pr", "7", "--pipeline", "p", "--baseline", "1",
                "--root", "fixtures/sample/pr",
            ] + main.map { "fixtures/reports/pr/" + $0 })
        #expect(pr.status == 1, "\(pr.stderr)")
        return (directory, db)
    }

    @Test func diffWithoutArgumentsComparesWithTheRunCheckComparedWith() throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let defaults = try CLI.run(["diff", "--db", db, "--format", "json"])
        #expect(defaults.status == 0, "\(defaults.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(defaults.stdout.utf8)) as? [String: Any])
        #expect((json["base"] as? [String: Any])?["id"] as? Int == 1, "\(defaults.stdout.prefix(400))")
        #expect(defaults.stdout == (try CLI.run(["diff", "1", "3", "--db", db, "--format", "json"])).stdout)
    }

    @Test func reportTakesTheBaselineOptionsOfCheck() throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLI.run([
            "report", "--db", db, "--run", "3", "--policy", "rules/prod.yml", "--baseline", "2",
            "--diff", "fixtures/sample/pr.diff", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let baseline = try #require(json["baseline"] as? [String: Any])
        #expect((baseline["run"] as? [String: Any])?["id"] as? Int == 2)
        #expect(((json["coverage"] as? [String: Any])?["changed_files"] as? [Any])?.isEmpty == false)

        let refused = try CLI.run(["report", "--db", db, "--run", "3", "--baseline", "2"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--baseline, --diff and --diff-base go with --policy"), "\(refused.stderr)")
    }
}
