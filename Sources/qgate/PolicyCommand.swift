import ArgumentParser
import QGateCore

/// `qgate policy …`: work with policy files without evaluating them.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Work with policy files (rules/*.yml).",
        subcommands: [PolicyValidate.self]
    )
}

/// `qgate policy validate FILE`: every problem with file:line:column, exit 2 when there is one.
struct PolicyValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a policy file and report every problem in it.",
        discussion: "Prints '<file>: ok (N gates, M waivers)' and exits 0, or prints each problem as file:line:column and exits 2."
    )

    @Argument(help: "The policy file.") var file: String
    @Option(name: [.short, .long], help: "Output format.") var format: DocumentFormat = .text

    /// `policy validate --format json`: the verdict on the file and every problem as an object.
    struct Document: Encodable {
        struct Diagnostic: Encodable {
            var file: String
            var line: Int?
            var column: Int?
            var message: String
            var suggestion: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(file, forKey: .file)
                try container.encode(line, forKey: .line)
                try container.encode(column, forKey: .column)
                try container.encode(message, forKey: .message)
                try container.encode(suggestion, forKey: .suggestion)
            }

            enum CodingKeys: String, CodingKey { case file, line, column, message, suggestion }
        }
        var file: String
        var valid: Bool
        var gates: Int?
        var waivers: Int?
        var diagnostics: [Diagnostic]
    }

    func run() throws {
        guard format == .json else {
            let policy = try PolicyLoader.load(path: file)
            Terminal.standardOutput.line(
                TextEscaper.escape(file) + ": ok (\(count(policy.gates.count, "gate")), \(count(policy.waivers.count, "waiver")))")
            return
        }
        do {
            let policy = try PolicyLoader.load(path: file)
            try JSONOutput.print(
                Document(file: file, valid: true, gates: policy.gates.count, waivers: policy.waivers.count, diagnostics: []))
        } catch let error as PolicyError {
            let diagnostics: [Document.Diagnostic] =
                switch error {
                case .unreadable(let path, let reason):
                    [Document.Diagnostic(file: path, message: "cannot read the policy: \(reason)")]
                case .invalid(let problems):
                    problems.map {
                        Document.Diagnostic(
                            file: $0.location.file, line: $0.location.line, column: $0.location.column,
                            message: $0.message, suggestion: $0.hint)
                    }
                }
            try JSONOutput.print(Document(file: file, valid: false, diagnostics: diagnostics))
            throw ExitCode(2)
        }
    }

    private func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
