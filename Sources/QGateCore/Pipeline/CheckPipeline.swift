import Foundation

/// Today's date as checks use it (waiver and quarantine expiry): `YYYY-MM-DD` in UTC. The caller
/// reads the clock and passes the date in, so everything below it is a function of its inputs.
public enum CalendarDay {
    public static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// Why there is no run to check or compare, as values; the executable words them with its flags.
public enum RunLookupError: Error, Sendable, Equatable {
    /// `check` without reports, and the store does not exist.
    case noStore(location: String)
    /// `check` without reports, and the store has no run for the identity.
    case noRun(commit: String?, pipeline: String?)
    /// `diff` without RUN_A, and the head run has no earlier run on its base branch.
    case noEarlierRun(head: Int64)
    /// `diff` of a run with itself.
    case sameRun(Int64)
}

extension RunLookupError: UserFacingError {
    public var description: String {
        switch self {
        case .noStore(let location): "error: no run to check: the store \(location) does not exist"
        case .noRun(let commit, let pipeline): "error: no run to check: the store has no run for \(Self.identity(commit, pipeline))"
        case .noEarlierRun(let head): "error: run \(head) has no earlier run on its base branch to compare with"
        case .sameRun(let id): "error: the two runs are the same run (\(id)); a run compared with itself shows nothing"
        }
    }

    /// "commit 0123456789ab, pipeline 7", or "no commit".
    public static func identity(_ commit: String?, _ pipeline: String?) -> String {
        (commit.map { "commit \($0.prefix(12))" } ?? "no commit") + (pipeline.map { ", pipeline \($0)" } ?? "")
    }
}

extension RunStore {
    /// The run an identity names (commit + pipeline, as ingest does), which `check` without
    /// reports evaluates; ``RunLookupError/noRun(commit:pipeline:)`` when there is none.
    public func runToCheck(_ context: RunContext) async throws -> Run {
        guard let run = try await run(matching: context) else {
            throw RunLookupError.noRun(commit: context.commit, pipeline: context.pipeline)
        }
        return run
    }

    /// What `diff` compares `head` with when RUN_A is not given: the run its last `check`
    /// compared with, else the latest earlier run on its base branch (else its own branch), as
    /// ``BaselineResolver`` picks a branch baseline.
    public func defaultBase(for head: Run) async throws -> Run {
        if let checked = try await storedEvaluation(runID: head.id)?.baseline.run,
            let compared = try? await resolveRun(String(checked.id))
        {
            return compared
        }
        let branch = head.context.baseBranch ?? head.context.branch
        let choice = try await BaselineResolver(store: self, spec: BaselineSpec(branch: branch)).resolve(for: head)
        guard let base = choice.run else { throw RunLookupError.noEarlierRun(head: head.id) }
        return base
    }
}
