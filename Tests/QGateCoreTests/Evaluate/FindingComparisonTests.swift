import Testing

@testable import QGateCore

struct FindingComparisonTests {
    static func f(_ fingerprint: String, line: Int = 1, severity: Severity = .low) -> Finding {
        Make.fingerprinted(Make.finding("R1", severity: severity, line: line), fingerprint)
    }

    @Test func twoCopiesWhereTheBaselineHadOneGiveOneNew() {
        let comparison = FindingComparison(
            current: [Self.f("cabc:0", line: 3), Self.f("cabc:1", line: 9)],
            baseline: [Self.f("cabc:0", line: 3)])
        #expect(comparison.new.map(\.fingerprint) == ["cabc:1"])
        #expect(comparison.unchanged.map(\.fingerprint) == ["cabc:0"])
        #expect(comparison.fixed.isEmpty)
    }

    @Test func oneCopyWhereTheBaselineHadThreeGivesTwoFixed() {
        let comparison = FindingComparison(
            current: [Self.f("cabc:0")],
            baseline: [Self.f("cabc:0"), Self.f("cabc:1", line: 2), Self.f("cabc:2", line: 3)])
        #expect(comparison.new.isEmpty)
        #expect(comparison.unchanged.map(\.fingerprint) == ["cabc:0"])
        #expect(comparison.fixed.map(\.fingerprint) == ["cabc:1", "cabc:2"])
    }

    @Test func aDuplicateWhoseOccurrenceIndexChangedIsNeitherNewNorFixed() {
        // The baseline's first copy was fixed, so the survivor is now occurrence 0, not 1.
        let comparison = FindingComparison(current: [Self.f("cabc:0", line: 20)], baseline: [Self.f("cabc:1", line: 19)])
        #expect(comparison.new.isEmpty)
        #expect(comparison.fixed.isEmpty)
        #expect(comparison.unchanged.map(\.fingerprint) == ["cabc:0"])
    }

    @Test func aFindingWhoseLineMovedIsUnchanged() {
        let comparison = FindingComparison(current: [Self.f("cdef:0", line: 67)], baseline: [Self.f("cdef:0", line: 55)])
        #expect(comparison.unchanged.map(\.range.startLine) == [67])
        #expect(comparison.new.isEmpty && comparison.fixed.isEmpty)
    }

    @Test func differentIdentitiesAreNewAndFixed() {
        let comparison = FindingComparison(
            current: [Self.f("cnew:0", severity: .high), Self.f("ckeep:0")],
            baseline: [Self.f("ckeep:0"), Self.f("cgone:0")])
        #expect(comparison.new.map(\.fingerprint) == ["cnew:0"])
        #expect(comparison.fixed.map(\.fingerprint) == ["cgone:0"])
        #expect(comparison.unchanged.map(\.fingerprint) == ["ckeep:0"])
    }

    @Test(arguments: [("cabc:12", "cabc"), ("t1:2:3", "t1:2"), ("nocolon", "nocolon"), ("x:y", "x:y"), ("x:", "x:")])
    func identityDropsOnlyANumericOccurrenceSuffix(_ fingerprint: String, _ identity: String) {
        #expect(FindingComparison.identity(of: fingerprint) == identity)
    }

    @Test func findingsSortWorstFirstThenByPathLineRuleFingerprint() {
        let a = Make.fingerprinted(Make.finding("B", severity: .low, path: "a.py", line: 2), "c1:0")
        let b = Make.fingerprinted(Make.finding("A", severity: .low, path: "a.py", line: 2), "c2:0")
        let c = Make.fingerprinted(Make.finding("A", severity: .low, path: "a.py", line: 1), "c3:0")
        let d = Make.fingerprinted(Make.finding("Z", severity: .critical, path: "z.py", line: 9), "c4:0")
        let e = Make.fingerprinted(Make.finding("A", severity: .low, path: nil, line: nil), "c5:0")
        #expect([a, b, c, d, e].sorted(by: FindingOrder.worstFirst).map(\.fingerprint) == ["c4:0", "c5:0", "c3:0", "c2:0", "c1:0"])
    }
}

struct FindingTriageTests {
    static func f(
        _ rule: String, tool: String = "flake8", path: String = "pkg/a.py", fingerprint: String,
        suppressed: Bool = false, package: String? = nil, advisories: [String] = [],
        severity: Severity = .low
    ) -> Finding {
        Make.fingerprinted(
            Make.finding(
                rule, tool: tool, severity: severity, path: path, package: package, version: "1.0",
                advisories: advisories, suppressed: suppressed), fingerprint)
    }

    @Test func severityOverridesApplyBeforeAnythingElseAndTheLastMatchWins() throws {
        let triage = FindingTriage(severityOverrides: [
            SeverityOverride(tool: "flake8", rule: try Glob("E5*"), severity: .info),
            SeverityOverride(rule: try Glob("E501"), severity: .medium),
            SeverityOverride(tool: "pylint", rule: try Glob("*"), severity: .critical),
        ])
        let result = triage.triage([
            Self.f("E501", fingerprint: "c1:0"), Self.f("E502", fingerprint: "c2:0"),
            Self.f("W1", fingerprint: "c3:0"),
        ])
        #expect(result.counted.map(\.severity) == [.medium, .info, .low])
    }

    @Test func suppressedFindingsAreSetAsideUnlessThePolicyCountsThem() {
        let findings = [Self.f("R1", fingerprint: "c1:0", suppressed: true), Self.f("R2", fingerprint: "c2:0")]
        let byDefault = FindingTriage().triage(findings)
        #expect(byDefault.counted.map(\.ruleID) == ["R2"])
        #expect(byDefault.suppressed.map(\.ruleID) == ["R1"])
        let counting = FindingTriage(countSuppressed: true).triage(findings)
        #expect(counting.counted.map(\.ruleID) == ["R1", "R2"])
    }

    @Test func waiversHideMatchingFindingsAndCountTheirMatches() throws {
        let waivers = [
            Waiver(rule: try Glob("B101"), paths: [try Glob("tests/**")], reason: "pytest asserts"),
            Waiver(fingerprint: "cfeed", reason: "accepted, SEC-1", expires: "2027-01-31"),
            Waiver(package: "Jinja2", reason: "not reachable"),
            Waiver(advisory: "cve-2018-18074", reason: "fixed upstream"),
            Waiver(rule: try Glob("X999"), reason: "matches nothing"),
            Waiver(rule: try Glob("E501"), reason: "old", expires: "2027-01-01"),
        ]
        let findings = [
            Self.f("B101", tool: "bandit", path: "tests/test_a.py", fingerprint: "c1:0"),
            Self.f("B101", tool: "bandit", path: "pkg/a.py", fingerprint: "c2:0"),  // outside the waiver's paths
            Self.f("F401", fingerprint: "cfeed:0"),
            Self.f("900004", tool: "safety", fingerprint: "dj:0", package: "jinja2", advisories: ["CVE-2020-28493"]),
            Self.f("900005", tool: "safety", fingerprint: "dr:0", package: "requests", advisories: ["CVE-2018-18074"]),
            Self.f("E501", fingerprint: "c3:0"),
        ]
        let result = FindingTriage(waivers: waivers, today: "2027-01-15").triage(findings)
        #expect(result.waived.map(\.fingerprint) == ["c1:0", "cfeed:0", "dj:0", "dr:0"])
        #expect(result.counted.map(\.fingerprint) == ["c2:0", "c3:0"], "the expired E501 waiver no longer hides")
        #expect(result.waiverMatches == [1, 1, 1, 1, 0, 1])
    }

    @Test func aWaiverAppliesThroughItsExpiryDay() throws {
        let waiver = Waiver(rule: try Glob("E501"), reason: "r", expires: "2027-01-31")
        let finding = [Self.f("E501", fingerprint: "c1:0")]
        #expect(FindingTriage(waivers: [waiver], today: "2027-01-31").triage(finding).waived.count == 1)
        #expect(FindingTriage(waivers: [waiver], today: "2027-02-01").triage(finding).counted.count == 1)
    }

    @Test func theSameVulnerabilityFromTwoScannersCountsOnce() {
        let findings = [
            Self.f("900003", tool: "safety", fingerprint: "dsame:0", package: "jinja2", severity: .medium),
            Self.f("CVE-2019-10906", tool: "trivy", fingerprint: "dsame:0", package: "jinja2", severity: .high),
            Self.f("900004", tool: "safety", fingerprint: "dother:0", package: "jinja2"),
        ]
        let result = FindingTriage().triage(findings)
        #expect(result.counted.map(\.tool) == ["trivy", "safety"])
        #expect(result.counted.first?.severity == .high, "the worst severity is kept")
    }
}
