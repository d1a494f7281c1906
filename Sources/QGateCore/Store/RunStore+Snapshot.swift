import Foundation

extension RunStore {
    /// Reads everything an evaluation of one run needs (``RunSnapshot``): the run's data, its
    /// baseline (resolved here: `--baseline`, else the policy's), the earlier runs of the longest
    /// trend window, the history chart and the flaky tests up to the run. Each run's data is
    /// read once, even when the baseline is also in the trend window.
    ///
    /// The default for every backend, composed of the protocol's reads; a backend may answer it
    /// in one read transaction of its own.
    public func loadSnapshot(_ request: SnapshotRequest) async throws -> RunSnapshot {
        guard let run = try await run(id: request.runID) else {
            throw StoreError.runNotFound(reference: String(request.runID))
        }
        var loaded: [Int64: RunData] = [:]
        func data(_ other: Run) async throws -> RunData {
            if let known = loaded[other.id] { return known }
            let value = RunData(
                run: other, findings: try await findings(runID: other.id), tests: try await testOutcomes(runID: other.id),
                coverage: try await coverageTotals(runID: other.id))
            loaded[other.id] = value
            return value
        }

        let tests = try await testsWithTool(runID: run.id)
        var flaky: [FlakyTest] = []
        if !tests.isEmpty {
            flaky = try await flakyTests(FlakyWindow(last: request.flaky.window, upTo: run), policy: request.flaky)
        }
        let choice = try await BaselineResolver(store: self, spec: request.baseline, override: request.baselineOverride).resolve(for: run)
        var baseline = BaselineSnapshot(choice: choice)
        if let baselineRun = choice.run {
            baseline.data = try await data(baselineRun)
            baseline.testResults = try await self.tests(runID: baselineRun.id)
            baseline.fingerprintRecipe = try await oldestFingerprintRecipe(runID: baselineRun.id)
        }
        var trendRuns: [RunData] = []
        if request.trendRuns > 0, let branch = choice.branch {
            for earlier in try await runs(branch: branch, before: run, limit: request.trendRuns) {
                trendRuns.append(try await data(earlier))
            }
        }
        return RunSnapshot(
            run: run, reports: try await reports(runID: run.id), findings: try await findings(runID: run.id), tests: tests,
            coverage: try await coverageTotals(runID: run.id),
            lineCoverage: request.lineCoverage ? try await coverage(runID: run.id) : nil,
            fingerprintRecipe: try await oldestFingerprintRecipe(runID: run.id), flakyTests: flaky, baseline: baseline,
            trendRuns: trendRuns, history: try await history(run: run, branch: choice.branch, length: request.historyLength))
    }

    /// The last runs of `branch` up to `run` (the run itself when it is on that branch), oldest first.
    private func history(run: Run, branch: String?, length: Int) async throws -> [HistoryPoint] {
        guard let branch else { return [] }
        var runs = try await runs(branch: branch, before: run, limit: length)
        if run.context.branch == branch { runs.insert(run, at: 0) }
        let points = Array(runs.prefix(length).reversed())
        let totals = try await totals(runIDs: points.map(\.id))
        return points.map { point in
            let total = totals[point.id]
            return HistoryPoint(
                run: point.id, commit: point.context.commit, findings: total?.findings,
                coverageLines: total?.coverageLines, testsFailed: total?.testsFailed)
        }
    }
}
