import Foundation

extension RunDiff {
    /// Compares `head` with `base` (both run ids in `store`).
    public static func between(base: Int64, head: Int64, store: any RunStore, today: String) async throws -> RunDiff {
        let policy = Policy(name: "diff", baseline: BaselineSpec(run: String(base), onMissing: .fail))
        var evaluation = try await store.evaluate(runID: head, policy: policy, today: today, baseline: String(base))
        // A diff has no gates: its summary line says what was compared instead.
        evaluation.reason =
            "pass: run \(head) compared with run \(base): \(evaluation.findings.new.count) new, "
            + "\(evaluation.findings.fixed.count) fixed, \(evaluation.findings.unchanged.count) unchanged findings."
        guard let baseRun = evaluation.baseline.run else {
            throw StoreError.runNotFound(reference: String(base))
        }
        return RunDiff(
            base: baseRun, head: evaluation.run, newFindings: evaluation.findings.new,
            fixedFindings: evaluation.findings.fixed, unchangedCount: evaluation.findings.unchanged.count,
            newlyFailingTests: evaluation.tests.newlyFailing, fixedTests: evaluation.tests.fixed,
            coverageLines: evaluation.coverage.lines, baseCoverageLines: evaluation.coverage.baselineLines,
            evaluation: evaluation)
    }
}
