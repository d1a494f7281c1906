import Foundation
import QGateCore
import Testing

/// bandit `-f json`: the project's own fixtures (made by bandit 1.9.4), quirks of the real
/// reports from public projects, and every way a report can be refused.
struct BanditParserTests {
    static func read(_ source: ReportSource) throws -> ParsedReport {
        try ReportReader.read(source, as: .banditJSON)
    }

    static func inline(_ json: String) throws -> ReportSource {
        try TestPaths.temporaryReport("bandit.json", json)
    }

    static func finding(_ report: ParsedReport, _ rule: String, path: String) throws -> Finding {
        try #require(report.findings.first { $0.ruleID == rule && $0.path == path })
    }

    // MARK: The project's fixtures

    @Test func mainFixtureHasOneFindingPerResult() throws {
        let report = try Self.read(TestPaths.fixture("reports/main/bandit.json"))
        #expect(report.tool == "bandit")
        #expect(report.format == .banditJSON)
        #expect(report.findings.map(\.ruleID) == ["B404", "B602", "B403", "B105", "B301", "B101"])
        #expect(report.findings.allSatisfy { $0.tool == "bandit" && $0.category == .security && !$0.suppressed })
        #expect(report.diagnostics.isEmpty)
        let counts = FindingCounts(report.findings)
        #expect((counts.high, counts.medium, counts.low, counts.info) == (1, 1, 4, 0))
    }

    @Test func multiLineResultKeepsTheFlaggedLineAndItsRange() throws {
        let report = try Self.read(TestPaths.fixture("reports/main/bandit.json"))
        let shell = try Self.finding(report, "B602", path: "pkg/runner.py")
        #expect(shell.severity == .high)
        #expect(shell.confidence == "high")
        #expect(shell.cwes == [78])
        #expect(shell.message == "subprocess call with shell=True identified, security issue. [subprocess_popen_with_shell_equals_true]")
        // The first line of line_range [8, 9, 10], where the flagged call starts: the line bandit's
        // SARIF quotes for it, so both formats of one scan give one fingerprint.
        #expect(shell.snippet == "    result = subprocess.run(")
        // col_offset 13 is on line 8, not the flagged line 9.
        #expect(shell.range == SourceRange(startLine: 9, startColumn: nil, endLine: 10, endColumn: 6))
    }

    @Test func singleLineResultHasOneBasedColumns() throws {
        let report = try Self.read(TestPaths.fixture("reports/main/bandit.json"))
        let password = try Self.finding(report, "B105", path: "pkg/store.py")
        #expect(password.severity == .low)
        #expect(password.confidence == "medium")
        #expect(password.cwes == [259])
        #expect(password.message == "Possible hardcoded password: 'hunter2' [hardcoded_password_string]")
        #expect(password.snippet == #"DB_PASSWORD = "hunter2""#)
        #expect(password.range == SourceRange(startLine: 6, startColumn: 15, endLine: 6, endColumn: 24))

        let pickle = try Self.finding(report, "B301", path: "pkg/store.py")
        #expect(pickle.severity == .medium)
        #expect(pickle.snippet == "    return pickle.loads(blob)")
        #expect(pickle.cwes == [502])
    }

    @Test func fingerprintSurvivesTheFindingMovingToAnotherLine() throws {
        let main = try Self.read(TestPaths.fixture("reports/main/bandit.json"))
        let pr = try Self.read(TestPaths.fixture("reports/pr/bandit.json"))
        // The pull request adds an import above the flagged lines: B602 9 → 8, B403 2 → 3, B301 16 → 17.
        for rule in ["B602", "B403", "B301", "B101"] {
            let before = try #require(main.findings.first { $0.ruleID == rule })
            let after = try #require(pr.findings.first { $0.ruleID == rule })
            #expect(before.range.startLine != after.range.startLine, "\(rule) moved")
            #expect(FingerprintRecipe.identityKey(before) == FingerprintRecipe.identityKey(after), "\(rule)")
            #expect(before.fingerprint == after.fingerprint, "\(rule)")
        }
        // B105 was fixed in the pull request: its fingerprint is gone.
        let fixed = try Self.finding(main, "B105", path: "pkg/store.py")
        #expect(!pr.findings.contains { $0.fingerprint == fixed.fingerprint })
    }

    @Test func fingerprintChangesWhenTheFlaggedCodeChanges() throws {
        let report = try Self.read(TestPaths.fixture("reports/main/bandit.json"))
        var finding = try Self.finding(report, "B105", path: "pkg/store.py")
        let original = FingerprintRecipe.identityKey(finding)
        finding.range.startLine = 60
        #expect(FingerprintRecipe.identityKey(finding) == original)
        finding.snippet = #"DB_PASSWORD = "hunter3""#
        #expect(FingerprintRecipe.identityKey(finding) != original)
    }

    // MARK: Real reports' quirks

    @Test(.enabled(if: TestPaths.haveRealReports))
    func windowsPathsAreNormalized() throws {
        let report = try Self.read(TestPaths.realReport("bandit/bandit-2020-many-vulns-windows-paths.json"))
        let first = try #require(report.findings.first)
        #expect(first.path == "dojo/benchmark/views.py")
        #expect(first.ruleID == "B110")
        #expect(first.range.startLine == 26)
        #expect(first.range.endLine == 27)
        #expect(first.snippet == "    except:")
        #expect(first.cwes.isEmpty)
        #expect(report.findings.allSatisfy { !($0.path ?? "").contains("\\") })
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func bidiControlCharactersAreKeptAsData() throws {
        let report = try Self.read(TestPaths.realReport("bandit/bandit-1.9.4-cwe-coloffset-skipped-tests-windows.json"))
        let trojan = try #require(report.findings.first { $0.ruleID == "B613" })
        #expect(trojan.path == ".venv/Lib/site-packages/bandit/plugins/trojansource.py")
        #expect(trojan.severity == .high)
        #expect(trojan.confidence == "medium")
        #expect(trojan.cwes == [838])
        #expect(trojan.snippet?.unicodeScalars.contains("\u{202E}") == true)
        #expect(trojan.snippet?.hasPrefix("     4\t    if access_level != 'none") == true)
        // end_col_offset 0 means bandit does not know the end.
        #expect(trojan.range == SourceRange(startLine: 22, startColumn: 37, endLine: 22, endColumn: nil))
    }

    @Test(.enabled(if: TestPaths.haveRealReports))
    func oldReportsWithoutColumnsOrCWE() throws {
        let report = try Self.read(TestPaths.realReport("bandit/bandit-2020-one-vuln-float-metrics.json"))
        let finding = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(finding.ruleID == "B101")
        #expect(finding.path == "one/one.py")
        #expect(finding.snippet == "assert False")
        #expect(finding.range == SourceRange(startLine: 2, startColumn: nil, endLine: 2, endColumn: nil))
        #expect(finding.cwes.isEmpty)
    }

    // MARK: Inline variants

    static func result(_ overrides: String = "", line: Int = 3) -> String {
        """
        {"code": "\(line - 1) import os\\n\(line) os.system(cmd)\\n", "filename": "./app/x.py",
         "issue_confidence": "HIGH", "issue_severity": "HIGH", "issue_text": "Starting a process with a shell.",
         "line_number": \(line), "line_range": [\(line)], "test_id": "B605", "test_name": "start_process_with_a_shell"\(overrides)}
        """
    }

    @Test func emptyResultsIsAClean() throws {
        let report = try Self.read(Self.inline(#"{"errors": [], "metrics": {"_totals": {"loc": 1.0}}, "results": []}"#))
        #expect(report.findings.isEmpty)
        #expect(report.diagnostics.isEmpty)
    }

    @Test func filesBanditCouldNotScanBecomeWarnings() throws {
        let json = """
            {"errors": [{"filename": ".\\\\app\\\\broken.py", "reason": "syntax error while parsing AST from file"},
                        {"filename": "./app/gone.py", "reason": "No such file or directory"}],
             "results": [\(Self.result())]}
            """
        let report = try Self.read(Self.inline(json))
        #expect(report.findings.count == 1)
        #expect(
            report.diagnostics == [
                Diagnostic(
                    .warning, file: "bandit.json",
                    "bandit could not scan app/broken.py: syntax error while parsing AST from file; the scan is incomplete"),
                Diagnostic(
                    .warning, file: "bandit.json",
                    "bandit could not scan app/gone.py: No such file or directory; the scan is incomplete"),
            ])
    }

    @Test(arguments: [
        (#", "issue_cwe": {}"#, [Int]()),
        (#", "issue_cwe": {"id": 78, "link": "https://cwe.mitre.org/data/definitions/78.html"}"#, [78]),
        (#", "issue_cwe": {"id": "CWE-259"}"#, [259]),
        (#", "issue_cwe": "CWE-259""#, [259]),
        (#", "issue_cwe": null"#, [Int]()),
    ])
    func cweSpellings(_ field: String, _ expected: [Int]) throws {
        let report = try Self.read(Self.inline(#"{"results": [\#(Self.result(field))]}"#))
        #expect(try #require(report.findings.first).cwes == expected)
    }

    @Test func severityWordsMapOntoTheScale() throws {
        let results = ["HIGH", "MEDIUM", "LOW", "UNDEFINED"].map {
            Self.result().replacingOccurrences(of: #""issue_severity": "HIGH""#, with: #""issue_severity": "\#($0)""#)
        }
        let report = try Self.read(Self.inline(#"{"results": [\#(results.joined(separator: ","))]}"#))
        #expect(report.findings.map(\.severity) == [.high, .medium, .low, .info])
        #expect(report.findings.first?.path == "app/x.py")
        #expect(report.findings.first?.snippet == "os.system(cmd)")
    }

    @Test func snippetIsNilWhenTheExcerptLacksTheLine() throws {
        let result = Self.result(line: 3).replacingOccurrences(of: #""line_number": 3"#, with: #""line_number": 30"#)
            .replacingOccurrences(of: #""line_range": [3]"#, with: #""line_range": [30]"#)
        let report = try Self.read(Self.inline(#"{"results": [\#(result)]}"#))
        let finding = try #require(report.findings.first)
        #expect(finding.snippet == nil)
        #expect(finding.range.startLine == 30)
    }

    // MARK: Refused reports

    static func error(_ json: String) throws -> IngestError? {
        let source = try Self.inline(json)
        return #expect(throws: IngestError.self) { try Self.read(source) }
    }

    @Test func missingResultsIsInvalid() throws {
        #expect(
            try Self.error(#"{"errors": [], "metrics": {}}"#)
                == .invalid(file: "bandit.json", at: "results", reason: "a required field is missing"))
    }

    @Test func resultsOfTheWrongTypeAreInvalid() throws {
        #expect(
            try Self.error(#"{"results": {}}"#)
                == .invalid(file: "bandit.json", at: "results", reason: "expected an array, found another type"))
        #expect(
            try Self.error(#"{"results": null}"#)
                == .invalid(file: "bandit.json", at: "results", reason: "expected an array, found null"))
    }

    @Test func aTopLevelArrayIsInvalid() throws {
        #expect(
            try Self.error(#"[]"#)
                == .invalid(file: "bandit.json", at: "", reason: "expected an object, found another type"))
    }

    @Test func resultFieldsAreChecked() throws {
        let missingLine = Self.result().replacingOccurrences(of: #""line_number": 3,"#, with: "")
        #expect(
            try Self.error(#"{"results": [\#(Self.result()), \#(missingLine)]}"#)
                == .invalid(file: "bandit.json", at: "results[1].line_number", reason: "a required field is missing"))
        let lineAsText = Self.result().replacingOccurrences(of: #""line_number": 3"#, with: #""line_number": "3""#)
        #expect(
            try Self.error(#"{"results": [\#(lineAsText)]}"#)
                == .invalid(file: "bandit.json", at: "results[0].line_number", reason: "expected a number, found another type"))
        let unknownSeverity = Self.result().replacingOccurrences(of: #""issue_severity": "HIGH""#, with: #""issue_severity": "CRITICAL""#)
        #expect(
            try Self.error(#"{"results": [\#(unknownSeverity)]}"#)
                == .invalid(
                    file: "bandit.json", at: "results[0].issue_severity",
                    reason: #"unknown severity "CRITICAL" (bandit writes HIGH, MEDIUM, LOW or UNDEFINED)"#))
        #expect(
            try Self.error(#"{"results": [], "errors": [{"filename": "a.py"}]}"#)
                == .invalid(file: "bandit.json", at: "errors[0].reason", reason: "a required field is missing"))
    }

    @Test func truncatedReportIsMalformedWithItsPosition() throws {
        let error = try Self.error("{\n  \"results\": [\n    {\"code\": \"1 x\\n\",")
        guard case .malformed(let file, let line, _, _)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(file == "bandit.json")
        #expect(line == 3)
    }
}
