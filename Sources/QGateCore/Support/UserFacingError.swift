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
