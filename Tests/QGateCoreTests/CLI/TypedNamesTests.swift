import Foundation
import Testing

/// Issue #13: "did you mean" wherever a name is typed that the store or the policy never has.
@Suite(.serialized, .enabled(if: CLI.available, "needs the built qgate binary"))
struct TypedNamesTests {
    @Test func trendWarnsAboutABranchAndAToolTheStoreNeverHad() throws {
        let store = try CLIConsistencyTests.DemoStore()
        let result = try CLI.run(["trend", "findings", "--branch", "mian", "--where", "tool=pylnt", "--db", store.db])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: no run in the store has branch 'mian'; did you mean 'main'?"))
        #expect(result.stderr.contains("warning: no report in the store is from tool 'pylnt'; did you mean 'pylint'?"))
        let known = try CLI.run(["trend", "findings", "--branch", "main", "--where", "tool=pylint", "--db", store.db])
        #expect(known.stderr.isEmpty)
    }

    @Test func runsWarnsAboutAnUnknownBranch() throws {
        let store = try CLIConsistencyTests.DemoStore()
        let result = try CLI.run(["runs", "--branch", "mian", "--db", store.db])
        #expect(result.stderr == "warning: no run in the store has branch 'mian'; did you mean 'main'?\n")
    }

    @Test func aTypoInRequireIsAPolicyError() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = directory.appendingPathComponent("p.yml")
        try "policy: p\nrequire: [flake8, safty, semgrep]\ngates:\n  - { name: t, metric: tests.failed, max: 0 }\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        let result = try CLI.run(["policy", "validate", policy.path])
        #expect(result.status == 2)
        #expect(result.stderr == "\(policy.path):2:19: error: unknown report 'safty' in require; did you mean 'safety'?\n")
    }
}
