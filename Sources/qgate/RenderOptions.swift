import ArgumentParser
import Foundation
import QGateCore

/// How an evaluation is printed: shared by `check` and `report`.
struct RenderOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Output format.")
    var format: OutputFormat = .text
    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Write an output to a file; repeatable. FORMAT=FILE (gitlab=gl-code-quality.json) writes that format and standard output still shows --format; a plain FILE gets --format and standard output only the verdict line.",
            valueName: "[FORMAT=]FILE"))
    var output: [String] = []
    @Option(
        name: .customLong("max-length"), help: "Markdown: the size budget in UTF-16 code units, as GitHub counts (GitHub comments: 65536).")
    var maxLength: Int = 65_536
    @Option(help: "Markdown: a key for the hidden marker, so several jobs can keep separate comments.")
    var key: String?
    @Flag(
        name: .customLong("include-fixed"),
        help: "SARIF: also write fixed findings as `absent` results (GitHub code scanning re-opens them).")
    var includeFixed = false

    /// One `--output`: the format written and the file.
    struct Destination: Equatable {
        var format: OutputFormat
        var path: String
        /// `FORMAT=FILE`, as opposed to a plain FILE that takes `--format`.
        var named: Bool
    }

    /// The `--output` values, each `FORMAT=FILE` or a plain FILE.
    var destinations: [Destination] {
        output.map { value in
            if let equals = value.firstIndex(of: "="), let named = OutputFormat(rawValue: String(value[..<equals])) {
                return Destination(format: named, path: String(value[value.index(after: equals)...]), named: true)
            }
            return Destination(format: format, path: value, named: false)
        }
    }

    /// True when standard output shows the evaluation as text or Markdown (which list report
    /// warnings under Notes), not only the verdict line or a machine format.
    var standardOutputShowsNotes: Bool {
        !destinations.contains(where: { !$0.named }) && (format == .text || format == .markdown)
    }

    func validate() throws {
        if destinations.filter({ !$0.named }).count > 1 {
            throw ValidationError(
                "Give at most one plain --output FILE; write other formats as --output FORMAT=FILE (\(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))."
            )
        }
        if maxLength < MarkdownReporter.minimumLength {
            throw ValidationError("--max-length must be at least \(MarkdownReporter.minimumLength).")
        }
    }

    /// Every destination of the output, checked before anything is stored: `--output` (not a
    /// folder, its folder writable) and, with `--format github`, `$GITHUB_STEP_SUMMARY`.
    func checkOutputIsWritable(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        for output in destinations.map(\.path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
                if isDirectory.boolValue { throw UsageError("\(output): cannot write the output file: it is a directory") }
                guard FileManager.default.isWritableFile(atPath: output) else {
                    throw UsageError("\(output): cannot write the output file: permission denied")
                }
            } else {
                let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
                guard FileManager.default.isWritableFile(atPath: directory) else {
                    throw UsageError("\(output): cannot write the output file (its folder does not exist or is not writable)")
                }
            }
        }
        if format == .github || destinations.contains(where: { $0.format == .github }) {
            try StepSummary.checkWritable(environment: environment)
        }
    }

    /// Renders and writes the evaluation; with `--format github` the Markdown summary also goes to
    /// `$GITHUB_STEP_SUMMARY` when the runner sets it. A regular output file is replaced atomically
    /// (never left half-written); on failure nothing of it remains.
    func publish(_ evaluation: Evaluation) throws {
        let markdownOptions = MarkdownReporter.Options(maxLength: maxLength, key: key)
        for destination in destinations {
            try Self.write(
                destination.format.reporter(markdown: markdownOptions, includeFixed: includeFixed), evaluation, to: destination.path)
        }
        if destinations.contains(where: { !$0.named }) {
            Terminal.standardOutput.line(TextEscaper.escape(evaluation.reason))
        } else {
            let reporter = format.reporter(markdown: markdownOptions, includeFixed: includeFixed)
            var writer = BufferedWriter(handle: .standardOutput)
            var last = ""
            try reporter.write(evaluation) { piece in
                try writer.write(piece)
                if !piece.isEmpty { last = piece }
            }
            if !last.hasSuffix("\n") { try writer.write("\n") }
            try writer.flush()
        }
        if format == .github || destinations.contains(where: { $0.format == .github }) {
            let outcome = try StepSummary.append(environment: ProcessInfo.processInfo.environment, maxLength: maxLength) { budget in
                var options = markdownOptions
                options.maxLength = budget
                return MarkdownReporter(options: options).render(evaluation)
            }
            if case let .full(path, room) = outcome {
                Terminal.standardError.line(
                    TextEscaper.escape(path)
                        + ": warning: the job summary has \(room) bytes left of GitHub's 1 MiB; qgate's summary was not added")
            }
        }
    }

    /// Streams the report into `output`. A device or FIFO (/dev/stdout, /dev/full) is written in
    /// place; a file through a temporary file beside it, renamed over it once complete, so it is
    /// never left half-written.
    private static func write(_ reporter: any EvaluationReporter, _ evaluation: Evaluation, to output: String) throws {
        var info = stat()
        let special = stat(output, &info) == 0 && info.st_mode & S_IFMT != S_IFREG
        let target = URL(fileURLWithPath: output)
        let destination =
            special
            ? target
            : target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).qgate-\(getpid()).tmp")
        do {
            // open(2), not FileManager.createFile: that one writes through a temporary file
            // renamed over the path, which would replace a device such as /dev/full.
            let flags = special ? O_WRONLY | O_CLOEXEC : O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
            let descriptor = open(destination.path, flags, 0o644)
            guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            do {
                let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
                defer { try? handle.close() }
                var writer = BufferedWriter(handle: handle)
                try reporter.write(evaluation) { try writer.write($0) }
                try writer.flush()
                if !special {
                    guard rename(destination.path, target.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                }
            } catch {
                if !special { try? FileManager.default.removeItem(at: destination) }
                throw error
            }
        } catch {
            throw UsageError("\(output): cannot write the output file: \(Self.reason(error))")
        }
    }

    /// The operating system's words for a failed write, not Foundation's error domain and code.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return IngestError.reason(errno: Int32(underlying.code))
        }
        if nsError.domain == NSPOSIXErrorDomain { return IngestError.reason(errno: Int32(nsError.code)) }
        switch nsError.code {
        case NSFileWriteOutOfSpaceError: return "no space left on device"
        case NSFileWriteNoPermissionError: return "permission denied"
        case NSFileWriteVolumeReadOnlyError: return "read-only file system"
        default: return "the write failed"
        }
    }
}

/// An output (`--output`, the step summary) that failed after the verdict was stored: said
/// apart from the verdict, which is printed and kept.
struct OutputAfterVerdictError: UserFacingError {
    var underlying: any UserFacingError
    var verdict: Verdict

    var description: String {
        let sentence = underlying.description.replacingOccurrences(of: "\n", with: " ")
        return (sentence.hasSuffix(".") ? sentence : sentence + ".")
            + " The verdict (\(verdict.rawValue)) was recorded in the store; only this output is missing."
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// Collects output in 1 MiB blocks before writing, so a streamed SARIF log of a million results
/// costs a few hundred writes and never the whole document in memory.
struct BufferedWriter {
    let handle: FileHandle
    private var buffer = Data()

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
