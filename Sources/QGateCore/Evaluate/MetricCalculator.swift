/// Computes a metric for a run: one definition shared by gates, baselines, trend gates, the
/// history chart and `qgate trend`, so that a number means the same thing everywhere.
///
/// Pure: data in (``RunData``, or findings/tests/coverage), value out.
///
/// A value is nil when it cannot be measured: no coverage report, no tests, no diff, no
/// coverable changed line. nil is never 0: a gate decides what a missing value means.
public enum MetricCalculator {
    /// The value of `metric` over the findings/tests/files `filter` selects, for a whole run
    /// (scope `all`). `coverage.patch` needs a diff and is nil here; see ``patchCoverage(diff:coverage:filter:)``.
    public static func value(_ metric: Metric, of run: RunData, filter: MetricFilter, triage: FindingTriage = .none) -> Double? {
        switch metric {
        case .findings:
            return findingCount(triage.triage(run.findings).counted, filter: filter)
        case .testsTotal, .testsPassed, .testsFailed, .testsErrors, .testsSkipped, .testsFlaky, .testsPassRate, .testsDuration:
            return testValue(metric, tests: run.tests, filter: filter)
        case .coverageLines, .coverageBranches:
            return coverageValue(metric, files: run.coverage, filter: filter)
        case .coveragePatch:
            return nil
        }
    }

    /// How many of `findings` the filter selects.
    public static func findingCount(_ findings: [Finding], filter: MetricFilter) -> Double {
        Double(findings.count { filter.matches($0) })
    }

    /// Test counts, pass rate (passed / (total − skipped) × 100) or summed duration in seconds; nil
    /// when the run has no tests the filter selects (or, for the pass rate, none that ran).
    public static func testValue(_ metric: Metric, tests: [TestOutcome], filter: MetricFilter) -> Double? {
        let selected =
            filter.tools.isEmpty && filter.paths.isEmpty ? tests : tests.filter { filter.matches(testFile: $0.file, tool: $0.tool) }
        guard !selected.isEmpty else { return nil }
        var counts = TestCounts()
        for test in selected { counts.add(test.status) }
        return testValue(metric, counts: counts, duration: selected.reduce(0) { $0 + ($1.duration ?? 0) })
    }

    /// A test metric from the counts and summed duration of the selected tests (as stored
    /// per run for `qgate trend`); nil when no test was selected.
    public static func testValue(_ metric: Metric, counts: TestCounts, duration: Double) -> Double? {
        guard counts.total > 0 else { return nil }
        switch metric {
        case .testsTotal: return Double(counts.total)
        case .testsPassed: return Double(counts.passed)
        case .testsFailed: return Double(counts.failed)
        case .testsErrors: return Double(counts.errors)
        case .testsSkipped: return Double(counts.skipped)
        case .testsFlaky: return Double(counts.flaky)
        case .testsPassRate:
            let ran = counts.total - counts.skipped
            return ran == 0 ? nil : Double(counts.passed) * 100 / Double(ran)
        case .testsDuration: return duration
        case .findings, .coverageLines, .coverageBranches, .coveragePatch: return nil
        }
    }

    /// Line or branch coverage in percent over the files the path filter selects; nil without a
    /// coverage report or when nothing selected is measurable.
    public static func coverageValue(_ metric: Metric, files: [CoverageFileTotals]?, filter: MetricFilter) -> Double? {
        guard let files else { return nil }
        var valid = 0, covered = 0
        for file in files where filter.matches(coveragePath: file.path) {
            switch metric {
            case .coverageBranches:
                valid += file.branchesValid
                covered += file.branchesCovered
            default:
                valid += file.linesValid
                covered += file.linesCovered
            }
        }
        return valid == 0 ? nil : Double(covered) * 100 / Double(valid)
    }

    /// Coverage of the changed lines: of the diff's added/changed lines that coverage measured
    /// (they are in the file's covered or uncovered set), the share covered. Files the diff
    /// touches but coverage does not know (tests, requirements) have no coverable lines.
    public static func patchCoverage(diff: UnifiedDiff?, coverage: [FileCoverage]?, filter: MetricFilter) -> PatchCoverage? {
        guard let diff, let coverage else { return nil }
        let byPath = Dictionary(coverage.map { ($0.path, $0) }, uniquingKeysWith: { $0.merged(with: $1) })
        var files: [ChangedFileCoverage] = []
        for path in diff.paths where filter.matches(coveragePath: path) {
            guard let file = byPath[path], let changed = diff.changedLines[path] else { continue }
            let covered = Set(file.coveredLines), uncovered = Set(file.uncoveredLines)
            var coveredCount = 0
            var missed: [Int] = []
            for line in changed {
                guard let key = UInt32(exactly: line) else { continue }
                if covered.contains(key) {
                    coveredCount += 1
                } else if uncovered.contains(key) {
                    missed.append(line)
                }
            }
            let valid = coveredCount + missed.count
            guard valid > 0 else { continue }
            files.append(
                ChangedFileCoverage(
                    path: path, lines: CoverageTotals([file]).linePercent, changedLinesValid: valid,
                    changedLinesCovered: coveredCount, uncoveredChangedLines: missed))
        }
        return PatchCoverage(files: files)
    }
}

/// Coverage of a change's lines, per file and in total.
public struct PatchCoverage: Sendable, Equatable {
    /// Changed files with at least one coverable changed line, sorted by path.
    public var files: [ChangedFileCoverage]

    public var linesValid: Int { files.reduce(0) { $0 + $1.changedLinesValid } }
    public var linesCovered: Int { files.reduce(0) { $0 + $1.changedLinesCovered } }
    /// Percent; nil when no changed line is coverable.
    public var percent: Double? { linesValid == 0 ? nil : Double(linesCovered) * 100 / Double(linesValid) }
}
