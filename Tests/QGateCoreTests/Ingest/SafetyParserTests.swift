import Foundation
import QGateCore
import Testing

/// safety JSON in every shape: the project's own fixtures (made by safety 2.3.5 against a
/// local test database), the real reports from public projects, and every way a report can
/// be refused.
struct SafetyParserTests {
    static func read(_ source: ReportSource) throws -> ParsedReport {
        try ReportReader.read(source, as: .safetyJSON)
    }

    static func inline(_ json: String) throws -> ReportSource {
        try TestPaths.temporaryReport("safety.json", json)
    }

    static func finding(_ report: ParsedReport, _ id: String) throws -> Finding {
        try #require(report.findings.first { $0.ruleID == id })
    }

    // MARK: The project's fixtures (safety 2.3.5 check --json)

    @Test func mainFixtureHasOneFindingPerVulnerability() throws {
        let report = try Self.read(TestPaths.fixture("reports/main/safety.json"))
        #expect(report.tool == "safety")
        #expect(report.format == .safetyJSON)
        #expect(report.findings.map(\.ruleID) == ["900001", "900002", "900003", "900004", "900005"])
        #expect(report.findings.map(\.severity) == [.medium, .high, .high, .high, .critical])
        #expect(report.findings.allSatisfy { $0.tool == "safety" && $0.category == .vulnerability && !$0.suppressed })
        #expect(report.findings.allSatisfy { $0.path == "requirements.txt" && $0.range == SourceRange() })
        #expect(report.diagnostics.isEmpty)
    }

    @Test func dependencyAndAdvisoriesAreFilledIn() throws {
        let report = try Self.read(TestPaths.fixture("reports/main/safety.json"))
        let traversal = try Self.finding(report, "900001")
        #expect(
            traversal.dependency
                == DependencyInfo(
                    name: "django", installedVersion: "3.2.0",
                    affectedSpec: ">=3.2a1,<3.2.4", fixedVersions: ["3.2.4"]))
        #expect(traversal.advisories == ["CVE-2021-33203", "SAFETY-900001"])
        #expect(traversal.severity == .medium)  // cvssv3 base_severity MEDIUM (4.9)
        #expect(traversal.message.hasPrefix("Django 3.2.x before 3.2.4 has a potential directory traversal via admindocs"))

        // severity null: no CVSS at all → high until triaged.
        let redos = try Self.finding(report, "900004")
        #expect(redos.severity == .high)
        #expect(redos.dependency?.name == "jinja2")
        #expect(redos.dependency?.installedVersion == "2.10")
        #expect(redos.advisories == ["CVE-2020-28493", "SAFETY-900004"])
    }

    @Test func upgradedPackageDisappearsInThePullRequest() throws {
        let main = try Self.read(TestPaths.fixture("reports/main/safety.json"))
        let pr = try Self.read(TestPaths.fixture("reports/pr/safety.json"))
        #expect(pr.findings.map(\.ruleID) == ["900001", "900002", "900003", "900004"])
        let requests = try Self.finding(main, "900005")
        #expect(!pr.findings.contains { $0.fingerprint == requests.fingerprint })
        for id in ["900001", "900002", "900003", "900004"] {
            #expect(try Self.finding(main, id).fingerprint == Self.finding(pr, id).fingerprint)
        }
    }

    @Test func sameCVEOnSamePackageVersionIsOneVulnerabilityAcrossScanners() throws {
        let report = try Self.read(TestPaths.fixture("reports/main/safety.json"))
        let safety = try Self.finding(report, "900001")
        // What the Trivy parser produces for the same dependency (name spelled as PyPI shows it).
        let trivy = Finding(
            tool: "trivy", category: .vulnerability, ruleID: "CVE-2021-33203", severity: .medium,
            path: "requirements.txt", message: "django: potential directory traversal via admindocs",
            dependency: DependencyInfo(name: "Django", installedVersion: "3.2.0", fixedVersions: ["3.2.4", "3.1.12"]),
            advisories: ["CVE-2021-33203"])
        #expect(FingerprintRecipe.primaryAdvisory(safety) == "CVE-2021-33203")
        #expect(FingerprintRecipe.identityKey(safety) == FingerprintRecipe.identityKey(trivy))
        var otherVersion = trivy
        otherVersion.dependency?.installedVersion = "3.2.1"
        #expect(FingerprintRecipe.identityKey(safety) != FingerprintRecipe.identityKey(otherVersion))
    }

    // MARK: Real reports

    @Test(.enabled(if: TestPaths.haveRealReports))
    func legacyListOfLists() throws {
        let report = try Self.read(TestPaths.realReport("safety/safety-1.x-list-of-lists-5-fields.json"))
        #expect(report.findings.map(\.ruleID) == ["33063", "33064", "33065"])
        let first = try Self.finding(report, "33063")
        #expect(first.dependency == DependencyInfo(name: "django", installedVersion: "1.2.2", affectedSpec: "<1.2.7"))
        #expect(first.advisories == ["SAFETY-33063"])
        #expect(first.severity == .high)
        #expect(first.path == nil)
        #expect(first.message.hasPrefix("django.contrib.sessions in Django before 1.2.7"))
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func cvssInsideTheCVEObject() throws {
        let report = try Self.read(TestPaths.realReport("safety/safety-2.0.0dev6-with-severity-cvss-remediations.json"))
        #expect(try Self.finding(report, "44742").severity == .medium)  // severity.cvssv3 MEDIUM
        let multipart = try Self.finding(report, "44741")  // CVE object, cvssv3 HIGH 7.5
        #expect(multipart.severity == .high)
        #expect(multipart.advisories == ["CVE-2022-23833", "SAFETY-44741"])
        #expect(
            multipart.dependency
                == DependencyInfo(
                    name: "django", installedVersion: "4.0.1", affectedSpec: ">=4.0a1,<4.0.2",
                    fixedVersions: ["2.2.27", "3.2.12", "4.0.2"]))
        #expect(try Self.finding(report, "48041").severity == .critical)
        // An environment scan names no requirements file.
        #expect(multipart.path == nil)
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func olderCheckShapes() throws {
        let beta = try Self.read(TestPaths.realReport("safety/safety-2.0b1-check-json-report-meta.json"))
        let insecure = try Self.finding(beta, "25853")
        #expect(insecure.dependency == DependencyInfo(name: "insecure-package", installedVersion: "0.1.0", affectedSpec: "<0.2.0"))
        #expect(insecure.advisories == ["SAFETY-25853"])
        #expect(insecure.path == nil)

        let dev = try Self.read(TestPaths.realReport("safety/safety-2.4.0dev-policy-telemetry.json"))
        let same = try Self.finding(dev, "25853")
        #expect(same.dependency == DependencyInfo(name: "insecure-package", installedVersion: "0.1.0", affectedSpec: "<0.2.0"))
        #expect(same.path == "no_remediation.txt")
        #expect(same.fingerprint == insecure.fingerprint)
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func deprecationBannerIsSkippedWithOneWarning() throws {
        let path = "safety/safety-3.7.0-check-json-with-deprecation-banner.json"
        let report = try Self.read(TestPaths.realReport(path))
        #expect(report.findings.map(\.ruleID) == ["71600", "76244"])
        #expect(
            report.diagnostics == [
                Diagnostic(
                    .warning, file: path,
                    "text around the JSON was skipped (safety 3.x prints a DEPRECATED banner around `check --json` output)")
            ])
        let smuggling = try Self.finding(report, "71600")
        #expect(smuggling.path == "requirements.txt")  // found = scanned_full_path[0]
        #expect(smuggling.dependency == DependencyInfo(name: "gunicorn", installedVersion: "21.2.0", affectedSpec: "<22.0.0"))
        #expect(smuggling.advisories == ["CVE-2024-1135", "SAFETY-71600"])
        #expect(!smuggling.suppressed)  // ignored: {}
        #expect(smuggling.severity == .high)
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func scanOutputGathersProjectFiles() throws {
        let report = try Self.read(TestPaths.realReport("safety/safety-3.6.1-scan-output-json-schema-3.0.json"))
        let werkzeug = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(werkzeug.ruleID == "84324")
        #expect(werkzeug.path == "requirements.txt")
        #expect(
            werkzeug.dependency
                == DependencyInfo(
                    name: "werkzeug", installedVersion: "3.1.4", affectedSpec: "<3.1.5",
                    fixedVersions: ["3.1.5"]))
        #expect(werkzeug.message == "werkzeug 3.1.4 is affected by 84324 (<3.1.5)")
        #expect(werkzeug.advisories == ["SAFETY-84324"])
        #expect(werkzeug.severity == .high)
        #expect(!werkzeug.suppressed)
    }

    // MARK: Inline variants

    static func vulnerability(
        _ id: String = "1", package: String = "pkg", severity: String = "null",
        _ extra: String = ""
    ) -> String {
        """
        {"vulnerability_id": "\(id)", "package_name": "\(package)", "analyzed_version": "1.0",
         "vulnerable_spec": "<2.0", "advisory": "Bad.", "severity": \(severity), "fixed_versions": ["2.0", ""]\(extra)}
        """
    }

    static func check(_ vulnerabilities: [String], ignored: [String] = []) -> String {
        #"{"report_meta": {"scan_target": "environment"}, "vulnerabilities": [\#(vulnerabilities.joined(separator: ","))], "ignored_vulnerabilities": [\#(ignored.joined(separator: ","))]}"#
    }

    @Test(arguments: [
        (#"{"cvssv3": {"base_score": 9.1}}"#, Severity.critical),
        (#"{"cvssv3": {"base_score": "5.3"}}"#, .medium),
        (#"{"cvssv3": {"base_score": 9.8, "base_severity": "LOW"}}"#, .low),
        (#"{"cvssv2": {"base_score": 7.5}, "cvssv3": null}"#, .high),
        (#"{"cvssv2": {"base_score": 4.3}}"#, .medium),
        (#"{"cvssv2": {"base_score": 2.1}}"#, .low),
        (#"{"source": "CVE-1", "cvssv2": null, "cvssv3": null}"#, .high),
        ("null", .high),
    ])
    func severityFromCVSS(_ severity: String, _ expected: Severity) throws {
        let report = try Self.read(Self.inline(Self.check([Self.vulnerability("1", severity: severity)])))
        #expect(try #require(report.findings.first).severity == expected)
    }

    @Test func emptyFixedVersionsAreDropped() throws {
        let report = try Self.read(Self.inline(Self.check([Self.vulnerability()])))
        #expect(try #require(report.findings.first).dependency?.fixedVersions == ["2.0"])
    }

    @Test func oneFindingPerPackageAndAdvisory() throws {
        let report = try Self.read(
            Self.inline(
                Self.check([
                    Self.vulnerability("1", package: "Jinja2"),
                    Self.vulnerability("2", package: "Jinja2"),
                    Self.vulnerability("1", package: "jinja2"),
                    Self.vulnerability("1", package: "other"),
                ])))
        #expect(report.findings.map(\.ruleID) == ["1", "2", "1"])
        #expect(report.findings.map { $0.dependency?.name } == ["Jinja2", "Jinja2", "other"])
    }

    @Test func ignoredVulnerabilitiesAreKeptSuppressed() throws {
        let report = try Self.read(
            Self.inline(
                Self.check(
                    [
                        Self.vulnerability("1", #", "ignored": true"#),
                        Self.vulnerability("2", #", "ignored": {"reason": "not reachable", "expires": null}"#),
                        Self.vulnerability("3", #", "ignored": {}"#),
                        Self.vulnerability("4", #", "ignored": false"#),
                        Self.vulnerability("5", #", "ignored": null"#),
                    ], ignored: [Self.vulnerability("6")])))
        #expect(report.findings.map(\.ruleID) == ["1", "2", "3", "4", "5", "6"])
        #expect(report.findings.map(\.suppressed) == [true, true, false, false, false, true])
        #expect(FindingCounts(report.findings).suppressed == 3)
    }

    @Test func aDuplicateStaysLiveIfAnyCopyIsNotIgnored() throws {
        let report = try Self.read(Self.inline(Self.check([Self.vulnerability("1")], ignored: [Self.vulnerability("1")])))
        #expect(report.findings.count == 1)
        #expect(report.findings.first?.suppressed == false)
        let allIgnored = try Self.read(
            Self.inline(
                Self.check(
                    [Self.vulnerability("1", #", "ignored": true"#)],
                    ignored: [Self.vulnerability("1")])))
        #expect(allIgnored.findings.map(\.suppressed) == [true])
    }

    @Test func constructedMessageWhenThereIsNoAdvisoryText() throws {
        let report = try Self.read(
            Self.inline(
                Self.check([
                    Self.vulnerability("7").replacingOccurrences(of: #""advisory": "Bad.""#, with: #""advisory": null"#)
                ])))
        #expect(report.findings.first?.message == "pkg 1.0 is affected by 7 (<2.0)")
    }

    @Test func legacySevenFieldRowsCarryCVSS() throws {
        let json = #"""
            [["django", "<1.2.7", "1.2.2", "Bad.", "33063", null, {"base_score": 9.8, "base_severity": "CRITICAL"}],
             ["flask", "<0.12.3", "0.12", "Worse.", "36388", {"base_score": 5.0}, null]]
            """#
        let report = try Self.read(Self.inline(json))
        #expect(report.findings.map(\.severity) == [.critical, .medium])
    }

    @Test func scanResultsAtTopLevelAndInProjectsAreBothRead() throws {
        func file(_ location: String, _ name: String, _ raw: String, _ id: String, ignored: String = "null") -> String {
            """
            {"location": "\(location)", "type": "requirements.txt", "results": {"dependencies": [{"name": "\(name)",
              "specifications": [{"raw": "\(raw)", "vulnerabilities": {"known_vulnerabilities": [
                {"id": "\(id)", "ignored": \(ignored), "vulnerable_spec": "<9"}], "remediation": null}}]}]}}
            """
        }
        let json = """
            {"meta": {"scan_locations": ["/src/app"], "schema_version": "3.0"},
             "scan_results": {"files": [\(file("/src/app/requirements.txt", "flask", "flask[async]==2.0.1 ; python_version >= '3.8'", "1"))],
               "projects": [{"location": "/src/app", "files": [
                 \(file("/src/app/dev/requirements.txt", "pytest", "pytest>=7", "2", ignored: #"{"code": "ignored", "reason": "dev only"}"#)),
                 \(file("/src/app/requirements.txt", "flask", "flask==2.0.1", "1"))]}]}}
            """
        let report = try Self.read(Self.inline(json))
        #expect(report.findings.map(\.ruleID) == ["1", "2"])
        #expect(report.findings.map(\.path) == ["requirements.txt", "dev/requirements.txt"])
        #expect(report.findings.map { $0.dependency?.installedVersion } == ["2.0.1", nil])
        #expect(report.findings.map(\.suppressed) == [false, true])
    }

    // MARK: Refused reports

    static func error(_ json: String) throws -> IngestError? {
        let source = try Self.inline(json)
        return #expect(throws: IngestError.self) { try Self.read(source) }
    }

    @Test func vulnerabilitiesMustBeAList() throws {
        #expect(
            try Self.error(#"{"report_meta": {}, "vulnerabilities": null}"#)
                == .invalid(file: "safety.json", at: "vulnerabilities", reason: "expected an array, found null"))
        #expect(
            try Self.error(#"{"report_meta": {}, "vulnerabilities": {}}"#)
                == .invalid(file: "safety.json", at: "vulnerabilities", reason: "expected an array, found another type"))
        #expect(
            try Self.error(#"{"report_meta": {}}"#)
                == .invalid(file: "safety.json", at: "vulnerabilities", reason: "a required field is missing"))
    }

    @Test func anythingButAnObjectOrAListIsInvalid() throws {
        let reason = "expected a safety report (an object, or a list of lists from safety 1.x), found another JSON value"
        #expect(try Self.error("42") == .invalid(file: "safety.json", at: "", reason: reason))
        #expect(try Self.error(#""safety""#) == .invalid(file: "safety.json", at: "", reason: reason))
    }

    @Test func anUnknownObjectIsInvalid() throws {
        #expect(
            try Self.error(#"{"runs": []}"#)
                == .invalid(
                    file: "safety.json", at: "",
                    reason:
                        "an object that is neither a safety check report (report_meta, vulnerabilities) nor a safety scan report (scan_results)"
                ))
    }

    @Test func vulnerabilityFieldsAreChecked() throws {
        let noID = Self.vulnerability().replacingOccurrences(of: #""vulnerability_id": "1", "#, with: "")
        #expect(
            try Self.error(Self.check([Self.vulnerability(), noID]))
                == .invalid(file: "safety.json", at: "vulnerabilities[1].vulnerability_id", reason: "a required field is missing"))
        #expect(
            try Self.error(Self.check([Self.vulnerability("1", #", "CVE": 5"#)]))
                == .invalid(file: "safety.json", at: "vulnerabilities[0].CVE", reason: "expected a string, found another type"))
        #expect(
            try Self.error(Self.check([], ignored: [Self.vulnerability("1", #", "ignored": 3"#)]))
                == .invalid(
                    file: "safety.json", at: "ignored_vulnerabilities[0].ignored", reason: "expected true, false, null or an object"))
    }

    @Test func legacyRowsAreChecked() throws {
        #expect(
            try Self.error(#"[["django", "<1.2.7", "1.2.2"]]"#)
                == .invalid(
                    file: "safety.json", at: "[0]",
                    reason:
                        "a safety 1.x row has 5 or 7 fields (name, spec, version, advisory, id[, cvssv2, cvssv3]), found 3"))
        #expect(
            try Self.error(#"[["django", "<1.2.7", "1.2.2", "x", "1"], [1, "<1", "0.1", "x", "2"]]"#)
                == .invalid(file: "safety.json", at: "[1][0]", reason: "expected a string, found another type"))
        #expect(
            try Self.error(#"[{"name": "django"}]"#)
                == .invalid(file: "safety.json", at: "[0]", reason: "expected an array, found another type"))
    }

    @Test func scanFieldsAreChecked() throws {
        let json = #"{"scan_results": {"projects": [{"files": [{"results": {"dependencies": [{"specifications": []}]}}]}]}}"#
        #expect(
            try Self.error(json)
                == .invalid(
                    file: "safety.json", at: "scan_results.projects[0].files[0].results.dependencies[0].name",
                    reason: "a required field is missing"))
        #expect(
            try Self.error(#"{"scan_results": null}"#)
                == .invalid(file: "safety.json", at: "scan_results", reason: "expected an object, found null"))
    }

    @Test func truncatedAfterABannerIsMalformedAtItsPositionInTheFile() throws {
        let error = try Self.error("DEPRECATED: use `safety scan`\n\n{\n  \"vulnerabilities\": [\n    {\"vulnerability_id\": \"1")
        guard case .malformed(let file, let line, _, _)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(file == "safety.json")
        #expect(line == 5)
    }
}
