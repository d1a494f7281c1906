/// One thing wrong with a policy file, pointing at where it was written.
///
/// Validation collects every problem of a file rather than stopping at the first, so that one
/// run of `qgate policy validate` shows everything to fix.
public struct PolicyProblem: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// What the author probably meant (`did you mean 'max'?`), or what is allowed there.
    public var hint: String?

    public init(location: SourceLocation, message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `rules/prod.yml:12:5: error: unknown key 'mx' in a gate; did you mean 'max'?`
    public var description: String {
        "\(location): error: \(message)" + (hint.map { "; \($0)" } ?? "")
    }
}

/// Why a policy cannot be used. A policy that does not validate is never evaluated (exit 2).
public enum PolicyError: Error, Sendable, Equatable {
    /// The file could not be read at all.
    case unreadable(path: String, reason: String)
    /// The file was read, and these are all the problems found in it, in file order.
    case invalid([PolicyProblem])

    /// The problems, or none when the file could not be read.
    public var problems: [PolicyProblem] {
        switch self {
        case .unreadable: []
        case .invalid(let problems): problems
        }
    }
}

extension PolicyError: UserFacingError {
    /// One line per problem, each `file:line:column: error: …`.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): error: cannot read the policy: \(reason)"
        case .invalid(let problems):
            problems.map(\.description).joined(separator: "\n")
        }
    }
}
