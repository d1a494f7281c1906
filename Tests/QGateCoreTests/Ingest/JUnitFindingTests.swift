import Foundation
import Testing

@testable import QGateCore

/// Specific findings from flake8, pylint and mypy JUnit reports: rule, path, line, column,
/// severity and message, read the way each producer spells them.
struct JUnitFindingTests {
    private func finding(_ report: ParsedReport, rule: String, line: Int? = nil) throws -> Finding {
        try #require(report.findings.first { $0.ruleID == rule && (line == nil || $0.range.startLine == line) })
    }

    // MARK: flake8

    @Test func flake8FormatterFixtureColumnsComeFromTheMessage() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/main/flake8.xml"))
        #expect(report.findings.count == 5)  // 5 <failure>; the "Check passed" testcase is not one
        let unused = try finding(report, rule: "F401", line: 2)
        #expect(unused.path == "pkg/pricing.py")
        #expect(unused.range == SourceRange(startLine: 2, startColumn: 1))
        #expect(unused.severity == .medium)
        #expect(unused.category == .lint)
        #expect(unused.message == "'os' imported but unused")
        let long = try finding(report, rule: "E501", line: 55)
        #expect(long.range.startColumn == 80)
        #expect(long.severity == .low)
        #expect(long.message == "line too long (122 > 79 characters)")
        let undefined = try finding(report, rule: "F821")
        #expect(undefined.path == "pkg/store.py")
        #expect(undefined.range == SourceRange(startLine: 29, startColumn: 5))
        #expect(undefined.severity == .high)
    }

    @Test func flake8PullRequestFixture() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/pr/flake8.xml"))
        #expect(FindingCounts(report.findings).total == 5)
        let unused = try finding(report, rule: "F841")
        #expect(unused.path == "pkg/pricing.py")
        #expect(unused.range == SourceRange(startLine: 18, startColumn: 5))
        #expect(unused.message == "local variable 'rounding' is assigned to but never used")
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func flake8JunitReportTakesTheLocationFromTheFailureAttributes() throws {
        let report = try ReportReader.read(TestPaths.realReport("junit-flake8/flake8-6.1.0-flake8_junit-report-2.1.0-local-per-file.xml"))
        #expect(report.findings.count == 8)
        let undefined = try finding(report, rule: "F821")
        #expect(undefined.path == "pkg/util.py")
        #expect(undefined.range == SourceRange(startLine: 14, startColumn: 12))
        #expect(undefined.message == "undefined name 'undefined_name'")
        #expect(undefined.severity == .high)
        let imports = try finding(report, rule: "E401")
        #expect(imports.range == SourceRange(startLine: 1, startColumn: 10))
        #expect(imports.path == "pkg/calc.py")
    }

    @Test(arguments: [
        ("E999", Severity.high), ("E902", .high), ("F632", .high), ("F701", .high), ("F821", .high),
        ("F401", .medium), ("F841", .medium), ("E501", .low), ("W291", .low), ("C901", .low),
        ("N802", .low), ("A000", .low),
    ])
    func flake8Severity(code: String, severity: Severity) {
        #expect(Flake8Findings.severity(code: code) == severity)
    }

    @Test func flake8WindowsPathInTheMessage() throws {
        // Inline: the formatter on Windows (no sample); the drive colon must stay in the path.
        let report = try readJUnit(
            """
            <testsuites><testsuite name="flake8.C:\\src\\a_py"><testcase name="E302, expected 2 blank lines, found 1">\
            <failure message="C:\\src\\a.py:8:1: E302 expected 2 blank lines, found 1"/></testcase></testsuite></testsuites>
            """)
        let only = try #require(report.findings.first)
        #expect(only.path == "C:/src/a.py")
        #expect(only.range == SourceRange(startLine: 8, startColumn: 1))
    }

    // MARK: pylint

    @Test func pylintFixtureFindings() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/main/pylint.xml"))
        let counts = FindingCounts(report.findings)
        #expect(counts.total == 14)
        #expect((counts.high, counts.medium, counts.low) == (1, 4, 9))
        let undefined = try finding(report, rule: "E0602")
        #expect(undefined.path == "pkg/store.py")
        // name "pkg.store:29:4": pylint's column 4 is 0-based.
        #expect(undefined.range == SourceRange(startLine: 29, startColumn: 5))
        #expect(undefined.severity == .high)
        #expect(undefined.message == "Undefined variable 'logger' (undefined-variable)")
        #expect(undefined.snippet == "logger.info(\"purged %d entries\", removed)")
        let dangerous = try finding(report, rule: "W0102")
        #expect(dangerous.severity == .medium)
        #expect(dangerous.range == SourceRange(startLine: 37, startColumn: 1))
        #expect(dangerous.message == "Dangerous default value [] as argument (dangerous-default-value)")
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func pylintFatalParseErrorKeepsItsMultiLineMessage() throws {
        let report = try ReportReader.read(
            TestPaths.realReport("junit-pylint/pylint-4.1.4-pylint_junit-0.3.5-local-pkg-and-nonpackage-dir.xml"))
        let fatal = try finding(report, rule: "F0010")
        #expect(fatal.severity == .high)
        #expect(fatal.path == "tests/__init__.py")
        #expect(fatal.range == SourceRange(startLine: 1, startColumn: 1))
        #expect(
            fatal.message == """
                error while code parsing: Unable to load file tests/__init__.py:
                [Errno 2] No such file or directory: 'tests/__init__.py' (parse-error)
                """)
        #expect(fatal.snippet == nil)
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func pylintOldErrorElementsReadLikeFailures() throws {
        let old = try ReportReader.read(TestPaths.realReport("junit-pylint/pylint-2.17.7-pylint_junit-0.2.0-local-error-elements.xml"))
        let new = try ReportReader.read(TestPaths.realReport("junit-pylint/pylint-2.17.7-pylint_junit-0.3.2-local-failure-elements.xml"))
        #expect(old.findings.map(\.fingerprint).sorted() == new.findings.map(\.fingerprint).sorted())
        let whitespace = try finding(old, rule: "C0303")
        #expect(whitespace.range == SourceRange(startLine: 22, startColumn: 29))
        #expect(whitespace.message == "Trailing whitespace (trailing-whitespace)")
        #expect(whitespace.severity == .low)
        // Three testcases named pkg.calc:1:0 are three different messages.
        #expect(old.findings.filter { $0.path == "pkg/calc.py" && $0.range.startLine == 1 }.count == 3)
    }

    @Test(
        arguments: [
            ("F0010", nil, Severity.high), ("E0602", "error", .high), ("W0611", "warning", .medium),
            ("R1705", "refactor", .low), ("C0303", "convention", .low), ("I1101", "info", .info),
            (nil, "fatal", .high), (nil, "warning", .medium), (nil, nil, .medium),
        ] as [(String?, String?, Severity)])
    func pylintSeverity(messageID: String?, category: String?, severity: Severity) {
        #expect(PylintFindings.severity(messageID: messageID, category: category) == severity)
    }

    // MARK: mypy

    @Test func mypyFixtureAttachesNotesToTheErrorAbove() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/main/mypy.xml"))
        #expect(report.findings.count == 5)
        #expect(report.findings.allSatisfy { $0.severity == .medium && $0.category == .typing && $0.tool == "mypy" })
        let argument = try finding(report, rule: "arg-type")
        #expect(argument.path == "pkg/pricing.py")
        #expect(argument.range.startLine == 24)
        #expect(
            argument.message == """
                Argument 1 to "total" has incompatible type "list[int]"; expected "list[float]"
                "list" is invariant -- see https://mypy.readthedocs.io/en/stable/common_issues.html#variance
                Consider using "Sequence" instead, which is covariant
                """)
        let undefined = try finding(report, rule: "name-defined")
        #expect(undefined.path == "pkg/store.py")
        #expect(undefined.range == SourceRange(startLine: 29))
        #expect(undefined.message == "Name \"logger\" is not defined")
    }

    @Test func mypyPerFileAndGlobalModesGiveTheSameFindings() throws {
        let global = try ReportReader.read(TestPaths.fixture("reports/main/mypy.xml"))
        let perFile = try ReportReader.read(TestPaths.fixture("reports/main/mypy-per-file.xml"))
        #expect(perFile.tool == "mypy")
        #expect(Set(global.findings.map(\.fingerprint)) == Set(perFile.findings.map(\.fingerprint)))
        #expect(Set(global.findings) == Set(perFile.findings))
    }

    @Test func mypyPullRequestFixture() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/pr/mypy.xml"))
        #expect(report.findings.count == 6)
        let none = try finding(report, rule: "return-value", line: 13)
        #expect(none.message == "Incompatible return value type (got \"None\", expected \"float\")")
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func mypyMessageWithoutLineNumber() throws {
        let report = try ReportReader.read(TestPaths.realReport("junit-mypy/mypy-py3_11-linux-messages-without-line-numbers.xml"))
        let duplicate = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(duplicate.path == "actions/python/pytest-comment/src/builder.py")
        #expect(duplicate.range == SourceRange())
        #expect(duplicate.ruleID == MypyFindings.ruleWithoutCode)
        #expect(duplicate.message.hasPrefix("Duplicate module named \"builder\""))
        #expect(duplicate.message.split(separator: "\n").count == 3)  // two notes attached
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func mypyBlockingErrorIsAFindingAndADiagnostic() throws {
        let report = try ReportReader.read(TestPaths.realReport("junit-mypy/mypy-py3_12-linux-blocking-error-errors1-failure-elem.xml"))
        let blocking = try #require(report.findings.first)
        #expect(blocking.path == nil)
        #expect(blocking.ruleID == "mypy")
        #expect(blocking.message == "--install-types not supported with incremental mode disabled")
        #expect(report.diagnostics.contains { $0.message.contains("blocking error") })
    }

    @Test func mypyOddLineForms() throws {
        // Inline: forms no sample has (Windows drive letters, --show-column-numbers, --show-error-end,
        // --pretty source and caret lines, warning lines, a note with no error above, old mypy without
        // codes, and the `<error>` element of mypy < 1.8 blocking errors).
        let report = try readJUnit(
            """
            <testsuite name="mypy" errors="1"><testcase classname="mypy" file="mypy" line="1" name="mypy-py3_9-win32">\
            <error message="mypy produced errors">pkg\\a.py:1: note: In module imported here
            C:\\work\\pkg\\b.py:12: error: Incompatible return value type  [return-value]
                    return "x"
                           ^~~
            C:\\work\\pkg\\c.py:7:5: error: Name "y" is not defined  [name-defined]
            pkg/d.py:3:9:3:14: error: Unsupported operand types for + ("int" and "str")  [operator]
            pkg/d.py:4: warning: unused "type: ignore" comment
            pkg/e.py:5: error: Old mypy wrote no code
            mypy.ini: note: unrelated note about another file
            Found 4 errors in 4 files (checked 5 source files)</error></testcase></testsuite>
            """)
        #expect(report.findings.map(\.ruleID) == ["return-value", "name-defined", "operator", "mypy", "mypy"])
        let windows = report.findings[0]
        #expect(windows.path == "C:/work/pkg/b.py")
        #expect(windows.range == SourceRange(startLine: 12))
        #expect(windows.message == "Incompatible return value type")
        #expect(report.findings[1].range == SourceRange(startLine: 7, startColumn: 5))
        #expect(report.findings[2].range == SourceRange(startLine: 3, startColumn: 9, endLine: 3, endColumn: 14))
        #expect(report.findings[3].severity == .low)
        #expect(report.findings[3].message == "unused \"type: ignore\" comment")
        #expect(report.findings[4].message == "Old mypy wrote no code")  // the mypy.ini note is about another file
        #expect(report.diagnostics.contains { $0.message.contains("blocking error") })
    }
}
