import Foundation

/// Reads the change a check compares coverage with, before evaluation: from a diff file
/// (`--diff FILE`) or from git (`--diff-base REF`). The evaluator only ever sees the parsed
/// ``UnifiedDiff``.
public enum ChangeLoader {
    public static func load(
        diff: String?, diffBase: String?,
        workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) throws -> UnifiedDiff? {
        if let diff { return try UnifiedDiff.load(path: diff) }
        if let diffBase { return try UnifiedDiff.fromGit(base: diffBase, workingDirectory: workingDirectory) }
        return nil
    }
}

extension UnifiedDiff {
    /// Reads and parses a diff file.
    public static func load(path: String) throws -> UnifiedDiff {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiffError.unreadable(file: path)
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// The diff a pull request shows: `git diff REF...HEAD` (from the merge base of REF and HEAD),
    /// run in `workingDirectory`.
    public static func fromGit(base: String, workingDirectory: URL) throws -> UnifiedDiff {
        let command = "git diff \(base)...HEAD"
        guard
            let output = Git(workingDirectory: workingDirectory)
                .run(["diff", "--no-color", "--no-ext-diff", "--unified=0", "\(base)...HEAD"])
        else {
            throw DiffError.gitFailed(command: command, reason: "git could not be started")
        }
        guard output.status == 0 else {
            let firstLine =
                String(decoding: output.standardError, as: UTF8.self)
                .split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
            throw DiffError.gitFailed(command: command, reason: firstLine.isEmpty ? "exit status \(output.status)" : firstLine)
        }
        return try parse(String(decoding: output.standardOutput, as: UTF8.self), source: command)
    }
}
