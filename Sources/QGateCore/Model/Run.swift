import Foundation

/// Where a run came from: one CI pipeline execution for one commit. Every field is optional
/// because a developer's laptop knows less than a CI runner.
public struct RunContext: Codable, Sendable, Equatable {
    public var commit: String?
    public var branch: String?
    public var baseBranch: String?
    public var pullRequest: Int?
    public var pipeline: String?

    public init(commit: String? = nil, branch: String? = nil, baseBranch: String? = nil,
                pullRequest: Int? = nil, pipeline: String? = nil) {
        self.commit = commit
        self.branch = branch
        self.baseBranch = baseBranch
        self.pullRequest = pullRequest
        self.pipeline = pipeline
    }

    /// Fields of `self` where set, else those of `other`.
    public func filling(from other: RunContext) -> RunContext {
        RunContext(commit: commit ?? other.commit, branch: branch ?? other.branch,
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
    public var verdict: String?

    public init(id: Int64, context: RunContext, createdAt: Date, verdict: String? = nil) {
        self.id = id
        self.context = context
        self.createdAt = createdAt
        self.verdict = verdict
    }
}
