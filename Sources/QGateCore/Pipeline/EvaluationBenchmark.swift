import Foundation

/// Times `check`'s evaluation against a store with a long history, for `make bench` (never
/// `make test`). The budget is 100 ms for a store of 1,000 runs.
///
/// What keeps it fast: every read is per run and index-backed — the baseline and the trend and
/// history windows come from `runs_branch` (branch, id) sorted within one branch, findings from
/// `findings_run` (run_id, …), tests from `tests_run`, coverage totals from `coverage_run` without
/// decoding line sets — and each run's data is loaded once per evaluation. Nothing scans all runs'
/// findings.
public enum EvaluationBenchmark {
    /// A result line for the bench table.
    public struct Result: Sendable {
        public var runs: Int
        public var findingsPerRun: Int
        /// Median wall time of one evaluation, in seconds.
        public var seconds: Double
    }

    /// Fills `store` with `runs` runs on `main` (each with findings, tests and coverage), then
    /// times evaluating the latest one with a policy that uses a baseline, a trend and history.
    public static func run(storePath: String, runs: Int = 1_000, findingsPerRun: Int = 50, repetitions: Int = 5) async throws -> Result {
        let store = try await StoreLocation(storePath).open(.readWrite)
        var latest: Run?
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<runs {
            var findings = (0..<findingsPerRun).map { number in
                Finding(
                    tool: "flake8", category: .lint, ruleID: "E\(number % 40)", severity: number % 7 == 0 ? .high : .low,
                    path: "pkg/module\(number % 25).py", range: SourceRange(startLine: number + 1),
                    message: "problem \(number)", snippet: "line \(number + index % 3)")
            }
            FingerprintRecipe.assign(&findings)
            let tests = (0..<100).map { number in
                TestResult(
                    suite: "pytest", className: "tests.test_m\(number % 10)", name: "test_\(number)",
                    status: (number + index) % 37 == 0 ? .failed : .passed, duration: 0.01)
            }
            let coverage = (0..<25).map { number in
                FileCoverage(
                    path: "pkg/module\(number).py", coveredLines: (1...80).map(UInt32.init),
                    uncoveredLines: (81...(100 + index % 5)).map(UInt32.init))
            }
            let items = [
                IngestItem(
                    path: "flake8.xml", sha256: "f\(index)", report: ParsedReport(format: .junit, tool: "flake8", findings: findings)),
                IngestItem(path: "pytest.xml", sha256: "t\(index)", report: ParsedReport(format: .junit, tool: "pytest", tests: tests)),
                IngestItem(
                    path: "coverage.xml", sha256: "c\(index)",
                    report: ParsedReport(format: .cobertura, tool: "coverage", coverage: coverage)),
            ]
            latest = try await store.ingest(
                items, into: RunContext(commit: String(format: "%040x", index), branch: "main"),
                job: JobContext(), now: start.addingTimeInterval(Double(index) * 60)
            ).run
        }
        guard let latest else { return Result(runs: 0, findingsPerRun: findingsPerRun, seconds: 0) }
        let policy = Policy(
            name: "bench", baseline: BaselineSpec(branch: "main"),
            gates: [
                Gate(
                    name: "No new high", metric: .findings, filter: MetricFilter(severities: [.critical, .high]), scope: .new,
                    bound: Bound(max: 0)),
                Gate(name: "Findings may not grow", metric: .findings, delta: Bound(max: 0)),
                Gate(name: "Tests pass", metric: .testsFailed, bound: Bound(max: 0)),
                Gate(name: "Coverage", metric: .coverageLines, bound: Bound(min: 70), delta: Bound(min: -0.5)),
                Gate(name: "Coverage trend", metric: .coverageLines, trend: TrendSpec(window: 10, slope: Bound(min: -0.1))),
            ])
        var times: [Double] = []
        for _ in 0..<max(repetitions, 1) {
            let began = Date()
            _ = try await store.evaluate(runID: latest.id, policy: policy, today: "2027-01-01")
            times.append(Date().timeIntervalSince(began))
        }
        times.sort()
        return Result(runs: runs, findingsPerRun: findingsPerRun, seconds: times[times.count / 2])
    }
}
