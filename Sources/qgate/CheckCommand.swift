import ArgumentParser
import Foundation
import QGateCore

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a policy against the current run (ingesting the given reports first).",
        discussion: """
            Exit status: 0 pass or warn, 1 a gate at level fail failed (or a required report is missing), \
            2 bad usage, unreadable input or an invalid policy (then nothing is written).
            """
    )

    @Option(help: "The policy file (YAML).") var policy: String
    @Argument(help: "Reports to ingest into the run before checking it.") var reports: [String] = []
    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: RunOptions
    @OptionGroup var input: IngestOptions
    @OptionGroup var comparison: ComparisonOptions
    @OptionGroup var rendering: RenderOptions

    func run() async throws {
        // Everything that can be refused is checked before the store is touched (exit 2, nothing written).
        let loadedPolicy = try PolicyLoader.load(path: policy)
        let change = try comparison.loadDiff()
        try rendering.checkOutputIsWritable()

        let runID: Int64
        let opened: any RunStore
        if reports.isEmpty {
            (opened, runID) = try await existingRun()
        } else {
            let summary = try await IngestRunner(store: store, identity: identity, input: input).ingest(reports)
            opened = try await store.open()
            runID = summary.run.id
        }

        let evaluation = try await opened.evaluate(runID: runID, policy: loadedPolicy, today: Self.today(),
                                                   baseline: comparison.baseline, diff: change)
        // The verdict is stored first; an output that fails afterwards (a full disk) is reported
        // as such, apart from the verdict (exit 2).
        try await opened.record(evaluation, checkedAt: Date())
        do {
            try rendering.publish(evaluation)
        } catch let error as UserFacingError {
            throw OutputAfterVerdictError(underlying: error, verdict: evaluation.verdict)
        }
        if evaluation.verdict == .fail { throw ExitCode(1) }
    }

    /// With no reports to ingest, the run the flags / CI / git identify must already be in the store.
    private func existingRun() async throws -> (any RunStore, Int64) {
        let path = store.location
        guard !path.isMissingFile else {
            throw UsageError("no run to check: the store \(path) does not exist; give reports to ingest, or --db")
        }
        let opened = try await store.open(create: false)
        let context = RunContextDetector().resolve(flags: identity.flags)
        guard let run = try await opened.run(matching: context) else {
            let commit = context.commit.map { "commit \($0.prefix(12))" } ?? "no commit"
            let pipeline = context.pipeline.map { ", pipeline \($0)" } ?? ""
            throw UsageError("no run to check: the store has no run for \(commit)\(pipeline); give reports to ingest, or --commit/--pipeline")
        }
        return (opened, run.id)
    }

    /// Today in UTC, for waiver expiry.
    static func today(_ date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}


