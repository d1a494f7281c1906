/// "Did you mean …?" for names a person typed: policy keys, metric names, enum values.
///
/// A suggestion is offered when a valid name is within a small edit distance of the typed one
/// (1 for names of up to 3 characters, else 2), when one is a prefix of the other, or when the
/// typed name is a plural of a valid one (`vulnerabilities`).
public enum Suggestion {
    /// The closest valid name to `typed`, or nil when none is close enough to be a likely typo.
    public static func closest(to typed: String, in candidates: [String]) -> String? {
        let word = typed.lowercased()
        guard !word.isEmpty else { return nil }
        let limit = word.count <= 3 ? 1 : 2
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let name = candidate.lowercased()
            let distance = editDistance(word, name)
            let related =
                distance <= limit
                || (word.count >= 3 && (name.hasPrefix(word) || word.hasPrefix(name)))
                || singular(of: word) == name
            guard related else { continue }
            if best.map({ distance < $0.distance }) ?? true {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// `did you mean 'max'?`, or the list of valid names when nothing is close.
    public static func hint(for typed: String, in candidates: [String], quoted: Bool = true) -> String {
        let show = { (name: String) in quoted ? "'\(name)'" : name }
        if let match = closest(to: typed, in: candidates) {
            return "did you mean \(show(match))?"
        }
        return "expected one of: " + candidates.joined(separator: ", ")
    }

    /// Levenshtein distance over characters.
    public static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func singular(of word: String) -> String {
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("s") { return String(word.dropLast()) }
        return word
    }
}
