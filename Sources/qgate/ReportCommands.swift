import ArgumentParser
import Foundation
import QGateCore

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render the evaluation of an already checked run in any output format.",
        discussion: """
            Without --policy, the evaluation recorded by the run's last `qgate check` is rendered as it was. \
            With --policy the run is evaluated now, with the same baseline and diff options as `qgate check`.
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("run"), help: "The run: an id, a commit prefix (4+ hex characters) or `latest`.") var runReference: String =
        "latest"
    @Option(help: "Evaluate this policy now instead of using the recorded evaluation.") var policy: String?
    @OptionGroup var comparison: ComparisonOptions
    @OptionGroup var rendering: RenderOptions

    func validate() throws {
        if policy == nil && !comparison.isEmpty {
            throw ValidationError(
                "--baseline, --diff and --diff-base go with --policy (without it the recorded evaluation is rendered as it was).")
        }
    }

    func run() async throws {
        let loadedPolicy = try policy.map { try PolicyLoader.load(path: $0) }
        let change = try comparison.loadDiff()
        try rendering.checkOutputIsWritable()
        let opened = try await store.openForReading()
        let target = try await opened.resolveRun(runReference)
        let evaluation: Evaluation
        if let loadedPolicy {
            evaluation = try await opened.evaluate(
                runID: target.id, policy: loadedPolicy, today: CalendarDay.utc(Date()),
                baseline: comparison.baseline, diff: change.diff, diffProblem: change.problem)
        } else {
            evaluation = try await opened.checkedEvaluation(runID: target.id, alternative: "give --policy")
        }
        try rendering.publish(evaluation)
    }
}

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What changed between two runs: new, fixed and unchanged findings, test status, coverage.",
        discussion: """
            Defaults: RUN_B is the latest run; RUN_A is the run RUN_B's last `qgate check` compared with, else the latest \
            earlier run on RUN_B's base branch (else its own branch).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    @Argument(help: "The base run (id, commit prefix of 4+ hex characters, or `latest`).") var runA: String?
    @Argument(help: "The run to compare (default: the latest).") var runB: String?
    @OptionGroup var store: StoreOptions
    @Option(name: [.short, .long], help: "Output format.") var format: Format = .text

    func run() async throws {
        let opened = try await store.openForReading()
        let head = try await opened.resolveRun(runB ?? "latest")
        let base = if let runA { try await opened.resolveRun(runA) } else { try await opened.defaultBase(for: head) }
        guard base.id != head.id else { throw RunLookupError.sameRun(head.id) }
        let diff = try await RunDiff.between(base: base.id, head: head.id, store: opened, today: CalendarDay.utc(Date()))
        switch format {
        case .text: Terminal.standardOutput.write(diff.text())
        case .json: try JSONOutput.print(diff)
        case .markdown: Terminal.standardOutput.write(MarkdownReporter().render(diff.evaluation))
        }
    }
}
