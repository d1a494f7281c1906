import Foundation
import Testing

@testable import QGateCore

/// Issue #16.2: `..` in report paths was never resolved, so a finding at `tests/../src/app.py`
/// hid behind a waiver on `tests/**` (also spelled with `\`, `file://` or `%2e%2e`).
struct PathClimbAttackTests {
    let normalizer = PathNormalizer(repositoryRoot: URL(fileURLWithPath: "/work/repo"))

    @Test(arguments: [
        ("tests/../src/app.py", "src/app.py"),
        ("tests\\..\\src\\app.py", "src/app.py"),
        ("tests/%2e%2e/src/app.py", "src/app.py"),
        ("tests/%2E%2E%2Fsrc/app.py", "src/app.py"),
        ("file:///work/repo/tests/../src/app.py", "src/app.py"),
        ("file:///work/repo/tests/%2e%2e/src/app.py", "src/app.py"),
        ("./tests/./../src//app.py", "src/app.py"),
        ("/work/repo/tests/../src/app.py", "src/app.py"),
        ("src/app.py/..", "src"),
        ("a/b/../../c", "c"),
        ("C:\\x\\..\\y.py", "C:/y.py"),
    ])
    func dotDotIsResolvedBeforeAnyGlobSeesThePath(raw: String, expected: String) throws {
        #expect(normalizer.normalize(raw) == expected)
        #expect(!(try Glob("tests/**")).matches(normalizer.normalize(raw)))
    }

    @Test(arguments: ["../secret.py", "tests/../../secret.py", "%2e%2e/x.py", "..\\x.py", ".."])
    func pathsThatClimbAboveTheRootAreDetected(raw: String) {
        #expect(PathNormalizer.climbsAboveRoot(normalizer.normalize(raw)), "\(normalizer.normalize(raw))")
    }

    @Test(arguments: ["src/a..b.py", "src/..hidden/x.py", "src/x..", "pkg/a.py", "."])
    func dotsInsideNamesAreKept(raw: String) {
        #expect(normalizer.normalize(raw) == raw)
    }

    static func sarif(uri: String) -> String {
        """
        {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [{
          "tool": {"driver": {"name": "semgrep", "rules": [{"id": "X1"}]}},
          "results": [{"ruleId": "X1", "level": "error", "message": {"text": "bad"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "\(uri)"}, "region": {"startLine": 3}}}]}]
        }]}
        """
    }

    static let waiverPolicy = """
        policy: waive-tests
        gates:
          - name: No findings
            metric: findings
            max: 0
        waivers:
          - { rule: X1, paths: ["tests/**"], reason: test code }
        """

    @Test(
        .enabled(if: CLI.available, "build the qgate binary first"),
        arguments: ["tests/../src/app.py", "tests\\\\..\\\\src\\\\app.py", "tests/%2e%2e/src/app.py"])
    func aWaiverOnTestsNoLongerHidesAFindingInSrc(uri: String) throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let report = try scene.write(Self.sarif(uri: uri), to: "semgrep.sarif")
        let policy = try scene.write(Self.waiverPolicy, to: "policy.yml")
        let result = try CLI.run([
            "check", "--db", scene.db, "--policy", policy, "--commit", HostileScene.commit, "--root", scene.directory.path,
            report,
        ])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        let store = try SQLiteStore(path: scene.db, access: .readOnly)
        #expect(try store.findings(runID: 1).map(\.path) == ["src/app.py"])
    }

    @Test(
        .enabled(if: CLI.available, "build the qgate binary first"),
        arguments: ["../../etc/passwd", "tests/../../x.py", "%2e%2e/x.py"])
    func aReportNamingAPathAboveTheRootIsRefused(uri: String) throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        let report = try scene.write(Self.sarif(uri: uri), to: "semgrep.sarif")
        let result = try CLI.run(["ingest", "--db", scene.db, "--commit", HostileScene.commit, "--root", scene.directory.path, report])
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("climbs above the repository root"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scene.db))
    }
}
