import Foundation
import QGateCore
import Testing

/// Reads a small JUnit document written inline. Inline inputs are used only for shapes no real
/// report in shared/real-reports or fixtures/ has (odd producers, errors, attacks); counts and
/// dialects are asserted on the real files.
func readJUnit(
    _ xml: String, name: String = "inline.xml", as format: ReportFormat? = nil,
    tool: String? = nil
) throws -> ParsedReport {
    let source = try TestPaths.temporaryReport(name, xml)
    defer { try? FileManager.default.removeItem(at: source.url.deletingLastPathComponent()) }
    return try ReportReader.read(source, as: format, context: ParseContext(toolOverride: tool))
}

/// The JUnit dialects, recognised from content, on the real reports and the project fixtures.
@Suite(.enabled(if: TestPaths.haveRealReports, "../shared/real-reports is not beside this clone"))
struct JUnitDialectTests {
    @Test(arguments: [
        ("junit-flake8/flake8-6.1.0-flake8_junit-report-2.1.0-local-per-file.xml", "flake8"),
        ("junit-flake8/flake8-7.5.0-formatter-0.0.6-local-failures.xml", "flake8"),
        ("junit-flake8/flake8-formatter-0.0.6-golden-expected.xml", "flake8"),
        ("junit-flake8/flake8-formatter-2020-clean-run-check-passed-only.xml", "flake8"),
        ("junit-pylint/pylint-2.17.7-pylint_junit-0.2.0-local-error-elements.xml", "pylint"),
        ("junit-pylint/pylint-2.17.7-pylint_junit-0.3.2-local-failure-elements.xml", "pylint"),
        ("junit-pylint/pylint-4.1.4-pylint_junit-0.3.5-local-output-format-junit.xml", "pylint"),
        ("junit-pylint/pylint-4.1.4-pylint_junit-0.3.5-local-pkg-and-nonpackage-dir.xml", "pylint"),
        ("junit-mypy/mypy-1.4.1-local-global-format.xml", "mypy"),
        ("junit-mypy/mypy-2.4.1-local-per-file-format.xml", "mypy"),
        ("junit-mypy/mypy-py3_8-win32-pass-empty-testcase.xml", "mypy"),
        ("junit-pytest/pytest-2020-xunit1-single-line-many-skipped.xml", "pytest"),
        ("junit-pytest/pytest-testsuites-named-2025.xml", "pytest"),
    ])
    func realReportDialect(path: String, tool: String) throws {
        let report = try ReportReader.read(TestPaths.realReport(path))
        #expect(report.format == .junit)
        #expect(report.tool == tool)
        // Linters' testcases are messages, never tests; test reports have no findings.
        if tool == "pytest" { #expect(report.findings.isEmpty) } else { #expect(report.tests.isEmpty) }
    }

    @Test(arguments: ["main", "pr"])
    func fixtureDialects(state: String) throws {
        for (file, tool) in [("flake8", "flake8"), ("pylint", "pylint"), ("mypy", "mypy"), ("pytest", "pytest")] {
            let report = try ReportReader.read(TestPaths.fixture("reports/\(state)/\(file).xml"))
            #expect(report.tool == tool, "\(state)/\(file).xml")
        }
    }

    @Test func anUnknownProducerIsReadAsGenericJUnitTests() throws {
        // Inline: a JUnit 5 / Surefire-style file, which no shared sample has.
        let report = try readJUnit(
            """
            <testsuite name="com.example.CalcTest" tests="2"><testcase classname="com.example.CalcTest" name="adds" time="0.01"/>\
            <testcase classname="com.example.CalcTest" name="divides" time="0.02"><failure message="expected 2">trace</failure></testcase></testsuite>
            """)
        #expect(report.tool == "junit")
        #expect(TestCounts(report.tests) == counts(total: 2, passed: 1, failed: 1))
    }

    @Test func pytestMarksOutweighPylintLikeTestNames() throws {
        // Inline: a pytest test whose id happens to look like pylint-junit 0.2's `module:line:col`.
        let report = try readJUnit(
            """
            <testsuite name="pytest"><testcase classname="tests.t" name="check:1:2"><skipped type="pytest.skip"/></testcase></testsuite>
            """)
        #expect(report.tool == "pytest")
        #expect(TestCounts(report.tests) == counts(total: 1, skipped: 1))
    }

    @Test func toolOverrideChangesHowTheFileIsRead() throws {
        // A mypy-shaped text in a suite that does not say mypy: `--tool mypy` reads its lines.
        let report = try readJUnit(
            """
            <testsuite name="typecheck"><testcase name="all"><failure>a.py:3: error: Bad  [misc]</failure></testcase></testsuite>
            """, tool: "mypy")
        #expect(report.tool == "mypy")
        #expect(report.tests.isEmpty)
        #expect(report.findings.map(\.ruleID) == ["misc"])
    }
}

/// Test totals; `runs` is one per test unless given.
func counts(
    total: Int, passed: Int = 0, failed: Int = 0, errors: Int = 0, skipped: Int = 0, flaky: Int = 0,
    runs: Int? = nil
) -> TestCounts {
    var counts = TestCounts()
    counts.total = total
    counts.runs = runs ?? total
    counts.passed = passed
    counts.failed = failed
    counts.errors = errors
    counts.skipped = skipped
    counts.flaky = flaky
    return counts
}
