import Yams

extension PolicyReader {
    static let waiverKeys = ["fingerprint", "rule", "tool", "path", "paths", "package", "advisory", "reason", "expires"]
    /// The keys that say what a waiver hides; a waiver with none of them would hide everything.
    static let waiverSelectors = ["fingerprint", "rule", "tool", "path", "paths", "package", "advisory"]

    mutating func readWaivers(_ node: Node) -> [Waiver] {
        list(node, key: "waivers", of: "waivers").compactMap { readWaiver($0) }
    }

    private mutating func readWaiver(_ node: Node) -> Waiver? {
        guard
            let fields = readMapping(
                node, what: "a waiver", context: "in a waiver", allowed: Self.waiverKeys,
                misplaced: [
                    "expiry": "did you mean 'expires'?", "until": "did you mean 'expires'?",
                    "reasons": "did you mean 'reason'?",
                ])
        else { return nil }
        var waiver = Waiver(reason: "", location: location(of: node))
        waiver.fingerprint = fields["fingerprint"].flatMap { string($0, key: "fingerprint") }
        waiver.rule = fields["rule"].flatMap { glob($0, key: "rule") }
        waiver.tool = fields["tool"].flatMap { string($0, key: "tool") }?.lowercased()
        waiver.package = fields["package"].flatMap { string($0, key: "package") }
        waiver.advisory = fields["advisory"].flatMap { string($0, key: "advisory") }
        if let pathNode = fields["path"] { waiver.paths += globs(pathNode, key: "path") }
        if let pathsNode = fields["paths"] { waiver.paths += globs(pathsNode, key: "paths") }
        if fields["path"] != nil, let pathsKey = fields.keyNode("paths") {
            report(at: pathsKey, "a waiver gives both 'path' and 'paths'", hint: "use one 'paths' list")
        }
        if fields.keys.isDisjoint(with: Self.waiverSelectors) {
            report(
                at: node, "a waiver must say what it waives, or it would hide every finding",
                hint: "give a fingerprint, rule, tool, path, package or advisory")
        }
        if let reasonNode = fields["reason"] {
            waiver.reason = string(reasonNode, key: "reason") ?? ""
        } else {
            report(at: node, "a waiver needs a 'reason'", hint: "say why the finding is accepted, e.g. a ticket")
        }
        if let expiresNode = fields["expires"] {
            waiver.expires = readDate(expiresNode, key: "expires")
        }
        return waiver
    }

    mutating func readQuarantine(_ node: Node) -> [Quarantine] {
        list(node, key: "quarantine", of: "quarantined tests").compactMap { item in
            guard
                let fields = readMapping(
                    item, what: "a quarantine entry", context: "in a quarantine entry",
                    allowed: ["test", "reason", "expires"],
                    misplaced: [
                        "tests": "did you mean 'test'? (one glob per entry)",
                        "expiry": "did you mean 'expires'?", "until": "did you mean 'expires'?",
                    ])
            else { return nil }
            let test = fields["test"].flatMap { glob($0, key: "test") }
            if fields["test"] == nil {
                report(at: item, "a quarantine entry needs a 'test'", hint: "a glob over test ids, e.g. 'tests/test_cart.py::test_*'")
            }
            var reason = ""
            if let reasonNode = fields["reason"] {
                reason = string(reasonNode, key: "reason") ?? ""
            } else {
                report(at: item, "a quarantine entry needs a 'reason'", hint: "say why the test may fail, e.g. a ticket")
            }
            let expires = fields["expires"].flatMap { readDate($0, key: "expires") }
            guard let test else { return nil }
            return Quarantine(test: test, reason: reason, expires: expires, location: location(of: item))
        }
    }

    mutating func readFlakyPolicy(_ node: Node) -> FlakyPolicy {
        var flaky = FlakyPolicy()
        guard
            let fields = readMapping(
                node, what: "'flaky'", context: "in 'flaky'",
                allowed: ["window", "min_runs", "max_flips", "heal_after"])
        else { return flaky }
        if let value = atLeast(2, fields, "window") { flaky.window = value }
        if let value = atLeast(2, fields, "min_runs") { flaky.minRuns = value }
        if let value = atLeast(0, fields, "max_flips") { flaky.maxFlips = value }
        if let value = atLeast(1, fields, "heal_after") { flaky.healAfter = value }
        return flaky
    }

    /// The whole number under `key`, when it is at least `minimum`; nil after a report otherwise.
    private mutating func atLeast(_ minimum: Int, _ fields: Fields, _ key: String) -> Int? {
        guard let valueNode = fields[key], let value = integer(valueNode, key: key) else { return nil }
        guard value >= minimum else {
            report(at: valueNode, "'\(key)' must be at least \(minimum), found \(value)")
            return nil
        }
        return value
    }

    /// A calendar date written `YYYY-MM-DD`. YAML may resolve it to a timestamp; the text is what counts.
    private mutating func readDate(_ node: Node, key: String) -> String? {
        guard case .scalar(let scalar) = node, yamlTag(node) != .null else {
            report(at: node, "'\(key)' must be a date written YYYY-MM-DD, found \(describe(node))")
            return nil
        }
        let text = scalar.string
        guard let date = CalendarDate(text) else {
            report(at: node, "'\(key)' must be a date written YYYY-MM-DD, found '\(text)'")
            return nil
        }
        guard date.isValid else {
            report(at: node, "'\(key)' is not a real date: '\(text)'")
            return nil
        }
        return text
    }
}

/// A `YYYY-MM-DD` date without a time zone: a waiver expires at the end of that day wherever CI runs.
struct CalendarDate: Equatable {
    var year: Int
    var month: Int
    var day: Int

    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}
