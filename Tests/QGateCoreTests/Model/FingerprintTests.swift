import Foundation
import QGateCore
import Testing

@Suite struct FingerprintTests {
    static func finding(line: Int, snippet: String? = "x = eval(data)", path: String = "pkg/a.py", message: String = "Use of eval")
        -> Finding
    {
        Finding(
            tool: "bandit", category: .security, ruleID: "B307", severity: .medium, path: path,
            range: SourceRange(startLine: line), message: message, snippet: snippet)
    }

    @Test func aFindingKeepsItsIdentityWhenItsLineMoves() {
        #expect(FingerprintRecipe.identityKey(Self.finding(line: 10)) == FingerprintRecipe.identityKey(Self.finding(line: 42)))
        #expect(
            FingerprintRecipe.identityKey(Self.finding(line: 10, snippet: "x  =  eval(data)"))
                == FingerprintRecipe.identityKey(Self.finding(line: 10)))
    }

    @Test func differentCodeOrPathsAreDifferentFindings() {
        let base = FingerprintRecipe.identityKey(Self.finding(line: 10))
        #expect(FingerprintRecipe.identityKey(Self.finding(line: 10, snippet: "y = eval(other)")) != base)
        #expect(FingerprintRecipe.identityKey(Self.finding(line: 10, path: "pkg/b.py")) != base)
    }

    @Test func messagesWithoutSourceIgnoreNumbers() {
        let a = Self.finding(line: 1, snippet: nil, message: "Name 'x' already defined on line 12")
        let b = Self.finding(line: 9, snippet: nil, message: "Name 'x' already defined on line 20")
        #expect(FingerprintRecipe.identityKey(a) == FingerprintRecipe.identityKey(b))
    }

    @Test func identicalFindingsGetOccurrenceIndexesInLineOrder() {
        var findings = [Self.finding(line: 30), Self.finding(line: 10), Self.finding(line: 20)]
        FingerprintRecipe.assign(&findings)
        let key = FingerprintRecipe.identityKey(Self.finding(line: 5))  // any line but 1, which is file-level
        #expect(findings.map(\.fingerprint) == ["\(key):2", "\(key):0", "\(key):1"])
    }

    @Test func dependencyFindingsAreTheSameVulnerabilityWhicheverScannerReportsThem() {
        let safety = Finding(
            tool: "safety", category: .vulnerability, ruleID: "44742", severity: .high, message: "…",
            dependency: DependencyInfo(name: "Django", installedVersion: "3.2.0"), advisories: ["CVE-2021-33203", "SAFETY-44742"])
        let trivy = Finding(
            tool: "trivy", category: .vulnerability, ruleID: "CVE-2021-33203", severity: .medium, path: "requirements.txt",
            message: "Package: django", dependency: DependencyInfo(name: "django", installedVersion: "3.2.0"),
            advisories: ["CVE-2021-33203"])
        #expect(FingerprintRecipe.identityKey(safety) == FingerprintRecipe.identityKey(trivy))
        var other = trivy
        other.dependency?.installedVersion = "3.2.1"
        #expect(FingerprintRecipe.identityKey(other) != FingerprintRecipe.identityKey(trivy))
    }

    @Test func toolFingerprintsComeFirst() {
        var a = Self.finding(line: 1)
        a.toolFingerprint = "primaryLocationLineHash=39fa2ee980eb94b0:1"
        var b = Self.finding(line: 5, snippet: "totally different")
        b.toolFingerprint = "primaryLocationLineHash=39fa2ee980eb94b0:1"
        #expect(FingerprintRecipe.identityKey(a) == FingerprintRecipe.identityKey(b))
        #expect(FingerprintRecipe.identityKey(a).hasPrefix("t"))
    }
}
