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
        let url = URL(fileURLWithPath: path)
        let text = markdown.hasSuffix("\n") ? markdown : markdown + "\n"
        do {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw StepSummaryError.cannotWrite(path: path, reason: "the file cannot be created")
                }
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch let error as StepSummaryError {
            throw error
        } catch {
            throw StepSummaryError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        return url
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
