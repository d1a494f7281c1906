import ArgumentParser
import Foundation
import QGateCore

/// `--db`, shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store (default: $QGATE_DB, else .qgate/qgate.db).")
    var db: String?

    /// Where the store is: `--db`, else `$QGATE_DB`, else the default.
    var location: StoreLocation { StoreLocation(db) }

    /// Opens the store for writing (created when missing unless `create` is false).
    func open(create: Bool = true) async throws -> any RunStore {
        try await location.open(.readWrite, create: create)
    }

    /// Opens an existing store read-only: never changes it, never waits for a writer.
    func openForReading() async throws -> any RunStore {
        try await location.open(.readOnly, create: false)
    }
}

/// The run's identity; what is not given comes from the CI's environment, then from git.
struct RunOptions: ParsableArguments {
    @Option(help: "Commit SHA of the run.") var commit: String?
    @Option(help: "Branch of the run.") var branch: String?
    @Option(name: .customLong("base-branch"), help: "Target branch of the pull request.") var baseBranch: String?
    @Option(name: .customLong("pr"), help: "Pull/merge request number.") var pullRequest: Int?
    @Option(help: "CI pipeline id (jobs of one pipeline share a run).") var pipeline: String?

    @Option(
        help:
            "The CI job writing these reports (default: the CI's job name and matrix values); a later attempt of a job replaces its reports."
    )
    var job: String?
    @Option(help: "Attempt number of the job (default: GITHUB_RUN_ATTEMPT, GitLab's CI_JOB_ID); larger is newer.")
    var attempt: Int?

    var flags: RunContext {
        RunContext(commit: commit, branch: branch, baseBranch: baseBranch, pullRequest: pullRequest, pipeline: pipeline)
    }

    var jobFlags: JobContext { JobContext(name: job, attempt: attempt) }
}

/// What to read and how to read it.
struct IngestOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "Force the report format.")
    var format: ReportFormat?
    @Option(help: "Override the tool name the report is filed under.") var tool: String?
    @Option(help: "The repository root that report paths are made relative to (default: git's top level).")
    var root: String?
}

extension ReportFormat: ExpressibleByArgument {}

/// Formats for listings.
enum ListingFormat: String, ExpressibleByArgument, CaseIterable {
    case text, table, json
}

/// `--format` of commands that report what they did (`merge`, `prune`, `policy validate`).
enum DocumentFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
