/// An error whose description is the one sentence qgate prints before exiting with code 2.
/// Every error type a user can cause conforms; anything else is a bug.
public protocol UserFacingError: Error, CustomStringConvertible {}

extension IngestError: UserFacingError {}
extension StoreError: UserFacingError {}

/// A usage problem the command line parser cannot see (e.g. a flag combination).
public struct UsageError: UserFacingError {
    public var description: String
    public init(_ message: String) { description = "error: " + message }
}

/// An error no qgate layer describes (a bug, or a library failing in a way nobody foresaw),
/// wrapped so that it still prints one sentence and exits 2: never 1, which means "a gate
/// failed", and never silently.
public struct UnexpectedFailure: UserFacingError {
    public var underlying: String

    public init(_ error: Error) {
        var text = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        if text.isEmpty { text = String(describing: type(of: error)) }
        underlying = text
    }

    public var description: String {
        "error: qgate failed unexpectedly (\(underlying)); nothing more was written. Please report this as a bug."
    }
}
