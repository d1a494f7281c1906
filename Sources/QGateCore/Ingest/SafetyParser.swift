import Foundation

/// Reads every JSON shape safety writes (FORMATS.md §3: 1.x list of lists, 2.x / 3.x
/// `check --json`, 3.x `scan --output json`) into `vulnerability` findings about dependencies,
/// so that a gate can say "no known-vulnerable dependency" whichever safety a project pins.
///
/// Mapping decisions:
/// - One finding per (package, safety vulnerability id) within a report; a repeat is merged
///   into the first, which stays unsuppressed if any copy is not ignored.
/// - `ruleID` is safety's id (`44742`); `advisories` are the CVE (or other ids safety gives in
///   its `CVE` field) first, then the safety id spelled `SAFETY-44742`, so the fingerprint's
///   primary advisory is the CVE that Trivy reports too.
/// - Severity: CVSS v3 `base_severity`, else the v3 base score bands, else the v2 base score
///   (≥ 7 high, ≥ 4 medium, else low), else **high**: a known-vulnerable dependency is
///   fail-closed until triaged (1.x and 3.x scan always end here).
/// - Ignored vulnerabilities are kept with `suppressed = true`.
/// - `path` is the requirements file when the report names it, else nil (environment scans).
/// - safety 3.x `check` prints a DEPRECATED banner before and after its JSON: the JSON value is
///   cut out and one warning says so.
public struct SafetyParser: ReportParser {
    public init() {}

    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        let raw = try source.readAll()
        try JSONReport.checkUTF8(raw, source: source)
        let (json, leadingBytes, bannerSkipped) = Self.extractJSON(raw)
        let document = try Self.decode(json, source: source, in: raw, leadingBytes: leadingBytes)
        var diagnostics: [Diagnostic] = []
        if bannerSkipped {
            diagnostics.append(
                Diagnostic(
                    .warning, file: source.displayPath,
                    "text around the JSON was skipped (safety 3.x prints a DEPRECATED banner around `check --json` output)"))
        }
        let findings = SafetyVulnerability.deduplicated(document.vulnerabilities).map { $0.finding(paths: context.paths) }
        return ParsedReport(format: .safetyJSON, tool: "safety", findings: findings, diagnostics: diagnostics)
    }

    /// The one JSON value in `raw` without any banner before or text after it, how many bytes
    /// preceded it, and whether anything but whitespace was cut.
    static func extractJSON(_ raw: Data) -> (json: Data, leadingBytes: Int, skipped: Bool) {
        let (json, skippedBefore) = JSONReport.skippingBanner(raw)
        let leadingBytes = raw.count - json.count
        guard let length = JSONReport.firstValueLength(json), length < json.count else {
            return (json, leadingBytes, skippedBefore)
        }
        let trailing = json.dropFirst(length)
        let skippedAfter = !trailing.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return (Data(json.prefix(length)), leadingBytes, skippedBefore || skippedAfter)
    }

    /// Decodes the document; a syntax error's position is given in the whole file, not in the
    /// JSON cut out of it.
    private static func decode(_ json: Data, source: ReportSource, in raw: Data, leadingBytes: Int) throws -> SafetyDocument {
        do {
            return try JSONReport.decode(SafetyDocument.self, from: json, source: source)
        } catch IngestError.malformed(let file, let line, let column, let reason) where leadingBytes > 0 {
            let (bannerLine, bannerColumn) = JSONReport.lineAndColumn(ofByte: leadingBytes, in: raw)
            throw IngestError.malformed(
                file: file, line: bannerLine + line - 1,
                column: line == 1 ? bannerColumn + column - 1 : column, reason: reason)
        }
    }
}

/// One vulnerable (package, advisory) pair, as any safety shape states it, before it becomes
/// a ``Finding``.
struct SafetyVulnerability {
    var id: String
    var package: String
    var installedVersion: String?
    var affectedSpec: String?
    var fixedVersions: [String] = []
    var advisory: String?
    /// What safety's `CVE` field holds: usually one CVE id, sometimes a PVE id or a list.
    var otherIDs: [String] = []
    var cvss: SafetyCVSS?
    var ignored = false
    /// The requirements file as the report spells it, before normalisation.
    var requirementsFile: String?

    /// First occurrence per (normalised package name, id) wins; it is suppressed only if
    /// every occurrence is ignored.
    static func deduplicated(_ vulnerabilities: [SafetyVulnerability]) -> [SafetyVulnerability] {
        var out: [SafetyVulnerability] = []
        var indexByKey: [String: Int] = [:]
        for vulnerability in vulnerabilities {
            let key = DependencyInfo(name: vulnerability.package).normalizedName + "\u{1F}" + vulnerability.id
            if let index = indexByKey[key] {
                out[index].ignored = out[index].ignored && vulnerability.ignored
            } else {
                indexByKey[key] = out.count
                out.append(vulnerability)
            }
        }
        return out
    }

    func finding(paths: PathNormalizer) -> Finding {
        Finding(
            tool: "safety", category: .vulnerability, ruleID: id, severity: severity,
            path: requirementsFile.map { paths.normalize($0) }, message: message,
            dependency: DependencyInfo(
                name: package, installedVersion: installedVersion, affectedSpec: affectedSpec,
                fixedVersions: fixedVersions.filter { !$0.isEmpty }),
            advisories: advisories, suppressed: ignored)
    }

    /// CVE first, then GHSA, PYSEC and other ids, then safety's own as `SAFETY-<id>`.
    var advisories: [String] {
        func rank(_ advisory: String) -> Int {
            let upper = advisory.uppercased()
            if upper.hasPrefix("CVE-") { return 0 }
            if upper.hasPrefix("GHSA-") { return 1 }
            if upper.hasPrefix("PYSEC-") { return 2 }
            return 3
        }
        var ids: [String] = []
        for other in otherIDs where !other.isEmpty && !ids.contains(other) { ids.append(other) }
        let ranked = ids.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        return ranked + ["SAFETY-\(id)"]
    }

    var message: String {
        if let advisory = advisory?.trimmingCharacters(in: .whitespacesAndNewlines), !advisory.isEmpty {
            return advisory
        }
        let subject = [package, installedVersion].compactMap { $0 }.joined(separator: " ")
        let spec = affectedSpec.map { " (\($0))" } ?? ""
        return "\(subject) is affected by \(id)\(spec)"
    }

    /// FORMATS.md "Safety severity map".
    var severity: Severity {
        if let word = cvss?.cvssv3?.baseSeverity, let severity = Severity(word: word) { return severity }
        if let score = cvss?.cvssv3?.baseScore { return Severity(score: score) }
        if let score = cvss?.cvssv2?.baseScore {
            switch score {
            case 7...: return .high
            case 4..<7: return .medium
            default: return .low
            }
        }
        return .high
    }
}

extension SafetyDocument {
    /// Every vulnerability the report states, in report order, ignored ones included.
    var vulnerabilities: [SafetyVulnerability] {
        switch self {
        case .legacy(let rows): rows.map(SafetyVulnerability.init(legacy:))
        case .check(let report): report.allVulnerabilities
        case .scan(let report): report.allVulnerabilities
        }
    }
}

extension SafetyVulnerability {
    init(legacy row: SafetyLegacyRow) {
        self.init(
            id: row.id.value, package: row.name, installedVersion: row.version.nonEmpty,
            affectedSpec: row.spec.nonEmpty, advisory: row.advisory, cvss: row.cvss)
    }
}

extension SafetyCheckReport {
    var allVulnerabilities: [SafetyVulnerability] {
        vulnerabilities.map { vulnerability($0, ignored: $0.ignored?.isIgnored ?? false) }
            + (ignoredVulnerabilities ?? []).map { vulnerability($0, ignored: true) }
    }

    private func vulnerability(_ entry: SafetyCheckVulnerability, ignored: Bool) -> SafetyVulnerability {
        let pinned = entry.analyzedRequirement?.specifier.flatMap(SafetyText.pinnedVersion(inSpecifier:))
        return SafetyVulnerability(
            id: entry.vulnerabilityID.value, package: entry.packageName,
            installedVersion: entry.analyzedVersion?.nonEmpty ?? pinned,
            affectedSpec: entry.vulnerableSpec?.joined, fixedVersions: entry.fixedVersions ?? [],
            advisory: entry.advisory, otherIDs: SafetyText.ids(in: entry.cve?.name),
            cvss: entry.severity ?? entry.cve?.cvss, ignored: ignored,
            requirementsFile: requirementsFile(found: entry.analyzedRequirement?.found))
    }

    /// The file a vulnerable requirement came from: the `scanned` entry whose full path is the
    /// requirement's `found`, else the only scanned file; nil for environment scans.
    private func requirementsFile(found: String?) -> String? {
        guard let meta = reportMeta, meta.scanTarget == "files" else { return nil }
        let scanned = meta.scanned ?? []
        if let found {
            if let index = meta.scannedFullPath?.firstIndex(of: found), index < scanned.count { return scanned[index] }
            return found
        }
        return scanned.count == 1 ? scanned[0] : nil
    }
}

extension SafetyScanReport {
    var allVulnerabilities: [SafetyVulnerability] {
        let topLevel = (scanResults.files ?? []).flatMap {
            vulnerabilities(in: $0, under: meta?.scanLocations?.count == 1 ? meta?.scanLocations?.first : nil)
        }
        let inProjects = (scanResults.projects ?? []).flatMap { project in
            (project.files ?? []).flatMap { vulnerabilities(in: $0, under: project.location) }
        }
        return topLevel + inProjects
    }

    private func vulnerabilities(in file: File, under root: String?) -> [SafetyVulnerability] {
        let path = file.location.map { SafetyText.path($0, relativeTo: root) }
        var out: [SafetyVulnerability] = []
        for dependency in file.results?.dependencies ?? [] {
            for specification in dependency.specifications ?? [] {
                let version = specification.raw.flatMap(SafetyText.pinnedVersion(inRequirement:))
                let recommended = specification.vulnerabilities?.remediation?.recommended?.value
                for known in specification.vulnerabilities?.knownVulnerabilities ?? [] {
                    out.append(
                        SafetyVulnerability(
                            id: known.id.value, package: dependency.name, installedVersion: version,
                            affectedSpec: known.vulnerableSpec?.joined, fixedVersions: recommended.map { [$0] } ?? [],
                            ignored: known.ignored?.isIgnored ?? false, requirementsFile: path))
                }
            }
        }
        return out
    }
}

/// Small readings of the strings safety writes.
enum SafetyText {
    /// `werkzeug==3.1.4`, `flask[async]==3.0.0 ; python_version >= "3.8"` → the pinned version.
    static func pinnedVersion(inRequirement raw: String) -> String? {
        guard let range = raw.range(of: "==") else { return nil }
        return pinnedVersion(inSpecifier: String(raw[range.lowerBound...]))
    }

    /// `==0.1.0` → `0.1.0`; nil for anything but one exact pin (`>=1.0`, `==1.*`).
    static func pinnedVersion(inSpecifier specifier: String) -> String? {
        var rest = Substring(specifier.trimmingCharacters(in: .whitespaces))
        guard rest.hasPrefix("==") else { return nil }
        rest = rest.drop(while: { $0 == "=" })
        let version = rest.prefix(while: { !$0.isWhitespace && $0 != ";" && $0 != "," && $0 != "#" })
        guard !version.isEmpty, !version.contains("*") else { return nil }
        return String(version)
    }

    /// `CVE-2021-1, CVE-2021-2` → both; nil → none.
    static func ids(in field: String?) -> [String] {
        (field ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    /// A scan file location relative to the scanned project folder when it lies inside it.
    static func path(_ location: String, relativeTo root: String?) -> String {
        guard var root, !root.isEmpty else { return location }
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        return location.hasPrefix(root + "/") ? String(location.dropFirst(root.count + 1)) : location
    }
}

extension String {
    /// nil for the empty string, which safety writes where it means "none".
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
