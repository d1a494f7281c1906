import Foundation
import GRDB
import Testing

@testable import QGateCore

/// Issue #16.7, 9, 10, 11: the store is never wedged, damaged or changed by a command that
/// should only read it, whatever another job's store holds.
@Suite(.serialized, .enabled(if: CLI.available, "build the qgate binary first (swift build)"))
struct StoreAttackTests {
    static func sqlite(_ path: String, _ sql: String) throws {
        let result = try CLI.run([path, sql], executable: URL(fileURLWithPath: "/usr/bin/sqlite3"))
        #expect(result.status == 0, "sqlite3: \(result.stderr)")
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    // MARK: 9. merge trusts the merged store

    @Test(arguments: [
        ("created_at = 1e300", "created_at"),
        ("created_at = 9.3e18", "created_at"),
        ("created_at = -9.3e18", "created_at"),
        ("created_at = 'yesterday'", "created_at"),
        ("pr_number = 'x'", "pr_number"),
        ("commit_sha = x'00ff'", "commit_sha"),
    ])
    func mergeRefusesAStoreWithValuesNoQGateWrites(update: String, column: String) throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let job = scene.directory.appendingPathComponent("job.db").path
        #expect(try scene.ingest(db: job).status == 0)
        try Self.sqlite(job, "UPDATE runs SET \(update)")
        #expect(try scene.ingest(commit: "1234123412341234123412341234123412341234").status == 0)
        let before = Self.bytes(scene.db)
        let result = try CLI.run(["merge", scene.db, job])
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("not merged: row 1 of runs holds \(column)"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(Self.bytes(scene.db) == before, "the target is unchanged")
        let runs = try CLI.run(["runs", "--db", scene.db])
        #expect(runs.status == 0, "\(runs.stderr)")
    }

    @Test(arguments: [
        ("findings", "severity = 'urgent'"), ("findings", "start_line = 1e300"), ("tests", "duration = 'slow'"),
        ("reports", "format = 'pdf'"), ("findings", "suppressed = 7"),
    ])
    func mergeChecksEveryTableItCopies(table: String, update: String) throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let job = scene.directory.appendingPathComponent("job.db").path
        #expect(try scene.ingest(db: job).status == 0)
        #expect(
            try CLI.run([
                "ingest", "--db", job, "--commit", HostileScene.commit, "--pipeline", "1",
                "fixtures/reports/main/pytest.xml",
            ]).status == 0)
        try Self.sqlite(job, "PRAGMA ignore_check_constraints = ON; UPDATE \(table) SET \(update)")
        let result = try CLI.run(["merge", scene.db, job])
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("of \(table) holds"), "\(result.stderr)")
    }

    @Test func runsAndTrendOnADamagedStoreDoNotTrap() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest().status == 0)
        #expect(try scene.ingest(commit: "1234123412341234123412341234123412341234").status == 0)
        try Self.sqlite(scene.db, "UPDATE runs SET created_at = 1e300 WHERE id = 1; UPDATE runs SET created_at = 'soon' WHERE id = 2")
        for arguments in [["runs"], ["runs", "--format", "json"], ["trend", "findings"], ["trend", "findings", "--per", "day"]] {
            let result = try CLI.run(arguments + ["--db", scene.db])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
    }

    @Test func mergeLeavesItsInputsUntouched() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let job = scene.directory.appendingPathComponent("job.db").path
        #expect(try scene.ingest(db: job).status == 0)
        let before = Self.bytes(job)
        let result = try CLI.run(["merge", scene.db, job])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.bytes(job) == before)
        #expect(try SQLiteStore(path: scene.db, access: .readOnly).runs().count == 1)
    }

    // MARK: 7. crosswise merges

    @Test func twoCrosswiseMergesBothSucceed() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let a = scene.directory.appendingPathComponent("a.db").path
        let b = scene.directory.appendingPathComponent("b.db").path
        #expect(try scene.ingest(db: a).status == 0)
        #expect(try scene.ingest(commit: "1234123412341234123412341234123412341234", db: b).status == 0)
        for _ in 0..<3 {
            let results = ResultBox()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let arguments = index == 0 ? ["merge", a, b] : ["merge", b, a]
                results.append(Result { try CLI.run(arguments) })
            }
            for result in results.all {
                let outcome = try result.get()
                #expect(outcome.status == 0, "\(outcome.stdout) \(outcome.stderr)")
            }
        }
        #expect(try SQLiteStore(path: a, access: .readOnly).runs().count == 2)
        #expect(try SQLiteStore(path: b, access: .readOnly).runs().count == 2)
    }

    // MARK: 10. identify before changing

    @Test(arguments: [["runs"], ["trend", "findings"], ["ingest", "fixtures/reports/main/flake8.xml"], ["prune", "--keep-last", "1"]])
    func aForeignSQLiteDatabaseIsRefusedUnchanged(command: [String]) throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let other = scene.directory.appendingPathComponent("other-app.db").path
        try Self.sqlite(other, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada')")
        let before = Self.bytes(other)
        let result = try CLI.run(command + ["--db", other])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a qgate store"), "\(result.stderr)")
        #expect(Self.bytes(other) == before, "still in rollback-journal mode, not switched to WAL")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scene.directory.path).filter { $0.hasPrefix("other-app.db-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test(arguments: [["runs"], ["ingest", "fixtures/reports/main/flake8.xml"]])
    func devNullIsNotAStoreAndGrowsNoJournal(command: [String]) throws {
        let result = try CLI.run(command + ["--db", "/dev/null"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a regular file"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal"))
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-wal"))
    }

    @Test func mergeRefusesAForeignInputWithoutTouchingIt() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let other = scene.directory.appendingPathComponent("other-app.db").path
        try Self.sqlite(other, "CREATE TABLE contacts (name TEXT)")
        let before = Self.bytes(other)
        let result = try CLI.run(["merge", scene.db, other])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a qgate store"), "\(result.stderr)")
        #expect(Self.bytes(other) == before)
        #expect(!FileManager.default.fileExists(atPath: scene.db), "nothing written before the inputs are known")
    }

    // MARK: 11. readers never wait for writers

    /// Holds the store's write lock for `seconds` in a sqlite3 process; returns when it is held.
    static func holdWriteLock(_ db: String, seconds: Int, in directory: URL) throws -> Process {
        let ready = directory.appendingPathComponent("locked").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            "-c",
            "(echo 'BEGIN IMMEDIATE; INSERT INTO run_finding_sources SELECT id, \"x\" FROM runs LIMIT 0;'; echo '.shell touch \(ready)'; sleep \(seconds); echo 'COMMIT;') | sqlite3 \(db)",
        ]
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: ready) && Date() < deadline { usleep(20_000) }
        return process
    }

    @Test func readCommandsDoNotWaitBehindAWriter() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest(commit: "1234123412341234123412341234123412341234", pipeline: "0").status == 0)
        #expect(try scene.ingest().status == 0)
        let policy = try scene.write(HostileScene.newOnlyPolicy, to: "p.yml")
        #expect(
            try CLI.run(["check", "--db", scene.db, "--policy", policy, "--commit", HostileScene.commit, "--pipeline", "1"]).status == 0)
        let writer = try Self.holdWriteLock(scene.db, seconds: 6, in: scene.directory)
        defer { writer.waitUntilExit() }
        for arguments in [["runs"], ["trend", "findings"], ["report", "--run", "latest"], ["diff", "1", "2"]] {
            let start = Date()
            let result = try CLI.run(arguments + ["--db", scene.db])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(Date().timeIntervalSince(start) < 3, "\(arguments) waited for the writer")
        }
    }

    /// As an unprivileged user (root ignores file modes), on a read-only file in a read-only folder.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") && getuid() == 0, "needs root and setpriv"))
    func readCommandsWorkOnAReadOnlyStoreAndFolder() throws {
        let scene = try HostileScene()
        defer {
            chmod(scene.directory.appendingPathComponent("ro").path, 0o755)
            scene.remove()
        }
        let folder = scene.directory.appendingPathComponent("ro")
        let db = folder.appendingPathComponent("qgate.db").path
        #expect(try scene.ingest(db: db).status == 0)
        #expect(try scene.ingest(commit: "1234123412341234123412341234123412341234", db: db).status == 0)
        chmod(db, 0o444)
        chmod(folder.path, 0o555)
        for arguments in [["runs"], ["trend", "findings"], ["diff", "1", "2"]] {
            let script = "setpriv --reuid=65534 --regid=65534 --clear-groups \"$QGATE\" \(arguments.joined(separator: " ")) --db '\(db)'"
            let result = try HostileScene.shell(script, in: scene.directory, environment: ["QGATE": CLI.binary.path])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["qgate.db"])
    }

    @Test func theWritersBusyTimeoutIsConfigurable() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest().status == 0)
        let writer = try Self.holdWriteLock(scene.db, seconds: 5, in: scene.directory)
        defer { writer.waitUntilExit() }
        let start = Date()
        let result = try CLI.run(
            [
                "ingest", "--db", scene.db, "--commit", "1234123412341234123412341234123412341234",
                "fixtures/reports/main/pylint.xml",
            ], environment: ["QGATE_BUSY_TIMEOUT": "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("locked"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(start) < 4)
        let bad = try CLI.run(["runs", "--db", scene.db], environment: ["QGATE_BUSY_TIMEOUT": "soon"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("QGATE_BUSY_TIMEOUT"), "\(bad.stderr)")
    }
}

/// Collects results from concurrent closures.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<CLI.Result, Error>] = []

    func append(_ result: Result<CLI.Result, Error>) {
        lock.lock()
        results.append(result)
        lock.unlock()
    }

    var all: [Result<CLI.Result, Error>] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}
