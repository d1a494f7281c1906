import Foundation
import Testing

@testable import QGateCore

struct ReporterTests {
    static var evaluation: Evaluation {
        var new = Make.fingerprinted(
            Make.finding(
                "F841", severity: .medium, path: "pkg/pricing.py", line: 18,
                message: "local variable 'rounding' is assigned to but never used"), "c1:0")
        new.message += "\nsecond line"
        let low = Make.fingerprinted(Make.finding("E501", path: "pkg/a.py", line: 3, message: "line too long"), "c2:0")
        return Evaluation(
            policy: "prod", verdict: .fail, reason: "fail: 1 of 2 gates failed (Tests pass).",
            run: RunSummary(id: 7, commit: "0123456789abcdef", branch: "feature", pullRequest: 12),
            baseline: BaselineOutcome(status: .found, requested: "branch main", run: RunSummary(id: 5, commit: "fedcba9876543210")),
            gates: [
                GateResult(
                    name: "Tests pass", metric: .testsFailed, status: .fail, actual: 2, bound: "≤ 0", baseline: 1, delta: 1,
                    message: "tests.failed is 2; the maximum is 0."),
                GateResult(
                    name: "Line coverage", metric: .coverageLines, status: .pass, actual: 72.972, bound: "≥ 70",
                    baseline: 73.846, delta: -0.874),
            ],
            missingReports: ["bandit"],
            findings: FindingChanges(new: [new, low], totals: FindingCounts([new, low])),
            tests: TestChanges(failing: [Make.caseResult("test_format_price", .failed)]),
            waivers: WaiverOutcome(
                applied: [.init(selector: "rule B101 in tests/**", reason: "pytest", expires: nil, matched: 2)],
                expired: [.init(selector: "rule E501", reason: "old", expires: "2027-01-01", matched: 1)],
                unused: [.init(selector: "fingerprint c0ffee", reason: "gone", expires: nil, matched: 0)]),
            diagnostics: ["reports/coverage.xml: warning: 3 of 4 paths do not exist"])
    }

    @Test func textOutput() {
        let expected = """
            fail: 1 of 2 gates failed (Tests pass).
            run 7  commit 0123456789ab  branch feature  PR #12  policy prod  baseline run 5 (fedcba987654)

            GATE           STATUS  ACTUAL  BOUND  BASELINE  DELTA
            Tests pass     fail    2       ≤ 0    1         +1
            Line coverage  pass    72.97%  ≥ 70   73.85%    -0.87 pts

              Tests pass: tests.failed is 2; the maximum is 0.

            New findings (2, worst first; 0 fixed):
              medium  pkg/pricing.py:18  F841  local variable 'rounding' is assigned to but never used second line
              low     pkg/a.py:3         E501  line too long

            Failing tests (1):
              failed  tests.test_a::test_format_price  assert False

            Missing reports: bandit

            Waivers:
              waived 2 findings: rule B101 in tests/** (pytest)
              expired on 2027-01-01, no longer hides 1 finding: rule E501
              unused (matched nothing): fingerprint c0ffee

            Notes:
              reports/coverage.xml: warning: 3 of 4 paths do not exist

            """
        #expect(TextReporter().render(Self.evaluation) == expected)
    }

    @Test func textOutputListsAtMostTheLimitOfFindings() {
        var evaluation = Self.evaluation
        evaluation.findings.new = (1...12).map { Make.fingerprinted(Make.finding("E\($0)", line: $0), "c\($0 as Int):0") }
        let text = TextReporter().render(evaluation)
        #expect(text.contains("  … and 2 more\n"))
        #expect(!text.contains("E11"))
    }

    @Test func jsonOutputIsSortedSnakeCaseAndStable() throws {
        let json = JSONReporter().render(Self.evaluation)
        #expect(json == JSONReporter().render(Self.evaluation))
        #expect(json.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(
            object.keys.sorted() == [
                "baseline", "coverage", "diagnostics", "findings", "gate_findings", "gates", "history", "missing_reports",
                "policy", "reason", "run", "schema_version", "tests", "verdict", "waivers",
            ])
        #expect(object["schema_version"] as? Int == 1)
        #expect(json.contains("\"finding_fingerprints\": ["))
        #expect(json.contains("\"metric\": \"tests.failed\""))
        // Keys sorted: "baseline" comes before "bound" in a gate.
        let gate = try #require(json.range(of: "\"actual\": 2,"))
        let rest = json[gate.upperBound...]
        #expect((rest.range(of: "\"baseline\"")?.lowerBound).map { $0 < (rest.range(of: "\"bound\"")?.lowerBound ?? $0) } == true)
    }

    @Test func jsonFindingsUseSnakeCaseFieldNames() {
        let json = JSONReporter().render(Self.evaluation)
        #expect(json.contains("\"rule_id\": \"F841\""))
        #expect(json.contains("\"start_line\": 18"))
    }
}
