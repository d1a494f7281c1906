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
        for (path, source) in zip(inputs, sources) {
            let outcome = try await target.merge(source)
            print(TextEscaper.escape(path) + ": \(outcome.reportsCopied) reports copied, \(outcome.reportsAlreadyPresent) already present; "
                  + "\(outcome.runsCreated) runs created, \(outcome.runsMatched) matched")
        }
    }
}

struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete old runs to bound the store's growth, then compact it.")

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("keep-last"), help: "Keep the newest N runs (of --branch, if given).") var keepLast: Int?
    @Option(name: .customLong("older-than"), help: "Delete runs older than this many days.") var olderThan: Int?
    @Option(help: "With --keep-last: only prune runs of this branch.") var branch: String?

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
        let outcome = try await opened.prune(rule)
        print("deleted \(outcome.runsDeleted) runs; store \(outcome.bytesBefore) → \(outcome.bytesAfter) bytes")
    }
}
