import Foundation
import Testing

@testable import QGateCore

/// Issue 9 item 7: identical findings are paired between runs by position, so the new copy is
/// reported where it was added.
struct IdenticalFindingPairingTests {
    @Test func flake8ReportsTheAddedW291WhereItWasAdded() throws {
        // flake8 7.5.0 on two versions of m.py: the pr inserts line 5 (with trailing whitespace),
        // so base's W291 at 3 and 10 are at 3 and 11 in the pr.
        let base = try ReportReader.read(TestPaths.fixture("identity/flake8-w291/base.xml"))
        let pr = try ReportReader.read(TestPaths.fixture("identity/flake8-w291/pr.xml"))
        #expect(base.findings.compactMap(\.range.startLine) == [3, 10])
        #expect(pr.findings.compactMap(\.range.startLine) == [3, 5, 11])
        let comparison = FindingComparison(current: pr.findings, baseline: base.findings)
        #expect(comparison.new.map { "\($0.path ?? ""):\($0.range.startLine ?? 0)" } == ["m.py:5"])
        #expect(comparison.unchanged.compactMap(\.range.startLine).sorted() == [3, 11])
        #expect(comparison.fixed.isEmpty)
    }

    static func finding(_ rule: String, line: Int, path: String = "m.py") -> Finding {
        Finding(
            tool: "flake8", category: .lint, ruleID: rule, severity: .low, path: path,
            range: SourceRange(startLine: line), message: "\(rule) message")
    }

    static func fingerprinted(_ findings: [Finding]) -> [Finding] {
        var findings = findings
        FingerprintRecipe.assign(&findings)
        return findings
    }

    @Test func unambiguousFindingsSayHowFarLinesMoved() {
        // Twelve lines were inserted at the top: E501 (unique) moved 40 → 52, so the W291 at 22 and
        // 32 are base's 10 and 20, and the one at 25 is the new one although it is nearer to 20.
        let base = Self.fingerprinted([Self.finding("W291", line: 10), Self.finding("W291", line: 20), Self.finding("E501", line: 40)])
        let pr = Self.fingerprinted([
            Self.finding("W291", line: 22), Self.finding("W291", line: 25), Self.finding("W291", line: 32),
            Self.finding("E501", line: 52),
        ])
        let comparison = FindingComparison(current: pr, baseline: base)
        #expect(comparison.new.map(\.range.startLine) == [25])
        #expect(comparison.fixed.isEmpty)
    }

    @Test func aRemovedCopyIsTheOneThatWasRemoved() {
        let base = Self.fingerprinted([Self.finding("W291", line: 3), Self.finding("W291", line: 5), Self.finding("W291", line: 11)])
        let pr = Self.fingerprinted([Self.finding("W291", line: 3), Self.finding("W291", line: 10)])
        let comparison = FindingComparison(current: pr, baseline: base)
        #expect(comparison.fixed.map(\.range.startLine) == [5])
        #expect(comparison.new.isEmpty)
    }

    @Test func copiesInOtherFilesArePairedWithinTheirOwnFile() {
        // Tool fingerprints (t…) do not include the path: copies pair within a file first.
        var a = Self.finding("X", line: 7, path: "a.py")
        var b = Self.finding("X", line: 7, path: "b.py")
        var c = Self.finding("X", line: 9, path: "b.py")
        (a.toolFingerprint, b.toolFingerprint, c.toolFingerprint) = ("same", "same", "same")
        let comparison = FindingComparison(current: Self.fingerprinted([a, b, c]), baseline: Self.fingerprinted([b]))
        #expect(comparison.new.map { "\($0.path ?? ""):\($0.range.startLine ?? 0)" }.sorted() == ["a.py:7", "b.py:9"])
    }

    @Test(arguments: [
        ([3, 10], [3, 5, 11], [0, 2]),
        ([1, 2, 3], [1, 2, 3], [0, 1, 2]),
        ([50], [1, 2, 49], [2]),
        ([0, 0], [0, 0, 0], [0, 1]),  // no positions: the first copies pair, the last is new
    ])
    func positionPairingKeepsOrderAndMinimisesDistance(_ shorter: [Int], _ longer: [Int], _ expected: [Int]) {
        #expect(PositionPairing.assign(shorter: shorter.count, longer: longer.count) { abs(shorter[$0] - longer[$1]) } == expected)
    }
}
