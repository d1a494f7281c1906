import Foundation
import Yams

/// Turns a composed YAML tree into a ``Policy``, collecting every problem on the way.
///
/// Each `read…` method checks one part of the policy language (keys, types, enum values, units),
/// reports what is wrong at the node's line:column, and returns whatever could still be read so
/// that later parts are checked too. The result is only used when no problem was reported.
struct PolicyReader {
    let file: String
    private(set) var problems: [PolicyProblem] = []

    init(file: String) {
        self.file = file
    }

    // MARK: The policy

    static let topLevelKeys = ["policy", "baseline", "require", "count_suppressed", "gates", "waivers", "quarantine", "flaky", "severity"]

    mutating func readPolicy(_ root: Node) -> Policy {
        var policy = Policy(name: "")
        guard
            let fields = readMapping(
                root, what: "a policy", context: "at the top level", allowed: Self.topLevelKeys,
                misplaced: [
                    "on_missing_baseline": "it belongs under 'baseline:'",
                    "on_missing": "it belongs in a gate, or as 'on_missing_baseline' under 'baseline:'",
                ])
        else { return policy }
        if let node = fields["policy"] {
            policy.name = string(node, key: "policy") ?? ""
        } else {
            report(at: root, "the policy has no name", hint: "add 'policy: NAME' at the top")
        }
        if let node = fields["baseline"] { policy.baseline = readBaseline(node) }
        if let node = fields["require"] { policy.require = readRequire(node) }
        if let node = fields["count_suppressed"], let value = bool(node, key: "count_suppressed") {
            policy.countSuppressed = value
        }
        if let node = fields["gates"] { policy.gates = readGates(node) }
        if let node = fields["waivers"] { policy.waivers = readWaivers(node) }
        if let node = fields["quarantine"] { policy.quarantine = readQuarantine(node) }
        if let node = fields["flaky"] { policy.flaky = readFlakyPolicy(node) }
        if let node = fields["severity"] { policy.severityOverrides = readSeverityOverrides(node) }
        if fields["gates"] == nil && fields["require"] == nil {
            report(
                at: root, "the policy has no gates and requires no reports, so every run would pass",
                hint: "add a 'gates:' list")
        }
        return policy
    }

    private mutating func readBaseline(_ node: Node) -> BaselineSpec {
        var baseline = BaselineSpec()
        guard
            let fields = readMapping(
                node, what: "'baseline'", context: "in 'baseline'", allowed: ["branch", "run", "on_missing_baseline"],
                misplaced: ["on_missing": "the baseline's key is 'on_missing_baseline'"])
        else { return baseline }
        baseline.branch = fields["branch"].flatMap { string($0, key: "branch") }
        baseline.run = fields["run"].flatMap { string($0, key: "run") }
        if let runNode = fields["run"], fields["branch"] != nil {
            report(
                at: fields.keyNode("run") ?? runNode, "'baseline' gives both 'branch' and 'run'",
                hint: "compare with either the latest run of a branch or one explicit run")
        }
        if let value = fields["on_missing_baseline"].flatMap({ choice($0, key: "on_missing_baseline", of: MissingAction.self) }) {
            baseline.onMissing = value
        }
        return baseline
    }

    /// The `require:` names qgate itself gives reports: `coverage`, `tests`, and the tools it names.
    static let knownReportNames = [
        "coverage", "tests", "flake8", "pylint", "mypy", "pytest", "bandit", "safety", "trivy",
        "cobertura", "checkov", "semgrep", "codeql", "ruff", "eslint", "gitleaks", "hadolint",
    ]

    private mutating func readRequire(_ node: Node) -> [RequiredReport] {
        var required: [RequiredReport] = []
        for (name, item) in strings(node, key: "require", allowSingle: false) {
            if required.contains(where: { $0.name == name }) {
                report(at: item, "'\(name)' is required twice")
                continue
            }
            // Tools are open (any SARIF driver, --tool), so only a near miss of a name qgate knows
            // is refused: `safty` would otherwise be a report no run ever has.
            let lowered = name.lowercased()
            if !Self.knownReportNames.contains(lowered),
                let match = Suggestion.closest(to: lowered, in: Self.knownReportNames),
                Suggestion.editDistance(lowered, match) <= 2
            {
                report(at: item, "unknown report '\(name)' in require", hint: "did you mean '\(match)'?")
                continue
            }
            required.append(RequiredReport(name: name, location: location(of: item)))
        }
        return required
    }

    private mutating func readSeverityOverrides(_ node: Node) -> [SeverityOverride] {
        var overrides: [SeverityOverride] = []
        for item in list(node, key: "severity", of: "severity overrides") {
            guard
                let fields = readMapping(
                    item, what: "a severity override", context: "in a severity override", allowed: ["tool", "rule", "severity"])
            else { continue }
            let tool = fields["tool"].flatMap { string($0, key: "tool") }?.lowercased()
            let rule = fields["rule"].flatMap { glob($0, key: "rule") }
            let severity = fields["severity"].flatMap { choice($0, key: "severity", of: Severity.self) }
            for key in ["rule", "severity"] where fields[key] == nil {
                report(at: item, "a severity override needs '\(key)'")
            }
            if let rule, let severity {
                overrides.append(SeverityOverride(tool: tool, rule: rule, severity: severity))
            }
        }
        return overrides
    }

    // MARK: Problems and locations

    mutating func report(at node: Node, _ message: String, hint: String? = nil) {
        problems.append(PolicyProblem(location: location(of: node), message: message, hint: hint))
    }

    func location(of node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    // MARK: Shapes

    /// The keys of a mapping, each with its key and value node. Unknown keys are reported here.
    struct Fields {
        fileprivate var entries: [String: (key: Node, value: Node)] = [:]
        subscript(key: String) -> Node? { entries[key]?.value }
        func keyNode(_ key: String) -> Node? { entries[key]?.key }
        var keys: Set<String> { Set(entries.keys) }
    }

    /// Reads `node` as a mapping whose keys must be among `allowed`; `misplaced` gives a better
    /// hint for keys that are valid elsewhere. Nil (after a report) when it is not a mapping.
    mutating func readMapping(
        _ node: Node, what: String, context: String, allowed: [String],
        misplaced: [String: String] = [:]
    ) -> Fields? {
        guard case .mapping(let mapping) = node else {
            report(
                at: node, "\(what) must be a mapping, found \(describe(node))",
                hint: "its keys are " + allowed.joined(separator: ", "))
            return nil
        }
        var fields = Fields()
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key, yamlTag(key) != .null else {
                report(at: key, "a key \(context) must be a plain name, found \(describe(key))")
                continue
            }
            let name = scalar.string
            guard allowed.contains(name) else {
                report(
                    at: key, "unknown key '\(name)' \(context)",
                    hint: misplaced[name] ?? Suggestion.hint(for: name, in: allowed))
                continue
            }
            fields.entries[name] = (key, value)
        }
        return fields
    }

    /// The items of a list; anything else is reported.
    mutating func list(_ node: Node, key: String, of what: String) -> [Node] {
        guard case .sequence(let sequence) = node else {
            report(
                at: node, "'\(key)' must be a list of \(what), found \(describe(node))",
                hint: "start each item on its own line with '- '")
            return []
        }
        return Array(sequence)
    }

    // MARK: Scalars

    mutating func string(_ node: Node, key: String) -> String? {
        guard case .scalar(let scalar) = node, yamlTag(node) != .null else {
            report(at: node, "'\(key)' must be a string, found \(describe(node))")
            return nil
        }
        guard !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
            report(at: node, "'\(key)' is empty")
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node, key: String) -> Bool? {
        guard case .scalar(let scalar) = node, yamlTag(node) == .bool, let value = Bool.construct(from: scalar) else {
            report(at: node, "'\(key)' must be true or false, found \(describe(node))")
            return nil
        }
        return value
    }

    mutating func number(_ node: Node, key: String) -> Double? {
        guard let value = numericValue(node), value.isFinite else {
            var hint: String?
            if case .scalar(let scalar) = node, scalar.string.hasSuffix("%"),
                let points = Double(scalar.string.dropLast().trimmingCharacters(in: .whitespaces))
            {
                hint = "write percentages as plain points, without '%': \(format(points))"
            }
            report(at: node, "'\(key)' must be a number, found \(describe(node))", hint: hint)
            return nil
        }
        return value
    }

    mutating func integer(_ node: Node, key: String) -> Int? {
        guard case .scalar(let scalar) = node, yamlTag(node) == .int, let value = Int.construct(from: scalar) else {
            report(at: node, "'\(key)' must be a whole number, found \(describe(node))")
            return nil
        }
        return value
    }

    /// A closed set of words (`warn`, `critical`), with a "did you mean" for near misses.
    mutating func choice<Value: RawRepresentable & CaseIterable>(
        _ node: Node, key: String, of type: Value.Type,
        hint extraHint: ((String) -> String?)? = nil
    ) -> Value?
    where Value.RawValue == String {
        guard let text = string(node, key: key) else { return nil }
        if let value = Value(rawValue: text) { return value }
        let names = Value.allCases.map(\.rawValue)
        report(at: node, "unknown \(key) '\(text)'", hint: extraHint?(text) ?? Suggestion.hint(for: text, in: names))
        return nil
    }

    /// A string or a list of strings, each with its node.
    mutating func strings(_ node: Node, key: String, allowSingle: Bool = true) -> [(String, Node)] {
        if allowSingle, case .scalar = node {
            return string(node, key: key).map { [($0, node)] } ?? []
        }
        guard case .sequence(let sequence) = node else {
            report(at: node, "'\(key)' must be \(allowSingle ? "a string or " : "")a list of strings, found \(describe(node))")
            return []
        }
        return sequence.compactMap { item in string(item, key: key).map { ($0, item) } }
    }

    mutating func glob(_ node: Node, key: String) -> Glob? {
        guard let pattern = string(node, key: key) else { return nil }
        do {
            return try Glob(pattern)
        } catch let error as Glob.SyntaxError {
            report(
                at: node, "invalid glob '\(pattern.capped(toCharacters: 80))' in '\(key)': \(error.message)",
                hint: pattern.count > Glob.maxLength ? nil : "write '[[]' for a literal '['")
            return nil
        } catch {
            report(at: node, "invalid glob '\(pattern)' in '\(key)'")
            return nil
        }
    }

    mutating func globs(_ node: Node, key: String) -> [Glob] {
        strings(node, key: key).compactMap { _, item in glob(item, key: key) }
    }

    // MARK: Helpers

    /// The YAML type a scalar resolves to (`int`, `str`, `null` …): quoted `"5"` is a string.
    func yamlTag(_ node: Node) -> Tag.Name {
        Resolver.default.resolveTag(of: node)
    }

    private func numericValue(_ node: Node) -> Double? {
        guard case .scalar(let scalar) = node else { return nil }
        switch yamlTag(node) {
        case .int: return Int.construct(from: scalar).map(Double.init)
        case .float: return Double.construct(from: scalar)
        default: return nil
        }
    }

    /// How a value reads in a message: `a mapping`, `the string 'zero'`, `the number 5`.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch yamlTag(node) {
            case .null: return "no value"
            case .bool: return "the boolean \(scalar.string)"
            case .int, .float: return "the number \(scalar.string)"
            default: return "the string '\(scalar.string)'"
            }
        }
    }

    /// A number as a person would write it: `80`, `75.5`.
    func format(_ value: Double) -> String {
        let value = (value * 1e9).rounded() / 1e9
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(value)
        if text.contains("e") { return text }
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
