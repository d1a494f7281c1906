import Foundation
import QGateCore
import Testing

/// Issue 9 item 5: every `<testcase>` is a test unless it is known to be the same test again
/// (pytest's teardown-error duplicate, pytest-rerunfailures attempts, Surefire/Gradle rerun
/// elements); reruns are counted as runs.
struct RepeatedTestcaseTests {
    private func test(_ report: ParsedReport, _ name: String) throws -> TestResult {
        try #require(report.tests.first { $0.name == name })
    }

    @Test func checkovRepeatsClassnameAndNameForDistinctChecksAndEachCounts() throws {
        // checkov 3.3.30 -o junitxml: one testcase per check and resource; the three RUN lines of
        // the Dockerfile share classname "/Dockerfile./Dockerfile.RUN" and the check's name.
        let report = try ReportReader.read(TestPaths.fixture("identity/checkov/checkov.xml"))
        #expect(report.tests.count == 88)  // the report's own tests="88"; 54 distinct (classname, name)
        #expect(TestCounts(report.tests) == counts(total: 88, passed: 64, failed: 24))
    }

    @Test func repeatedTestcasesOfAnUnknownProducerAreSeparateTests() throws {
        let report = try readJUnit(
            """
            <testsuite name="suite">
              <testcase classname="a" name="same"/>
              <testcase classname="a" name="same"><failure message="boom"/></testcase>
            </testsuite>
            """)
        #expect(TestCounts(report.tests) == counts(total: 2, passed: 1, failed: 1))
    }

    @Test func pytestRepeatsThatAreNeitherTeardownNorRerunAreSeparateTests() throws {
        // Both copies have an outcome: not pytest-rerunfailures' bare attempt, not a teardown error.
        let report = try readJUnit(
            """
            <testsuites name="pytest tests"><testsuite name="pytest">
              <testcase classname="t" name="test_x"><failure message="one"/></testcase>
              <testcase classname="t" name="test_x"><skipped message="two"/></testcase>
            </testsuite></testsuites>
            """)
        #expect(TestCounts(report.tests) == counts(total: 2, failed: 1, skipped: 1))
    }

    @Test func pytestRerunfailuresAttemptsAreOneTestWithSeveralRuns() throws {
        // pytest 9.2.0 + pytest-rerunfailures 16.7: every rerun attempt is a bare testcase written
        // before the final one; a teardown error is a second testcase of the same test.
        let report = try ReportReader.read(TestPaths.fixture("identity/pytest-reruns/pytest.xml"))
        #expect(report.tool == "pytest")
        let flaky = try test(report, "test_flaky_then_pass")
        #expect(flaky.status == .flaky)
        #expect(flaky.attempts == 2)
        let failing = try test(report, "test_always_fails")
        #expect(failing.status == .failed)
        #expect(failing.attempts == 3)
        #expect(failing.message == "AssertionError: never works")
        let teardown = try test(report, "test_fail_and_teardown_error")
        #expect(teardown.status == .error)
        #expect(teardown.attempts == 1)
        #expect(TestCounts(report.tests) == counts(total: 5, passed: 1, failed: 1, errors: 2, flaky: 1, runs: 8))
    }

    @Test func surefireRerunElementsAreRunsOfOneTest() throws {
        let report = try readJUnit(
            """
            <testsuite name="com.example.NetTest">
              <testcase classname="N" name="flaky"><flakyFailure message="t1"/><flakyError message="t2"/></testcase>
              <testcase classname="N" name="broken"><failure message="x"/><rerunFailure message="x"/><rerunFailure message="x"/></testcase>
              <testcase classname="N" name="fine"/>
            </testsuite>
            """)
        #expect(try test(report, "flaky").attempts == 3)
        #expect(try test(report, "broken").attempts == 3)
        #expect(TestCounts(report.tests) == counts(total: 3, passed: 1, failed: 1, flaky: 1, runs: 7))
    }
}

extension RepeatedTestcaseTests {
    @Test func aPassedPytestTestWhoseNameComesBackLaterIsNotARerun() throws {
        // A rerun attempt is written right before the next attempt; a name that returns after
        // other tests (a generated file, two nodeids with one classname and name) is another test.
        let report = try readJUnit(
            """
            <testsuites name="pytest tests"><testsuite name="pytest">
              <testcase classname="t" name="test_x"/>
              <testcase classname="t" name="test_y"/>
              <testcase classname="t" name="test_x"><failure message="boom"/></testcase>
            </testsuite></testsuites>
            """)
        #expect(TestCounts(report.tests) == counts(total: 3, passed: 2, failed: 1))
    }
}
