/// The verdict of a check and the one sentence that explains it, from the gates' results, the
/// missing reports and the baseline. Pure, so its wording is tested on its own.
///
/// fail: a gate failed, a required report is missing, or the baseline is missing under
/// `on_missing: fail`. warn: a gate warned, or the baseline is missing under `on_missing: warn`.
/// Otherwise pass.
public struct VerdictDecision: Sendable, Equatable {
    public var verdict: Verdict
    public var reason: String

    public init(gates: [GateResult], missingReports: [String], baseline: BaselineOutcome, onMissingBaseline: MissingAction) {
        let failed = gates.filter { $0.status == .fail }
        let warned = gates.filter { $0.status == .warn }
        let skipped = gates.filter { $0.status == .skipped }
        let total = gates.count
        let gateWord = total == 1 ? "gate" : "gates"

        var failures: [String] = []
        var warnings: [String] = []
        if !failed.isEmpty {
            failures.append("\(failed.count) of \(total) \(gateWord) failed (\(Self.names(failed)))")
        }
        if !missingReports.isEmpty {
            failures.append("required report\(missingReports.count == 1 ? "" : "s") missing (\(missingReports.joined(separator: ", ")))")
        }
        if !warned.isEmpty {
            warnings.append("\(warned.count) \(warned.count == 1 ? "gate" : "gates") warned (\(Self.names(warned)))")
        }
        if baseline.status == .missing {
            let note = "no baseline run" + (baseline.requested.map { " (\($0))" } ?? "")
            switch onMissingBaseline {
            case .fail: failures.append(note)
            case .warn: warnings.append(note)
            case .pass: break
            }
        }

        if !failures.isEmpty {
            verdict = .fail
            reason = "fail: " + failures.joined(separator: "; ") + "."
        } else if !warnings.isEmpty {
            verdict = .warn
            reason = "warn: " + warnings.joined(separator: "; ") + "."
        } else {
            verdict = .pass
            if total == 0 {
                reason = "pass: the policy has no gates."
            } else if skipped.isEmpty {
                reason = total == 1 ? "pass: the gate passed." : "pass: all \(total) gates passed."
            } else {
                reason = "pass: \(total - skipped.count) of \(total) \(gateWord) passed, \(skipped.count) skipped (\(Self.names(skipped)))."
            }
        }
    }

    private static func names(_ gates: [GateResult]) -> String {
        gates.map(\.name).joined(separator: "; ")
    }
}
