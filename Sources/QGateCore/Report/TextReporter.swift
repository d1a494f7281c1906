/// `--format text`: what a person reads in a CI log. Plain text without colour (the CLI adds
/// colour on a terminal); pure, so the same evaluation prints the same lines.
///
/// The verdict sentence first, then the gates table (name, status, actual, bound, baseline,
/// delta), why each gate that did not pass has its status, the worst new findings, missing
/// reports and waiver notes.
public struct TextReporter: EvaluationReporter {
    /// How many new findings are listed before "… and N more".
    public var findingLimit: Int

    public init(findingLimit: Int = 10) {
        self.findingLimit = findingLimit
    }

    public func render(_ evaluation: Evaluation) -> String {
        var out: [String] = [TextEscaper.escape(evaluation.reason), runLine(evaluation)]
        if let sentence = ReportFormatting.emptyBaselineBranchSentence(evaluation.baseline) {
            out.append(TextEscaper.escape(sentence))
        }
        let linesOnly = ReportFormatting.linesOnlySentence(evaluation)
        if !evaluation.gates.isEmpty {
            out.append("")
            out.append(gateTable(evaluation.gates).trimmingTrailingNewline())
            let notes = evaluation.gates.filter { !$0.message.isEmpty }
            if !notes.isEmpty {
                out.append("")
                out.append(contentsOf: notes.map { "  \(TextReporter.oneLine($0.name)): \(TextReporter.oneLine($0.message))" })
            }
            if let linesOnly {
                out.append("")
                out.append("  " + linesOnly)
            }
        }
        out.append(contentsOf: gateFindingsSection(evaluation))
        out.append(contentsOf: findingsSection(evaluation))
        if !evaluation.tests.failing.isEmpty {
            out.append("")
            let newCount = evaluation.tests.newlyFailing.count
            out.append("Failing tests (\(evaluation.tests.failing.count)\(newCount > 0 ? ", \(newCount) new" : "")):")
            let newlyFailing = Set(evaluation.tests.newlyFailing)
            for test in evaluation.tests.failing.prefix(findingLimit) {
                let message = test.message.map { "  " + TextReporter.oneLine($0) } ?? ""
                let new = newlyFailing.contains(test.identity) ? " (new)" : ""
                out.append("  \(test.status.rawValue)\(new)  \(TextReporter.oneLine(test.identity))\(message)")
            }
            if evaluation.tests.failing.count > findingLimit {
                out.append("  … and \(evaluation.tests.failing.count - findingLimit) more")
            }
        }
        out.append(contentsOf: testAnalyticsSection(evaluation.tests))
        if !evaluation.missingReports.isEmpty {
            out.append("")
            out.append("Missing reports: " + evaluation.missingReports.map { TextReporter.oneLine($0) }.joined(separator: ", "))
        }
        out.append(contentsOf: waiverSection(evaluation.waivers))
        if !evaluation.diagnostics.isEmpty {
            out.append("")
            out.append("Notes:")
            out.append(contentsOf: evaluation.diagnostics.map { "  " + TextReporter.oneLine($0) })
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Newly failing tests (with their location when known), flaky tests of this run and known
    /// from the history, and the quarantine.
    private func testAnalyticsSection(_ tests: TestChanges) -> [String] {
        var out: [String] = []
        if !tests.newlyFailing.isEmpty {
            let byID = Dictionary(tests.failing.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
            out.append("")
            out.append("Newly failing (\(tests.newlyFailing.count)):")
            for id in tests.newlyFailing.prefix(findingLimit) {
                let location = byID[id].flatMap { ReportFormatting.location(of: $0) }.map { "  " + TextReporter.oneLine($0) } ?? ""
                out.append("  \(TextReporter.oneLine(id))\(location)")
            }
        }
        let known = tests.knownFlaky ?? []
        if !tests.flaky.isEmpty || !known.isEmpty {
            out.append("")
            out.append("Flaky (\(tests.flaky.count) this run / \(known.count) known):")
            for test in tests.flaky.prefix(findingLimit) {
                let attempts = test.attempts > 1 ? "  \(test.attempts) attempts" : ""
                out.append("  this run  \(TextReporter.oneLine(test.identity))\(attempts)")
            }
            for test in known.prefix(findingLimit) {
                out.append(
                    "  known     \(TextReporter.oneLine(test.id))  \(test.failures) of \(test.runs) runs failed, "
                        + "\(test.flakyCommits) flaky commit\(test.flakyCommits == 1 ? "" : "s"), flip rate \(NumberText.format(test.flipRate))"
                        + (test.quarantined ? ", quarantined" : ""))
            }
        }
        if let quarantine = tests.quarantine {
            out.append("")
            out.append("Quarantined (\(quarantine.applied.count)):")
            for entry in quarantine.applied {
                out.append(
                    "  \(TextReporter.oneLine(entry.test)) (\(entry.status.rawValue))  \(TextReporter.oneLine(entry.reason))"
                        + (entry.expires.map { "  until \($0)" } ?? "  no expiry"))
            }
            for entry in quarantine.expired {
                out.append(
                    "  \(TextReporter.oneLine(entry.test)) (\(entry.status.rawValue))  quarantine expired"
                        + (entry.expires.map { " on \($0)" } ?? "") + "; it counts again: \(TextReporter.oneLine(entry.reason))")
            }
            for entry in quarantine.unused {
                out.append(
                    "  unused: \(TextReporter.oneLine(entry.selector))  \(TextReporter.oneLine(entry.reason)); it matched no failing test")
            }
        }
        return out
    }

    private func runLine(_ evaluation: Evaluation) -> String {
        let run = evaluation.run
        var parts = ["run \(run.id)"]
        if let commit = run.commit { parts.append("commit \(commit.prefix(12))") }
        if let branch = run.branch { parts.append("branch \(branch)") }
        if let pr = run.pullRequest { parts.append("PR #\(pr)") }
        parts.append("policy \(evaluation.policy)")
        switch evaluation.baseline.status {
        case .found:
            if let baseline = evaluation.baseline.run {
                let commit = baseline.commit.map { " (\($0.prefix(12)))" } ?? ""
                parts.append("baseline run \(baseline.id)\(commit)")
            }
        case .missing:
            parts.append("baseline missing" + (evaluation.baseline.requested.map { " (\($0))" } ?? ""))
        case .notConfigured:
            parts.append("no baseline")
        }
        return TextEscaper.escape(parts.joined(separator: "  "))
    }

    private func gateTable(_ gates: [GateResult]) -> String {
        var rows = [["GATE", "STATUS", "ACTUAL", "BOUND", "BASELINE", "DELTA"]]
        for gate in gates {
            let percent = gate.metric.isPercent
            rows.append([
                TextReporter.oneLine(gate.name), gate.status.rawValue,
                gate.actual.map { GateJudge.number($0, percent: percent) } ?? "-",
                gate.bound.isEmpty ? "-" : gate.bound,
                gate.baseline.map { GateJudge.number($0, percent: percent) } ?? "-",
                gate.delta.map { percent ? ReportFormatting.points($0) : GateJudge.signed($0) } ?? "-",
            ])
        }
        return TextTable.render(rows)
    }

    /// For each failing or warning gate, the findings it counted, worst first.
    private func gateFindingsSection(_ evaluation: Evaluation) -> [String] {
        var out: [String] = []
        for group in evaluation.gateFindings {
            out.append("")
            out.append(
                "\(TextReporter.oneLine(group.gate)) \(group.status.rawValue)s on \(group.findings.count) finding\(group.findings.count == 1 ? "" : "s") (worst first):"
            )
            out.append(TextTable.render(group.findings.prefix(findingLimit).map(findingRow)).trimmingTrailingNewline())
            if group.findings.count > findingLimit { out.append("  … and \(group.findings.count - findingLimit) more") }
        }
        return out
    }

    private func findingRow(_ finding: Finding) -> [String] {
        let location = (finding.path ?? "-") + (finding.range.startLine.map { ":\($0)" } ?? "")
        return [
            "  " + finding.severity.rawValue, TextReporter.oneLine(location), TextReporter.oneLine(finding.ruleID),
            TextReporter.oneLine(finding.message),
        ]
    }

    private func findingsSection(_ evaluation: Evaluation) -> [String] {
        let findings = evaluation.findings
        let listed: [Finding]
        let title: String
        switch evaluation.baseline.status {
        case .found:
            guard !findings.new.isEmpty else { return [] }
            listed = findings.new
            title = "New findings (\(findings.new.count), worst first; \(findings.fixed.count) fixed):"
        case .missing, .notConfigured:
            guard !findings.unchanged.isEmpty else { return [] }
            listed = findings.unchanged
            title = "Findings (\(findings.unchanged.count), worst first; no baseline to tell new from old):"
        }
        var out = ["", title]
        out.append(TextTable.render(listed.prefix(findingLimit).map(findingRow)).trimmingTrailingNewline())
        if listed.count > findingLimit { out.append("  … and \(listed.count - findingLimit) more") }
        return out
    }

    private func waiverSection(_ waivers: WaiverOutcome) -> [String] {
        var out: [String] = []
        for entry in waivers.applied {
            out.append(
                "  waived \(entry.matched) finding\(entry.matched == 1 ? "" : "s"): \(TextReporter.oneLine(entry.selector)) (\(TextReporter.oneLine(entry.reason)))"
            )
        }
        for entry in waivers.expired {
            out.append(
                "  expired on \(TextReporter.oneLine(entry.expires ?? "?")), no longer hides \(entry.matched) finding\(entry.matched == 1 ? "" : "s"): \(TextReporter.oneLine(entry.selector))"
            )
        }
        for entry in waivers.unused {
            out.append("  unused (matched nothing): \(TextReporter.oneLine(entry.selector))")
        }
        return out.isEmpty ? [] : ["", "Waivers:"] + out
    }

    /// A string from a report on one line, inert (``TextEscaper``) and capped at
    /// ``TextEscaper/messageLimit`` characters.
    /// Line breaks and tabs read as spaces here (a message's second line stays readable);
    /// every other control is escaped.
    static func oneLine(_ text: String) -> String {
        let spaced = String(
            String.UnicodeScalarView(
                text.unicodeScalars.lazy.map { scalar -> Unicode.Scalar in
                    switch scalar {
                    case "\n", "\r", "\t", "\u{85}", "\u{2028}", "\u{2029}": " "
                    default: scalar
                    }
                }))
        return TextEscaper.escape(spaced, limit: TextEscaper.messageLimit)
    }
}

extension String {
    fileprivate func trimmingTrailingNewline() -> String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
