/// Why the store could not be opened or written. Prints one sentence naming the database.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case notAQGateStore(path: String)
    case newerSchema(path: String, migration: String)
    case runNotFound(reference: String)
    case database(path: String, reason: String)
    case invalidRunReference(reference: String, reason: RunReferenceProblem)
    case ambiguousRunReference(reference: String, candidates: [String])
    /// A row of a store given to `merge` that no qgate writes: the whole input is refused.
    case untrustedRow(path: String, table: String, row: Int64, column: String, value: String)
    /// `prune` would delete every run of the store, and `--all` was not given.
    case wouldDeleteEveryRun(path: String, count: Int)
    /// A recorded evaluation in a format this qgate does not read (``EvaluationRecord``).
    case evaluationFormat(location: String, runID: Int64, found: Int, expected: Int)
    /// A `scheme://` location: a server, not a file. Refused before anything is created, so a URL
    /// (and the password in it) never becomes a folder. `location` is already redacted.
    case unsupportedLocation(location: String, scheme: String)

    /// What is wrong with a run reference.
    public enum RunReferenceProblem: Sendable {
        case empty, shortPrefix, notAReference
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "\(path): error: cannot open the qgate store: \(reason)."
        case .notAQGateStore(let path):
            "\(path): error: this file is not a qgate store (not an SQLite database, or one written by another program)."
        case .newerSchema(let path, let migration):
            "\(path): error: the store was written by a newer qgate (it has migration \(migration)); upgrade qgate to read it."
        case .runNotFound(let reference):
            "error: no run matches '\(reference)' in the store; `qgate runs` lists them."
        case .database(let path, let reason):
            "\(path): error: the store failed: \(reason)."
        case .invalidRunReference(let reference, let problem):
            switch problem {
            case .empty:
                "error: the run reference is empty (an unset variable?); give a run id, a commit prefix of at least 4 hex characters, or latest."
            case .shortPrefix:
                "error: '\(reference)' is too short for a commit prefix; give at least 4 hex characters, a run id, or latest."
            case .notAReference:
                "error: '\(reference)' is not a run reference; give a run id, a commit prefix of at least 4 hex characters, or latest."
            }
        case .ambiguousRunReference(let reference, let candidates):
            "error: '\(reference)' names more than one run (\(candidates.prefix(5).joined(separator: ", "))); give more of the commit or the run id."
        case .untrustedRow(let path, let table, let row, let column, let value):
            "\(path): error: not merged: row \(row) of \(table) holds \(column) = \(value), which no qgate writes; the store is damaged or forged."
        case .wouldDeleteEveryRun(let path, let count):
            "\(path): error: this would delete every run of the store (\(count)); nothing was deleted. Add --all if that is what you want, or --dry-run to list them."
        case .evaluationFormat(let location, let runID, let found, let expected):
            "\(location): error: the evaluation of run \(runID) was recorded in format \(found), and this qgate reads format \(expected); run `qgate check` on the run again."
        case .unsupportedLocation(let location, let scheme):
            "\(location): error: a \(scheme):// URL names a server, and this qgate keeps its history in SQLite files only; nothing was created. Give the path of a store file."
        }
    }
}
