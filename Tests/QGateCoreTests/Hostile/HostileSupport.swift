import Foundation

@testable import QGateCore

/// A scratch folder with a store filled through the real binary, for the attack reproductions
/// of issue #16 (each test is one attack that once made qgate fail open, lie or wedge).
struct HostileScene {
    let directory: URL
    var db: String { directory.appendingPathComponent("qgate.db").path }

    init() throws { directory = try TestPaths.temporaryDirectory() }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    static let commit = "abcdef0123456789abcdef0123456789abcdef01"

    /// Ingests the flake8 fixture as one run of `commit` on `branch`.
    @discardableResult
    func ingest(
        commit: String = HostileScene.commit, branch: String = "main", pipeline: String = "1",
        report: String = "fixtures/reports/main/flake8.xml", db: String? = nil
    ) throws -> CLI.Result {
        try CLI.run(["ingest", "--db", db ?? self.db, "--commit", commit, "--branch", branch, "--pipeline", pipeline, report])
    }

    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs a shell command line (for FIFOs and process substitution), returning status and output.
    static func shell(_ script: String, in directory: URL, environment: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run([], in: directory, environment: environment, executable: URL(fileURLWithPath: "/bin/bash"), prefix: ["-c", script])
    }

    /// The policy of the run-reference attacks: only new findings gate, and a missing baseline fails.
    static let newOnlyPolicy = """
        policy: new-only
        baseline:
          branch: main
          on_missing_baseline: fail
        gates:
          - name: No new problems
            metric: findings
            scope: new
            max: 0
        """
}
