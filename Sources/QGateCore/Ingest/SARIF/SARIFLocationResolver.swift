import Foundation

/// Turns a SARIF `artifactLocation` into a repository-relative path: follows `index` into
/// `run.artifacts`, resolves `uriBaseId` through `run.originalUriBaseIds` (whose own URIs may
/// be `file:///…`, or a bare `/` as in Trivy's 2021 template), percent-decodes, and hands the
/// result to the ``PathNormalizer``. Paths repeat a lot in large reports, so each distinct
/// location is resolved once.
struct SARIFLocationResolver {
    private let baseURIs: [String: SARIFArtifactLocation]
    private let artifacts: [SARIFArtifact]
    private let paths: PathNormalizer
    private var cache: [CacheKey: String?] = [:]

    private struct CacheKey: Hashable {
        let uri: String?
        let uriBaseId: String?
        let index: Int?
    }

    init(run: SARIFRun, paths: PathNormalizer) {
        baseURIs = run.originalUriBaseIds ?? [:]
        artifacts = run.artifacts ?? []
        self.paths = paths
    }

    mutating func path(of location: SARIFArtifactLocation) -> String? {
        let key = CacheKey(uri: location.uri, uriBaseId: location.uriBaseId, index: location.index)
        if let cached = cache[key] { return cached }
        let resolved = resolve(location)
        cache[key] = resolved
        return resolved
    }

    private func resolve(_ location: SARIFArtifactLocation) -> String? {
        var uri = location.uri
        var baseID = location.uriBaseId
        if uri == nil, let index = location.index, artifacts.indices.contains(index),
            let artifactLocation = artifacts[index].location
        {
            uri = artifactLocation.uri
            baseID = baseID ?? artifactLocation.uriBaseId
        }
        guard let uri, !uri.isEmpty else { return nil }
        if Self.isAbsolute(uri) { return paths.normalize(uri) }
        let relative = Self.percentDecoded(uri)
        guard let base = baseID.flatMap({ baseDirectory(named: $0, depth: 0) }) else {
            return paths.normalize(relative)
        }
        let joined = paths.normalize(relative, under: base)
        // DECISION: a base outside the repository (Trivy's `ROOTPATH` is the absolute scan
        // target; the repository root may be unknown) would leave an absolute path that
        // matches nothing; the uri relative to the scan target is the better guess.
        return Self.isAbsolute(joined) ? paths.normalize(relative) : joined
    }

    /// The folder a base id stands for, following nested bases; nil when unknown, or when it
    /// is the file-system root, which adds nothing to a relative path.
    private func baseDirectory(named id: String, depth: Int) -> String? {
        guard depth < 8, let base = baseURIs[id], let uri = base.uri, !uri.isEmpty else { return nil }
        let folder: String
        if Self.isAbsolute(uri) {
            folder = uri
        } else if let parent = base.uriBaseId.flatMap({ baseDirectory(named: $0, depth: depth + 1) }) {
            folder = parent + "/" + Self.percentDecoded(uri)
        } else {
            folder = Self.percentDecoded(uri)
        }
        let trimmed = folder.hasPrefix("file://") ? String(folder.dropFirst("file://".count)) : folder
        return trimmed.allSatisfy({ $0 == "/" }) ? nil : folder
    }

    static func isAbsolute(_ path: String) -> Bool {
        path.hasPrefix("file:") || path.hasPrefix("/") || PathNormalizer.hasDrive(path)
    }

    private static func percentDecoded(_ uri: String) -> String {
        uri.utf8.contains(UInt8(ascii: "%")) ? (uri.removingPercentEncoding ?? uri) : uri
    }
}
