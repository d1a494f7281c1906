import ArgumentParser
import Foundation
import QGateCore

/// How an evaluation is printed: shared by `check` and `report`.
struct RenderOptions: ParsableArguments {
    @Option(help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .text
    @Option(help: "Write the output to this file instead of standard output (the verdict line is still printed).")
    var output: String?
    @Option(name: .customLong("max-length"), help: "Markdown: the size budget in characters (GitHub comments: 65536).")
    var maxLength: Int = 65_536
    @Option(help: "Markdown: a key for the hidden marker, so several jobs can keep separate comments.")
    var key: String?
    @Flag(name: .customLong("include-fixed"), help: "SARIF: also write fixed findings as `absent` results (GitHub code scanning re-opens them).")
    var includeFixed = false

    func validate() throws {
        if maxLength < MarkdownReporter.minimumLength {
            throw ValidationError("--max-length must be at least \(MarkdownReporter.minimumLength).")
        }
    }

    func checkOutputIsWritable() throws {
        guard let output else { return }
        let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw UsageError("\(output): cannot write the output file (its folder does not exist or is not writable)")
        }
    }

    /// Renders and writes the evaluation; with `--format github` the Markdown summary also goes to
    /// `$GITHUB_STEP_SUMMARY` when the runner sets it.
    func publish(_ evaluation: Evaluation) throws {
        let markdownOptions = MarkdownReporter.Options(maxLength: maxLength, key: key)
        let rendered = format.reporter(markdown: markdownOptions, includeFixed: includeFixed).render(evaluation)
        if let output {
            do {
                try Data(rendered.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                throw UsageError("\(output): cannot write the output file")
            }
            Terminal.standardOutput.line(evaluation.reason)
        } else {
            Terminal.standardOutput.write(rendered.hasSuffix("\n") ? rendered : rendered + "\n")
        }
        if format == .github {
            let outcome = try StepSummary.append(environment: ProcessInfo.processInfo.environment, maxLength: maxLength) { budget in
                var options = markdownOptions
                options.maxLength = budget
                return MarkdownReporter(options: options).render(evaluation)
            }
            if case let .full(path, room) = outcome {
                Terminal.standardError.line("\(path): warning: the job summary has \(room) bytes left of GitHub's 1 MiB; qgate's summary was not added")
            }
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
