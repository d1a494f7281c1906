import Foundation
import Testing

@testable import QGateCore

/// The store protocol and its one factory: what every command goes through.
struct RunStoreTests {
    @Test func theLocationIsTheFlagElseQGATE_DBElseTheDefault() {
        #expect(StoreLocation("given.db", environment: ["QGATE_DB": "env.db"]).text == "given.db")
        #expect(StoreLocation(nil, environment: ["QGATE_DB": "env.db"]).text == "env.db")
        #expect(StoreLocation(nil, environment: ["QGATE_DB": ""]).text == ".qgate/qgate.db")
        #expect(StoreLocation(nil, environment: [:]).text == ".qgate/qgate.db")
    }

    @Test func aFilePathOpensAnSQLiteStoreThroughTheProtocol() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = StoreLocation(directory.appendingPathComponent("q.db").path, environment: [:])
        #expect(location.isMissingFile)
        let store: any RunStore = try await location.open(.readWrite, environment: [:])
        #expect(store is SQLiteStore)
        #expect(store.location == location.text)
        var finding = Make.finding("E1")
        finding.fingerprint = "f1:0"
        let item = IngestItem(path: "a.sarif", sha256: "a", report: ParsedReport(format: .sarif, tool: "flake8", findings: [finding]))
        let outcome = try await store.ingest([item], into: RunContext(commit: "c1", branch: "main"), job: JobContext(), now: Date())
        #expect(outcome.statuses == [.ingested])

        let reader = try await location.open(.readOnly, create: false, environment: [:])
        #expect(try await reader.runs(branch: nil, last: nil).map(\.id) == [outcome.run.id])
        #expect(try await reader.findings(runID: outcome.run.id).map(\.fingerprint) == ["f1:0"])
        #expect(try await reader.resolveRun("latest").id == outcome.run.id)
    }

    @Test func aMissingStoreIsNotCreatedForReading() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = StoreLocation(directory.appendingPathComponent("absent.db").path, environment: [:])
        await #expect(throws: StoreError.self) { try await location.open(.readOnly, create: false, environment: [:]) }
        #expect(location.isMissingFile)
    }

    @Test func aBadBusyTimeoutIsAUsageError() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = StoreLocation(directory.appendingPathComponent("q.db").path, environment: [:])
        await #expect(throws: UsageError.self) {
            try await location.open(.readWrite, environment: ["QGATE_BUSY_TIMEOUT": "soon"])
        }
    }

    @Test func aURLIsRefusedBeforeAnythingIsCreatedAndItsPasswordNeverPrinted() async throws {
        let location = StoreLocation("postgresql://ci:s3cret@127.0.0.1:1/qgate?password=s3cret", environment: [:])
        #expect(location.urlScheme == "postgresql")
        #expect(!location.isMissingFile)
        #expect(location.redacted == "postgresql://ci:***@127.0.0.1:1/qgate?password=***")
        do {
            _ = try await location.open(.readWrite, environment: [:])
            Issue.record("a URL opened a store")
        } catch let error as StoreError {
            guard case .unsupportedLocation(_, let scheme) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(scheme == "postgresql")
            #expect(!error.description.contains("s3cret"))
        }
        #expect(StoreLocation("dir/q.db", environment: [:]).urlScheme == nil)
        #expect(StoreLocation("C:/x://y.db", environment: [:]).urlScheme == nil)
    }

    /// Before this check, `--db postgresql://ci:secret@host/db` silently made a folder `postgresql:` (its
    /// path holding the password) with a SQLite store in it.
    @Test(.enabled(if: CLI.available)) func aURLGivenAsTheStoreNeverBecomesAFolder() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = TestPaths.repositoryRoot.appendingPathComponent("fixtures/reports/main/flake8.xml").path
        for url in ["postgresql://ci:s3cret@127.0.0.1:1/qgate", "postgres://ci:s3cret@db/qgate", "mysql://ci:s3cret@db/q"] {
            let result = try CLI.run(["ingest", "--db", url, "--commit", "abcdef1", report], in: directory)
            #expect(result.status == 2, "\(url): \(result.stderr)")
            #expect(result.stderr.contains("SQLite files only"), "\(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("s3cret"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }
}
