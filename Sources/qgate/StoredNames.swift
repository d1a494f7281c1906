import QGateCore

/// Warnings for a typed branch or tool that no run of the store has: the command still answers
/// (an empty table is a true answer), but says why it is empty and what was probably meant.
enum StoredNames {
    /// `warning: no run in the store has branch 'mian'; did you mean 'main'?`, or nil.
    static func warning(branch: String?, in store: any RunStore) async throws -> String? {
        guard let branch else { return nil }
        let branches = try await store.branches()
        guard !branches.contains(branch) else { return nil }
        return "warning: no run in the store has branch '\(branch)'"
            + (Suggestion.closest(to: branch, in: branches).map { "; did you mean '\($0)'?" } ?? "")
    }

    /// The same for every `tool=` value of a filter.
    static func warnings(tools: [String], in store: any RunStore) async throws -> [String] {
        guard !tools.isEmpty else { return [] }
        let known = try await store.tools()
        let lowered = Set(known.map { $0.lowercased() })
        return tools.filter { !lowered.contains($0.lowercased()) }.map { tool in
            "warning: no report in the store is from tool '\(tool)'"
                + (Suggestion.closest(to: tool, in: known).map { "; did you mean '\($0)'?" } ?? "")
        }
    }

    /// Prints the warnings on standard error.
    static func warn(branch: String? = nil, tools: [String] = [], in store: any RunStore) async throws {
        for line in [try await warning(branch: branch, in: store)].compactMap({ $0 }) + (try await warnings(tools: tools, in: store)) {
            Terminal.standardError.line(TextEscaper.escapeLines(line))
        }
    }
}
