import Foundation

/// Turns the testcases of pytest and any other xUnit producer into test results.
///
/// The outcome is decided by the children, worst first: `<error>` → error, `<failure>` → failed,
/// `<skipped>` (pytest's xfail included) → skipped, Surefire's `<rerunError>`/`<rerunFailure>`
/// (it failed every attempt) → error/failed, `<flakyError>`/`<flakyFailure>` (it failed, then
/// passed on a rerun) → flaky, none → passed. Surefire's rerun children count the attempts.
///
/// Repeated testcases: pytest writes a second testcase with the same classname and name for a
/// teardown error (one test, the worst outcome, the durations summed), and pytest-rerunfailures
/// 16.x writes one testcase per attempt, one after the other, the final attempt last (one test
/// whose outcome is the last attempt's, flaky when that passed, with the attempt count).
/// Older pytest-rerunfailures versions write only the final attempt, so their reruns are invisible.
struct XUnitTests {
    let paths: PathMemo

    func results(in document: JUnitDocument) -> [TestResult] {
        var results: [TestResult] = []
        var indexByIdentity: [String: Int] = [:]
        results.reserveCapacity(document.testCases.count)
        indexByIdentity.reserveCapacity(document.testCases.count)
        var previous: Int?
        for testCase in document.testCases {
            let result = self.result(for: testCase)
            guard let index = indexByIdentity[result.identity] else {
                indexByIdentity[result.identity] = results.count
                previous = results.count
                results.append(result)
                continue
            }
            if document.evidence.pytest, previous == index, !XUnitTests.isTeardownReport(testCase) {
                results[index] = XUnitTests.rerun(results[index], then: result)
            } else {
                results[index] = XUnitTests.merge(results[index], result)
            }
            previous = index
        }
        return results
    }

    private func result(for testCase: JUnitTestCase) -> TestResult {
        let (status, deciding) = XUnitTests.outcome(of: testCase.outcomes)
        let details = deciding.map { LintText.trimmed($0.text) }
        let reruns = testCase.outcomes.count { $0.kind.isRerun }
        return TestResult(
            suite: testCase.suite, className: testCase.className ?? "", name: testCase.name,
            file: testCase.file.map(paths.normalize), line: testCase.line, status: status, duration: testCase.duration,
            message: deciding.flatMap { XUnitTests.summary(LintText.firstLine($0.message) ?? LintText.firstLine(details)) },
            details: details.flatMap { $0.isEmpty ? nil : $0 }, attempts: reruns > 0 ? reruns + 1 : nil)
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
        if let rerun = outcomes.first(where: { $0.kind == .rerunError }) { return (.error, rerun) }
        if let rerun = outcomes.first(where: { $0.kind == .rerunFailure }) { return (.failed, rerun) }
        if let flaky = outcomes.first(where: \.kind.isRerun) { return (.flaky, flaky) }
        return (.passed, nil)
    }

    /// pytest's second testcase for an error in teardown (`failed on teardown with …`).
    static func isTeardownReport(_ testCase: JUnitTestCase) -> Bool {
        testCase.outcomes.contains { $0.kind == .error && $0.message?.hasPrefix("failed on teardown") == true }
    }

    /// One test from a pytest-rerunfailures attempt and the attempt after it: the later
    /// attempt decides (an earlier one failed, or it would not have been rerun), so a pass
    /// after a rerun is flaky; the attempts add up.
    static func rerun(_ earlier: TestResult, then later: TestResult) -> TestResult {
        var result = later
        result.status = later.status == .passed ? .flaky : later.status
        result.attempts = (earlier.attempts ?? 1) + (later.attempts ?? 1)
        result.file = later.file ?? earlier.file
        result.line = later.line ?? earlier.line
        if result.message == nil { (result.message, result.details) = (earlier.message, earlier.details) }
        switch (earlier.duration, later.duration) {
        case let (a?, b?): result.duration = a + b
        case let (a, b): result.duration = a ?? b
        }
        return result
    }

    /// One test from two testcases of the same identity: the worse outcome's status and texts.
    static func merge(_ first: TestResult, _ second: TestResult) -> TestResult {
        var merged = second.status > first.status ? second : first
        merged.file = first.file ?? second.file
        merged.line = first.line ?? second.line
        switch (first.duration, second.duration) {
        case let (a?, b?): merged.duration = a + b
        case let (a, b): merged.duration = a ?? b
        }
        return merged
    }
}
