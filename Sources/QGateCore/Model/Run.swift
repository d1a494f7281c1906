import Foundation

/// Where a run came from: one CI pipeline execution for one commit. Every field is optional
/// because a developer's laptop knows less than a CI runner.
public struct RunContext: Codable, Sendable, Equatable {
    public var commit: String?
    public var branch: String?
    public var baseBranch: String?
    public var pullRequest: Int?
    public var pipeline: String?

    public init(
        commit: String? = nil, branch: String? = nil, baseBranch: String? = nil,
        pullRequest: Int? = nil, pipeline: String? = nil
    ) {
        self.commit = commit
        self.branch = branch
        self.baseBranch = baseBranch
        self.pullRequest = pullRequest
        self.pipeline = pipeline
    }

    /// Fields of `self` where set, else those of `other`.
    public func filling(from other: RunContext) -> RunContext {
        RunContext(
            commit: commit ?? other.commit, branch: branch ?? other.branch,
            baseBranch: baseBranch ?? other.baseBranch, pullRequest: pullRequest ?? other.pullRequest,
            pipeline: pipeline ?? other.pipeline)
    }
}

/// A run as stored.
public struct Run: Codable, Sendable, Equatable {
    public var id: Int64
    public var context: RunContext
    public var createdAt: Date
    /// The verdict of the last `check` on this run, if any.
    public var verdict: Verdict?

    public init(id: Int64, context: RunContext, createdAt: Date, verdict: Verdict? = nil) {
        self.id = id
        self.context = context
        self.createdAt = createdAt
        self.verdict = verdict
    }
}

/// The CI job that wrote a batch of reports, and which attempt of it. Reports belong to a job so
/// that a retried job (GitHub "re-run failed jobs", a GitLab retry) replaces the reports of its
/// earlier attempt instead of adding to them. Both fields are optional: outside CI there is no
/// job, and reports only add.
public struct JobContext: Codable, Sendable, Equatable {
    /// `--job`, else the CI's job name with its matrix values.
    public var name: String?
    /// Larger is newer: GitHub's `GITHUB_RUN_ATTEMPT`, GitLab's `CI_JOB_ID`, or `--attempt`.
    public var attempt: Int?

    public init(name: String? = nil, attempt: Int? = nil) {
        self.name = name
        self.attempt = attempt
    }

    /// Fields of `self` where set, else those of `other`.
    public func filling(from other: JobContext) -> JobContext {
        JobContext(name: name ?? other.name, attempt: attempt ?? other.attempt)
    }
}
