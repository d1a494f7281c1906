import Foundation
import Yams

/// Reads a policy file (`rules/*.yml`) into a validated ``Policy``.
///
/// The accepted language (also documented in `docs/policy.md`):
///
/// ```yaml
/// policy: prod                        # required: the policy's name
/// baseline:                           # optional; what changes are compared with
///   branch: main                      #   the latest run of a branch, or
///   run: 3f2a9c1                      #   one explicit run id / commit (not both)
///   on_missing_baseline: warn         #   pass | warn | fail when there is none (default warn)
/// require: [flake8, pytest, coverage] # reports the run must contain
/// count_suppressed: false             # whether findings suppressed in the report count
/// gates:
///   - name: Tests pass                # required, unique
///     metric: tests.failed            # required; see `Metric`
///     where: { tool: pytest, category: [lint], severity: high, rule: "B6*", path: "src/**" }
///     scope: all                      # all | new | fixed (new/fixed: metric findings only)
///     min: 0                          # bounds on the value (percent metrics in points 0–100,
///     max: 0                          #   counts as whole numbers ≥ 0)
///     delta: { min: -0.5, max: 0 }    # bounds on run minus baseline
///     trend: { window: 10, slope: { min: -0.1 }, median: { min: -1 } }
///     level: fail                     # fail | warn
///     on_missing: warn                # pass | warn | fail when the gate cannot be evaluated
/// waivers:
///   - rule: B101                      # any of fingerprint, rule (glob), tool, path/paths (globs),
///     paths: ["tests/**"]             #   package, advisory
///     reason: asserts are how pytest works   # required
///     expires: 2027-01-31             # optional, YYYY-MM-DD
/// severity:                           # re-grade a tool's rules before gates look at them
///   - { tool: flake8, rule: E501, severity: info }
/// ```
///
/// Validation is strict because a policy is a gate: an unknown key anywhere, an unknown metric
/// or enum value, a wrong type, a bad glob, a bound in the wrong unit, or a waiver without a
/// reason is an error, every one is reported with file:line:column and, for typos, a "did you
/// mean". Files over 1 MiB and YAML anchors/aliases are refused before parsing.
public enum PolicyLoader {
    /// Policies are a page or two; anything this large is a mistake or an attack.
    public static let maximumSize = 1 << 20

    /// Reads and validates the policy at `path`; messages name the file as `path` is written.
    public static func load(path: String) throws(PolicyError) -> Policy {
        let url = URL(fileURLWithPath: path)
        let size: Int
        do {
            let values = try url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
            if values.isDirectory == true { throw PolicyError.unreadable(path: path, reason: "it is a directory") }
            size = values.fileSize ?? 0
        } catch let error as PolicyError {
            throw error
        } catch {
            throw PolicyError.unreadable(
                path: path,
                reason: FileManager.default.fileExists(atPath: path)
                    ? "permission denied or not a regular file" : "no such file")
        }
        if size > maximumSize { throw tooLarge(file: path, size: size) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PolicyError.unreadable(path: path, reason: "permission denied or not a regular file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError.invalid([
                PolicyProblem(
                    location: SourceLocation(file: path, line: 1, column: 1),
                    message: "the policy is not UTF-8 text")
            ])
        }
        return try load(text: text, file: path)
    }

    /// Validates a policy given as text; `file` is the name messages use.
    public static func load(text: String, file: String) throws(PolicyError) -> Policy {
        let start = SourceLocation(file: file, line: 1, column: 1)
        let size = text.utf8.count
        if size > maximumSize { throw tooLarge(file: file, size: size) }

        let aliases = YAMLAliasScanner.scan(text)
        guard aliases.isEmpty else {
            throw PolicyError.invalid(aliases.map { problem(for: $0, file: file) })
        }

        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch {
            throw PolicyError.invalid([problem(for: error, text: text, file: file)])
        }
        guard let root else {
            throw PolicyError.invalid([
                PolicyProblem(
                    location: start, message: "the policy is empty",
                    hint: "a policy needs at least 'policy: NAME' and a 'gates:' list")
            ])
        }
        // The parser owns the anchors the nodes point at (weakly): keep it alive while looking.
        let anchored = withExtendedLifetime(parser) { firstAnchoredNode(in: root) }
        if let anchored {
            var reader = PolicyReader(file: file)
            reader.report(
                at: anchored, "YAML anchors and aliases are not allowed in a policy",
                hint: "write the values out")
            throw PolicyError.invalid(reader.problems)
        }

        var reader = PolicyReader(file: file)
        let policy = reader.readPolicy(root)
        guard reader.problems.isEmpty else {
            let ordered = reader.problems.enumerated().sorted { lhs, rhs in
                (lhs.element.location.line, lhs.element.location.column, lhs.offset)
                    < (rhs.element.location.line, rhs.element.location.column, rhs.offset)
            }
            throw PolicyError.invalid(ordered.map(\.element))
        }
        return policy
    }

    // MARK: Problems before the policy is read

    private static func tooLarge(file: String, size: Int) -> PolicyError {
        let mebibytes = String(format: "%.1f", Double(size) / Double(1 << 20))
        return .invalid([
            PolicyProblem(
                location: SourceLocation(file: file, line: 1, column: 1),
                message: "the policy is \(mebibytes) MiB; policies larger than 1 MiB are refused")
        ])
    }

    private static func problem(for occurrence: YAMLAliasScanner.Occurrence, file: String) -> PolicyProblem {
        let location = SourceLocation(file: file, line: occurrence.line, column: occurrence.column)
        switch occurrence.kind {
        case .anchor:
            return PolicyProblem(
                location: location, message: "YAML anchor '\(occurrence.token)' is not allowed in a policy",
                hint: "anchors and aliases are refused (they can expand exponentially); write the values out")
        case .alias:
            let looksLikeGlob = occurrence.token.dropFirst().contains { "*/.?[".contains($0) }
            if looksLikeGlob {
                return PolicyProblem(
                    location: location,
                    message: "'\(occurrence.token)' starts with '*', which YAML reads as an alias",
                    hint: "quote globs that start with '*': \"\(occurrence.token)\"")
            }
            return PolicyProblem(
                location: location, message: "YAML alias '\(occurrence.token)' is not allowed in a policy",
                hint: "anchors and aliases are refused (they can expand exponentially); write the values out")
        }
    }

    private static func problem(for error: Error, text: String, file: String) -> PolicyProblem {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        guard let yamlError = error as? YamlError else {
            return PolicyProblem(location: SourceLocation(file: file, line: 1, column: 1), message: "invalid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if let context, context.text.hasPrefix("expected a single document") {
                return PolicyProblem(location: at(mark), message: "a policy file holds one YAML document, found a second one")
            }
            let hint = context.map { "\($0.text) at line \($0.mark.line), column \($0.mark.column)" }
            return PolicyProblem(location: at(mark), message: "invalid YAML: \(problem)", hint: hint)
        case .reader(let problem, let offset, _, _):
            let (line, column) = lineAndColumn(ofCharacterOffset: offset ?? 0, in: text)
            return PolicyProblem(
                location: SourceLocation(file: file, line: line, column: column),
                message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return PolicyProblem(
                location: at(context.mark),
                message: "duplicate key \(names) in one mapping",
                hint: "a repeated key would silently override the first")
        default:
            return PolicyProblem(location: SourceLocation(file: file, line: 1, column: 1), message: "invalid YAML: \(yamlError)")
        }
    }

    private static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for char in text.prefix(offset) {
            if char == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// The first node carrying an anchor, without descending into one (where aliases could multiply it).
    private static func firstAnchoredNode(in node: Node) -> Node? {
        if node.anchor != nil { return node }
        switch node {
        case .scalar, .alias:
            return nil
        case .sequence(let sequence):
            for item in sequence { if let found = firstAnchoredNode(in: item) { return found } }
            return nil
        case .mapping(let mapping):
            for (key, value) in mapping {
                if let found = firstAnchoredNode(in: key) ?? firstAnchoredNode(in: value) { return found }
            }
            return nil
        }
    }
}
