import Foundation
import Testing

@testable import QGateCore

/// Issue #16.1: a baseline reference that resolved (through SQL LIKE) to the checked run itself
/// made every `scope: new` gate pass, even with `on_missing_baseline: fail`.
@Suite(.serialized, .enabled(if: CLI.available, "build the qgate binary first (swift build)"))
struct RunReferenceAttackTests {
    static func check(baseline: String, in scene: HostileScene) throws -> CLI.Result {
        let policy = try scene.write(HostileScene.newOnlyPolicy, to: "new-only.yml")
        return try CLI.run([
            "check", "--db", scene.db, "--policy", policy, "--commit", HostileScene.commit, "--pipeline", "1",
            "--baseline", baseline,
        ])
    }

    @Test(arguments: ["", "   ", "%", "_", "a%", "abc", "main", "zz12"])
    func aBaselineThatIsNoRunReferenceIsAUsageError(reference: String) throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest().status == 0)
        let result = try Self.check(baseline: reference, in: scene)
        #expect(result.status == 2, "\(reference): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("run reference") || result.stderr.contains("commit prefix"), "\(result.stderr)")
        #expect(try SQLiteStore(path: scene.db, access: .readOnly).runs().first?.verdict == nil, "no verdict recorded")
    }

    @Test(arguments: ["latest", "1", "abcd", HostileScene.commit.uppercased()])
    func aBaselineThatIsTheCheckedRunIsNoBaseline(reference: String) throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest().status == 0)
        let result = try Self.check(baseline: reference, in: scene)
        #expect(result.status == 1, "\(reference): \(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("the checked run itself"), "\(result.stdout)")
    }

    @Test func anAmbiguousCommitPrefixIsAUsageError() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest(commit: "abcd111111111111111111111111111111111111", pipeline: "1").status == 0)
        #expect(try scene.ingest(commit: "abcd222222222222222222222222222222222222", pipeline: "2").status == 0)
        let result = try CLI.run(["report", "--db", scene.db, "--run", "abcd"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("names more than one run"), "\(result.stderr)")
        let diff = try CLI.run(["diff", "--db", scene.db, "abcd", "latest"])
        #expect(diff.status == 2)
        #expect(diff.stderr.contains("names more than one run"), "\(diff.stderr)")
    }

    @Test func idsAndDecimalCommitPrefixesResolveExactly() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest(commit: "1111aaaa11111111111111111111111111111111", pipeline: "1").status == 0)
        let store = try SQLiteStore(path: scene.db, access: .readOnly)
        #expect(try store.resolveRun("1111").id == 1)
        #expect(throws: StoreError.self) { try store.resolveRun("2") }
        #expect(throws: StoreError.self) { try store.resolveRun("111") }
        #expect(try store.resolveRun("1").id == 1)
        #expect(try store.resolveRun("1111a").id == 1)
    }

    @Test func anotherRunOnMainIsStillABaseline() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest(commit: "0123012301230123012301230123012301230123", pipeline: "0").status == 0)
        #expect(try scene.ingest().status == 0)
        let result = try Self.check(baseline: "0123", in: scene)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    }
}
