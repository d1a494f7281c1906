/// Placeholder until the YAML policy loader lands (another branch): the lead replaces this file
/// on merge. It holds no logic on purpose.
public enum PolicyLoader {
    public static func load(path: String) throws -> Policy {
        throw UsageError("\(path): the policy loader is not available in this build yet")
    }
}
