/// The findings that make one gate fail (or warn): what a reviewer must look at first.
///
/// A failing absolute gate ("at most 0 findings") on a run without a baseline, or a pull
/// request whose pre-existing findings still break a gate, would otherwise be explained only
/// by a count. Every reporter lists these, worst first.
public struct GateFindings: Sendable, Equatable, Encodable {
    public var gate: String
    public var status: GateResult.Status
    /// Worst first (severity, path, line, rule, fingerprint).
    public var findings: [Finding]
}

extension Evaluation {
    /// For every gate that failed or warned and counted findings, those findings (from the
    /// run's new and unchanged ones), worst first; gates in policy order.
    public var gateFindings: [GateFindings] {
        let gates = self.gates.filter { ($0.status == .fail || $0.status == .warn) && !$0.findingFingerprints.isEmpty }
        guard !gates.isEmpty else { return [] }
        var byFingerprint: [String: Finding] = [:]
        for finding in findings.new + findings.unchanged { byFingerprint[finding.fingerprint] = finding }
        return gates.compactMap { gate in
            let found = gate.findingFingerprints.compactMap { byFingerprint[$0] }.sorted(by: FindingOrder.worstFirst)
            return found.isEmpty ? nil : GateFindings(gate: gate.name, status: gate.status, findings: found)
        }
    }
}
