import Foundation
import QGateCore
import Testing

/// Rerun markers: a test that passed on a rerun is flaky, one that failed every attempt is failed,
/// with the attempt count, from Surefire's elements and pytest-rerunfailures' repeated testcases.
struct RerunMarkerTests {
    private func test(_ report: ParsedReport, _ name: String) throws -> TestResult {
        try #require(report.tests.first { $0.name == name })
    }

    @Test func pytestRerunfailures16WritesOneTestcasePerAttempt() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/rerun/pytest-rerunfailures-16.7.xml"))
        #expect(report.tool == "pytest")
        #expect(TestCounts(report.tests) == counts(total: 3, passed: 1, failed: 1, flaky: 1, runs: 6))
        let flaky = try test(report, "test_checkout_times_out_once")
        #expect(flaky.status == .flaky)
        #expect(flaky.attempts == 2)
        let broken = try test(report, "test_cart_total_rounding")
        #expect(broken.status == .failed)
        #expect(broken.attempts == 3)
        #expect(broken.message?.hasPrefix("assert 0.30000000000000004 == 0.3") == true)
        #expect(try test(report, "test_cart_empty").attempts == 1)
    }

    @Test func pytestRerunfailures14WritesOnlyTheFinalAttempt() throws {
        // The old layout loses the reruns: the flaky test is indistinguishable from a pass.
        let report = try ReportReader.read(TestPaths.fixture("reports/rerun/pytest-rerunfailures-14.0.xml"))
        #expect(TestCounts(report.tests) == counts(total: 3, passed: 2, failed: 1))
        #expect(try test(report, "test_cart_total_rounding").attempts == 1)
    }

    @Test func surefireFlakyAndRerunElementsFromTheSchema() throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/rerun/surefire-rerun.xml"))
        #expect(TestCounts(report.tests) == counts(total: 4, passed: 1, failed: 1, flaky: 2, runs: 9))
        let once = try test(report, "checkoutTimesOutOnce")
        #expect(once.status == .flaky)
        #expect(once.attempts == 2)
        #expect(once.message == "payment service timed out")
        let twice = try test(report, "inventoryErrorsTwiceThenPasses")
        #expect(twice.status == .flaky)
        #expect(twice.attempts == 3)
        let broken = try test(report, "totalRoundsHalfUp")
        #expect(broken.status == .failed)
        #expect(broken.attempts == 3)
        // flakes="2" agrees with the two flaky testcases: nothing to say.
        #expect(report.diagnostics.isEmpty)
    }

    @Test func rerunMarkersWithoutTheFailureStillMeanEveryAttemptFailed() throws {
        let report = try readJUnit(
            """
            <testsuite name="s">
              <testcase classname="c" name="f"><rerunFailure message="x" type="T"><stackTrace>t</stackTrace></rerunFailure></testcase>
              <testcase classname="c" name="e"><rerunError message="y" type="T"><stackTrace>t</stackTrace></rerunError></testcase>
            </testsuite>
            """)
        #expect(try test(report, "f").status == .failed)
        #expect(try test(report, "e").status == .error)
        #expect(try test(report, "e").attempts == 2)
    }

    @Test func aDeclaredFlakesCountThatDisagreesIsReported() throws {
        let report = try readJUnit(
            """
            <testsuite name="s" flakes="3">
              <testcase classname="c" name="a"><flakyFailure message="x" type="T"><stackTrace>t</stackTrace></flakyFailure></testcase>
              <testcase classname="c" name="b"/>
            </testsuite>
            """)
        #expect(TestCounts(report.tests).flaky == 1)
        #expect(
            report.diagnostics.map(\.message) == [
                "the report counts 3 flaky tests (flakes=) but 1 testcase carries rerun markers; qgate counts the testcases"
            ])
    }

    @Test func pytestTeardownDuplicatesAreNotReruns() throws {
        let report = try readJUnit(
            """
            <testsuites name="pytest tests"><testsuite name="pytest">
              <testcase classname="t" name="test_a" time="0.1"/>
              <testcase classname="t" name="test_a" time="0.0"><error message="failed on teardown with &quot;boom&quot;">x</error></testcase>
            </testsuite></testsuites>
            """)
        let result = try test(report, "test_a")
        #expect(result.status == .error)
        #expect(result.attempts == 1)
    }
}
