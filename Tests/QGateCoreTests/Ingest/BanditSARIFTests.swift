import Foundation
import QGateCore
import Testing

/// bandit's own SARIF, from the three writers bandit has had (the 1.7.5 plug-in
/// `bandit-sarif-formatter`, the built-in one of 1.8.6 and of 1.9.4), read with format
/// detection as `qgate ingest` reads it. `many-*` has 100 results: every writer puts `runs`
/// first and `version` last, so the document's size decides what a prefix of it shows.
struct BanditSARIFTests {
    static let main = ["main-1.7.5-formatter.sarif", "main-1.8.6.sarif"]
    static let many = ["many-1.7.5-formatter.sarif", "many-1.8.6.sarif", "many-1.9.4.sarif"]

    /// What a finding is, without the fields the two formats legitimately spell differently.
    static func located(_ report: ParsedReport) -> [String] {
        report.findings.map { "\($0.ruleID) \($0.path ?? "-"):\($0.range.startLine ?? 0) \($0.severity)" }.sorted()
    }

    @Test(arguments: main + many)
    func isDetectedAsSARIFAndRead(_ name: String) throws {
        let report = try ReportReader.read(TestPaths.fixture("reports/bandit/" + name))
        #expect(report.format == .sarif)
        #expect(report.tool == "bandit")
        #expect(report.findings.count == (name.hasPrefix("many") ? 100 : 6))
    }

    @Test(arguments: many)
    func findsWhatBanditsJSONFinds(_ name: String) throws {
        let json = try ReportReader.read(TestPaths.fixture("reports/bandit/many-1.9.4.json"))
        let sarif = try ReportReader.read(TestPaths.fixture("reports/bandit/" + name))
        #expect(json.format == .banditJSON)
        #expect(Self.located(sarif) == Self.located(json))
    }

    /// The lines are left out: for the one multi-line result (B602) bandit's JSON names the
    /// flagged line and the built-in SARIF writers the first line of its range.
    @Test(arguments: main)
    func olderWritersFindWhatTheFixturesBanditFinds(_ name: String) throws {
        let json = try ReportReader.read(TestPaths.fixture("reports/main/bandit.json"))
        let sarif = try ReportReader.read(TestPaths.fixture("reports/bandit/" + name))
        func rules(_ report: ParsedReport) -> [String] {
            report.findings.map { "\($0.ruleID) \($0.path ?? "-") \($0.severity)" }.sorted()
        }
        #expect(rules(sarif) == rules(json))
    }

    @Test func aBadResultIsNamedByItsIndexAndField() throws {
        let url = TestPaths.fixtures.appendingPathComponent("reports/bandit/many-1.8.6.sarif")
        var log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var runs = try #require(log["runs"] as? [[String: Any]])
        var results = try #require(runs[0]["results"] as? [[String: Any]])
        results[57]["level"] = "severe"
        runs[0]["results"] = results
        log["runs"] = runs
        let source = try TestPaths.temporaryReport(
            "bandit.sarif", String(decoding: try JSONSerialization.data(withJSONObject: log), as: UTF8.self))
        #expect(
            throws: IngestError.invalid(
                file: "bandit.sarif", at: "runs[0].results[57].level",
                reason: "unknown value \"severe\" (expected none, note, warning or error)")
        ) {
            try ReportReader.read(source)
        }
    }

    @Test func aMissingFieldOfABanditResultIsNamedByIndexAndField() throws {
        let url = TestPaths.fixtures.appendingPathComponent("reports/bandit/many-1.9.4.json")
        var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var results = try #require(report["results"] as? [[String: Any]])
        results[41].removeValue(forKey: "filename")
        report["results"] = results
        let source = try TestPaths.temporaryReport(
            "bandit.json", String(decoding: try JSONSerialization.data(withJSONObject: report), as: UTF8.self))
        #expect(throws: IngestError.invalid(file: "bandit.json", at: "results[41].filename", reason: "a required field is missing")) {
            try ReportReader.read(source)
        }
    }
}
