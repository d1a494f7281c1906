/// Picks the run a check compares with, explicitly: `--baseline REF`, else the policy's
/// `baseline.run`, else the latest run on the policy's `baseline.branch` created before the run
/// itself. When that run does not exist the baseline is missing; qgate never falls back to
/// some other run or branch.
public struct BaselineResolver: Sendable {
    public var store: any RunStore
    public var spec: BaselineSpec
    /// `--baseline`: a run id, a commit prefix (4+ hex characters), `latest`, or `branch:NAME`.
    public var override: String?

    public init(store: any RunStore, spec: BaselineSpec, override: String? = nil) {
        self.store = store
        self.spec = spec
        self.override = override
    }

    /// The chosen baseline.
    public typealias Choice = BaselineChoice

    public func resolve(for run: Run) async throws -> Choice {
        let reference = override ?? spec.run
        if let reference {
            if reference.hasPrefix("branch:") {
                return try await latest(on: String(reference.dropFirst("branch:".count)), before: run)
            }
            let requested = "run \(reference)"
            do {
                let found = try await store.resolveRun(reference)
                // Comparing a run with itself makes every new finding look old: that is no baseline.
                if found.id == run.id {
                    return Choice(
                        outcome: BaselineOutcome(status: .missing, requested: requested, missingCause: .checkedRunItself),
                        run: nil, branch: spec.branch,
                        missingReason: "no baseline run ('\(reference)' is the checked run itself)")
                }
                return Choice(
                    outcome: BaselineOutcome(status: .found, requested: requested, run: try await summary(of: found)),
                    run: found, branch: spec.branch ?? found.context.branch, missingReason: "")
            } catch StoreError.runNotFound {
                return Choice(
                    outcome: BaselineOutcome(status: .missing, requested: requested, missingCause: .noMatchingRun),
                    run: nil, branch: spec.branch,
                    missingReason: "no baseline run (no run matches '\(reference)')")
            }
        }
        if let branch = spec.branch {
            return try await latest(on: branch, before: run)
        }
        return .notConfigured
    }

    /// The baseline run as documents show it, with its reports.
    private func summary(of run: Run) async throws -> RunSummary {
        RunSummary(run, reports: try await store.reportSummaries(runIDs: [run.id])[run.id] ?? [])
    }

    private func latest(on branch: String, before run: Run) async throws -> Choice {
        let requested = "branch \(branch)"
        guard let found = try await store.runs(branch: branch, before: run, limit: 1).first else {
            let others = try await store.runs(branch: branch, last: 2).filter { $0.id != run.id }
            if others.isEmpty {
                return Choice(
                    outcome: BaselineOutcome(status: .missing, requested: requested, missingCause: .noRunOnBranch),
                    run: nil, branch: branch,
                    missingReason: "no baseline run (the store has no run of branch \(branch))")
            }
            return Choice(
                outcome: BaselineOutcome(status: .missing, requested: requested, missingCause: .noEarlierRun),
                run: nil, branch: branch,
                missingReason: "no baseline run (branch \(branch) has no run before this one)")
        }
        return Choice(
            outcome: BaselineOutcome(status: .found, requested: requested, run: try await summary(of: found)),
            run: found, branch: branch, missingReason: "")
    }
}

extension RunSummary {
    /// A run's identity for summaries, with its reports where known.
    public init(_ run: Run, reports: [ReportSummary] = []) {
        self.init(
            id: run.id, commit: run.context.commit, branch: run.context.branch, baseBranch: run.context.baseBranch,
            pullRequest: run.context.pullRequest, pipeline: run.context.pipeline, reports: reports)
    }
}
