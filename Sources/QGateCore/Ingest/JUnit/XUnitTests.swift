import Foundation

/// Turns the testcases of pytest and any other xUnit producer into test results.
///
/// The outcome is decided by the children, worst first: `<error>` → error, `<failure>` → failed,
/// `<skipped>` (pytest's xfail included) → skipped, only Surefire's flaky/rerun children → flaky
/// (it failed, then passed on a rerun), none → passed.
///
/// Every `<testcase>` is a test, even when another one has the same classname and name
/// (checkov writes one testcase per check and resource under a shared name). Only what is known
/// to be one test is one test:
/// * Surefire/Gradle `flaky*`/`rerun*` children: one test, one run more per child;
/// * in a pytest report, pytest's teardown-error duplicate (a second testcase of the same test
///   whose `<error>` says `failed on teardown with …`): one test, the worse outcome, durations summed;
/// * in a pytest report, pytest-rerunfailures' attempts (a testcase of the same test with no
///   outcome child, written for each rerun right before the next attempt): one test, one run per
///   testcase; a test whose last attempt passed is flaky. Only adjacent copies are attempts: a
///   bare testcase whose name comes back later, after other tests, is counted as its own test
///   (pytest-xdist can interleave attempts with other workers' tests; those then count twice
///   rather than hiding a test that merely shares a name).
struct XUnitTests {
    let paths: PathMemo
    /// Whether the report is pytest's, whose duplicates have known meanings.
    let isPytest: Bool

    /// pytest's wording for an error in a fixture's teardown (`_pytest/junitxml.py`).
    static let teardownErrorPrefix = "failed on teardown with "

    func results(in document: JUnitDocument) -> [TestResult] {
        var results: [TestResult] = []
        results.reserveCapacity(document.testCases.count)
        guard isPytest else {
            for testCase in document.testCases { results.append(result(for: testCase)) }
            return results
        }
        // The latest result of each (suite, test), and whether that testcase was a bare attempt.
        var latest: [PytestKey: (index: Int, bare: Bool)] = [:]
        latest.reserveCapacity(document.testCases.count)
        var lastKey: PytestKey?
        for testCase in document.testCases {
            let result = self.result(for: testCase)
            let key = PytestKey(suite: testCase.suite, className: result.className, name: result.name)
            let bare = testCase.outcomes.isEmpty
            defer { lastKey = key }
            if let previous = latest[key] {
                if XUnitTests.isTeardownError(testCase) {
                    results[previous.index] = XUnitTests.merge(results[previous.index], result)
                    latest[key] = (previous.index, false)
                    continue
                }
                if previous.bare, lastKey == key {
                    results[previous.index] = XUnitTests.rerun(results[previous.index], then: result)
                    latest[key] = (previous.index, bare)
                    continue
                }
            }
            latest[key] = (results.count, bare)
            results.append(result)
        }
        return results
    }

    private struct PytestKey: Hashable {
        var suite: String
        var className: String
        var name: String
    }

    private func result(for testCase: JUnitTestCase) -> TestResult {
        let (status, deciding) = XUnitTests.outcome(of: testCase.outcomes)
        let details = deciding.map { LintText.trimmed($0.text) }
        return TestResult(
            suite: testCase.suite, className: testCase.className ?? "", name: testCase.name,
            file: testCase.file.map(paths.normalize), status: status, duration: testCase.duration,
            message: deciding.flatMap { XUnitTests.summary(LintText.firstLine($0.message) ?? LintText.firstLine(details)) },
            details: details.flatMap { $0.isEmpty ? nil : $0 },
            attempts: 1 + testCase.outcomes.count(where: \.kind.isRerun))
    }

    /// Longest message kept: it is a one-line summary; the details hold the rest.
    static let maxMessageLength = 1024

    private static func summary(_ line: String?) -> String? {
        guard let line, line.count > maxMessageLength else { return line }
        return String(line.prefix(maxMessageLength)) + "…"
    }

    /// The status and the child element that decided it.
    static func outcome(of outcomes: [JUnitOutcome]) -> (TestStatus, JUnitOutcome?) {
        if let error = outcomes.first(where: { $0.kind == .error }) { return (.error, error) }
        if let failure = outcomes.first(where: { $0.kind == .failure }) { return (.failed, failure) }
        if let skipped = outcomes.first(where: { $0.kind == .skipped }) { return (.skipped, skipped) }
        if let rerun = outcomes.first(where: \.kind.isRerun) { return (.flaky, rerun) }
        return (.passed, nil)
    }

    /// pytest's second testcase for an error in teardown.
    static func isTeardownError(_ testCase: JUnitTestCase) -> Bool {
        testCase.outcomes.contains { $0.kind == .error && $0.message?.hasPrefix(teardownErrorPrefix) == true }
    }

    /// One test from its call and its teardown error: the worse outcome's status and texts.
    static func merge(_ first: TestResult, _ second: TestResult) -> TestResult {
        var merged = second.status > first.status ? second : first
        merged.file = first.file ?? second.file
        merged.duration = sum(first.duration, second.duration)
        merged.attempts = max(first.attempts, second.attempts)
        return merged
    }

    /// One test from a rerun attempt and the run after it: the later outcome, one run more. A
    /// rerun only happens after a failure, so a test whose last run passed is flaky.
    static func rerun(_ attempt: TestResult, then next: TestResult) -> TestResult {
        var merged = next
        merged.file = next.file ?? attempt.file
        merged.duration = sum(attempt.duration, next.duration)
        merged.attempts = attempt.attempts + next.attempts
        if merged.status == .passed { merged.status = .flaky }
        return merged
    }

    private static func sum(_ a: Double?, _ b: Double?) -> Double? {
        switch (a, b) {
        case let (a?, b?): a + b
        case let (a, b): a ?? b
        }
    }
}
