import Foundation
import QGateCore
import Testing

/// pytest and other xUnit reports: one test result per (classname, name), outcome from the
/// children, count attributes ignored.
struct JUnitTestResultTests {
    private func test(_ report: ParsedReport, _ name: String) throws -> TestResult {
        try #require(report.tests.first { $0.name == name })
    }

    @Test func pytestFixtureMain() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/main/pytest.xml"))
        #expect(report.tool == "pytest")
        #expect(report.findings.isEmpty)
        #expect(TestCounts(report.tests) == counts(total: 15, passed: 11, failed: 1, errors: 1, skipped: 2))
        let failed = try test(report, "test_campaign_total")
        #expect(failed.status == .failed)
        #expect(failed.suite == "pytest")
        #expect(failed.className == "tests.test_pricing")
        #expect(failed.duration == 0.002)
        #expect(failed.file == nil)  // xunit2 writes no file attribute
        #expect(failed.message == "assert 6.0 == 7")
        #expect(failed.details?.hasSuffix("tests/test_pricing.py:30: AssertionError") == true)
        let setup = try test(report, "test_price_lookup")
        #expect(setup.status == .error)
        #expect(setup.message == "failed on setup with \"RuntimeError: price database is not reachable\"")
        let skip = try test(report, "test_format_price_in_usd")
        #expect(skip.status == .skipped)
        #expect(skip.message == "currency service not available in CI")
        let xfail = try test(report, "test_label_none")
        #expect(xfail.status == .skipped)
        #expect(xfail.message == "label() does not handle None yet")
        #expect(try test(report, "test_apply_discount_param[80.0-50-40.0]").status == .passed)
    }

    @Test func pytestFixturePullRequest() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/pr/pytest.xml"))
        #expect(TestCounts(report.tests) == counts(total: 16, passed: 11, failed: 2, errors: 1, skipped: 2))
        #expect(try test(report, "test_format_price").message == "AssertionError: assert 'EUR 12.50' == '12.50 EUR'")
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func pytestTeardownErrorDuplicateIsOneTestWithTheWorstOutcome() throws {
        let report = try ReportReader.read(
            TestPaths.realReport("junit-pytest/pytest-9.2.0-local-teardown-error-duplicate-testcase-xpass-strict.xml"))
        #expect(report.tests.count == 4)  // 5 <testcase>, 4 distinct tests
        let twice = try test(report, "test_fail_and_teardown_error")
        #expect(report.tests.filter { $0.name == "test_fail_and_teardown_error" }.count == 1)
        #expect(twice.status == .error)
        #expect(twice.message == "failed on teardown with \"RuntimeError: teardown boom\"")
        #expect(twice.duration == 0.001)  // 0.001 (call) + 0.000 (teardown)
        #expect(try test(report, "test_xpass_strict").status == .failed)
        #expect(try test(report, "test_xpass_nonstrict").status == .passed)
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func pytestXunit1FileAndPrettyPrintedTexts() throws {
        let report = try ReportReader.read(TestPaths.realReport("junit-pytest/pytest-2020-xunit1-failure-skipped-prettyprinted.xml"))
        let failed = try test(report, "test_rsh_events")
        #expect(failed.file == "test/test_spark.py")
        // The message attribute spans lines in the file, but XML turns raw newlines in attributes
        // into spaces: it is one line.
        #expect(
            failed.message?.hasPrefix("self = <test_spark.SparkTests testMethod=test_rsh_events>      def test_rsh_events(self):") == true)
        #expect(failed.message?.hasSuffix("E   AssertionError: 143 != 0") == true)
        #expect(failed.details?.hasPrefix("self = <test_spark.SparkTests") == true)
        #expect(failed.details?.hasSuffix("E AssertionError: 143 != 0") == true)
    }

    @Test func countAttributesAreIgnoredAndSuitesNest() throws {
        // Inline: nested suites (Ant/Karma style) whose counts lie; no shared sample nests.
        let report = try readJUnit(
            """
            <testsuites tests="99" failures="7"><testsuite name="outer" tests="50">
              <testcase classname="a" name="top" time="1,234.5"/>
              <testsuite name="inner" errors="3"><properties><property name="k" value="v"/></properties>
                <testcase classname="a" name="deep"><skipped/></testcase>
              </testsuite>
            </testsuite></testsuites>
            """)
        #expect(TestCounts(report.tests) == counts(total: 2, passed: 1, skipped: 1))
        #expect(try test(report, "top").suite == "outer")
        #expect(try test(report, "top").duration == 1234.5)
        #expect(try test(report, "deep").suite == "inner")
    }

    @Test func aFileWithoutTestcasesIsZeroTests() throws {
        let report = try readJUnit(#"<?xml version="1.0"?><testsuites tests="3"/>"#)
        #expect(report.tests.isEmpty)
        #expect(report.findings.isEmpty)
        #expect(report.tool == "junit")
    }

    @Test func rerunsAreFlaky() throws {
        // Inline: Maven Surefire's rerun elements (no Python tool writes them). A test that failed
        // then passed carries only <flakyFailure>/<flakyError> → flaky; one that kept failing has its
        // <failure> beside <rerunFailure> → failed, and so does a <rerunFailure> alone (every
        // attempt failed). The <stackTrace> child is the details.
        let report = try readJUnit(
            """
            <testsuite name="com.example.NetTest">
              <testcase classname="com.example.NetTest" name="retriesThenPasses" time="0.3">
                <flakyFailure message="timeout after 1s" type="java.net.SocketTimeoutException">
                  <stackTrace>java.net.SocketTimeoutException: timeout
                at com.example.NetTest.retriesThenPasses(NetTest.java:12)</stackTrace>
                  <system-out>connecting…</system-out>
                </flakyFailure>
              </testcase>
              <testcase classname="com.example.NetTest" name="errorsThenPasses"><flakyError message="boom"/></testcase>
              <testcase classname="com.example.NetTest" name="alwaysFails">
                <failure message="expected 1">trace</failure><rerunFailure message="expected 1"/>
              </testcase>
              <testcase classname="com.example.NetTest" name="rerunAlone"><rerunFailure message="x"/></testcase>
            </testsuite>
            """)
        #expect(TestCounts(report.tests) == counts(total: 4, failed: 2, flaky: 2, runs: 8))  // each rerun child is a run
        let flaky = try test(report, "retriesThenPasses")
        #expect(flaky.status == .flaky)
        #expect(flaky.message == "timeout after 1s")
        #expect(flaky.details?.hasPrefix("java.net.SocketTimeoutException: timeout") == true)
        #expect(flaky.details?.contains("connecting") == false)
        #expect(try test(report, "alwaysFails").status == .failed)
    }

    @Test func aTwelveMegabyteLogParsesAndDetailsAreCapped() throws {
        // Generated here: a 12 MB <system-out> and a 12 MB failure text, written in chunks.
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("big.xml")
        try Data().write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        let line = String(repeating: "x", count: 1023) + "\n"
        let megabyte = Data(String(repeating: line, count: 1024).utf8)
        func write(_ text: String) { handle.write(Data(text.utf8)) }
        write(
            #"<?xml version="1.0"?><testsuites><testsuite name="big"><testcase classname="big" name="test_log" time="1.5"><failure message="boom&#10;second line">"#
        )
        for _ in 0..<12 { handle.write(megabyte) }
        write("</failure><system-out>")
        for _ in 0..<12 { handle.write(megabyte) }
        write("</system-out></testcase></testsuite></testsuites>")
        try handle.close()

        let report = try ReportReader.read(ReportSource(url: url, displayPath: "big.xml"))
        let only = try #require(report.tests.first)
        #expect(only.status == .failed)
        #expect(only.message == "boom")
        let details = try #require(only.details)
        #expect(details.utf8.count < 65 * 1024)
        #expect(details.hasPrefix("xxx"))
        #expect(details.hasSuffix("more bytes not kept]"))
    }

    @Test func cappedDetailsNeverEndInHalfACharacter() throws {
        // Inline: 3-byte characters, so the 64 KiB cut falls inside one.
        let report = try readJUnit(
            """
            <testsuite><testcase name="t"><failure message="m">\(String(repeating: "€", count: 30_000))</failure></testcase></testsuite>
            """)
        let details = try #require(report.tests.first?.details)
        #expect(!details.contains("\u{FFFD}"))
        #expect(details.hasPrefix("€€€"))
        #expect(details.hasSuffix("more bytes not kept]"))
    }
}
