import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Appends the Markdown summary to the GitHub Actions job summary (`$GITHUB_STEP_SUMMARY`).
///
/// Kept apart from the reporters, which stay pure: this is the one place that reads the
/// environment and writes a file. The environment is passed in, so tests need no real runner.
///
/// GitHub drops a step's summary entirely when the file exceeds 1 MiB, which would also lose
/// what other steps wrote, so ``append(environment:render:)`` appends only what fits in the
/// room left: it renders the summary under a smaller budget (the Markdown renderer's own
/// section-dropping order) and appends nothing when not even the essentials fit.
public enum StepSummary {
    public static let environmentVariable = "GITHUB_STEP_SUMMARY"
    /// GitHub's limit for one step's summary file, in bytes.
    public static let byteLimit = 1_048_576

    /// What an append did.
    public enum Outcome: Sendable, Equatable {
        /// Outside GitHub Actions (variable unset or empty).
        case notInActions
        case appended(URL, bytes: Int)
        /// Not even the shortest summary fits the room left in the file.
        case full(path: String, room: Int)
    }

    /// Appends `markdown` (and a newline) to the file `$GITHUB_STEP_SUMMARY` names. Returns the
    /// file written, or nil outside GitHub Actions (variable unset or empty).
    @discardableResult
    public static func append(markdown: String, environment: [String: String]) throws -> URL? {
        guard let path = environment[environmentVariable], !path.isEmpty else { return nil }
        let text = markdown.hasSuffix("\n") ? markdown : markdown + "\n"
        return try write(text, to: path)
    }

    /// Appends the summary `render(budget)` returns for the largest budget (in UTF-16 code
    /// units, as ``MarkdownReporter`` counts) whose UTF-8 bytes fit the room the file has left
    /// under ``byteLimit``.
    @discardableResult
    public static func append(
        environment: [String: String], maxLength: Int = 65_536,
        render: (Int) -> String
    ) throws -> Outcome {
        guard let path = environment[environmentVariable], !path.isEmpty else { return .notInActions }
        let used = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        let room = byteLimit - used
        var budget = max(MarkdownReporter.minimumLength, min(maxLength, room))
        var text = terminated(render(budget))
        // UTF-8 can take up to three bytes per UTF-16 unit: shrink the budget by the overshoot until it fits.
        while text.utf8.count > room && budget > MarkdownReporter.minimumLength {
            let scaled = Int(Double(budget) * Double(room) / Double(text.utf8.count)) - 1
            budget = max(MarkdownReporter.minimumLength, min(budget - 1, scaled))
            text = terminated(render(budget))
        }
        guard text.utf8.count <= room else { return .full(path: path, room: max(0, room)) }
        return .appended(try write(text, to: path), bytes: text.utf8.count)
    }

    private static func terminated(_ text: String) -> String {
        text.hasSuffix("\n") ? text : text + "\n"
    }

    private static func write(_ text: String, to path: String) throws -> URL {
        let descriptor = try openForAppending(path)
        defer { close(descriptor) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw StepSummaryError.cannotWrite(path: path, reason: IngestError.reason(errno: errno))
            }
            bytes = bytes.dropFirst(written)
        }
        return URL(fileURLWithPath: path)
    }

    /// Checks, before anything is stored, that the summary file can be appended to (creating it
    /// when missing, as the runner would). Does nothing outside GitHub Actions.
    public static func checkWritable(environment: [String: String]) throws {
        guard let path = environment[environmentVariable], !path.isEmpty else { return }
        close(try openForAppending(path))
    }

    private static func openForAppending(_ path: String) throws -> Int32 {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw StepSummaryError.cannotWrite(path: path, reason: "it is a directory")
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StepSummaryError.cannotWrite(path: path, reason: IngestError.reason(errno: errno))
        }
        return descriptor
    }
}

/// Why the job summary could not be written.
public enum StepSummaryError: UserFacingError, Equatable {
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            let sentence = reason.hasSuffix(".") ? String(reason.dropLast()) : reason
            return "\(path): error: cannot append the summary to $\(StepSummary.environmentVariable): \(sentence)."
        }
    }
}
