import Foundation
import QGateCore
import Testing

/// Behaviour of the SARIF parser beyond the counts checked in RealReportTests: which rule a
/// result resolves to, what Trivy's text yields, how paths and suppressions come out, and the
/// exact error for every way a log can be wrong.
@Suite struct SARIFParserTests {
    static func parse(_ source: ReportSource, context: ParseContext = ParseContext()) throws -> ParsedReport {
        try ReportReader.read(source, as: .sarif, context: context)
    }

    static func parseInline(_ json: String, context: ParseContext = ParseContext()) throws -> ParsedReport {
        try parse(TestPaths.temporaryReport("inline.sarif", json), context: context)
    }

    static func expectError(_ json: String, _ expected: IngestError, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let source = try TestPaths.temporaryReport("inline.sarif", json)
        #expect(throws: expected, sourceLocation: sourceLocation) { try SARIFParser().parse(source, context: ParseContext()) }
    }

    /// A one-run log with the given driver, rules and results.
    static func log(driver: String = "Tool", rules: String = "[]", results: String, run extra: String = "") -> String {
        """
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "\(driver)", "rules": \(rules)}}\(extra), "results": \(results)}]}
        """
    }
}

// MARK: - Real reports from public projects

@Suite(.enabled(if: TestPaths.haveRealReports, "../shared/real-reports is not beside this clone"))
struct SARIFRealReportTests {
    @Test func codeQLRulesAreFoundInTheExtensionTheResultNames() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-other/codeql-2.19.3-extensions-toolComponent.sarif"))
        #expect(report.tool == "codeql")
        let finding = try #require(report.findings.first { $0.range.startLine == 16 })
        #expect(finding.ruleID == "py/sql-injection")
        #expect(finding.category == .security)
        #expect(finding.severity == .high)  // security-severity "8.8" of extensions[0].rules[34]
        #expect(finding.cwes == [89])
        #expect(finding.confidence == "high")
        #expect(finding.path == "server/routes.py")  // %SRCROOT% is not defined: left relative
        #expect(finding.range == SourceRange(startLine: 16, startColumn: 13, endLine: nil, endColumn: 67))
        #expect(finding.message == "This SQL query depends on a [user-provided value](1).")
        #expect(finding.toolFingerprint == "a452eeb604f1a3e6:1|0")
    }

    @Test func trivy2021TemplateWrongRuleIndexIsResolvedByRuleID() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-trivy/trivy-2021-template-multi-ecosystem-fs.sarif"))
        // ruleIndex 0 points at CVE-2018-14618/curl (CRITICAL); the result's own rule says MEDIUM.
        let jquery = try #require(report.findings.first { $0.ruleID == "CVE-2019-11358/jquery" })
        #expect(jquery.severity == .medium)
        #expect(jquery.category == .vulnerability)
        #expect(jquery.advisories == ["CVE-2019-11358"])
        #expect(jquery.dependency == DependencyInfo(name: "jquery", installedVersion: "3.3.9", fixedVersions: ["3.4.0"]))
        #expect(jquery.path == "node-app/package-lock.json")  // ROOTPATH is a bare "/"
        #expect(report.diagnostics.contains { $0.level == .note && $0.message.contains("60 result(s) had a ruleIndex") })
    }

    @Test func trivyMessageGivesPackageVersionsAndAdvisory() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-trivy/trivy-0.49.1-image-language-pkgs.sarif"))
        let kernel = try #require(report.findings.first { $0.ruleID == "CVE-2024-26597" })
        #expect(kernel.dependency == DependencyInfo(name: "linux-libc-dev", installedVersion: "5.15.0-97.107", fixedVersions: []))
        #expect(kernel.advisories == ["CVE-2024-26597"])
        #expect(kernel.severity == .high)
        #expect(kernel.category == .vulnerability)
        #expect(kernel.path == "library/test_tag")  // ROOTPATH file:/// adds nothing
        #expect(kernel.range == SourceRange(startLine: 1, startColumn: 1, endLine: 1, endColumn: 1))

        let paramiko = try #require(report.findings.first { $0.ruleID == "CVE-2018-7750" })
        #expect(
            paramiko.dependency
                == DependencyInfo(
                    name: "paramiko", installedVersion: "2.0.0",
                    fixedVersions: ["2.0.8", "2.1.5", "2.2.3", "2.3.2", "2.4.1", "1.18.5", "1.17.6"]))
        #expect(paramiko.severity == .critical)
        #expect(
            paramiko.path
                == "root/.cache/pypoetry/virtualenvs/ghast-VsnhxLU2-py3.10/lib/python3.10/site-packages/paramiko-2.0.0.dist-info/METADATA")
        #expect(report.findings.allSatisfy { $0.dependency != nil && $0.advisories.count == 1 })
    }

    @Test func trivy2020TemplateTakesSeverityFromTheTagAndDropsThePrefixFromTheRuleID() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-trivy/trivy-2020-11-template-debian-buster.sarif"))
        let apt = try #require(report.findings.first { $0.ruleID == "CVE-2011-3374" })
        #expect(apt.severity == .low)  // level "error", tag LOW
        #expect(apt.advisories == ["CVE-2011-3374"])
        #expect(apt.path == "Dockerfile")
        let coreutils = try #require(report.findings.first { $0.ruleID == "CVE-2016-2781" })
        #expect(coreutils.dependency == DependencyInfo(name: "coreutils", installedVersion: "8.30-3", fixedVersions: []))
    }

    @Test func trivyFsBaseURIResolvesToARepositoryRelativePath() throws {
        let source = TestPaths.realReport("sarif-trivy/trivy-0.67.2-fs-requirements-rootpath.sarif")
        let rooted = ParseContext(paths: PathNormalizer(repositoryRoot: URL(fileURLWithPath: "/home/tojo/projet-devsecops-flask")))
        let report = try SARIFParserTests.parse(source, context: rooted)
        let gunicorn = try #require(report.findings.first { $0.ruleID == "CVE-2024-1135" })
        #expect(gunicorn.path == "requirements.txt")
        #expect(gunicorn.range.startLine == 39)
        #expect(gunicorn.dependency == DependencyInfo(name: "gunicorn", installedVersion: "21.2.0", fixedVersions: ["22.0.0"]))

        let underSubfolder = ParseContext(paths: PathNormalizer(repositoryRoot: URL(fileURLWithPath: "/home/tojo")))
        #expect(
            try SARIFParserTests.parse(source, context: underSubfolder).findings.map(\.path)
                == ["projet-devsecops-flask/requirements.txt", "projet-devsecops-flask/requirements.txt"])
        // Repository root unknown: the scan target's absolute folder is dropped rather than kept.
        #expect(try SARIFParserTests.parse(source).findings.map(\.path) == ["requirements.txt", "requirements.txt"])
    }

    @Test func anchoreExternalSuppressionsAreKeptAsSuppressed() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-other/anchore-scan-action-0.7.3-with-suppressions.sarif"))
        #expect(report.findings.count == 429)
        #expect(report.findings.allSatisfy { $0.suppressed && $0.toolBaselineState == .unchanged })
        #expect(FindingCounts(report.findings).suppressed == 429)
        let bash = try #require(report.findings.first { $0.ruleID == "ANCHOREVULN_CVE-2019-18276_dpkg_bash-4.3-14ubuntu1.4" })
        #expect(
            bash.message
                == "This dockerfile results in a container image that has installed software with a vulnerability: (bash-4.3-14ubuntu1.4 type=dpkg)"
        )
        #expect(bash.path == "Dockerfile")
    }

    @Test func flawfinderPassResultIsNotAFinding() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-other/flawfinder-2.0.19.sarif"))
        #expect(report.findings.count == 53)
        // 12 FF1013 results; the one with `kind: pass` has no message or location and is dropped.
        #expect(report.findings.filter { $0.ruleID == "FF1013" }.count == 11)
        #expect(report.findings.allSatisfy { $0.path != nil })
        let sscanf = try #require(report.findings.first { $0.ruleID == "FF1021" && $0.range.startLine == 482 })
        #expect(sscanf.severity == .high)
        #expect(sscanf.path == "src/cli_main.cc")
        #expect(sscanf.range.startLine == 482)
        #expect(sscanf.snippet == "      if (sscanf(argv[i], \"%[^=]=%s\", name, val) == 2) {")
        #expect(sscanf.toolFingerprint == "ad8408027235170e870e7662751a01386beb2d2ed8beb75dd4ba8e4a70e91d65")
    }

    @Test func semgrepSecuritySeverityWordsAreSeverities() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-other/semgrep-oss-1.69.0.sarif"))
        let nosql = try #require(
            report.findings.first {
                $0.ruleID.hasSuffix("rule-node-nosqli-injection") && $0.path == "routes/address.ts" && $0.range.startLine == 18
            })
        #expect(nosql.severity == .critical)
        #expect(nosql.category == .security)
        #expect(nosql.cwes == [943])
        #expect(nosql.message.hasPrefix("Untrusted user input in findOne() function can result in NoSQL Injection."))
        #expect(report.findings.allSatisfy { $0.toolFingerprint != nil })
    }

    @Test func windowsFileURIsStayAbsoluteWhenTheyCannotBeRelated() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-other/spec-example-suppressions.sarif"))
        #expect(
            report.findings.map(\.path) == ["C:/code/file1.c", "C:/code/file2.c", "C:/code/file3.c", "C:/code/file4.c", "C:/code/file5.c"])
        #expect(report.findings.map(\.suppressed) == [true, true, true, false, false])
    }

    @Test func multiRunFindingsCarryTheirOwnRunsTool() throws {
        let report = try SARIFParserTests.parse(TestPaths.realReport("sarif-other/codeql-action-testdata-multi-run-lgtm-codeql.sarif"))
        #expect(report.tool == "lgtm.com")
        #expect(report.findings.map(\.tool).sorted() == ["codeql command-line toolchain", "codeql command-line toolchain", "lgtm.com"])
    }
}

// MARK: - The project's own fixtures (made by the real bandit)

@Suite struct SARIFFixtureTests {
    @Test func banditSARIFOnMain() throws {
        let report = try SARIFParserTests.parse(TestPaths.fixture("reports/main/bandit.sarif"))
        #expect(report.tool == "bandit")
        #expect(report.findings.count == 6)
        let shell = try #require(report.findings.first { $0.ruleID == "B602" })
        #expect(shell.path == "pkg/runner.py")
        #expect(shell.range.startLine == 8)
        #expect(shell.severity == .high)  // level error, no security-severity
        #expect(shell.category == .security)  // tagged "security"
        #expect(shell.cwes == [78])
        #expect(shell.confidence == "high")
        #expect(shell.message.hasPrefix("subprocess call with shell=True identified, security issue."))
        let pickle = try #require(report.findings.first { $0.ruleID == "B301" })
        #expect(pickle.severity == .medium)  // no level anywhere: "warning"
        #expect(pickle.path == "pkg/store.py")
        #expect(pickle.range.startLine == 16)
        #expect(report.findings.filter { $0.severity == .low }.map(\.ruleID).sorted() == ["B101", "B105", "B403", "B404"])
    }

    @Test func banditSARIFOnThePullRequest() throws {
        let report = try SARIFParserTests.parse(TestPaths.fixture("reports/pr/bandit.sarif"))
        #expect(report.findings.map(\.ruleID).sorted() == ["B101", "B301", "B403", "B404", "B602"])
        let shell = try #require(report.findings.first { $0.ruleID == "B602" })
        #expect(shell.range.startLine == 7)
        #expect(shell.path == "pkg/runner.py")
    }
}

// MARK: - Rules of the format, on small inline logs

@Suite struct SARIFSemanticsTests {
    @Test func emptyRunsIsAValidCleanLog() throws {
        let report = try SARIFParserTests.parseInline(#"{"version": "2.1.0", "runs": []}"#)
        #expect(report.tool == "unknown")
        #expect(report.findings.isEmpty)
    }

    @Test func resultsThatAreNotProblemsAreDropped() throws {
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                results: """
                    [{"ruleId": "A", "kind": "pass", "message": {"text": "ok"}},
                     {"ruleId": "B", "kind": "notApplicable", "message": {"text": "n/a"}},
                     {"ruleId": "C", "baselineState": "absent", "message": {"text": "gone"}},
                     {"ruleId": "D", "kind": "fail", "baselineState": "new", "message": {"text": "kept"}}]
                    """))
        #expect(report.findings.map(\.ruleID) == ["D"])
        #expect(report.findings.first?.toolBaselineState == .new)
    }

    @Test func suppressionStatusDecides() throws {
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                results: """
                    [{"ruleId": "A", "message": {"text": "a"}, "suppressions": [{"kind": "inSource", "status": "accepted"}]},
                     {"ruleId": "B", "message": {"text": "b"}, "suppressions": [{"kind": "external", "status": "underReview"}]},
                     {"ruleId": "C", "message": {"text": "c"}, "suppressions": [{"kind": "external", "status": "rejected"}]},
                     {"ruleId": "D", "message": {"text": "d"}, "suppressions": []}]
                    """))
        #expect(report.findings.map(\.suppressed) == [true, false, false, false])
    }

    @Test func levelComesFromResultThenOverrideThenRuleDefault() throws {
        let rules = """
            [{"id": "R0", "defaultConfiguration": {"level": "note"}},
             {"id": "R1", "defaultConfiguration": {"level": "error"}},
             {"id": "R2", "defaultConfiguration": {"enabled": true}}]
            """
        let invocations = """
            , "invocations": [{"executionSuccessful": true,
               "ruleConfigurationOverrides": [{"descriptor": {"index": 1}, "configuration": {"level": "none"}}]}]
            """
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                rules: rules,
                results: """
                    [{"ruleId": "R0", "level": "error", "message": {"text": "a"}},
                     {"ruleId": "R0", "message": {"text": "b"}},
                     {"ruleId": "R1", "message": {"text": "c"}},
                     {"ruleId": "R2", "message": {"text": "d"}}]
                    """, run: invocations))
        #expect(report.findings.map(\.severity) == [.high, .low, .info, .medium])
        #expect(report.findings.allSatisfy { $0.category == .lint })
    }

    @Test func securitySeverityScoresUseGitHubBands() throws {
        let rules = """
            [{"id": "S9", "properties": {"security-severity": "9.0"}}, {"id": "S7", "properties": {"security-severity": 7}},
             {"id": "S4", "properties": {"security-severity": "4.0"}}, {"id": "S1", "properties": {"security-severity": "0.1"}},
             {"id": "S0", "properties": {"security-severity": "0.0"}}, {"id": "T", "properties": {"tags": ["Security"]}}]
            """
        let results = ["S9", "S7", "S4", "S1", "S0", "T"].map { #"{"ruleId": "\#($0)", "level": "note", "message": {"text": "x"}}"# }
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(rules: rules, results: "[" + results.joined(separator: ",") + "]"))
        #expect(report.findings.map(\.severity) == [.critical, .high, .medium, .low, .info, .low])
        #expect(report.findings.allSatisfy { $0.category == .security })
    }

    @Test func ruleIDFallsBackToTheHierarchyPrefixAndToUnknown() throws {
        let rules =
            #"[{"id": "CA2000", "defaultConfiguration": {"level": "error"}}, {"id": "X1", "defaultConfiguration": {"level": "note"}}]"#
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                rules: rules,
                results: """
                    [{"ruleId": "CA2000/1", "message": {"text": "a"}},
                     {"rule": {"id": "X1"}, "message": {"text": "b"}},
                     {"message": {"text": "c"}}]
                    """))
        #expect(report.findings.map(\.ruleID) == ["CA2000/1", "X1", "unknown"])
        #expect(report.findings.map(\.severity) == [.high, .low, .medium])
    }

    @Test func messageIDIsLookedUpInTheRuleWithArguments() throws {
        let rules = #"[{"id": "R", "messageStrings": {"default": {"text": "Variable '{0}' is unused in {1} {{sic}}."}}}]"#
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                rules: rules,
                results: """
                    [{"ruleId": "R", "message": {"id": "default", "arguments": ["x", "f()"]}}]
                    """))
        #expect(report.findings.first?.message == "Variable 'x' is unused in f() {sic}.")
    }

    @Test func baseURIsArtifactIndexesAndPercentEncodingResolve() throws {
        let run = """
            , "originalUriBaseIds": {"SRCROOT": {"uri": "file:///work/repo/"}, "SUB": {"uri": "lib/", "uriBaseId": "SRCROOT"}},
              "artifacts": [{"location": {"uri": "src/util%20s.py", "uriBaseId": "SRCROOT"}}]
            """
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                results: """
                    [{"ruleId": "A", "message": {"text": "a"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a%20b.py", "uriBaseId": "SRCROOT"}}}]},
                     {"ruleId": "B", "message": {"text": "b"}, "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}, "region": {"startLine": 3, "snippet": {"text": "x = 1"}}}}]},
                     {"ruleId": "C", "message": {"text": "c"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "m.py", "uriBaseId": "SUB"}}}]},
                     {"ruleId": "D", "message": {"text": "d"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///work/repo/d.py"}}}]},
                     {"ruleId": "E", "message": {"text": "e"}}]
                    """, run: run), context: ParseContext(paths: PathNormalizer(repositoryRoot: URL(fileURLWithPath: "/work/repo"))))
        #expect(report.findings.map(\.path) == ["src/a b.py", "src/util s.py", "lib/m.py", "d.py", nil])
        #expect(report.findings[1].snippet == "x = 1")
        #expect(report.findings[1].range.startLine == 3)
    }

    @Test func toolFailuresBecomeDiagnostics() throws {
        let run = """
            , "invocations": [{"executionSuccessful": false, "toolExecutionNotifications": [
                {"level": "error", "message": {"text": "cannot parse a.py"}}, {"level": "warning", "message": {"text": "slow"}}]}]
            """
        let report = try SARIFParserTests.parseInline(SARIFParserTests.log(results: "[]", run: run))
        #expect(
            report.diagnostics.map(\.message) == [
                "Tool reports that it did not run successfully; its results may be incomplete",
                "Tool reported an error: cannot parse a.py",
            ])
        #expect(report.diagnostics.allSatisfy { $0.level == .warning && $0.file == "inline.sarif" })
    }

    @Test func trivyMisconfigurationAndSecretCategoriesAndUnknownSeverity() throws {
        let rules = """
            [{"id": "AVD-DS-0002", "name": "Misconfiguration", "properties": {"tags": ["misconfiguration", "security", "HIGH"], "security-severity": "8.0"}},
             {"id": "aws-access-key-id", "name": "Secret", "properties": {"tags": ["secret", "security", "CRITICAL"]}},
             {"id": "CVE-2020-1", "name": "LanguageSpecificPackageVulnerability", "properties": {"tags": ["vulnerability", "security", "UNKNOWN"], "security-severity": "0.0"}},
             {"id": "CVE-2020-2", "name": "OsPackageVulnerability", "defaultConfiguration": {"level": "note"}, "properties": {"security-severity": "9.8"}}]
            """
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                driver: "Trivy", rules: rules,
                results: """
                    [{"ruleId": "AVD-DS-0002", "ruleIndex": 0, "level": "error", "message": {"text": "Artifact: Dockerfile\\nType: dockerfile\\nSeverity: HIGH"}},
                     {"ruleId": "aws-access-key-id", "ruleIndex": 1, "level": "error", "message": {"text": "Secret AWS"}},
                     {"ruleId": "CVE-2020-1", "ruleIndex": 2, "level": "note", "message": {"text": "Package: left-pad\\nInstalled Version: 1.0\\nVulnerability CVE-2020-1\\nSeverity: UNKNOWN\\nFixed Version: "}},
                     {"ruleId": "CVE-2020-2", "ruleIndex": 3, "level": "note", "message": {"text": "Package: zlib\\nInstalled Version: 1.2\\nVulnerability CVE-2020-2\\nSeverity: MEDIUM\\nFixed Version: 1.3"}}]
                    """))
        #expect(report.tool == "trivy")
        #expect(report.findings.map(\.category) == [.misconfiguration, .secret, .vulnerability, .vulnerability])
        // The last rule has no tag: the message's `Severity:` wins over security-severity 9.8.
        #expect(report.findings.map(\.severity) == [.high, .critical, .info, .medium])
        #expect(report.findings[0].dependency == nil)
        #expect(report.findings[2].dependency == DependencyInfo(name: "left-pad", installedVersion: "1.0", fixedVersions: []))
    }

    @Test func trivy2021TemplateProseIsNotMistakenForFields() throws {
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                driver: "Trivy",
                rules:
                    #"[{"id": "CVE-2020-2574/mysql", "name": "OS Package Vulnerability (Alpine)", "properties": {"tags": ["vulnerability", "MEDIUM", "mysql"]}}]"#,
                results: """
                    [{"ruleId": "CVE-2020-2574/mysql", "ruleIndex": 0, "level": "warning",
                      "message": {"text": "Vulnerability in the MySQL Client product of Oracle MySQL.\\nPackage: see the advisory"}}]
                    """))
        let finding = try #require(report.findings.first)
        #expect(finding.advisories == ["CVE-2020-2574"])
        #expect(finding.dependency == DependencyInfo(name: "mysql"))
        #expect(finding.severity == .medium)
        #expect(finding.category == .vulnerability)
    }

    @Test func trivyAndSafetyAgreeOnTheIdentityOfTheSameVulnerability() throws {
        let report = try SARIFParserTests.parseInline(
            SARIFParserTests.log(
                driver: "Trivy",
                rules:
                    #"[{"id": "CVE-2024-1135", "name": "LanguageSpecificPackageVulnerability", "properties": {"tags": ["vulnerability", "security", "HIGH"]}}]"#,
                results: """
                    [{"ruleId": "CVE-2024-1135", "ruleIndex": 0, "level": "error",
                      "message": {"text": "Package: gunicorn\\nInstalled Version: 21.2.0\\nVulnerability CVE-2024-1135\\nSeverity: HIGH\\nFixed Version: 22.0.0"},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "requirements.txt", "uriBaseId": "ROOTPATH"}, "region": {"startLine": 39}}}]}]
                    """))
        let trivy = try #require(report.findings.first)
        let safety = Finding(
            tool: "safety", category: .vulnerability, ruleID: "71600", severity: .high, path: "requirements.txt",
            message: "Gunicorn fails to properly validate Transfer-Encoding headers",
            dependency: DependencyInfo(name: "Gunicorn", installedVersion: "21.2.0", affectedSpec: "<22.0.0", fixedVersions: ["22.0.0"]),
            advisories: ["CVE-2024-1135", "71600"])
        #expect(FingerprintRecipe.identityKey(trivy) == FingerprintRecipe.identityKey(safety))
        #expect(FingerprintRecipe.identityKey(trivy).hasPrefix("d"))
    }
}

// MARK: - Every way a log can be wrong

@Suite struct SARIFErrorTests {
    @Test func nullRuns() throws {
        try SARIFParserTests.expectError(
            #"{"version": "2.1.0", "runs": null}"#,
            .invalid(file: "inline.sarif", at: "runs", reason: "expected an array, found null"))
    }

    @Test func missingRuns() throws {
        try SARIFParserTests.expectError(
            #"{"version": "2.1.0"}"#,
            .invalid(file: "inline.sarif", at: "runs", reason: "a required field is missing"))
    }

    @Test func missingResults() throws {
        try SARIFParserTests.expectError(
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}}]}"#,
            .invalid(file: "inline.sarif", at: "runs[0].results", reason: "a required field is missing"))
    }

    @Test func missingDriverName() throws {
        try SARIFParserTests.expectError(
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}"#,
            .invalid(file: "inline.sarif", at: "runs[0].tool.driver.name", reason: "a required field is missing"))
    }

    @Test func locationsOfTheWrongType() throws {
        try SARIFParserTests.expectError(
            SARIFParserTests.log(
                results: """
                    [{"ruleId": "A", "message": {"text": "a"}}, {"ruleId": "B", "message": {"text": "b"}, "locations": {"uri": "a.py"}}]
                    """),
            .invalid(file: "inline.sarif", at: "runs[0].results[1].locations", reason: "expected an array, found another type"))
    }

    @Test func resultsOfTheWrongType() throws {
        try SARIFParserTests.expectError(
            SARIFParserTests.log(results: #""none""#),
            .invalid(file: "inline.sarif", at: "runs[0].results", reason: "expected an array, found another type"))
    }

    @Test func lineNumberOfTheWrongType() throws {
        try SARIFParserTests.expectError(
            SARIFParserTests.log(
                results: """
                    [{"ruleId": "A", "message": {"text": "a"}, "locations": [{"physicalLocation": {"region": {"startLine": "12"}}}]}]
                    """),
            .invalid(
                file: "inline.sarif", at: "runs[0].results[0].locations[0].physicalLocation.region.startLine",
                reason: "expected a number, found another type"))
    }

    @Test func levelOutsideTheClosedSet() throws {
        let error = #expect(throws: IngestError.self) {
            try SARIFParserTests.parseInline(
                SARIFParserTests.log(results: #"[{"ruleId": "A", "level": "fatal", "message": {"text": "a"}}]"#))
        }
        guard case .invalid(_, let at, _)? = error else { Issue.record("expected invalid, got \(String(describing: error))"); return }
        #expect(at == "runs[0].results[0].level")
    }

    @Test func unsupportedVersion() throws {
        try SARIFParserTests.expectError(
            #"{"version": "2.0.0", "runs": []}"#,
            .invalid(file: "inline.sarif", at: "version", reason: "SARIF version \"2.0.0\" is not supported; qgate reads SARIF 2.1.0"))
    }

    @Test func missingVersion() throws {
        try SARIFParserTests.expectError(
            #"{"runs": []}"#,
            .invalid(file: "inline.sarif", at: "version", reason: "a required field is missing"))
    }

    @Test func notAnObject() throws {
        try SARIFParserTests.expectError(
            #"[{"version": "2.1.0"}]"#,
            .invalid(file: "inline.sarif", at: "", reason: "expected an object, found another type"))
    }

    @Test func truncatedLog() throws {
        try SARIFParserTests.expectError(
            "{\"version\": \"2.1.0\",\n  \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"",
            .malformed(file: "inline.sarif", line: 2, column: 44, reason: "not valid JSON"))  // just past the last byte
    }
}

// MARK: - The path fast path large SARIF files rely on

@Suite struct PathNormalizerFastPathTests {
    @Test(arguments: [
        ("src/a.py", "src/a.py"), ("./src/a.py", "src/a.py"), ("src//a.py", "src/a.py"), ("src/./a.py", "src/a.py"),
        (" src/a.py", "src/a.py"), ("src/a.py ", "src/a.py"), ("src\\a.py", "src/a.py"), ("a./b", "a./b"),
        ("my file.py", "my file.py"), ("C:/code/a.c", "C:/code/a.c"), ("/work/repo/src/a.py", "src/a.py"),
        ("file:///work/repo/a%20b.py", "a b.py"), ("pkg/é.py", "pkg/é.py"), (".", "."),
    ])
    func pathsAreNormalizedWithOrWithoutTheFastPath(_ raw: String, _ expected: String) {
        #expect(PathNormalizer(repositoryRoot: URL(fileURLWithPath: "/work/repo")).normalize(raw) == expected)
    }
}
