import Foundation
import Testing

@testable import QGateCore

struct CodeClimateReporterTests {
    @Test func demoIssuesMatchGoldenFile() throws {
        try Golden.check(CodeClimateReporter().render(DemoEvaluation.make()), against: "Report/codeclimate.json")
    }

    static func issues(_ text: String) throws -> [[String: Any]] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func listsNewAndUnchangedWithUniqueFingerprints() throws {
        var evaluation = DemoEvaluation.make()
        // The same advisory from two scanners shares qgate's fingerprint; GitLab needs distinct ones.
        var twin = evaluation.findings.new[0]
        twin.tool = "trivy"
        evaluation.findings.unchanged.append(twin)
        let issues = try Self.issues(CodeClimateReporter().render(evaluation))
        #expect(issues.count == evaluation.findings.new.count + evaluation.findings.unchanged.count)
        let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
        #expect(Set(fingerprints).count == issues.count)
        #expect(fingerprints.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test(arguments: [(Severity.critical, "blocker"), (.high, "critical"), (.medium, "major"), (.low, "minor"), (.info, "info")])
    func mapsSeverities(severity: Severity, expected: String) {
        #expect(CodeClimateIssue.severity(severity) == expected)
    }

    @Test func findingWithoutFileOrLinePointsAtTheRoot() throws {
        var evaluation = DemoEvaluation.make()
        evaluation.findings.new = [evaluation.findings.new[0]]
        evaluation.findings.unchanged = []
        let issue = try #require(try Self.issues(CodeClimateReporter().render(evaluation)).first)
        let location = try #require(issue["location"] as? [String: Any])
        #expect(location["path"] as? String == ".")
        #expect((location["lines"] as? [String: Any])?["begin"] as? Int == 1)
        #expect(issue["check_name"] as? String == "safety:CVE-2019-10906")
        #expect(issue["categories"] as? [String] == ["Security"])
    }
}
