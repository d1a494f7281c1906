import ArgumentParser
import Foundation
import QGateCore

/// The command line: a thin shell over QGateCore. Exit codes are decided here and only here:
/// 0 pass or warn, 1 a failing gate, 2 bad usage or input (nothing written).
@main
struct QGate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qgate",
        abstract: "A quality gate and report aggregator for CI.",
        version: "0.1.0",
        subcommands: [
            Ingest.self, Check.self, Report.self, Diff.self, Trend.self, Flaky.self, Runs.self, Merge.self, Prune.self, PolicyCommand.self,
            Publish.self,
        ]
    )

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // Bare `qgate` is a usage error: the help, and exit 2.
        if arguments.isEmpty {
            Terminal.standardError.line(helpMessage())
            Foundation.exit(2)
        }
        if let problem = TypedNames.problem(in: arguments, root: QGate.self) {
            Terminal.standardError.line(TextEscaper.escapeLines(problem))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as UserFacingError {
            Terminal.standardError.line(TextEscaper.escapeLines(CommandLineWords.sentence(for: error)))
            Foundation.exit(2)
        } catch let error as ExitCode {
            // Thrown by commands: 1 only for a failing gate.
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // Usage errors found by ArgumentParser, and anything unexpected: never 1 (a failed
            // gate), never silent.
            // ArgumentParser gives its own errors a usage code (64); anything else it calls a failure (1).
            let message = code.rawValue == 1 ? "" : fullMessage(for: error)
            Terminal.standardError.line(TextEscaper.escapeLines(message.isEmpty ? UnexpectedFailure(error).description : message))
            Foundation.exit(2)
        }
    }
}
