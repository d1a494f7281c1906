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

    func run() throws {
        let policy = try PolicyLoader.load(path: file)
        Terminal.standardOutput.line(TextEscaper.escape(file) + ": ok (\(count(policy.gates.count, "gate")), \(count(policy.waivers.count, "waiver")))")
    }

    private func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
