import Foundation
import QGateCore
import Testing

/// `qgate flaky` end to end: the JSON contract, CSV and table, quarantine from a policy,
/// `--reset`, and exit 2 for a test the store never saw.
@Suite(.enabled(if: CLI.available, "the qgate binary is not built (make test builds it)"))
struct FlakyCommandTests {
    let directory: URL
    var db: String { directory.appendingPathComponent("qgate.db").path }

    init() throws { directory = try TestPaths.temporaryDirectory() }

    private func ingest(_ report: String, commit: String, pipeline: String) throws {
        let result = try CLI.run([
            "ingest", "--db", db, "--commit", commit, "--branch", "main", "--pipeline", pipeline,
            "fixtures/reports/rerun/" + report,
        ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func listsFlakyTestsAsJSONCSVAndTableAndResetsThem() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        // The rerun marker of pytest-rerunfailures 16.7 makes test_checkout_times_out_once flaky;
        // test_cart_total_rounding fails every attempt of both runs: broken, not flaky.
        try ingest("pytest-rerunfailures-16.7.xml", commit: String(repeating: "a", count: 40), pipeline: "1")
        try ingest("pytest-rerunfailures-14.0.xml", commit: String(repeating: "b", count: 40), pipeline: "2")

        let json = try CLI.run(["flaky", "--db", db, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(Array(document.keys) == ["tests"])
        let rows = try #require(document["tests"] as? [[String: Any]])
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(Set(row.keys) == ["id", "runs", "failures", "flaky_commits", "flip_rate", "first_seen", "last_seen", "quarantined"])
        #expect(row["id"] as? String == "tests.test_cart::test_checkout_times_out_once")
        #expect(row["runs"] as? Int == 2)
        #expect(row["failures"] as? Int == 1)
        #expect(row["flaky_commits"] as? Int == 1)
        #expect(row["flip_rate"] as? Double == 1)
        #expect(row["quarantined"] as? Bool == false)
        #expect((row["first_seen"] as? String)?.hasSuffix("Z") == true)

        let csv = try CLI.run(["flaky", "--db", db, "--format", "csv"])
        #expect(
            csv.stdout.hasPrefix(
                "id,runs,failures,flaky_commits,flip_rate,first_seen,last_seen,quarantined\ntests.test_cart::test_checkout_times_out_once,2,1,1,1,"
            ))

        let policy = directory.appendingPathComponent("p.yml")
        try Data(
            """
            policy: p
            gates: [{ name: t, metric: tests.flaky, max: 0 }]
            quarantine:
              - { test: "tests/test_cart.py::test_checkout_*", reason: payment sandbox, expires: 2999-01-01 }
            """.utf8
        ).write(to: policy)
        let table = try CLI.run(["flaky", "--db", db, "--policy", policy.path])
        #expect(table.stdout.hasPrefix("TEST  "))
        #expect(table.stdout.contains("tests.test_cart::test_checkout_times_out_once  2     1         1              1"))
        #expect(table.stdout.hasSuffix("  yes\n"))

        let reset = try CLI.run(["flaky", "--db", db, "--reset", "tests.test_cart::test_checkout_times_out_once"])
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stdout == "tests.test_cart::test_checkout_times_out_once: flakiness reset; only runs after run 2 count for it.\n")
        #expect(try CLI.run(["flaky", "--db", db]).stdout == "No flaky tests.\n")

        let unknown = try CLI.run(["flaky", "--db", db, "--reset", "tests.test_cart::nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no run in the store has a test named 'tests.test_cart::nope'"))
    }
}
