/// Why the store could not be opened or written. Prints one sentence naming the database.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case notAQGateStore(path: String)
    case newerSchema(path: String, migration: String)
    case runNotFound(reference: String)
    case database(path: String, reason: String)

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
        }
    }
}
