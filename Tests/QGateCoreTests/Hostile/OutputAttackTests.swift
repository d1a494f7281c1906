import Foundation
import Testing

@testable import QGateCore

/// Issue #16.6 and 8: exit codes and messages tell the truth about outputs and inputs.
@Suite(.serialized, .enabled(if: CLI.available, "build the qgate binary first (swift build)"))
struct OutputAttackTests {
    static let lenientPolicy = """
        policy: lenient
        gates:
          - name: Few findings
            metric: findings
            max: 1000
        """

    static func check(_ scene: HostileScene, extra: [String], environment: [String: String] = [:]) throws -> CLI.Result {
        let policy = try scene.write(Self.lenientPolicy, to: "lenient.yml")
        return try CLI.run(
            ["check", "--db", scene.db, "--policy", policy, "--commit", HostileScene.commit]
                + extra + ["fixtures/reports/main/flake8.xml"], environment: environment)
    }

    // MARK: 6. outputs are checked before the store is written

    @Test func anOutputThatIsAFolderIsRefusedBeforeTheStoreIsWritten() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let result = try Self.check(scene, extra: ["--output", scene.directory.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("it is a directory"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scene.db))
    }

    @Test func anUnwritableStepSummaryIsRefusedBeforeTheStoreIsWritten() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let result = try Self.check(
            scene, extra: ["--format", "github"],
            environment: ["GITHUB_STEP_SUMMARY": scene.directory.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot append the summary"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
        #expect(!FileManager.default.fileExists(atPath: scene.db))
    }

    @Test func aFullDiskAfterTheVerdictIsSaidApartFromTheVerdict() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let result = try Self.check(scene, extra: ["--output", "/dev/full", "--format", "json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no space left on device"), "\(result.stderr)")
        #expect(result.stderr.contains("The verdict (pass) was recorded"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").filter { $0.contains("error:") }.count == 1)
        #expect(try SQLiteStore(path: scene.db, access: .readOnly).runs().first?.verdict == .pass)
    }

    @Test func aFullStepSummaryNamesTheCauseInWords() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let result = try Self.check(scene, extra: ["--format", "github"], environment: ["GITHUB_STEP_SUMMARY": "/dev/full"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("$GITHUB_STEP_SUMMARY: no space left on device"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func anOutputFileIsNeverLeftHalfWritten() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let output = scene.directory.appendingPathComponent("check.json").path
        let result = try Self.check(scene, extra: ["--output", output, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scene.directory.path).filter { $0.contains("check.json") }
        #expect(leftovers == ["check.json"])
        #expect((try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))) is [String: Any])
    }

    // MARK: 8. messages that do not mislead

    @Test func jsonNestedTooDeeplySaysTheNestingLimit() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        for (name, text) in [
            ("bandit.json", "{\"generated_at\": \"x\", \"metrics\": {\"_totals\": \(deep)}, \"results\": []}"),
            ("bandit2.json", "{\"results\": [], \"errors\": [], \"generated_at\": \"x\", \"extra\": \(deep)}"),
            ("safety.json", "{\"report_meta\": {\"x\": \(deep)}, \"scanned_packages\": {}, \"vulnerabilities\": []}"),
            ("safety2.json", "[\(deep)]"),
            (
                "deep.sarif",
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\", \"properties\": \(deep)}}, \"results\": []}]}"
            ),
        ] {
            let report = try scene.write(text, to: name)
            let result = try CLI.run(["ingest", "--db", scene.db, report])
            #expect(result.status == 2, "\(name)")
            #expect(result.stderr.contains("nested deeper than 512 levels"), "\(name): \(result.stderr)")
        }
    }

    @Test func aReportThroughAPipeIsRead() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let root = TestPaths.repositoryRoot.path
        let script =
            "\"$QGATE\" ingest --db '\(scene.db)' --commit \(HostileScene.commit) <(cat '\(root)/fixtures/reports/main/flake8.xml')"
        let result = try HostileScene.shell(script, in: scene.directory, environment: ["QGATE": CLI.binary.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ingested"), "\(result.stdout)")
        #expect(try SQLiteStore(path: scene.db, access: .readOnly).findings(runID: 1).count > 0)
    }

    @Test func aReportThroughAFIFOIsRead() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let root = TestPaths.repositoryRoot.path
        let fifo = scene.directory.appendingPathComponent("report.fifo").path
        let script =
            "mkfifo '\(fifo)' && (cat '\(root)/fixtures/reports/main/pylint.xml' > '\(fifo)' &) && \"$QGATE\" ingest --db '\(scene.db)' --commit \(HostileScene.commit) '\(fifo)'"
        let result = try HostileScene.shell(script, in: scene.directory, environment: ["QGATE": CLI.binary.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try SQLiteStore(path: scene.db, access: .readOnly).reports(runID: 1).count == 1)
    }
}
