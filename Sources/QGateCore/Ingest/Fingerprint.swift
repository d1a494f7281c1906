import Crypto
import Foundation

/// Gives every finding an identity that survives unrelated edits, so that two runs can be
/// compared as new / fixed / unchanged.
///
/// Layered, best evidence first:
/// 1. `t:` the tool's own fingerprint (SARIF `fingerprints` / `partialFingerprints`);
/// 2. `d:` for dependency findings, advisory + package + installed version, deliberately
///    *without* the tool, so the same CVE from safety and Trivy is one vulnerability;
/// 3. `c:` tool + rule + path + the normalised flagged source line, or the message with
///    numbers masked when there is no source line: line numbers are never part of it.
///
/// Identical keys within one report get an occurrence index (`…:0`, `…:1`) in line order, so
/// two copies neither collapse into one nor hide a third. The recipe is versioned (`v1`); a
/// future change bumps the version rather than silently re-identifying history.
public enum FingerprintRecipe {
    public static let version = 1

    /// Assigns `fingerprint` to every finding, in place.
    public static func assign(_ findings: inout [Finding]) {
        let order = findings.indices.sorted { a, b in
            let (x, y) = (findings[a], findings[b])
            return (x.path ?? "", x.range.startLine ?? 0, x.range.startColumn ?? 0, a)
                < (y.path ?? "", y.range.startLine ?? 0, y.range.startColumn ?? 0, b)
        }
        var occurrences: [String: Int] = [:]
        for index in order {
            let key = identityKey(findings[index])
            let occurrence = occurrences[key, default: 0]
            occurrences[key] = occurrence + 1
            findings[index].fingerprint = "\(key):\(occurrence)"
        }
    }

    /// The fingerprint without its occurrence index.
    public static func identityKey(_ finding: Finding) -> String {
        if let toolFingerprint = finding.toolFingerprint, !toolFingerprint.isEmpty {
            return "t" + hash(["v\(version)", finding.tool, finding.ruleID, toolFingerprint])
        }
        if let dependency = finding.dependency, let advisory = primaryAdvisory(finding) {
            return "d" + hash(["v\(version)", advisory.uppercased(), dependency.normalizedName, dependency.installedVersion ?? ""])
        }
        let content = finding.snippet.map(normalizeSource) ?? maskNumbers(normalizeSource(finding.message))
        return "c" + hash(["v\(version)", finding.tool, finding.ruleID, finding.path ?? "", content])
    }

    /// The advisory id two scanners are most likely to agree on: a CVE, else a GHSA, else PYSEC,
    /// else whatever the tool calls it.
    public static func primaryAdvisory(_ finding: Finding) -> String? {
        let ids = finding.advisories.isEmpty ? [finding.ruleID] : finding.advisories
        for prefix in ["CVE-", "GHSA-", "PYSEC-"] {
            if let id = ids.first(where: { $0.uppercased().hasPrefix(prefix) }) { return id }
        }
        return ids.first
    }

    static func normalizeSource(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    static func maskNumbers(_ text: String) -> String {
        var out = ""
        var inNumber = false
        for ch in text {
            if ch.isASCII && ch.isNumber {
                if !inNumber { out.append("#") }
                inNumber = true
            } else {
                out.append(ch)
                inNumber = false
            }
        }
        return out
    }

    static func hash(_ parts: [String]) -> String {
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8))
        return hex(digest.prefix(12))
    }

    /// Lower-case hex; `String(format:)` per byte is slow on Linux and this runs once per finding.
    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SHA-256 of a file, streamed, for report identity ("ingesting the same content twice changes nothing").
public enum ContentHash {
    public static func sha256(of url: URL, displayPath: String) throws -> String {
        guard let stream = fopen(url.path, "rb") else {
            throw IngestError.unreadable(file: displayPath, reason: IngestError.reason(errno: errno))
        }
        defer { fclose(stream) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, 1 << 20, stream) }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        if ferror(stream) != 0 { throw IngestError.unreadable(file: displayPath, reason: "read error") }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
