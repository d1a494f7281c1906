/// Every JSON shape safety has written (FORMATS.md §3), told apart by the document itself:
/// a top-level array is 1.x `check --json`; an object with `scan_results` is 3.x
/// `scan --output json`; an object with `report_meta` or `vulnerabilities` is 2.x / 3.x
/// `check --json`. Only the fields qgate uses are declared.
enum SafetyDocument: Decodable {
    case legacy([SafetyLegacyRow])
    case check(SafetyCheckReport)
    case scan(SafetyScanReport)

    private enum ProbeKey: String, CodingKey {
        case scanResults = "scan_results", reportMeta = "report_meta", vulnerabilities
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: ProbeKey.self) {
            if object.contains(.scanResults) {
                self = .scan(try SafetyScanReport(from: decoder))
            } else if object.contains(.reportMeta) || object.contains(.vulnerabilities) {
                self = .check(try SafetyCheckReport(from: decoder))
            } else {
                throw JSONShapeError(
                    codingPath: decoder.codingPath,
                    reason:
                        "an object that is neither a safety check report (report_meta, vulnerabilities) nor a safety scan report (scan_results)"
                )
            }
        } else if (try? decoder.unkeyedContainer()) != nil {
            self = .legacy(try [SafetyLegacyRow](from: decoder))
        } else {
            throw JSONShapeError(
                codingPath: decoder.codingPath,
                reason:
                    "expected a safety report (an object, or a list of lists from safety 1.x), found another JSON value")
        }
    }
}

// MARK: - 1.x

/// One safety 1.x row: `[name, spec, version, advisory, vuln_id]`, with `cvssv2, cvssv3`
/// appended from 1.10 on (null without an API key).
struct SafetyLegacyRow: Decodable {
    var name: String
    var spec: String
    var version: String
    var advisory: String?
    var id: SafetyIdentifier
    var cvss: SafetyCVSS

    init(from decoder: any Decoder) throws {
        var row = try decoder.unkeyedContainer()
        guard let count = row.count, (5...7).contains(count) else {
            throw JSONShapeError(
                codingPath: decoder.codingPath,
                reason:
                    "a safety 1.x row has 5 or 7 fields (name, spec, version, advisory, id[, cvssv2, cvssv3]), found \(row.count ?? 0)")
        }
        name = try row.decode(String.self)
        spec = try row.decode(String.self)
        version = try row.decode(String.self)
        advisory = try row.decodeIfPresent(String.self)
        id = try row.decode(SafetyIdentifier.self)
        let cvssv2 = row.isAtEnd ? nil : try row.decode(SafetyLegacyScore.self).score
        let cvssv3 = row.isAtEnd ? nil : try row.decode(SafetyLegacyScore.self).score
        cvss = SafetyCVSS(cvssv2: cvssv2, cvssv3: cvssv3)
    }
}

/// A 1.10 `cvssv2`/`cvssv3` cell: the API's score object, a bare number, or null.
private struct SafetyLegacyScore: Decodable {
    var score: SafetyCVSSScore?

    init(from decoder: any Decoder) throws {
        if (try? decoder.container(keyedBy: SafetyCVSSScore.CodingKeys.self)) != nil {
            score = try SafetyCVSSScore(from: decoder)
        } else {
            score = try LenientNumber(from: decoder).value.map { SafetyCVSSScore(baseScore: $0, baseSeverity: nil) }
        }
    }
}

// MARK: - 2.x / 3.x check

/// `safety check --json` from 2.x on (3.x `check` writes the same, between banners).
struct SafetyCheckReport: Decodable {
    var reportMeta: Meta?
    var vulnerabilities: [SafetyCheckVulnerability]
    var ignoredVulnerabilities: [SafetyCheckVulnerability]?

    struct Meta: Decodable {
        var scanTarget: String?
        var scanned: [String]?
        var scannedFullPath: [String]?

        enum CodingKeys: String, CodingKey {
            case scanTarget = "scan_target", scanned, scannedFullPath = "scanned_full_path"
        }
    }

    enum CodingKeys: String, CodingKey {
        case reportMeta = "report_meta", vulnerabilities, ignoredVulnerabilities = "ignored_vulnerabilities"
    }
}

/// One `vulnerabilities[]` / `ignored_vulnerabilities[]` entry, with every spelling seen:
/// `vulnerable_spec` list or string, `analyzed_requirement` object or string, `ignored` bool
/// or object, `CVE` string, null or (2.0.0dev6) an object carrying the CVSS scores.
struct SafetyCheckVulnerability: Decodable {
    var vulnerabilityID: SafetyIdentifier
    var packageName: String
    var analyzedVersion: String?
    var analyzedRequirement: SafetyRequirement?
    var vulnerableSpec: SafetySpecs?
    var advisory: String?
    var cve: SafetyCVEField?
    var severity: SafetyCVSS?
    var fixedVersions: [String]?
    var ignored: SafetyIgnoredFlag?

    enum CodingKeys: String, CodingKey {
        case vulnerabilityID = "vulnerability_id", packageName = "package_name", analyzedVersion = "analyzed_version"
        case analyzedRequirement = "analyzed_requirement", vulnerableSpec = "vulnerable_spec", advisory
        case cve = "CVE", severity, fixedVersions = "fixed_versions", ignored
    }
}

/// `analyzed_requirement`: `{raw, specifier, found, …}` (2.0b1, 3.7) or a bare specifier
/// string `"==0.1.0"` (2.4.0dev).
struct SafetyRequirement: Decodable {
    var specifier: String?
    /// The requirements file the requirement came from (3.x), as an absolute path.
    var found: String?

    private enum CodingKeys: String, CodingKey { case specifier, found }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: CodingKeys.self) {
            specifier = try? object.decodeIfPresent(String.self, forKey: .specifier)
            found = try? object.decodeIfPresent(String.self, forKey: .found)
        } else {
            specifier = try decoder.singleValueContainer().decode(String.self)
            found = nil
        }
    }
}

/// The `CVE` field: `"CVE-2022-22818"`, null, or `{name, cvssv2, cvssv3}` (2.0.0dev6; see the
/// judgment call in RealReportExpectations.swift: its scores are used when `severity` is absent).
struct SafetyCVEField: Decodable {
    var name: String?
    var cvss: SafetyCVSS?

    private enum CodingKeys: String, CodingKey { case name }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: CodingKeys.self) {
            name = try object.decodeIfPresent(String.self, forKey: .name)
            cvss = try SafetyCVSS(from: decoder)
        } else {
            name = try decoder.singleValueContainer().decode(String.self)
            cvss = nil
        }
    }
}

/// `ignored`: `false`/`true` in 2.x, an object in 3.7 (`{}` when not ignored), null in 3.x scan.
/// True, a non-empty object or a non-empty string mean ignored.
struct SafetyIgnoredFlag: Decodable {
    var isIgnored: Bool

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            isIgnored = !object.allKeys.isEmpty
            return
        }
        let value = try decoder.singleValueContainer()
        if let flag = try? value.decode(Bool.self) {
            isIgnored = flag
        } else if let text = try? value.decode(String.self) {
            isIgnored = !text.isEmpty
        } else {
            throw DecodingError.dataCorruptedError(in: value, debugDescription: "expected true, false, null or an object")
        }
    }
}

/// `vulnerable_spec`: a list (`["<0.2.0"]`, 2.0b1 and 3.7) or a string (`">=4.0a1,<4.0.2"`, 2.4).
struct SafetySpecs: Decodable {
    var specs: [String]

    init(from decoder: any Decoder) throws {
        if let list = try? [String](from: decoder) {
            specs = list
        } else {
            specs = [try decoder.singleValueContainer().decode(String.self)]
        }
    }

    /// Several specs are alternatives (any of them matches), so they are joined with `||`:
    /// a comma would read as "and" in a PEP 440 specifier.
    var joined: String? {
        let nonEmpty = specs.filter { !$0.isEmpty }
        return nonEmpty.isEmpty ? nil : nonEmpty.joined(separator: " || ")
    }
}

/// A vulnerability id written as a string (`"44742"`) or, defensively, a number.
struct SafetyIdentifier: Decodable {
    var value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text.trimmingCharacters(in: .whitespaces)
        } else if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected a string or a number"))
        }
    }
}

/// `severity` (or the 2.0.0dev6 `CVE` object): CVSS v2 and v3 scores; null without an API key.
struct SafetyCVSS: Decodable {
    var cvssv2: SafetyCVSSScore?
    var cvssv3: SafetyCVSSScore?
}

/// One CVSS block. Only the base score and (v3) the base severity word matter.
struct SafetyCVSSScore: Decodable {
    var baseScore: Double?
    var baseSeverity: String?

    enum CodingKeys: String, CodingKey { case baseScore = "base_score", baseSeverity = "base_severity" }

    init(baseScore: Double?, baseSeverity: String?) {
        self.baseScore = baseScore
        self.baseSeverity = baseSeverity
    }

    init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: CodingKeys.self)
        baseScore = try object.decodeIfPresent(LenientNumber.self, forKey: .baseScore)?.value
        baseSeverity = try object.decodeIfPresent(String.self, forKey: .baseSeverity)
    }
}

// MARK: - 3.x scan

/// `safety scan --output json` (`schema_version: "3.0"`): vulnerabilities sit under
/// dependency specifications, in `scan_results.files[]` and `scan_results.projects[].files[]`.
struct SafetyScanReport: Decodable {
    var meta: Meta?
    var scanResults: Results

    struct Meta: Decodable {
        var scanLocations: [String]?
        enum CodingKeys: String, CodingKey { case scanLocations = "scan_locations" }
    }

    struct Results: Decodable {
        var files: [File]?
        var projects: [Project]?
    }

    struct Project: Decodable {
        var location: String?
        var files: [File]?
    }

    struct File: Decodable {
        var location: String?
        var results: FileResults?
    }

    struct FileResults: Decodable {
        var dependencies: [Dependency]?
    }

    struct Dependency: Decodable {
        var name: String
        var specifications: [Specification]?
    }

    struct Specification: Decodable {
        /// The requirement line, e.g. `werkzeug==3.1.4`.
        var raw: String?
        var vulnerabilities: Vulnerabilities?
    }

    struct Vulnerabilities: Decodable {
        var knownVulnerabilities: [KnownVulnerability]?
        var remediation: Remediation?

        enum CodingKeys: String, CodingKey { case knownVulnerabilities = "known_vulnerabilities", remediation }
    }

    struct KnownVulnerability: Decodable {
        var id: SafetyIdentifier
        var ignored: SafetyIgnoredFlag?
        var vulnerableSpec: SafetySpecs?

        enum CodingKeys: String, CodingKey { case id, ignored, vulnerableSpec = "vulnerable_spec" }
    }

    struct Remediation: Decodable {
        var recommended: LenientString?
    }

    enum CodingKeys: String, CodingKey { case meta, scanResults = "scan_results" }
}
