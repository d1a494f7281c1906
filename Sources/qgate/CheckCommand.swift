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
            // With no reports to ingest, the run the flags / CI / git identify must already be in the store.
            guard !store.location.isMissingFile else { throw RunLookupError.noStore(location: store.location.text) }
            opened = try await store.open(create: false)
            runID = try await opened.runToCheck(RunContextDetector().resolve(flags: identity.flags)).id
        } else {
            // Report warnings are in the verdict's Notes when standard output shows text or
            // Markdown; said on standard error only otherwise.
            let summary: IngestSummary
            (summary, opened) = try await IngestRunner(store: store, identity: identity, input: input)
                .ingest(reports, echoWarnings: !rendering.standardOutputShowsNotes)
            runID = summary.run.id
        }

        let evaluation = try await opened.evaluate(
            runID: runID, policy: loadedPolicy, today: CalendarDay.utc(Date()),
            baseline: comparison.baseline, diff: change.diff, diffProblem: change.problem)
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
}
