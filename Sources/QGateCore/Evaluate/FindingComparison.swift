/// New, fixed and unchanged findings between a run and its baseline, by fingerprint.
///
/// Count-aware: findings are matched as a multiset, so two identical findings where the baseline
/// had one give exactly one new finding. Exact fingerprints are paired first; what is left is
/// paired by identity (the fingerprint without its `:N` occurrence index), so a duplicate whose
/// index changed because the copies were re-ordered is neither new nor fixed. Fingerprints carry
/// no line numbers: a finding whose line moved is unchanged.
public struct FindingComparison: Sendable, Equatable {
    public var new: [Finding]
    public var fixed: [Finding]
    public var unchanged: [Finding]

    public init(current: [Finding], baseline: [Finding]) {
        var new: [Finding] = []
        var fixed: [Finding] = []
        var unchanged: [Finding] = []
        let currentGroups = Dictionary(grouping: current, by: { Self.identity(of: $0.fingerprint) })
        var baselineGroups = Dictionary(grouping: baseline, by: { Self.identity(of: $0.fingerprint) })
        for (identity, findings) in currentGroups {
            var remainingBaseline = baselineGroups.removeValue(forKey: identity) ?? []
            var unmatched: [Finding] = []
            for finding in findings {
                if let index = remainingBaseline.firstIndex(where: { $0.fingerprint == finding.fingerprint }) {
                    remainingBaseline.remove(at: index)
                    unchanged.append(finding)
                } else {
                    unmatched.append(finding)
                }
            }
            // Pair what is left in occurrence order; the surplus on either side is new or fixed.
            unmatched.sort(by: FindingOrder.sourceOrder)
            remainingBaseline.sort(by: FindingOrder.sourceOrder)
            let paired = min(unmatched.count, remainingBaseline.count)
            unchanged.append(contentsOf: unmatched.prefix(paired))
            new.append(contentsOf: unmatched.dropFirst(paired))
            fixed.append(contentsOf: remainingBaseline.dropFirst(paired))
        }
        for findings in baselineGroups.values { fixed.append(contentsOf: findings) }
        self.new = new.sorted(by: FindingOrder.worstFirst)
        self.fixed = fixed.sorted(by: FindingOrder.worstFirst)
        self.unchanged = unchanged.sorted(by: FindingOrder.worstFirst)
    }

    /// The fingerprint without a trailing `:N` occurrence index.
    public static func identity(of fingerprint: String) -> Substring {
        guard let colon = fingerprint.lastIndex(of: ":") else { return fingerprint[...] }
        let suffix = fingerprint[fingerprint.index(after: colon)...]
        guard !suffix.isEmpty, suffix.allSatisfy({ $0.isASCII && $0.isNumber }) else { return fingerprint[...] }
        return fingerprint[..<colon]
    }
}

/// The one order findings are shown in everywhere: worst severity first, then path, line, rule
/// and fingerprint (then tool and message, so that even exact duplicates sort the same way).
public enum FindingOrder {
    public static func worstFirst(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        return sourceOrder(a, b)
    }

    /// Path, line, rule, fingerprint, tool, message.
    public static func sourceOrder(_ a: Finding, _ b: Finding) -> Bool {
        if (a.path ?? "") != (b.path ?? "") { return (a.path ?? "") < (b.path ?? "") }
        if (a.range.startLine ?? 0) != (b.range.startLine ?? 0) { return (a.range.startLine ?? 0) < (b.range.startLine ?? 0) }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
        if a.tool != b.tool { return a.tool < b.tool }
        return a.message < b.message
    }
}
