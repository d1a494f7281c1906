import Foundation
import QGateCore
import Testing

/// `qgate ingest` end to end, through the built binary: exit codes, wording, the JSON contract,
/// and "nothing written" on bad input.
@Suite(.enabled(if: CLI.available, "the qgate binary is not built (make test builds it)"))
struct IngestCommandTests {
    let directory: URL
    var db: String { directory.appendingPathComponent("qgate.db").path }

    init() throws { directory = try TestPaths.temporaryDirectory() }

    static let runFlags = ["--commit", "1111111111111111111111111111111111111111", "--branch", "main", "--pipeline", "golden"]

    static let mainReports = ["bandit.json", "coverage.xml", "flake8.xml", "mypy.xml", "pylint.xml", "pytest.xml", "safety.json"]
        .map { "fixtures/reports/main/" + $0 }

    @Test func ingestJSONMatchesTheGoldenFile() throws {
        let result = try CLI.run(
            ["ingest", "--db", db, "--format", "json", "--root", "fixtures/sample/main"] + Self.runFlags + Self.mainReports)
        #expect(result.status == 0, "\(result.stderr)")
        try Golden.check(result.stdout, against: "ingest-main.json")
    }

    @Test func ingestingTheSameReportsAgainChangesNothing() throws {
        let first = try CLI.run(["ingest", "--db", db, "--format", "json"] + Self.runFlags + Self.mainReports)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CLI.run(["ingest", "--db", db, "--format", "json"] + Self.runFlags + Self.mainReports)
        #expect(second.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
        let statuses = (json?["reports"] as? [[String: Any]])?.compactMap { $0["status"] as? String }
        #expect(statuses == Array(repeating: "unchanged", count: Self.mainReports.count))
    }

    @Test func badInputExitsTwoNamingTheFileAndPositionAndWritesNothing() throws {
        let truncated = directory.appendingPathComponent("truncated.xml")
        try Data("<?xml version=\"1.0\"?>\n<testsuites>\n  <testsuite name=\"pytest\">\n    <testcase name=\"a\"".utf8).write(to: truncated)
        let result = try CLI.run(["ingest", "--db", db] + Self.runFlags + ["fixtures/reports/main/flake8.xml", truncated.path])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("\(truncated.path):4:"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: db), "the store must not even be created")
    }

    @Test func badInputLeavesAnExistingStoreUntouched() throws {
        let good = try CLI.run(["ingest", "--db", db] + Self.runFlags + ["fixtures/reports/main/flake8.xml"])
        #expect(good.status == 0, "\(good.stderr)")
        let before = try SQLiteStore(path: db).findings(runID: 1).count
        let unknown = directory.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: unknown)
        let bad = try CLI.run(["ingest", "--db", db, "--commit", "other"] + ["fixtures/reports/main/pylint.xml", unknown.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("not a report qgate knows"))
        let store = try SQLiteStore(path: db)
        #expect(try store.runs().count == 1)
        #expect(try store.findings(runID: 1).count == before)
    }

    @Test(arguments: [
        (["ingest"], "Missing expected argument"),
        (["ingest", "--as", "xml", "x.xml"], "--as"),
        (["ingest", "/nonexistent/report.xml"], "/nonexistent/report.xml: error: cannot read the report: no such file."),
        (["frobnicate"], "error: 'frobnicate' is not a qgate command"),
        (["chek"], "error: 'chek' is not a qgate command; did you mean 'check'?"),
        (["check", "--polcy", "rules/prod.yml"], "unknown option '--polcy' for qgate check; did you mean '--policy'?"),
        (["trend", "findings", "--brnch", "main"], "did you mean '--branch'?"),
    ])
    func usageErrorsExitTwo(_ arguments: [String], _ expected: String) throws {
        let result = try CLI.run(arguments + ["--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func twoConcurrentIngestsBothLand() throws {
        let group = DispatchGroup()
        let statuses = ErrorBox()
        nonisolated(unsafe) var results: [CLI.Result] = []
        let lock = NSLock()
        // Four processes open a store that does not exist yet: creating and migrating it must not race.
        let reports = ["pylint.xml", "coverage.xml", "flake8.xml", "mypy.xml"].map { "fixtures/reports/main/" + $0 }
        for (index, report) in reports.enumerated() {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                do {
                    let result = try CLI.run(["ingest", "--db", self.db, "--commit", "c0ffee", "--pipeline", "p\(index % 1)", report])
                    lock.lock(); results.append(result); lock.unlock()
                } catch { statuses.append(error) }
            }
        }
        group.wait()
        #expect(statuses.all.isEmpty)
        #expect(results.map(\.status) == [0, 0, 0, 0], "\(results.map(\.stderr))")
        let store = try SQLiteStore(path: db)
        let runs = try store.runs()
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(try store.reports(runID: run.id).count == 4)
        #expect(Set(try store.reports(runID: run.id).map(\.format)) == [.junit, .cobertura])
    }

    @Test func runsListsWhatWasIngested() throws {
        _ = try CLI.run(["ingest", "--db", db] + Self.runFlags + ["fixtures/reports/main/flake8.xml"])
        let table = try CLI.run(["runs", "--db", db])
        #expect(table.status == 0)
        #expect(table.stdout.contains("111111111111  main"))
        let json = try CLI.run(["runs", "--db", db, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let runs = object?["runs"] as? [[String: Any]]
        #expect(runs?.first?["branch"] as? String == "main")
        #expect((runs?.first?["reports"] as? [[String: Any]])?.compactMap { $0["tool"] as? String } == ["flake8"])
    }
}
