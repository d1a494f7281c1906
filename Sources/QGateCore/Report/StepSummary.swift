import Foundation

/// Appends the Markdown summary to the GitHub Actions job summary (`$GITHUB_STEP_SUMMARY`).
///
/// Kept apart from the reporters, which stay pure: this is the one place that reads the
/// environment and writes a file. The environment is passed in, so tests need no real runner.
public enum StepSummary {
    public static let environmentVariable = "GITHUB_STEP_SUMMARY"

    /// Appends `markdown` (and a newline) to the file `$GITHUB_STEP_SUMMARY` names. Returns the
    /// file written, or nil outside GitHub Actions (variable unset or empty).
    @discardableResult
    public static func append(markdown: String, environment: [String: String]) throws -> URL? {
        guard let path = environment[environmentVariable], !path.isEmpty else { return nil }
        let text = markdown.hasSuffix("\n") ? markdown : markdown + "\n"
        let descriptor = try openForAppending(path)
        defer { close(descriptor) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw StepSummaryError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
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
            throw StepSummaryError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
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
            return "\(path): error: cannot append the summary to $\(StepSummary.environmentVariable): \(sentence.prefix(1).lowercased() + sentence.dropFirst())."
        }
    }
}
