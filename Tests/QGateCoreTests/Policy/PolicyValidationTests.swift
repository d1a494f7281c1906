import Foundation
import Testing

@testable import QGateCore

/// Every way a policy can be wrong, with the exact line a person would read.
struct PolicyValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var yaml: String
        var expected: [String]
        var testDescription: String { label }
    }

    /// `policy: t` and one gate whose body is `gateBody`, so that lines are easy to count:
    /// line 3 is `- name: g` (the gate's mapping starts at 3:5), the body starts on line 4.
    static func gate(_ gateBody: String) -> String {
        "policy: t\ngates:\n  - name: g\n" + gateBody.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    static let cases: [Case] = [
        Case(
            label: "typo in a gate key", yaml: gate("metric: findings\nmx: 0"),
            expected: [
                "p.yml:3:5: error: gate 'g' has no bound, so it can never fail; give 'min', 'max', 'delta' or 'trend'",
                "p.yml:5:5: error: unknown key 'mx' in a gate; did you mean 'max'?",
            ]),
        Case(
            label: "unknown metric", yaml: gate("metric: coverage.line\nmin: 80"),
            expected: [
                "p.yml:4:13: error: unknown metric 'coverage.line'; did you mean 'coverage.lines'?"
            ]),
        Case(
            label: "unknown metric far from any", yaml: gate("metric: bugs\nmax: 0"),
            expected: [
                "p.yml:4:13: error: unknown metric 'bugs'; expected one of: findings, tests.total, tests.passed, tests.failed, tests.errors, tests.skipped, tests.flaky, tests.pass_rate, tests.duration, coverage.lines, coverage.branches, coverage.patch"
            ]),
        Case(
            label: "percent bound written as a fraction", yaml: gate("metric: coverage.lines\nmin: 0.8"),
            expected: [
                "p.yml:5:10: error: 'min: 0.8' on coverage.lines looks like a fraction; percent metrics are in points: did you mean 80?"
            ]),
        Case(
            label: "percent bound above 100", yaml: gate("metric: tests.pass_rate\nmin: 120"),
            expected: [
                "p.yml:5:10: error: tests.pass_rate is a percentage: 'min' must lie between 0 and 100, found 120"
            ]),
        Case(
            label: "percent written with a sign", yaml: gate("metric: coverage.lines\nmin: 80%"),
            expected: [
                "p.yml:5:10: error: 'min' must be a number, found the string '80%'; write percentages as plain points, without '%': 80"
            ]),
        Case(
            label: "count bound with a fraction", yaml: gate("metric: findings\nmax: 0.5"),
            expected: [
                "p.yml:5:10: error: findings is a count: 'max' must be a whole number of at least 0, found 0.5"
            ]),
        Case(
            label: "negative count bound", yaml: gate("metric: tests.failed\nmax: -1"),
            expected: [
                "p.yml:5:10: error: tests.failed is a count: 'max' must be a whole number of at least 0, found -1"
            ]),
        Case(
            label: "negative delta is fine, fractional count delta is not", yaml: gate("metric: findings\ndelta: { min: -2, max: 0.5 }"),
            expected: [
                "p.yml:5:28: error: findings is a count: 'max' in 'delta' must be a whole number, found 0.5"
            ]),
        Case(
            label: "min above max", yaml: gate("metric: coverage.lines\nmin: 90\nmax: 80"),
            expected: [
                "p.yml:5:10: error: 'min' (90) is greater than 'max' (80), so no value can pass"
            ]),
        Case(
            label: "bound of the wrong type", yaml: gate("metric: findings\nmax: \"zero\""),
            expected: [
                "p.yml:5:10: error: 'max' must be a number, found the string 'zero'"
            ]),
        Case(
            label: "where of the wrong type", yaml: gate("metric: findings\nwhere: 5\nmax: 0"),
            expected: [
                "p.yml:5:12: error: 'where' must be a mapping, found the number 5; its keys are tool, category, severity, rule, path"
            ]),
        Case(
            label: "gates of the wrong type", yaml: "policy: t\ngates: {}\n",
            expected: [
                "p.yml:2:8: error: 'gates' must be a list of gates, found a mapping; start each item on its own line with '- '"
            ]),
        Case(
            label: "unknown category", yaml: gate("metric: findings\nwhere: { category: [vulnerabilities, lnt] }\nmax: 0"),
            expected: [
                "p.yml:5:25: error: unknown category 'vulnerabilities'; did you mean 'vulnerability'?",
                "p.yml:5:42: error: unknown category 'lnt'; did you mean 'lint'?",
            ]),
        Case(
            label: "severity word from a tool", yaml: gate("metric: findings\nwhere: { severity: error }\nmax: 0"),
            expected: [
                "p.yml:5:24: error: unknown severity 'error'; qgate's scale is critical, high, medium, low, info; 'error' maps to 'high'"
            ]),
        Case(
            label: "filter that does not apply to the metric", yaml: gate("metric: tests.failed\nwhere: { category: lint }\nmax: 0"),
            expected: [
                "p.yml:5:14: error: 'category' does not apply to metric tests.failed; tests.failed can be filtered by tool and path"
            ]),
        Case(
            label: "bad glob", yaml: gate("metric: findings\nwhere: { path: \"src/[abc\" }\nmax: 0"),
            expected: [
                "p.yml:5:20: error: invalid glob 'src/[abc' in 'path': '[' at position 5 is never closed; write '[[]' for a literal '['"
            ]),
        Case(
            label: "scope new on a test metric without failures", yaml: gate("metric: tests.passed\nscope: new\nmax: 0"),
            expected: [
                "p.yml:5:12: error: 'scope: new' applies only to metrics findings, tests.failed and tests.errors, not tests.passed; new and fixed compare findings by fingerprint, new compares failing tests by id; use 'delta' for other metrics"
            ]),
        Case(
            label: "scope fixed on failing tests", yaml: gate("metric: tests.failed\nscope: fixed\nmax: 0"),
            expected: [
                "p.yml:5:12: error: 'scope: fixed' does not apply to metric tests.failed; tests.failed takes scope all or new"
            ]),
        Case(label: "scope new on failing tests is valid", yaml: gate("metric: tests.errors\nscope: new\nmax: 0"), expected: []),
        Case(
            label: "unknown level", yaml: gate("metric: findings\nmax: 0\nlevel: warning"),
            expected: [
                "p.yml:6:12: error: unknown level 'warning'; did you mean 'warn'?"
            ]),
        Case(
            label: "trend window too small and no slope", yaml: gate("metric: coverage.lines\ntrend: { window: 1 }"),
            expected: [
                "p.yml:5:12: error: 'trend' needs 'slope' or 'median'",
                "p.yml:5:22: error: 'window' must be between 2 and 1000 runs, found 1",
            ]),
        Case(
            label: "empty delta", yaml: gate("metric: coverage.lines\ndelta: {}"),
            expected: [
                "p.yml:5:12: error: 'delta' needs 'min' or 'max'"
            ]),
        Case(
            label: "gate without name and metric", yaml: "policy: t\ngates:\n  - max: 0\n",
            expected: [
                "p.yml:3:5: error: a gate needs a 'name'",
                "p.yml:3:5: error: a gate needs a 'metric'; one of findings, tests.total, tests.passed, tests.failed, tests.errors, tests.skipped, tests.flaky, tests.pass_rate, tests.duration, coverage.lines, coverage.branches, coverage.patch",
            ]),
        Case(
            label: "duplicate gate names", yaml: gate("metric: findings\nmax: 0") + "  - name: g\n    metric: tests.failed\n    max: 0\n",
            expected: [
                "p.yml:6:5: error: duplicate gate name 'g'; the first is at line 3; reports identify gates by name"
            ]),
        Case(
            label: "duplicate keys", yaml: gate("metric: findings\nmax: 0\nmax: 1"),
            expected: [
                "p.yml:5:5: error: duplicate key 'max' in one mapping; a repeated key would silently override the first"
            ]),
        Case(
            label: "waiver without reason", yaml: gate("metric: findings\nmax: 0") + "waivers:\n  - rule: B101\n",
            expected: [
                "p.yml:7:5: error: a waiver needs a 'reason'; say why the finding is accepted, e.g. a ticket"
            ]),
        Case(
            label: "waiver with an empty reason and nothing to waive",
            yaml: gate("metric: findings\nmax: 0") + "waivers:\n  - reason: \"  \"\n",
            expected: [
                "p.yml:7:5: error: a waiver must say what it waives, or it would hide every finding; give a fingerprint, rule, tool, path, package or advisory",
                "p.yml:7:13: error: 'reason' is empty",
            ]),
        Case(
            label: "waiver with an impossible date",
            yaml: gate("metric: findings\nmax: 0") + "waivers:\n  - { rule: B101, reason: ok, expires: 2027-02-30 }\n",
            expected: [
                "p.yml:7:40: error: 'expires' is not a real date: '2027-02-30'"
            ]),
        Case(
            label: "waiver with a date in another format",
            yaml: gate("metric: findings\nmax: 0") + "waivers:\n  - { rule: B101, reason: ok, expires: 31/01/2027 }\n",
            expected: [
                "p.yml:7:40: error: 'expires' must be a date written YYYY-MM-DD, found '31/01/2027'"
            ]),
        Case(
            label: "waiver key typo",
            yaml: gate("metric: findings\nmax: 0") + "waivers:\n  - { rule: B101, reason: ok, expiry: 2027-01-31 }\n",
            expected: [
                "p.yml:7:31: error: unknown key 'expiry' in a waiver; did you mean 'expires'?"
            ]),
        Case(
            label: "unknown top-level key", yaml: "policy: t\ngate:\n  - name: g\n",
            expected: [
                "p.yml:1:1: error: the policy has no gates and requires no reports, so every run would pass; add a 'gates:' list",
                "p.yml:2:1: error: unknown key 'gate' at the top level; did you mean 'gates'?",
            ]),
        Case(
            label: "on_missing_baseline at the top level", yaml: gate("metric: findings\nmax: 0") + "on_missing_baseline: fail\n",
            expected: [
                "p.yml:6:1: error: unknown key 'on_missing_baseline' at the top level; it belongs under 'baseline:'"
            ]),
        Case(
            label: "baseline with branch and run and a bad action",
            yaml: gate("metric: findings\nmax: 0") + "baseline: { branch: main, run: 12, on_missing_baseline: skip }\n",
            expected: [
                "p.yml:6:27: error: 'baseline' gives both 'branch' and 'run'; compare with either the latest run of a branch or one explicit run",
                "p.yml:6:57: error: unknown on_missing_baseline 'skip'; expected one of: pass, warn, fail",
            ]),
        Case(
            label: "policy without a name", yaml: "gates:\n  - { name: g, metric: findings, max: 0 }\n",
            expected: [
                "p.yml:1:1: error: the policy has no name; add 'policy: NAME' at the top"
            ]),
        Case(
            label: "not a mapping", yaml: "- policy: t\n",
            expected: [
                "p.yml:1:1: error: a policy must be a mapping, found a list; its keys are policy, baseline, require, count_suppressed, gates, waivers, quarantine, flaky, severity"
            ]),
        Case(
            label: "severity override without severity",
            yaml: gate("metric: findings\nmax: 0") + "severity:\n  - { tool: flake8, rule: E501, severity: hgh }\n  - { rule: W* }\n",
            expected: [
                "p.yml:7:43: error: unknown severity 'hgh'; did you mean 'high'?",
                "p.yml:8:5: error: a severity override needs 'severity'",
            ]),
        Case(
            label: "count_suppressed of the wrong type", yaml: gate("metric: findings\nmax: 0") + "count_suppressed: maybe\n",
            expected: [
                "p.yml:6:19: error: 'count_suppressed' must be true or false, found the string 'maybe'"
            ]),
        Case(
            label: "required report twice", yaml: "policy: t\nrequire: [pytest, pytest]\n",
            expected: [
                "p.yml:2:19: error: 'pytest' is required twice"
            ]),
        Case(
            label: "YAML syntax error", yaml: "policy: t\ngates:\n  - name: g\n   metric: findings\n",
            expected: [
                "p.yml:4:4: error: invalid YAML: did not find expected '-' indicator; while parsing a block collection at line 3, column 3"
            ]),
        Case(
            label: "unterminated quote", yaml: "policy: \"t\ngates: []\n",
            expected: [
                "p.yml:3:1: error: invalid YAML: found unexpected end of stream; while scanning a quoted scalar at line 1, column 9"
            ]),
        Case(
            label: "two documents", yaml: "policy: t\n---\npolicy: u\n",
            expected: [
                "p.yml:2:1: error: a policy file holds one YAML document, found a second one"
            ]),
        Case(
            label: "anchors and aliases", yaml: "policy: t\ndefaults: &d { metric: findings, max: 0 }\ngates:\n  - *d\n",
            expected: [
                "p.yml:2:11: error: YAML anchor '&d' is not allowed in a policy; anchors and aliases are refused (they can expand exponentially); write the values out",
                "p.yml:4:5: error: YAML alias '*d' is not allowed in a policy; anchors and aliases are refused (they can expand exponentially); write the values out",
            ]),
        Case(
            label: "unquoted glob that YAML reads as an alias", yaml: gate("metric: findings\nwhere: { path: **/*.py }\nmax: 0"),
            expected: [
                "p.yml:5:20: error: '**/*.py' starts with '*', which YAML reads as an alias; quote globs that start with '*': \"**/*.py\""
            ]),
        Case(
            label: "empty file", yaml: "",
            expected: [
                "p.yml:1:1: error: the policy is empty; a policy needs at least 'policy: NAME' and a 'gates:' list"
            ]),
        Case(
            label: "only comments", yaml: "# nothing yet\n",
            expected: [
                "p.yml:1:1: error: the policy is empty; a policy needs at least 'policy: NAME' and a 'gates:' list"
            ]),
    ]

    @Test(arguments: cases)
    func reportsEveryProblem(_ testCase: Case) {
        #expect(Self.problems(testCase.yaml) == testCase.expected)
    }

    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try PolicyLoader.load(text: yaml, file: "p.yml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func collectsProblemsFromEveryPart() {
        let yaml = """
            policy: t
            baseline: { brnch: main }
            gates:
              - name: a
                metric: coverage.lines
                min: 0.7
              - name: b
                metric: findings
                mx: 0
            waivers:
              - rule: B101
            """
        #expect(
            Self.problems(yaml) == [
                "p.yml:2:13: error: unknown key 'brnch' in 'baseline'; did you mean 'branch'?",
                "p.yml:6:10: error: 'min: 0.7' on coverage.lines looks like a fraction; percent metrics are in points: did you mean 70?",
                "p.yml:7:5: error: gate 'b' has no bound, so it can never fail; give 'min', 'max', 'delta' or 'trend'",
                "p.yml:9:5: error: unknown key 'mx' in a gate; did you mean 'max'?",
                "p.yml:11:5: error: a waiver needs a 'reason'; say why the finding is accepted, e.g. a ticket",
            ])
    }

    @Test func errorPrintsOneLinePerProblem() {
        let error = PolicyError.invalid([
            PolicyProblem(
                location: QGateCore.SourceLocation(file: "rules/prod.yml", line: 12, column: 5),
                message: "unknown key 'mx' in a gate", hint: "did you mean 'max'?"),
            PolicyProblem(
                location: QGateCore.SourceLocation(file: "rules/prod.yml", line: 14, column: 1), message: "a waiver needs a 'reason'"),
        ])
        #expect(
            error.description == """
                rules/prod.yml:12:5: error: unknown key 'mx' in a gate; did you mean 'max'?
                rules/prod.yml:14:1: error: a waiver needs a 'reason'
                """)
    }

    @Test func refusesTextLargerThanOneMebibyte() {
        let yaml = "policy: t\n# " + String(repeating: "x", count: PolicyLoader.maximumSize) + "\n"
        #expect(Self.problems(yaml) == ["p.yml:1:1: error: the policy is 1.0 MiB; policies larger than 1 MiB are refused"])
    }

    @Test func refusesLargeFilesBeforeReadingThem() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("big.yml")
        try Data(repeating: UInt8(ascii: "#"), count: 3 << 20).write(to: url)
        #expect(
            throws: PolicyError.invalid([
                PolicyProblem(
                    location: QGateCore.SourceLocation(file: url.path, line: 1, column: 1),
                    message: "the policy is 3.0 MiB; policies larger than 1 MiB are refused")
            ])
        ) {
            try PolicyLoader.load(path: url.path)
        }
    }

    @Test func billionLaughsIsRefusedQuickly() {
        var yaml = "policy: t\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...30 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        yaml += "? *a30\n: boom\n"
        let problems = Self.problems(yaml)
        #expect(
            problems.first
                == "p.yml:2:5: error: YAML anchor '&a0' is not allowed in a policy; anchors and aliases are refused (they can expand exponentially); write the values out"
        )
        #expect(problems.count == 1 + 30 * 11 + 1)
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: PolicyError.unreadable(path: "/nonexistent/p.yml", reason: "no such file")) {
            try PolicyLoader.load(path: "/nonexistent/p.yml")
        }
        #expect(
            PolicyError.unreadable(path: "/nonexistent/p.yml", reason: "no such file").description
                == "/nonexistent/p.yml: error: cannot read the policy: no such file")
    }

    @Test func invalidUTF8IsAProblem() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("latin1.yml")
        try Data([0x70, 0x3A, 0x20, 0xE9, 0x0A]).write(to: url)
        #expect(
            throws: PolicyError.invalid([
                PolicyProblem(
                    location: QGateCore.SourceLocation(file: url.path, line: 1, column: 1),
                    message: "the policy is not UTF-8 text")
            ])
        ) {
            try PolicyLoader.load(path: url.path)
        }
    }
}
