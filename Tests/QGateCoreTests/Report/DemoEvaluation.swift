import Foundation
import QGateCore

/// Hand-built evaluations for reporter tests: the reporters are pure functions of
/// `Evaluation`, so they are tested without a store or an evaluator.
enum DemoEvaluation {
    /// A realistic pull-request check against main: gates pass, warn and fail; new findings of
    /// every severity (enough low ones to fold); fixed findings; failing and flaky tests;
    /// changed-file coverage; an expired and an unused waiver; ten runs of history.
    static func make() -> Evaluation {
        let baselineRun = RunSummary(id: 12, commit: "abc1234def5678901234567890abcdef12345678", branch: "main")
        let run = RunSummary(
            id: 13, commit: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", branch: "feature/discounts",
            baseBranch: "main", pullRequest: 42, pipeline: "1187",
            reports: [
                ReportSummary(tool: "flake8", format: .junit, path: "reports/flake8.xml"),
                ReportSummary(tool: "coverage", format: .cobertura, path: "reports/coverage.xml"),
            ])
        let new = newFindings()
        let unchanged = [
            finding(
                "safety", .vulnerability, "CVE-2019-11324", .high, path: nil,
                message: "urllib3 1.24.1: certificate verification can be bypassed (CVE-2019-11324).",
                dependency: DependencyInfo(name: "urllib3", installedVersion: "1.24.1", fixedVersions: ["1.24.2"]),
                advisories: ["CVE-2019-11324", "PYSEC-2019-133"]),
            finding(
                "pylint", .lint, "W0612", .medium, path: "pkg/runner.py", line: 30, column: 9,
                message: "Unused variable 'started' (unused-variable)"),
        ]
        let fixed = [
            finding(
                "flake8", .lint, "F401", .medium, path: "pkg/runner.py", line: 1, column: 1,
                message: "'os' imported but unused"),
            finding(
                "bandit", .security, "B311", .low, path: "pkg/pricing.py", line: 5, column: 12,
                message: "Standard pseudo-random generators are not suitable for security/cryptographic purposes.",
                cwes: [330]),
        ]
        let gates = [
            GateResult(
                name: "No critical or high vulnerabilities", metric: .findings, status: .fail, actual: 2, bound: "≤ 0",
                baseline: 1, delta: 1, message: "2 findings, at most 0 allowed.",
                findingFingerprints: [new[0].fingerprint, unchanged[0].fingerprint].sorted()),
            GateResult(
                name: "No new lint or typing problems", metric: .findings, scope: .new, level: .warn, status: .warn,
                actual: 16, bound: "≤ 0", message: "16 new findings, at most 0 allowed."),
            GateResult(
                name: "Tests pass", metric: .testsFailed, status: .fail, actual: 2, bound: "≤ 0", baseline: 0, delta: 2,
                message: "2 tests failed, at most 0 allowed."),
            GateResult(
                name: "Test suite stays fast", metric: .testsDuration, status: .pass, actual: 12.5, bound: "≤ 60",
                baseline: 11.25, delta: 1.25),
            GateResult(
                name: "Line coverage", metric: .coverageLines, status: .pass, actual: 84.615384, bound: "≥ 80",
                baseline: 86.2, delta: -1.584616),
            GateResult(
                name: "Coverage may not drop", metric: .coverageLines, level: .warn, status: .warn, actual: 84.615384,
                bound: "Δ ≥ -0.5", baseline: 86.2, delta: -1.584616,
                message: "Line coverage dropped 1.58 points, at most 0.5 allowed."),
            GateResult(
                name: "Changed lines are tested", metric: .coveragePatch, status: .fail, actual: 75, bound: "≥ 90",
                message: "75.00% of changed lines are covered, at least 90% required."),
            GateResult(
                name: "Branch coverage trend", metric: .coverageBranches, status: .skipped, actual: nil,
                bound: "slope ≥ -0.1 over 10 runs", message: "Only 1 run has branch coverage; a trend needs 2."),
        ]
        let failing = [
            TestResult(
                suite: "pytest", className: "tests.test_pricing.TestDiscounts", name: "test_negative_discount",
                file: "tests/test_pricing.py", status: .failed, duration: 0.01,
                message: "AssertionError: assert -5 == 0\n +  where -5 = apply_discount(10, 15)"),
            TestResult(
                suite: "pytest", className: "tests.test_store", name: "test_save_roundtrip",
                file: "tests/test_store.py", status: .error, duration: 0.2,
                message: "sqlite3.OperationalError: no such table: items"),
        ]
        let flaky = [
            TestResult(
                suite: "pytest", className: "tests.test_runner", name: "test_timeout", file: "tests/test_runner.py",
                status: .flaky, duration: 2.1, message: "TimeoutError: run took 2.10 s, limit 2 s")
        ]
        var totals = TestCounts()
        for _ in 0..<20 { totals.add(.passed) }
        totals.add(.failed)
        totals.add(.error)
        totals.add(.skipped)
        totals.add(.flaky)

        return Evaluation(
            policy: "prod", verdict: .fail,
            reason: "3 gates failed: No critical or high vulnerabilities, Tests pass, Changed lines are tested.",
            run: run, baseline: BaselineOutcome(status: .found, requested: "branch main", run: baselineRun),
            gates: gates, missingReports: ["trivy"],
            findings: FindingChanges(
                new: new, fixed: fixed, unchanged: unchanged, totals: FindingCounts(new + unchanged),
                waivedCount: 3, suppressedCount: 1),
            tests: TestChanges(
                totals: totals, failing: failing, flaky: flaky,
                newlyFailing: ["tests.test_pricing.TestDiscounts::test_negative_discount"],
                fixed: ["tests.test_runner::test_parse_args"]),
            coverage: CoverageChanges(
                lines: 84.615384, branches: 71.428571, baselineLines: 86.2, baselineBranches: 72,
                patch: 75, patchLinesValid: 16, patchLinesCovered: 12,
                changedFiles: [
                    ChangedFileCoverage(
                        path: "pkg/pricing.py", lines: 80, changedLinesValid: 10,
                        changedLinesCovered: 7, uncoveredChangedLines: [13, 16, 17]),
                    ChangedFileCoverage(
                        path: "pkg/runner.py", lines: 90.909090, changedLinesValid: 6,
                        changedLinesCovered: 5, uncoveredChangedLines: [44]),
                ]),
            waivers: WaiverOutcome(
                applied: [.init(selector: "rule B101 in tests/**", reason: "asserts are how pytest works", expires: nil, matched: 3)],
                expired: [
                    .init(
                        selector: "fingerprint d3f1a2b4c5d6", reason: "accepted risk, see SEC-123", expires: "2025-01-31",
                        matched: 1)
                ],
                unused: [
                    .init(
                        selector: "rule E731 in pkg/legacy/**", reason: "legacy code, rewrite planned", expires: nil,
                        matched: 0)
                ]),
            history: (3...12).map { run in
                HistoryPoint(
                    run: Int64(run), commit: String(format: "%07x", run * 1_234_567), findings: 40 - run,
                    coverageLines: 80 + Double(run) * 0.5, testsFailed: run == 7 ? 1 : 0)
            },
            diagnostics: ["reports/mypy.xml: 2 of 14 paths do not resolve under the repository root."])
    }

    static func newFindings() -> [Finding] {
        var findings = [
            finding(
                "safety", .vulnerability, "CVE-2019-10906", .critical, path: nil,
                message: "jinja2 2.10: the sandbox can be escaped through str.format_map (CVE-2019-10906).",
                dependency: DependencyInfo(name: "jinja2", installedVersion: "2.10", fixedVersions: ["2.10.1"]),
                advisories: ["CVE-2019-10906", "PYSEC-2019-217"]),
            finding(
                "bandit", .security, "B602", .high, path: "pkg/runner.py", line: 14, column: 5,
                message: "subprocess call with shell=True identified, security issue.", confidence: "HIGH", cwes: [78]),
            finding(
                "flake8", .lint, "F841", .medium, path: "pkg/pricing.py", line: 22, column: 5,
                message: "local variable 'ratio' is assigned to but never used"),
            finding(
                "mypy", .typing, "arg-type", .medium, path: "pkg/pricing.py", line: 30, column: 19,
                message: "Argument 1 to \"apply\" has incompatible type \"str\"; expected \"int\""),
            finding(
                "pylint", .lint, "C0114", .low, path: "pkg/store.py", line: 1, column: 1,
                message: "Missing module docstring (missing-module-docstring)"),
            finding(
                "pylint", .lint, "I1101", .info, path: "pkg/store.py", line: 3, column: 1,
                message: "Module 'lxml.etree' has no 'fromstring' member (c-extension-no-member)"),
        ]
        for line in 40..<52 {
            findings.append(
                finding(
                    "flake8", .lint, "E501", .low, path: "pkg/store.py", line: line, column: 80,
                    message: "line too long (\(81 + line) > 79 characters)"))
        }
        FingerprintRecipe.assign(&findings)
        return findings
    }

    static func finding(
        _ tool: String, _ category: Category, _ rule: String, _ severity: Severity, path: String?,
        line: Int? = nil, column: Int? = nil, message: String, confidence: String? = nil,
        dependency: DependencyInfo? = nil, advisories: [String] = [], cwes: [Int] = []
    ) -> Finding {
        var finding = Finding(
            tool: tool, category: category, ruleID: rule, severity: severity, confidence: confidence,
            path: path, range: SourceRange(startLine: line, startColumn: column), message: message,
            dependency: dependency, advisories: advisories, cwes: cwes)
        finding.fingerprint = FingerprintRecipe.identityKey(finding) + ":0"
        return finding
    }
}
