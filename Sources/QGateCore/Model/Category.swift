/// What kind of problem a finding is. Gates filter on it, so it is a closed set:
/// an unknown category in a policy is a validation error, not a silent non-match.
public enum Category: String, CaseIterable, Codable, Sendable {
    case lint, typing, security, vulnerability, secret, misconfiguration, license
}
