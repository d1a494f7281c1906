/// Normalises report paths once per distinct spelling: a linter names the same file in each of
/// its messages, and normalising is string work that a 100 000-message report should not repeat.
final class PathMemo {
    private let paths: PathNormalizer
    private var normalized: [String: String] = [:]

    init(_ paths: PathNormalizer) {
        self.paths = paths
    }

    func normalize(_ raw: String) -> String {
        if let known = normalized[raw] { return known }
        let result = paths.normalize(raw)
        normalized[raw] = result
        return result
    }
}
