import Foundation

extension RunStore {
    /// The evaluate stage with its read: the run's ``RunSnapshot`` (as much as `policy` needs),
    /// then the pure ``Evaluator``. `diff` is the change the caller read (``ChangeLoader``);
    /// `today` is `YYYY-MM-DD` (``Today``).
    public func evaluate(
        runID: Int64, policy: Policy, today: String, baseline: String? = nil,
        diff: UnifiedDiff? = nil, diffProblem: DiffError? = nil
    ) async throws -> Evaluation {
        let request = SnapshotRequest(runID: runID, policy: policy, baselineOverride: baseline, lineCoverage: diff != nil)
        return Evaluator.evaluate(try await snapshot(request), policy: policy, diff: diff, today: today, diffProblem: diffProblem)
    }
}
