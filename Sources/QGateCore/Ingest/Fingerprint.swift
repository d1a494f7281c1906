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
///    numbers masked when there is no source line: line numbers are never part of it. A
///    finding about the whole file (no line, or line 1: pylint's `missing-module-docstring`,
///    `too-many-lines`) is keyed on its message even when the report quotes line 1, so adding a
///    shebang does not make it new.
///
/// Identical keys within one report get an occurrence index (`…:0`, `…:1`) in line order, so
/// two copies neither collapse into one nor hide a third.
///
/// The recipe is versioned and each stored report records the version its findings were
/// identified with. Version 2 (file-level findings keyed on the message; bandit JSON quoting the
/// first line of the flagged range) changed only those findings' fingerprints: every other
/// fingerprint is the same as version 1's, byte for byte (the hashed tag stays `v1`), so waivers
/// by fingerprint keep working. Comparing with a baseline identified by an older version pairs
/// what the versions key differently by tool, rule, path and message (``FindingComparison``).
public enum FingerprintRecipe {
    public static let version = 2
    /// Hashed into every fingerprint; unchanged since version 1 so that unchanged recipes give
    /// unchanged fingerprints.
    static let hashTag = "v1"

    /// Assigns `fingerprint` to every finding, in place.
    public static func assign(_ findings: inout [Finding]) {
        // Sort keys copied out once: comparing `Finding`s in place would copy (retain and
        // release) every field of both on each of the n·log n comparisons.
        let positions = findings.map { (path: $0.path ?? "", line: $0.range.startLine ?? 0, column: $0.range.startColumn ?? 0) }
        let order = positions.indices.sorted { a, b in
            let (x, y) = (positions[a], positions[b])
            if x.line != y.line || x.column != y.column || x.path != y.path {
                return (x.path, x.line, x.column) < (y.path, y.line, y.column)
            }
            return a < b
        }
        var occurrences: [String: Int] = [:]
        occurrences.reserveCapacity(findings.count)
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
            return "t" + hash([hashTag, finding.tool, finding.ruleID, toolFingerprint])
        }
        if let dependency = finding.dependency, let advisory = primaryAdvisory(finding) {
            return "d" + hash([hashTag, advisory.uppercased(), dependency.normalizedName, dependency.installedVersion ?? ""])
        }
        let content =
            isFileLevel(finding)
            ? normalizedMessage(finding.message)
            : finding.snippet.map(normalizeSource) ?? normalizedMessage(finding.message)
        return "c" + hash([hashTag, finding.tool, finding.ruleID, finding.path ?? "", content])
    }

    /// A finding about a whole file: no line, or line 1, where tools put what concerns the file
    /// (the text of line 1 says nothing about it).
    public static func isFileLevel(_ finding: Finding) -> Bool {
        (finding.range.startLine ?? 1) <= 1
    }

    /// The advisory id two scanners are most likely to agree on: a CVE, else a GHSA, else PYSEC,
    /// else whatever the tool calls it.
    public static func primaryAdvisory(_ finding: Finding) -> String? {
        let ids = finding.advisories.isEmpty ? [finding.ruleID] : finding.advisories
        for prefix: StaticString in ["CVE-", "GHSA-", "PYSEC-"] {
            if let id = ids.first(where: { hasPrefixIgnoringASCIICase($0, prefix) }) { return id }
        }
        return ids.first
    }

    /// Whether `text` starts with `prefix` (upper-case ASCII) in any case; `uppercased()` would
    /// allocate a new string for every finding.
    static func hasPrefixIgnoringASCIICase(_ text: String, _ prefix: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        var utf8 = text.utf8.makeIterator()
        for byte in expected {
            guard let next = utf8.next() else { return false }
            let upper = next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z") ? next - 32 : next
            // Past ASCII, let Unicode decide, as `uppercased().hasPrefix` always did.
            if next >= 0x80 { return text.uppercased().hasPrefix(String(decoding: expected, as: UTF8.self)) }
            if upper != byte { return false }
        }
        if let next = utf8.next(), next >= 0x80 {  // a combining mark would join the prefix's last character
            return text.uppercased().hasPrefix(String(decoding: expected, as: UTF8.self))
        }
        return true
    }

    /// Whitespace runs (space, tab, LF, CR) collapsed to one space, ends trimmed.
    static func normalizeSource(_ text: String) -> String {
        if let bytes = ASCIIText.normalizedSource(text) { return String(decoding: bytes, as: UTF8.self) }
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// Each run of ASCII digits replaced by one `#`.
    static func maskNumbers(_ text: String) -> String {
        if let bytes = ASCIIText.maskedNumbers(Array(text.utf8)) { return String(decoding: bytes, as: UTF8.self) }
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

    /// `normalizeSource` then `maskNumbers`, in one pass over the bytes for ASCII text.
    static func normalizedMessage(_ text: String) -> String {
        if let normalized = ASCIIText.normalizedSource(text), let masked = ASCIIText.maskedNumbers(normalized) {
            return String(decoding: masked, as: UTF8.self)
        }
        return maskNumbers(normalizeSource(text))
    }

    /// SHA-256 of the parts joined by U+001F, fed to the hasher part by part rather than as
    /// one joined copy; the first 12 bytes in hex.
    static func hash(_ parts: [String]) -> String {
        var hasher = SHA256()
        let separator: [UInt8] = [0x1F]
        for (index, part) in parts.enumerated() {
            if index > 0 { hasher.update(data: separator) }
            var part = part
            part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hex(hasher.finalize().prefix(12))
    }

    /// Lower-case hex; `String(format:)` per byte is slow on Linux and this runs once per finding.
    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits: StaticString = "0123456789abcdef"
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits.utf8Start[Int(byte >> 4)])
            out.append(digits.utf8Start[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Byte-level versions of the fingerprint's text normalisations, for text that is all ASCII
/// (nearly all of it). They give exactly what the `Character`-based versions give: in ASCII a
/// `Character` is one byte, except CR LF, which is one `Character` equal to neither CR nor LF,
/// so a CR LF pair is kept as text rather than treated as whitespace. Nil for non-ASCII text.
enum ASCIIText {
    static func normalizedSource(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { bytes -> [UInt8]? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                let isCRLF = byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A
                if !isCRLF && (byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D) {
                    pendingSpace = !out.isEmpty
                    index += 1
                    continue
                }
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
                if isCRLF {
                    out.append(0x0A)
                    index += 1
                }
                index += 1
            }
            return out
        }
    }

    static func maskedNumbers(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inNumber = false
        for byte in bytes {
            if byte >= 0x80 { return nil }
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if !inNumber { out.append(UInt8(ascii: "#")) }
                inNumber = true
            } else {
                out.append(byte)
                inNumber = false
            }
        }
        return out
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
