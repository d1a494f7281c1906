/// Decides which of a run's findings count: severity overrides first, then one finding reported
/// several times becomes one (the same vulnerability from two scanners; the same finding from
/// several reports of one tool, such as bandit's JSON and SARIF of one scan), then findings
/// suppressed in the report and findings an unexpired waiver accepts are set aside.
///
/// The current run and its baseline go through the same triage, so a finding waived today is
/// neither "new" now nor "fixed" because it was counted before.
public struct FindingTriage: Sendable {
    public var severityOverrides: [SeverityOverride]
    public var countSuppressed: Bool
    public var waivers: [Waiver]
    /// `YYYY-MM-DD`; waivers that expired before it no longer hide anything.
    public var today: String

    public init(
        severityOverrides: [SeverityOverride] = [], countSuppressed: Bool = false, waivers: [Waiver] = [],
        today: String = "0000-00-00"
    ) {
        self.severityOverrides = severityOverrides
        self.countSuppressed = countSuppressed
        self.waivers = waivers
        self.today = today
    }

    public init(policy: Policy, today: String) {
        self.init(
            severityOverrides: policy.severityOverrides, countSuppressed: policy.countSuppressed,
            waivers: policy.waivers, today: today)
    }

    /// No overrides, no waivers, suppressed findings set aside: the run as the tools reported it.
    public static let none = FindingTriage()

    /// A run's findings, sorted apart.
    public struct Result: Sendable, Equatable {
        /// What gates count.
        public var counted: [Finding] = []
        public var suppressed: [Finding] = []
        public var waived: [Finding] = []
        /// Per waiver (policy order): how many of the run's findings it matches.
        public var waiverMatches: [Int] = []
    }

    public func triage(_ findings: [Finding]) -> Result {
        var result = Result(waiverMatches: Array(repeating: 0, count: waivers.count))
        let active = waivers.map { !$0.isExpired(today: today) }
        for finding in Self.mergingDuplicates(findings.map(overridden)) {
            if finding.suppressed && !countSuppressed {
                result.suppressed.append(finding)
                continue
            }
            var waived = false
            for (index, waiver) in waivers.enumerated() where waiver.matches(finding) {
                result.waiverMatches[index] += 1
                waived = waived || active[index]
            }
            if waived {
                result.waived.append(finding)
            } else {
                result.counted.append(finding)
            }
        }
        return result
    }

    func overridden(_ finding: Finding) -> Finding {
        guard let override = severityOverrides.last(where: { $0.applies(to: finding) }) else { return finding }
        var finding = finding
        finding.severity = override.severity
        return finding
    }

    /// Equal fingerprints in one run are one finding. Within one report they never repeat (the
    /// occurrence index tells copies apart), so equal ones come from several reports: of one
    /// tool (content fingerprints `c…` and tool fingerprints `t…` include the tool), which is the
    /// same scan given twice, or in several formats, or by two jobs; `k:0` and `k:1` stay two,
    /// so the report with the most copies decides how many there are. Dependency fingerprints
    /// (`d…`) leave the tool out on purpose: two scanners reporting the same advisory on the same
    /// package version are one vulnerability. The worst severity (then the first tool by name,
    /// then the first stored) is kept; a copy suppressed in one report and not in another is kept
    /// once of each kind, so that it still counts.
    static func mergingDuplicates(_ findings: [Finding]) -> [Finding] {
        var keptIndex: [String: Int] = [:]
        keptIndex.reserveCapacity(findings.count)
        var kept: [Finding] = []
        kept.reserveCapacity(findings.count)
        for finding in findings {
            let key = finding.suppressed ? finding.fingerprint + "/s" : finding.fingerprint
            guard let index = keptIndex[key] else {
                keptIndex[key] = kept.count
                kept.append(finding)
                continue
            }
            let other = kept[index]
            if (finding.severity, finding.tool) < (other.severity, other.tool) { kept[index] = finding }
        }
        return kept
    }
}
