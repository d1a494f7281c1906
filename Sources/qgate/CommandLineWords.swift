import QGateCore

/// The core's errors carry values (a filter clause, a date, a run identity), not flags; this is
/// the one place that says which flag or argument a value came from and what to type instead.
/// `main()` prints the sentence and exits 2.
enum CommandLineWords {
    static func sentence(for error: any UserFacingError) -> String {
        switch error {
        case let error as TrendQueryError:
            return "error: " + error.sentence(windowFlag: "--last", sinceFlag: "--since", whereFlag: "--where")
        case let error as RunLookupError:
            switch error {
            case .noStore(let location):
                return "error: no run to check: the store \(location) does not exist; give reports to ingest, or --db"
            case .noRun(let commit, let pipeline):
                return "error: no run to check: the store has no run for \(RunLookupError.identity(commit, pipeline)); "
                    + "give reports to ingest, or --commit/--pipeline"
            case .noEarlierRun(let head):
                return "error: run \(head) has no earlier run on its base branch to compare with; name RUN_A"
            case .sameRun(let id):
                return "error: RUN_A and RUN_B are the same run (\(id)); a run compared with itself shows nothing, name two runs"
            }
        default:
            return error.description
        }
    }
}
