import ArgumentParser
import Foundation
import QGateCore

struct Merge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fold stores written by parallel CI jobs into one.",
        discussion: "Runs with the same commit and pipeline become one run; merging the same input twice adds nothing."
    )

    @Argument(help: "The store to write (created if missing).") var output: String
    @Argument(help: "Stores to fold into it.") var inputs: [String]
    @Option(name: [.short, .long], help: "Output format.") var format: DocumentFormat = .text

    /// `merge --format json`: what each input added.
    struct Document: Encodable {
        struct Input: Encodable {
            var path: String
            var reportsCopied, reportsAlreadyPresent, runsCreated, runsMatched: Int
        }
        var output: String
        var inputs: [Input]
    }

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("Give at least one store to merge.") }
    }

    func run() async throws {
        // Read and check every input first (read-only): a missing, foreign or damaged file stops
        // the merge before the target is even opened.
        var sources: [MergeSource] = []
        for input in inputs {
            sources.append(try await StoreLocation(input).open(.readOnly, create: false).readForMerge())
        }
        let target = try await StoreLocation(output).open(.readWrite)
        var document = Document(output: output, inputs: [])
        for (path, source) in zip(inputs, sources) {
            let outcome = try await target.merge(source)
            document.inputs.append(
                Document.Input(
                    path: path, reportsCopied: outcome.reportsCopied,
                    reportsAlreadyPresent: outcome.reportsAlreadyPresent,
                    runsCreated: outcome.runsCreated, runsMatched: outcome.runsMatched))
            if format == .text {
                print(
                    TextEscaper.escape(path)
                        + ": \(outcome.reportsCopied) reports copied, \(outcome.reportsAlreadyPresent) already present; "
                        + "\(outcome.runsCreated) runs created, \(outcome.runsMatched) matched")
            }
        }
        if format == .json { try JSONOutput.print(document) }
    }
}

struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete old runs to bound the store's growth, then compact it.")

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("keep-last"), help: "Keep the newest N runs (of --branch, if given).") var keepLast: Int?
    @Option(name: .customLong("older-than"), help: "Delete runs older than this many days.") var olderThan: Int?
    @Option(help: "With --keep-last: only prune runs of this branch.") var branch: String?
    @Flag(help: "Allow deleting every run of the store (refused otherwise).") var all = false
    @Flag(name: .customLong("dry-run"), help: "List the runs that would be deleted; delete nothing.") var dryRun = false
    @Option(name: [.short, .long], help: "Output format.") var format: DocumentFormat = .text

    func validate() throws {
        switch (keepLast, olderThan) {
        case (nil, nil), (.some, .some):
            throw ValidationError("Give exactly one of --keep-last N or --older-than DAYS.")
        case (let n?, nil) where n < 0:
            throw ValidationError("--keep-last must be 0 or more.")
        case (nil, let days?) where days < 0:
            throw ValidationError("--older-than must be 0 or more days.")
        default:
            if branch != nil && keepLast == nil { throw ValidationError("--branch goes with --keep-last.") }
        }
    }

    func run() async throws {
        let opened = try await store.open(create: false)
        let rule: PruneRule
        if let keepLast {
            rule = .keepLast(keepLast, branch: branch)
        } else {
            rule = .olderThan(Date().addingTimeInterval(-Double(olderThan ?? 0) * 86_400))
        }
        let outcome = try await opened.prune(rule, dryRun: dryRun, allowEverything: all)
        switch format {
        case .json:
            try JSONOutput.print(outcome)
        case .text where dryRun:
            print(
                "would delete \(outcome.runs.count) run\(outcome.runs.count == 1 ? "" : "s") (dry run, nothing deleted)\(outcome.runs.isEmpty ? "" : ":")"
            )
            for run in outcome.runs {
                print(
                    TextEscaper.escape(
                        "  run \(run.id)  commit \(run.commit.map { String($0.prefix(12)) } ?? "-")  branch \(run.branch ?? "-")"))
            }
        case .text:
            print("deleted \(outcome.runsDeleted) runs; store \(outcome.bytesBefore) → \(outcome.bytesAfter) bytes")
        }
    }
}
