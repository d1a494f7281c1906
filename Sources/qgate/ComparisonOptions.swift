import ArgumentParser
import Foundation
import QGateCore

/// What the run is compared with: the baseline run and the change's diff. Shared by `check`
/// and `report --policy`, so both evaluate the same way.
struct ComparisonOptions: ParsableArguments {
    @Option(
        help: "Compare with this run: an id, a commit prefix (4+ hex characters), latest, or branch:NAME (overrides the policy's baseline)."
    )
    var baseline: String?
    @Option(help: "A unified diff of the change (git diff / diff -u), for coverage.patch.") var diff: String?
    @Option(name: .customLong("diff-base"), help: "Diff the change as a pull request shows it: git diff REF...HEAD.")
    var diffBase: String?

    var isEmpty: Bool { baseline == nil && diff == nil && diffBase == nil }

    func validate() throws {
        if diff != nil && diffBase != nil { throw ValidationError("Give --diff or --diff-base, not both.") }
    }

    /// The change, or why `--diff-base` could not compute it (a missing diff, not an error: a
    /// shallow clone must still get a verdict). A `--diff FILE` that cannot be read is an error.
    func loadDiff() throws -> (diff: UnifiedDiff?, problem: DiffError?) {
        do {
            return (try ChangeLoader.load(diff: diff, diffBase: diffBase), nil)
        } catch let error as DiffError {
            guard case .gitFailed = error, diff == nil else { throw error }
            return (nil, error)
        }
    }
}
