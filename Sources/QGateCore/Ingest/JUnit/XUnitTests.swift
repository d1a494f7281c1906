import Foundation

/// Turns the testcases of pytest and any other xUnit producer into test results.
///
/// The outcome is decided by the children, worst first: `<error>` → error, `<failure>` → failed,
/// `<skipped>` (pytest's xfail included) → skipped, only Surefire's flaky/rerun children → flaky
/// (it failed, then passed on a rerun), none → passed. pytest writes a second testcase with the
/// same classname and name for a teardown error, so testcases sharing (classname, name) are one
/// test with the worst outcome and the sum of the durations.
struct XUnitTests {
    let paths: PathMemo

    func results(in document: JUnitDocument) -> [TestResult] {
        var results: [TestResult] = []
        var indexByIdentity: [String: Int] = [:]
        results.reserveCapacity(document.testCases.count)
        indexByIdentity.reserveCapacity(document.testCases.count)
        for testCase in document.testCases {
            let result = self.result(for: testCase)
            guard let index = indexByIdentity[result.identity] else {
                indexByIdentity[result.identity] = results.count
                results.append(result)
                continue
            }
            results[index] = XUnitTests.merge(results[index], result)
        }
        return results
    }

    private func result(for testCase: JUnitTestCase) -> TestResult {
        let (status, deciding) = XUnitTests.outcome(of: testCase.outcomes)
        let details = deciding.map { LintText.trimmed($0.text) }
        return TestResult(
            suite: testCase.suite, className: testCase.className ?? "", name: testCase.name,
            file: testCase.file.map(paths.normalize), status: status, duration: testCase.duration,
            message: deciding.flatMap { XUnitTests.summary(LintText.firstLine($0.message) ?? LintText.firstLine(details)) },
            details: details.flatMap { $0.isEmpty ? nil : $0 })
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

    /// One test from two testcases of the same identity: the worse outcome's status and texts.
    static func merge(_ first: TestResult, _ second: TestResult) -> TestResult {
        var merged = second.status > first.status ? second : first
        merged.file = first.file ?? second.file
        switch (first.duration, second.duration) {
        case let (a?, b?): merged.duration = a + b
        case let (a, b): merged.duration = a ?? b
        }
        return merged
    }
}
