import Foundation
import Testing

/// Runs the built `qgate` binary, as CI does, for exit codes and the exact wording of output.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The built binary, or `QGATE_TEST_BINARY` (e.g. another branch's build, to show that an
    /// attack test fails there).
    static let binary: URL = {
        if let other = ProcessInfo.processInfo.environment["QGATE_TEST_BINARY"], !other.isEmpty {
            return URL(fileURLWithPath: other)
        }
        let debug = TestPaths.repositoryRoot.appendingPathComponent(".build/debug/qgate")
        return debug
    }()

    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    /// Runs qgate with `arguments` in `directory` (default: the repository root) and a clean
    /// environment plus `environment` (no CI variables leak in from the machine running the tests).
    static func run(
        _ arguments: [String], in directory: URL = TestPaths.repositoryRoot,
        environment: [String: String] = [:], executable: URL? = nil, prefix: [String] = []
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = prefix + arguments
        process.currentDirectoryURL = directory
        var env = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1",
            "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp",
        ]
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so a large output cannot dead-lock the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdoutData = Data()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async {
            stdoutData = out.fileHandleForReading.readDataToEndOfFile(); group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            stderrData = err.fileHandleForReading.readDataToEndOfFile(); group.leave()
        }
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

/// Golden files: compares `actual` with the file beside the test; `QGATE_RECORD=1` rewrites it
/// and FAILS the test saying so (as argument-parser's `assertSnapshot` does), so a recording run
/// can never pass by accident in CI. On a mismatch the failure shows a unified diff.
enum Golden {
    static let directory = TestPaths.repositoryRoot.appendingPathComponent("Tests/QGateCoreTests/Golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["QGATE_RECORD"] == "1" }

    static func check(
        _ actual: String, against name: String, in directory: URL = Golden.directory, record: Bool = Golden.recording,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let url = directory.appendingPathComponent(name)
        if record {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            Issue.record(
                "recorded golden file \(name); run the tests again without QGATE_RECORD to check against it",
                sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("golden file \(name) is missing; run the tests with QGATE_RECORD=1 to create it", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let actualURL = FileManager.default.temporaryDirectory.appendingPathComponent("actual-" + url.lastPathComponent)
            try Data(actual.utf8).write(to: actualURL)
            let diff = Process()
            diff.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            diff.arguments = ["git", "diff", "--no-index", "--no-color", url.path, actualURL.path]
            let pipe = Pipe()
            diff.standardOutput = pipe
            try diff.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            diff.waitUntilExit()
            Issue.record(
                "\(name) differs from the golden file (QGATE_RECORD=1 to accept):\n\(text.prefix(6000))", sourceLocation: sourceLocation)
        }
    }
}

extension CLI {
    /// ``run(_:in:environment:)`` off the cooperative thread pool, so a server in this test
    /// process (the fake forges) keeps answering while the binary runs.
    static func runAsync(
        _ arguments: [String], in directory: URL = TestPaths.repositoryRoot,
        environment: [String: String] = [:]
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result<CLI.Result, any Error> { try run(arguments, in: directory, environment: environment) })
            }
        }
    }
}
