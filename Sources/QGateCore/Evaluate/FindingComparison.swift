/// New, fixed and unchanged findings between a run and its baseline, by fingerprint.
///
/// Count-aware: findings are matched as a multiset of identities (the fingerprint without its
/// `:N` occurrence index), so two identical findings where the baseline had one give exactly one
/// new finding. Fingerprints carry no line numbers: a finding whose line moved is unchanged.
///
/// Which copy of an identity is the new one is decided by position, not by occurrence index:
/// findings whose identity occurs once on each side are paired first, and their line moves
/// (per file) say where every other baseline line is now; the copies of a repeated identity are
/// then paired in order, nearest to where the baseline's copies moved. So a `W291` added near
/// the top of a file is reported where it was added, not as the file's last `W291`.
///
/// When the baseline was identified by an older fingerprint recipe, the findings the recipes
/// key differently are left over on both sides; those are paired once more by tool, rule, path
/// and message (numbers masked), the same way, so an upgrade does not report them as new.
public struct FindingComparison: Sendable, Equatable {
    public var new: [Finding]
    public var fixed: [Finding]
    public var unchanged: [Finding]

    public init(current: [Finding], baseline: [Finding], baselineRecipeIsOlder: Bool = false) {
        var new: [Finding] = []
        var fixed: [Finding] = []
        var unchanged: [Finding] = []
        let currentGroups = Dictionary(grouping: current, by: { Self.identity(of: $0.fingerprint) })
        var baselineGroups = Dictionary(grouping: baseline, by: { Self.identity(of: $0.fingerprint) })
        var repeated: [(current: [Finding], baseline: [Finding])] = []
        var moves = LineMoves()
        for (identity, findings) in currentGroups {
            guard let before = baselineGroups.removeValue(forKey: identity) else {
                new.append(contentsOf: findings)
                continue
            }
            if findings.count == 1, before.count == 1 {
                unchanged.append(findings[0])
                moves.note(from: before[0], to: findings[0])
            } else {
                repeated.append((findings, before))
            }
        }
        for findings in baselineGroups.values { fixed.append(contentsOf: findings) }
        moves.finish()
        for (findings, before) in repeated {
            let pairing = PositionPairing(current: findings, baseline: before, moves: moves)
            unchanged.append(contentsOf: pairing.paired)
            new.append(contentsOf: pairing.unpairedCurrent)
            fixed.append(contentsOf: pairing.unpairedBaseline)
        }
        if baselineRecipeIsOlder, !new.isEmpty, !fixed.isEmpty {
            let looseNew = Dictionary(grouping: new, by: Self.looseIdentity)
            var looseFixed = Dictionary(grouping: fixed, by: Self.looseIdentity)
            new = []
            fixed = []
            for (key, findings) in looseNew {
                guard let before = looseFixed.removeValue(forKey: key) else {
                    new.append(contentsOf: findings)
                    continue
                }
                let pairing = PositionPairing(current: findings, baseline: before, moves: moves)
                unchanged.append(contentsOf: pairing.paired)
                new.append(contentsOf: pairing.unpairedCurrent)
                fixed.append(contentsOf: pairing.unpairedBaseline)
            }
            for findings in looseFixed.values { fixed.append(contentsOf: findings) }
        }
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

    /// What every fingerprint recipe agrees on: tool, rule, path and the message with numbers masked.
    static func looseIdentity(_ finding: Finding) -> [String] {
        [finding.tool, finding.ruleID, finding.path ?? "", FingerprintRecipe.normalizedMessage(finding.message)]
    }
}

/// How lines moved between the baseline and the current run, per file, learnt from findings
/// that are unambiguously the same (their identity occurs once on each side).
struct LineMoves {
    /// Per path: (baseline line, current line), sorted by baseline line once `finish()` ran.
    private var anchors: [String: [(old: Int, new: Int)]] = [:]

    mutating func note(from before: Finding, to after: Finding) {
        guard let path = after.path, before.path == path,
            let old = before.range.startLine, let new = after.range.startLine
        else { return }
        anchors[path, default: []].append((old, new))
    }

    mutating func finish() {
        for path in anchors.keys { anchors[path]?.sort { ($0.old, $0.new) < ($1.old, $1.new) } }
    }

    /// Where baseline line `line` of `path` is now: moved as far as the nearest anchor moved.
    func current(line: Int, path: String?) -> Int {
        guard let path, let list = anchors[path], !list.isEmpty else { return line }
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].old < line { low = mid + 1 } else { high = mid }
        }
        let candidates = [low - 1, low].filter { $0 >= 0 && $0 < list.count }
        let nearest = candidates.min { abs(list[$0].old - line) < abs(list[$1].old - line) } ?? 0
        return line + list[nearest].new - list[nearest].old
    }
}

/// Pairs the copies of one identity between two runs: in source order, each baseline copy
/// with a current copy, minimising the total distance between where the baseline copy moved
/// and the current copy. The surplus on the longer side is new (or fixed).
///
/// An order-keeping assignment by dynamic programming over the band of skips: O(shorter ×
/// (surplus + 1)), which stays small because a change adds or removes few copies. Beyond a
/// bound it pairs in order, as occurrence indexes would.
struct PositionPairing {
    var paired: [Finding] = []
    var unpairedCurrent: [Finding] = []
    var unpairedBaseline: [Finding] = []

    static let maxCells = 4_000_000
    /// Distance between copies in two different files: any pairing within one file is better.
    static let otherFile = 1 << 40

    init(current: [Finding], baseline: [Finding], moves: LineMoves) {
        let current = current.sorted(by: FindingOrder.sourceOrder)
        let baseline = baseline.sorted(by: FindingOrder.sourceOrder)
        let currentPositions = current.map { (path: $0.path, line: $0.range.startLine ?? 0) }
        let baselinePositions = baseline.map { (path: $0.path, line: moves.current(line: $0.range.startLine ?? 0, path: $0.path)) }
        func distance(_ b: Int, _ c: Int) -> Int {
            let (x, y) = (baselinePositions[b], currentPositions[c])
            return x.path == y.path ? abs(x.line - y.line) : Self.otherFile
        }
        // Pair the shorter side into the longer one; `matched[i]` is the longer side's index.
        let baselineIsShorter = baseline.count <= current.count
        let shorter = baselineIsShorter ? baseline.count : current.count
        let longer = baselineIsShorter ? current.count : baseline.count
        let cost: (Int, Int) -> Int = baselineIsShorter ? { distance($0, $1) } : { distance($1, $0) }
        let matched = Self.assign(shorter: shorter, longer: longer, cost: cost)
        var longerTaken = Array(repeating: false, count: longer)
        for (i, j) in matched.enumerated() {
            longerTaken[j] = true
            paired.append(baselineIsShorter ? current[j] : current[i])
        }
        let rest = longerTaken.indices.filter { !longerTaken[$0] }
        if baselineIsShorter {
            unpairedCurrent = rest.map { current[$0] }
        } else {
            unpairedBaseline = rest.map { baseline[$0] }
        }
    }

    /// For each of `shorter` items in order, the index of the `longer` item it pairs with
    /// (strictly increasing), at the least total cost; on ties the later longer items stay unpaired.
    static func assign(shorter: Int, longer: Int, cost: (Int, Int) -> Int) -> [Int] {
        let surplus = longer - shorter
        guard shorter > 0 else { return [] }
        guard shorter * (surplus + 1) <= maxCells else { return Array(0..<shorter) }
        let width = surplus + 1
        // best[i * width + k]: least cost pairing the first i shorter items within the first
        // i + k longer items.
        var best = Array(repeating: 0, count: (shorter + 1) * width)
        for i in 1...shorter {
            for k in 0..<width {
                let j = i + k  // longer items considered
                let pair = best[(i - 1) * width + k] + cost(i - 1, j - 1)
                let skip = k > 0 ? best[i * width + k - 1] : Int.max
                best[i * width + k] = min(pair, skip)
            }
        }
        var result = Array(repeating: 0, count: shorter)
        var i = shorter
        var k = surplus
        while i > 0 {
            if k > 0, best[i * width + k - 1] == best[i * width + k] {
                k -= 1  // the longer item i + k - 1 stays unpaired
            } else {
                result[i - 1] = i + k - 1
                i -= 1
            }
        }
        return result
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
