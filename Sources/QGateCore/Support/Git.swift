import Foundation

/// Runs `git` in a working directory: the one place in qgate that starts a process (the run's
/// identity from `git rev-parse`, the change from `git diff`). Everything else reads values.
public struct Git: Sendable {
    public var workingDirectory: URL

    public init(workingDirectory: URL) {
        self.workingDirectory = workingDirectory
    }

    /// What a finished git command left.
    public struct Output: Sendable {
        public var status: Int32
        public var standardOutput: Data
        public var standardError: Data
    }

    /// Runs `git ARGUMENTS`, standard input closed; nil when git could not be started.
    /// Standard error is drained concurrently so a chatty git never blocks on a full pipe.
    public func run(_ arguments: [String]) -> Output? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = workingDirectory
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let errorText = Collector()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorText.data = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        return Output(status: process.terminationStatus, standardOutput: data, standardError: errorText.data)
    }

    /// The trimmed standard output of a successful command; nil when it failed or printed nothing.
    public func text(_ arguments: [String]) -> String? {
        guard let output = run(arguments), output.status == 0 else { return nil }
        let text = String(decoding: output.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private final class Collector: @unchecked Sendable {
        // Written by the draining thread before it leaves the group; read only after waiting.
        var data = Data()
    }
}
