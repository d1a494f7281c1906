import Foundation

/// Turns the paths tools write (`./pkg/a.py`, `.\pkg\a.py`, `file:///home/runner/work/p/p/pkg/a.py`,
/// `/builds/group/p/pkg/a.py`) into one repository-relative, `/`-separated spelling, so that a
/// finding from flake8 and a coverage line from gcovr name the same file.
public struct PathNormalizer: Sendable {
    /// Absolute path of the repository root, without a trailing slash; nil when unknown.
    public let repositoryRoot: String?
    /// Absolute workspace folders of CI runners, stripped when a path starts with them.
    public let workspacePrefixes: [String]

    public init(repositoryRoot: URL?, environment: [String: String] = [:]) {
        let root = repositoryRoot.map { PathNormalizer.trimSlash($0.standardizedFileURL.path) }
        self.repositoryRoot = root
        var prefixes = ["GITHUB_WORKSPACE", "CI_PROJECT_DIR", "WORKSPACE"].compactMap { environment[$0] }
            .filter { !$0.isEmpty }.map(PathNormalizer.trimSlash)
        if let root { prefixes.insert(root, at: 0) }
        self.workspacePrefixes = prefixes
    }

    /// The repository-relative spelling of `raw`; absolute paths that cannot be related to the
    /// repository are returned cleaned but absolute.
    public func normalize(_ raw: String) -> String {
        if PathNormalizer.isAlreadyNormalized(raw) { return raw }
        var path = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if path.hasPrefix("file://") {
            path = String(path.dropFirst("file://".count))
            if let decoded = path.removingPercentEncoding { path = decoded }
            // file:///C:/x → C:/x
            if path.count > 3, path.hasPrefix("/"), Array(path)[2] == ":" { path.removeFirst() }
        }
        path = PathNormalizer.decodeSeparatorsAndDots(path)
        path = path.replacingOccurrences(of: "\\", with: "/")
        path = PathNormalizer.resolveDots(path)
        if path.hasPrefix("/") || PathNormalizer.hasDrive(path) {
            return relativize(path)
        }
        return path
    }

    /// `%2e`, `%2f` and `%5c` (any case) as the `.`, `/` and `\` they stand for: a report may
    /// spell `..` that way, and every glob, waiver, diff and fingerprint must see the real segments.
    static func decodeSeparatorsAndDots(_ path: String) -> String {
        guard path.contains("%") else { return path }
        var result = path
        for (encoded, plain) in [("%2e", "."), ("%2f", "/"), ("%5c", "\\")] {
            result = result.replacingOccurrences(of: encoded, with: plain, options: .caseInsensitive)
        }
        return result
    }

    /// Resolves `.`, `..` and empty segments lexically (the file system is never asked). A
    /// relative path that climbs above its start keeps its leading `..` segments, which
    /// ``climbsAboveRoot(_:)`` detects; above `/` (or a drive) there is nothing, as in POSIX.
    static func resolveDots(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".":
                continue
            case "..":
                if let last = segments.last, last != "..", !(segments.count == 1 && hasDrive(last + "/")) {
                    segments.removeLast()
                } else if !absolute && !(segments.first.map { hasDrive($0 + "/") } ?? false) {
                    segments.append(segment)
                }
            default:
                segments.append(segment)
            }
        }
        let joined = segments.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty && !path.isEmpty ? "." : joined
    }

    /// Whether a normalised path leaves the repository: it starts with a `..` segment.
    public static func climbsAboveRoot(_ normalized: String) -> Bool {
        normalized == ".." || normalized.hasPrefix("../")
    }

    /// True when ``normalize(_:)`` would return `raw` unchanged: a relative, `/`-separated,
    /// printable-ASCII path with no empty or `./` segments. One byte pass instead of the string
    /// rewriting below; large reports (a 50 MB Trivy scan) carry tens of thousands of such paths.
    static func isAlreadyNormalized(_ raw: String) -> Bool {
        var count = 0
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        var segmentLength = 0
        for byte in raw.utf8 {
            let printable = byte > 0x20 && byte < 0x7F
            guard printable || (byte == 0x20 && count > 0), byte != UInt8(ascii: "\\"), byte != UInt8(ascii: "%") else { return false }
            if byte == UInt8(ascii: "/") {
                // "../" or "x/../"
                if previous == UInt8(ascii: "."), beforePrevious == UInt8(ascii: "."), count == 2 || segmentLength == 2 { return false }
                segmentLength = 0
            } else {
                segmentLength += 1
            }
            if byte == UInt8(ascii: "/") {
                if count == 0 || previous == UInt8(ascii: "/") { return false }  // absolute, or "//"
                if previous == UInt8(ascii: "."), count == 1 || beforePrevious == UInt8(ascii: "/") { return false }  // "./"
            }
            if byte == UInt8(ascii: ":"), count == 1 { return false }  // a drive, "C:"
            beforePrevious = previous
            previous = byte
            count += 1
        }
        // A last segment of "." or "..".
        if previous == UInt8(ascii: "."), segmentLength == 1 || (segmentLength == 2 && beforePrevious == UInt8(ascii: ".")) { return false }
        return count > 0 && previous != 0x20
    }

    /// Joins a base folder (a Cobertura `<source>`, a SARIF base URI) and a relative path,
    /// then normalises.
    public func normalize(_ raw: String, under base: String) -> String {
        let cleanedBase = normalize(base)
        let cleaned = normalize(raw)
        if cleaned.hasPrefix("/") || PathNormalizer.hasDrive(cleaned) || cleanedBase.isEmpty || cleanedBase == "." {
            return cleaned
        }
        return normalize(PathNormalizer.trimSlash(cleanedBase) + "/" + cleaned)
    }

    /// Whether a repository-relative path names an existing file (false when the root is unknown).
    public func exists(_ relative: String) -> Bool {
        guard let repositoryRoot, !relative.hasPrefix("/") else { return false }
        return FileManager.default.fileExists(atPath: repositoryRoot + "/" + relative)
    }

    private func relativize(_ absolute: String) -> String {
        for prefix in workspacePrefixes where absolute.hasPrefix(prefix + "/") {
            return String(absolute.dropFirst(prefix.count + 1))
        }
        if let stripped = PathNormalizer.stripRunnerPrefix(absolute) { return stripped }
        if let suffix = existingSuffix(of: absolute) { return suffix }
        return absolute
    }

    /// For an absolute path from another machine (`/tmp/build/proj/pkg/a.py`), the longest tail
    /// of it that names a file in this repository (`pkg/a.py`).
    private func existingSuffix(of absolute: String) -> String? {
        guard repositoryRoot != nil else { return nil }
        let parts = absolute.split(separator: "/").map(String.init)
        guard parts.count > 1 else { return nil }
        for start in 1..<parts.count {
            let candidate = parts[start...].joined(separator: "/")
            if exists(candidate) { return candidate }
        }
        return nil
    }

    /// Well-known CI checkout folders: GitHub-hosted runners, GitLab's `/builds`, Jenkins agents.
    static func stripRunnerPrefix(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        func drop(_ count: Int) -> String? {
            parts.count > count ? parts.dropFirst(count).joined(separator: "/") : nil
        }
        if path.hasPrefix("/home/runner/work/") { return drop(5) }  // /home/runner/work/repo/repo/…
        if path.hasPrefix("/github/workspace/") { return drop(2) }  // container actions
        if path.hasPrefix("/builds/") { return drop(3) }  // /builds/group/project/…
        if let index = parts.firstIndex(of: "workspace"), index >= 1, parts.count > index + 2,
            path.contains("jenkins")
        {
            return parts.dropFirst(index + 2).joined(separator: "/")  // …/jenkins/workspace/job/…
        }
        return nil
    }

    static func hasDrive(_ path: String) -> Bool {
        let chars = Array(path.prefix(3))
        return chars.count == 3 && chars[0].isLetter && chars[1] == ":" && chars[2] == "/"
    }

    static func trimSlash(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
