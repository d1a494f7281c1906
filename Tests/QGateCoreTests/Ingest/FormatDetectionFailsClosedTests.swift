import Foundation
import QGateCore
import Testing

/// Format detection decides from a document's structure (the XML root element, the JSON
/// top-level members), never from words that happen to occur somewhere in its first bytes,
/// and anything it does not recognise is refused rather than read as an empty report.
struct FormatDetectionFailsClosedTests {
    static func write(_ name: String, _ data: Data) throws -> ReportSource {
        let url = try TestPaths.temporaryDirectory().appendingPathComponent(name)
        try data.write(to: url)
        return ReportSource(url: url, displayPath: name)
    }

    // MARK: XML roots

    @Test func anUnknownXMLRootIsNoReport() throws {
        let source = try Self.write("run.xml", Data(#"<testrun><test name="x" status="failed"/></testrun>"#.utf8))
        #expect(throws: IngestError.unknownFormat(file: "run.xml")) { try ReportReader.read(source) }
    }

    @Test func forcedJUnitRefusesAnUnknownRoot() throws {
        let source = try Self.write("run.xml", Data(#"<testrun><test name="x" status="failed"/></testrun>"#.utf8))
        #expect {
            try ReportReader.read(source, as: .junit)
        } throws: { error in
            (error as? IngestError)?.description.contains("the root element is <testrun>") == true
        }
    }

    @Test(.enabled(if: CLI.available, "the qgate binary is not built (make test builds it)"))
    func anUnknownRootFailsTheIngestWithExitTwo() throws {
        let directory = try TestPaths.temporaryDirectory()
        let report = directory.appendingPathComponent("run.xml")
        try Data(#"<testrun><test name="x" status="failed"/></testrun>"#.utf8).write(to: report)
        let result = try CLI.run(["ingest", "--db", directory.appendingPathComponent("q.db").path, "--commit", "c1", report.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a report qgate knows"), "\(result.stderr)")
    }

    // MARK: JSON members, not words

    /// A bandit report on a project with a folder `sarif/` and a file `runs` (bandit keys its
    /// metrics by file name), whose flagged code mentions the SARIF version: still bandit.
    @Test func wordsInsideValuesDoNotDecideTheFormat() throws {
        let json = """
            {"errors": [], "generated_at": "2026-01-01T00:00:00Z", "metrics": {"runs": {"loc": 1}, "sarif/x.py": {"loc": 2}}, \
            "results": [{"code": "1 VERSION = '2.1.0'\\n", "filename": "sarif/x.py", "issue_severity": "LOW", \
            "issue_confidence": "HIGH", "issue_text": "t", "line_number": 1, "test_id": "B101"}]}
            """
        #expect(FormatDetector.detect(prefix: Data(json.utf8)) == .banditJSON)
        let report = try ReportReader.read(try Self.write("bandit.json", Data(json.utf8)))
        #expect(report.format == .banditJSON && report.findings.count == 1)
    }

    /// A SARIF log whose run carries bandit's `metrics._totals` and whose `version` comes after
    /// more than the detector's prefix of results.
    @Test func aLargeSARIFWithTheVersionLastIsSARIF() throws {
        let result =
            #"{"ruleId": "B101", "level": "note", "message": {"text": "assert"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py"}, "region": {"startLine": 3}}}]}"#
        let results = Array(repeating: result, count: FormatDetector.prefixLength / result.utf8.count + 10)
        let json =
            #"{"runs": [{"tool": {"driver": {"name": "Bandit"}}, "properties": {"metrics": {"_totals": {"loc": 1}}}, "results": ["#
            + results.joined(separator: ",") + #"]}], "version": "2.1.0"}"#
        let report = try ReportReader.read(try Self.write("log.sarif", Data(json.utf8)))
        #expect(report.format == .sarif)
        #expect(report.findings.count == results.count)
    }

    @Test(arguments: [
        (#"{"\u0072uns": [], "\u0076ersion": "2.1.0"}"#, ReportFormat.sarif),
        (#"{"\u0072esults": [], "generated_at": "x"}"#, .banditJSON),
        (#"{"report\u005fmeta": {}, "vulnerabilities": []}"#, .safetyJSON),
    ])
    func escapedMemberNamesAreRecognised(_ json: String, _ expected: ReportFormat) {
        #expect(FormatDetector.detect(prefix: Data(json.utf8)) == expected)
    }

    @Test(arguments: [
        #"{"result": [], "test_id": "B101"}"#,
        #"{"metrics": {"_totals": {}}}"#,
        #"{"properties": {"runs": [], "version": "2.1.0", "sarif": true}}"#,
        #"{"data": "\"runs\" sarif \"results\" \"test_id\" \"report_meta\""}"#,
    ])
    func jsonWithoutAKnownTopLevelMemberIsNoReport(_ json: String) {
        #expect(FormatDetector.detect(prefix: Data(json.utf8)) == nil)
    }
}
