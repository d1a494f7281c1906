import Foundation
import Testing

/// Issue #13: the command line behaves the same way in every command (help, destruction,
/// outputs), checked through the built binary.
@Suite(.serialized, .enabled(if: CLI.available, "needs the built qgate binary"))
struct CLIConsistencyTests {
    /// A store with the demo's two checked runs.
    final class DemoStore {
        let directory: URL
        var db: String { directory.appendingPathComponent("qgate.db").path }

        init() throws {
            directory = try TestPaths.temporaryDirectory()
            for arguments in DemoRuns.checks {
                let result = try CLI.run(["check", "--db", db] + arguments)
                #expect(result.status <= 1, "\(result.stderr)")
            }
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func bareQgatePrintsHelpAndExitsTwo() throws {
        let result = try CLI.run([])
        #expect(result.status == 2)
        #expect(result.stderr.contains("USAGE: qgate <subcommand>"))
    }

    @Test func pruneRefusesToDeleteEveryRunWithoutAll() throws {
        let store = try DemoStore()
        let refused = try CLI.run(["prune", "--keep-last", "0", "--db", store.db])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("this would delete every run of the store (2); nothing was deleted. Add --all"))
        #expect(try CLI.run(["runs", "--db", store.db]).stdout.split(separator: "\n").count == 3)
        let everything = try CLI.run(["prune", "--keep-last", "0", "--all", "--db", store.db])
        #expect(everything.status == 0)
        #expect(everything.stdout.hasPrefix("deleted 2 runs"))
    }

    @Test func pruneDryRunListsWhatWouldGoAndDeletesNothing() throws {
        let store = try DemoStore()
        let dry = try CLI.run(["prune", "--keep-last", "1", "--dry-run", "--db", store.db])
        #expect(dry.status == 0)
        #expect(dry.stdout == "would delete 1 run (dry run, nothing deleted):\n  run 1  commit 111111111111  branch main\n")
        #expect(try CLI.run(["runs", "--db", store.db]).stdout.split(separator: "\n").count == 3)
    }

    @Test func oneCheckWritesGitLabJSONAndShowsTheTable() throws {
        let store = try DemoStore()
        let gitlab = store.directory.appendingPathComponent("gl-code-quality.json")
        let sarif = store.directory.appendingPathComponent("qgate.sarif")
        let result = try CLI.run([
            "report", "--run", "2", "--policy", "rules/prod.yml", "--db", store.db,
            "--output", "gitlab=\(gitlab.path)", "-o", "sarif=\(sarif.path)",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("GATE ") && result.stdout.contains("STATUS"))
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: gitlab)) as? [[String: Any]]
        #expect((written?.count ?? 0) > 0)
        #expect(try String(contentsOf: sarif, encoding: .utf8).contains("\"version\" : \"2.1.0\""))
    }

    /// A report's warning is said once: under Notes when standard output shows them, else on stderr.
    @Test func eachWarningIsSaidOnce() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("r.sarif")
        try Data(
            """
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "flake8"}}, "results": [{"ruleId": "E1", "level": "warning",
            "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///elsewhere/app.py"},
            "region": {"startLine": 3}}}]}]}]}
            """.utf8
        ).write(to: report)
        let policy = directory.appendingPathComponent("p.yml")
        try Data("policy: p\ngates:\n  - { name: g, metric: findings, max: 5 }\n".utf8).write(to: policy)
        let warning = "do not exist under the repository root"
        for (index, format) in ["text", "json"].enumerated() {
            let result = try CLI.run(
                [
                    "check", "--policy", policy.path, "--db", directory.appendingPathComponent("q\(index).db").path,
                    "--root", directory.path, "--commit", "abcdef1", "-f", format, report.path,
                ], in: directory)
            #expect(result.status == 0, "\(result.stderr)")
            // The JSON document carries the warning as data (`notes`); the reader is told once.
            let toTheReader = format == "json" ? result.stderr : result.stdout + result.stderr
            let said = toTheReader.components(separatedBy: warning).count - 1
            #expect(said == 1, "\(format): said \(said) times\n\(result.stdout)\n\(result.stderr)")
            #expect(result.stderr.contains(warning) == (format == "json"))
        }
    }

    @Test func helpListsEachFormatsValuesOnceAndSaysCodeUnits() throws {
        let help = try CLI.run(["check", "--help"]).stdout
        #expect(help.components(separatedBy: "codeclimate").count == 2)
        #expect(help.contains("-o, --output"))
        #expect(help.contains("-f, --format"))
        #expect(help.contains("UTF-16 code"))
    }
}

/// Issue #13: `runs` shows the verdict of each policy checked on a run.
@Suite(.serialized, .enabled(if: CLI.available, "needs the built qgate binary"))
struct RunVerdictsPerPolicyTests {
    @Test func aRunCheckedAgainstTwoPoliciesShowsBothVerdicts() throws {
        let store = try CLIConsistencyTests.DemoStore()
        let dev = try CLI.run([
            "check", "--policy", "rules/dev.yml", "--commit", String(repeating: "2", count: 40),
            "--pipeline", "demo-2", "--diff", "fixtures/sample/pr.diff", "--db", store.db,
        ])
        #expect(dev.status == 0)
        let table = try CLI.run(["runs", "--db", store.db]).stdout
        let run2 = try #require(table.split(separator: "\n").first { $0.hasPrefix("2 ") })
        #expect(run2.hasSuffix("warn (dev), fail (prod)"))
        let json = try CLI.run(["runs", "--format", "json", "--db", store.db]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        let entry = try #require(runs.first { $0["id"] as? Int == 2 })
        #expect(entry["verdict"] as? String == "fail")
        let verdicts = try #require(entry["verdicts"] as? [[String: Any]])
        #expect(verdicts.map { "\($0["policy"] ?? "")=\($0["verdict"] ?? "")" } == ["dev=warn", "prod=fail"])
    }

    /// `merge` carries every policy's verdict of a run, not only the last check's.
    @Test func mergeCarriesTheVerdictOfEachPolicy() throws {
        let store = try CLIConsistencyTests.DemoStore()
        let dev = try CLI.run([
            "check", "--policy", "rules/dev.yml", "--commit", String(repeating: "2", count: 40),
            "--pipeline", "demo-2", "--diff", "fixtures/sample/pr.diff", "--db", store.db,
        ])
        #expect(dev.status == 0)
        let target = store.directory.appendingPathComponent("merged.db").path
        let merged = try CLI.run(["merge", target, store.db])
        #expect(merged.status == 0, "\(merged.stderr)")
        let table = try CLI.run(["runs", "--db", target]).stdout
        let run2 = try #require(table.split(separator: "\n").first { $0.contains("222222222222") })
        #expect(run2.hasSuffix("warn (dev), fail (prod)"))
        let again = try CLI.run(["merge", target, store.db])
        #expect(again.status == 0)
        #expect(try CLI.run(["runs", "--db", target]).stdout == table)
    }
}
