import ArgumentParser
import QGateCore

/// "Did you mean" for the names typed on the command line, checked before ArgumentParser
/// parses: an unknown subcommand (`qgate chek`) or long option (`--polcy`) is named with the
/// closest valid one, rather than reported as some other problem it causes ("missing --policy").
enum TypedNames {
    /// Options every command accepts beside its own.
    private static let universal: Set<String> = ["--help", "--version", "--experimental-dump-help"]

    /// One sentence when `arguments` (without the program name) type a name that does not
    /// exist; nil when every name is known (ArgumentParser then reports anything else).
    static func problem(in arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command: any ParsableCommand.Type = root
        var path = [root._commandName]
        var index = 0
        // Walk the subcommands typed.
        while index < arguments.count, !command.configuration.subcommands.isEmpty {
            let word = arguments[index]
            if word.hasPrefix("-") { break }
            let names = command.configuration.subcommands.map { $0._commandName } + ["help"]
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else {
                if word == "help" { return nil }
                let suggestion = Suggestion.closest(to: word, in: names.filter { $0 != "help" })
                return "error: '\(word)' is not a \(path.joined(separator: " ")) command"
                    + (suggestion.map { "; did you mean '\($0)'?" } ?? "; the commands are: " + names.joined(separator: ", "))
            }
            command = next
            path.append(word)
            index += 1
        }
        let known = longOptions(of: command)
        for argument in arguments[index...] {
            if argument == "--" { break }
            guard argument.hasPrefix("--"), argument.count > 2 else { continue }
            let name = String(argument.prefix { $0 != "=" })
            if known.contains(name) || universal.contains(name) { continue }
            let suggestion = Suggestion.closest(to: String(name.dropFirst(2)), in: known.map { String($0.dropFirst(2)) })
            return "error: unknown option '\(name)' for \(path.joined(separator: " "))"
                + (suggestion.map { "; did you mean '--\($0)'?" } ?? "; see '\(path.joined(separator: " ")) --help'")
        }
        return nil
    }

    /// The long options of `command`, as its help lists them.
    static func longOptions(of command: any ParsableCommand.Type) -> Set<String> {
        let help = QGate.helpMessage(for: command, includeHidden: true, columns: 10_000)
        var names: Set<String> = []
        for line in help.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("-") else { continue }
            for token in trimmed.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" }) where token.hasPrefix("--") {
                let name = token.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
                if name.count > 2 { names.insert(String(name)) }
            }
        }
        return names
    }
}
