/// The pull-request summary's content, escaped once, renderable under any ``MarkdownPlan``.
///
/// Escaping every report string up front keeps the budget loop cheap (it renders several
/// plans) and keeps every string on one path through ``MarkdownEscaper``.
struct MarkdownSummary {
    typealias Row = [String]

    private let evaluation: Evaluation
    private let options: MarkdownReporter.Options
    private let limit: Int

    private let marker: String
    private let reason: String
    private let gateRows: [Row]
    private let gateNotes: [String]
    /// Per failing (or warning) gate, the findings it counted, worst first.
    private let gateFindingGroups: [(title: String, rows: [Row])]
    private let missingReports: [String]
    private let baselineLine: String
    private let newBySeverity: [(severity: Severity, rows: [Row])]
    private let fixedRows: [Row]
    private let failingRows: [Row]
    private let flakyRows: [Row]
    private let newlyFailingLines: [String]
    private let knownFlakyRows: [Row]
    private let quarantineLines: [String]
    private let fixedTests: [String]
    private let coverageLine: String?
    private let changedFileRows: [Row]
    private let waiverLines: [String]
    private let diagnosticLines: [String]
    private let chart: String?

    init(_ evaluation: Evaluation, options: MarkdownReporter.Options, limit: Int) {
        self.evaluation = evaluation
        self.options = options
        self.limit = limit
        let escape = { (text: String) in MarkdownEscaper.escape(text) }
        let short = { (text: String) in MarkdownEscaper.escape(text, limit: 200) }

        let policy = MarkdownEscaper.identifier(evaluation.policy)
        let key = MarkdownEscaper.identifier(options.key ?? "default")
        marker = "<!-- qgate:summary policy=\(policy) key=\(key) -->"
        reason = MarkdownEscaper.escape(evaluation.explanation, limit: 300)

        gateRows = evaluation.gates.map { gate in
            [
                short(gate.name), Self.statusLabel(gate.status),
                gate.actual.map { ReportFormatting.metricValue($0, metric: gate.metric) } ?? "—",
                gate.bound.isEmpty ? "—" : short(gate.bound),
                gate.baseline.map { ReportFormatting.metricValue($0, metric: gate.metric) } ?? "—",
                gate.delta.map { ReportFormatting.signedDelta($0, metric: gate.metric) } ?? "—",
            ]
        }
        gateNotes = evaluation.gates.filter { $0.status != .pass && !$0.message.isEmpty }.map { gate in
            "\(Self.statusIcon(gate.status)) **\(short(gate.name))**: \(escape(gate.message))"
        }
        gateFindingGroups = evaluation.gateFindings.map { group in
            (
                title: "\(Self.statusIcon(group.status)) **\(short(group.gate))**",
                rows: group.findings.map { finding in
                    [
                        ReportFormatting.location(of: finding).map(short) ?? "—", finding.severity.rawValue, short(finding.tool),
                        short(finding.ruleID), escape(finding.message),
                    ]
                }
            )
        }
        missingReports = evaluation.missingReports.map(short)
        baselineLine = Self.baselineLine(evaluation)

        let newFindings = ReportFormatting.sorted(evaluation.findings.new)
        newBySeverity = Severity.allCases.compactMap { severity in
            let rows = newFindings.filter { $0.severity == severity }.map { finding in
                [
                    ReportFormatting.location(of: finding).map(short) ?? "—", short(finding.tool), short(finding.ruleID),
                    escape(finding.message),
                ]
            }
            return rows.isEmpty ? nil : (severity: severity, rows: rows)
        }
        fixedRows = ReportFormatting.sorted(evaluation.findings.fixed).map { finding in
            [
                ReportFormatting.location(of: finding).map(short) ?? "—", finding.severity.rawValue, short(finding.tool),
                short(finding.ruleID), escape(finding.message),
            ]
        }

        let newlyFailing = Set(evaluation.tests.newlyFailing)
        failingRows = evaluation.tests.failing.map { test in
            let status = test.status.rawValue + (newlyFailing.contains(test.identity) ? " (new)" : "")
            return [escape(test.identity), status, test.message.map { escape(String(ReportFormatting.firstLine($0))) } ?? "—"]
        }
        flakyRows = evaluation.tests.flaky.map { test in
            [escape(test.identity), test.message.map { escape(String(ReportFormatting.firstLine($0))) } ?? "—"]
        }
        fixedTests = evaluation.tests.fixed.map(escape)
        let failingByID = Dictionary(evaluation.tests.failing.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        newlyFailingLines = evaluation.tests.newlyFailing.map { id in
            let location = failingByID[id].flatMap { ReportFormatting.location(of: $0) }.map { " (\(short($0)))" } ?? ""
            return escape(id) + location
        }
        knownFlakyRows = (evaluation.tests.knownFlaky ?? []).map { test in
            [
                escape(test.id), String(test.runs), String(test.failures), String(test.flakyCommits),
                NumberText.format(test.flipRate), test.quarantined ? "yes" : "no",
            ]
        }
        let quarantine = evaluation.tests.quarantine ?? QuarantineOutcome()
        quarantineLines =
            quarantine.applied.map { entry in
                "\(escape(entry.test)) (\(entry.status.rawValue)) — \(escape(entry.reason))"
                    + (entry.expires.map { "; until \(short($0))" } ?? "; no expiry")
            }
            + quarantine.expired.map { entry in
                "\(escape(entry.test)) (\(entry.status.rawValue)) — quarantine expired\(entry.expires.map { " on " + short($0) } ?? ""): "
                    + "\(escape(entry.reason)). It counts again."
            }
            + quarantine.unused.map { entry in
                "Unused: \(short(entry.selector)) — \(escape(entry.reason)). It matched no failing test in this run."
            }

        coverageLine = Self.coverageLine(evaluation.coverage)
        changedFileRows = evaluation.coverage.changedFiles.map { file in
            [
                short(file.path), file.lines.map(ReportFormatting.percent) ?? "—",
                "\(file.changedLinesCovered) of \(file.changedLinesValid)",
                file.uncoveredChangedLines.isEmpty ? "—" : ReportFormatting.lineRanges(file.uncoveredChangedLines),
            ]
        }

        waiverLines =
            evaluation.waivers.expired.map { entry in
                "Expired\(entry.expires.map { " on " + short($0) } ?? ""): \(short(entry.selector)) — \(escape(entry.reason)). "
                    + "Its findings count again."
            }
            + evaluation.waivers.unused.map { entry in
                "Unused: \(short(entry.selector)) — \(escape(entry.reason)). It matched nothing in this run."
            }
        diagnosticLines = evaluation.diagnostics.map(escape)
        chart = MermaidTrendChart(history: evaluation.history).render()
    }

    var hasChart: Bool { chart != nil }

    func newCount(_ severity: Severity) -> Int {
        newBySeverity.first { $0.severity == severity }?.rows.count ?? 0
    }

    /// The length of the longest list a row limit can shorten.
    var longestList: Int {
        ([
            gateNotes.count, missingReports.count, fixedRows.count, failingRows.count, flakyRows.count, fixedTests.count,
            newlyFailingLines.count, knownFlakyRows.count, quarantineLines.count,
            changedFileRows.count, waiverLines.count, diagnosticLines.count,
        ] + newBySeverity.map(\.rows.count)
            + gateFindingGroups.map(\.rows.count)).max() ?? 0
    }

    // MARK: Rendering

    func render(_ plan: MarkdownPlan) -> String {
        var blocks = [marker + "\n" + verdictLine(plan), gateTable(plan)]
        if !plan.essentialsOnly {
            blocks += [
                bulletList(gateNotes, plan), gateFindingsBlock(plan), missingReportsBlock(plan), baselineLine, newFindingsBlock(plan),
                fixedFindingsBlock(plan), testsBlock(plan), coverageBlock(plan), waiversBlock(plan),
                notesBlock(plan), plan.showChart ? chartBlock : nil,
            ].compactMap { $0 }
        }
        if let note = leftOutNote(plan) { blocks.append(note) }
        return blocks.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    private func verdictLine(_ plan: MarkdownPlan) -> String {
        let head = "### \(Self.verdictIcon(evaluation.verdict)) qgate: \(evaluation.verdict.rawValue)"
        return plan.showReason && !reason.isEmpty ? head + " — " + reason : head
    }

    private func gateTable(_ plan: MarkdownPlan) -> String {
        guard !gateRows.isEmpty else { return "No gates." }
        let rows = plan.gateRowLimit.map { Array(gateRows.prefix($0)) } ?? gateRows
        let table = MarkdownTable(
            headers: ["Gate", "Status", "Actual", "Bound", "Baseline", "Δ"],
            alignments: [.left, .left, .right, .left, .right, .right])
        return table.render(rows)
    }

    private func gateFindingsBlock(_ plan: MarkdownPlan) -> String? {
        guard !gateFindingGroups.isEmpty else { return nil }
        let table = MarkdownTable(headers: ["Location", "Severity", "Tool", "Rule", "Message"])
        var blocks = ["### Findings behind the failing gates"]
        for group in gateFindingGroups {
            let count = group.rows.count
            blocks.append("\(group.title): \(ReportFormatting.grouped(count)) finding\(count == 1 ? "" : "s"), worst first")
            blocks.append(foldedTable(table, group.rows, plan, noun: "findings of this gate"))
        }
        return blocks.joined(separator: "\n\n")
    }

    private func missingReportsBlock(_ plan: MarkdownPlan) -> String? {
        guard !missingReports.isEmpty else { return nil }
        return "**Missing reports:** " + inlineList(missingReports, plan)
    }

    private func newFindingsBlock(_ plan: MarkdownPlan) -> String {
        let changes = evaluation.findings
        let count = ReportFormatting.grouped
        var counts = [
            "\(count(changes.new.count)) new", "\(count(changes.fixed.count)) fixed", "\(count(changes.unchanged.count)) unchanged",
        ]
        if changes.waivedCount > 0 { counts.append("\(count(changes.waivedCount)) waived") }
        if changes.suppressedCount > 0 { counts.append("\(count(changes.suppressedCount)) suppressed in the reports") }
        var blocks = ["### New findings (\(count(changes.new.count)))", counts.joined(separator: ", ") + "."]
        let table = MarkdownTable(headers: ["Location", "Tool", "Rule", "Message"])
        for group in newBySeverity where !plan.droppedSeverities.contains(group.severity) {
            blocks.append("#### \(Self.severityTitle(group.severity)) (\(count(group.rows.count)))")
            blocks.append(foldedTable(table, group.rows, plan, noun: "\(group.severity.rawValue) findings"))
        }
        return blocks.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    private func fixedFindingsBlock(_ plan: MarkdownPlan) -> String? {
        guard plan.showFixed, !fixedRows.isEmpty else { return nil }
        let (shown, hidden) = cut(fixedRows, plan)
        let table = MarkdownTable(headers: ["Location", "Severity", "Tool", "Rule", "Message"])
        var text = "<details><summary>Fixed findings (\(ReportFormatting.grouped(fixedRows.count)))</summary>\n\n"
        if !shown.isEmpty { text += table.render(shown) + "\n\n" }
        if hidden > 0 { text += Self.notShown(hidden, "fixed findings") + "\n\n" }
        return text + "</details>"
    }

    private func testsBlock(_ plan: MarkdownPlan) -> String? {
        var blocks: [String] = []
        if !newlyFailingLines.isEmpty {
            blocks.append("### Newly failing (\(newlyFailingLines.count))")
            blocks.append(bulletList(newlyFailingLines, plan))
        }
        if !failingRows.isEmpty {
            let newCount = evaluation.tests.newlyFailing.count
            blocks.append("### Failed tests (\(failingRows.count)\(newCount > 0 ? ", \(newCount) new" : ""))")
            blocks.append(foldedTable(MarkdownTable(headers: ["Test", "Status", "Failure"]), failingRows, plan, noun: "failed tests"))
        }
        if !flakyRows.isEmpty || !knownFlakyRows.isEmpty {
            blocks.append("### Flaky (\(flakyRows.count) this run / \(knownFlakyRows.count) known)")
            if !flakyRows.isEmpty {
                blocks.append(foldedTable(MarkdownTable(headers: ["Test", "First failure"]), flakyRows, plan, noun: "flaky tests"))
            }
            if !knownFlakyRows.isEmpty {
                blocks.append("Known flaky from the history:")
                let table = MarkdownTable(
                    headers: ["Test", "Runs", "Failures", "Flaky commits", "Flip rate", "Quarantined"],
                    alignments: [.left, .right, .right, .right, .right, .left])
                blocks.append(foldedTable(table, knownFlakyRows, plan, noun: "known flaky tests"))
            }
        }
        if !quarantineLines.isEmpty {
            blocks.append("### Quarantined (\((evaluation.tests.quarantine?.applied.count ?? 0)))")
            blocks.append(bulletList(quarantineLines, plan))
        }
        if !fixedTests.isEmpty {
            blocks.append("**Fixed since the baseline:** " + inlineList(fixedTests, plan))
        }
        return blocks.isEmpty ? nil : blocks.joined(separator: "\n\n")
    }

    private func coverageBlock(_ plan: MarkdownPlan) -> String? {
        guard let coverageLine else { return nil }
        var blocks = ["### Coverage", coverageLine]
        if !changedFileRows.isEmpty {
            blocks.append("#### Changed files (\(changedFileRows.count))")
            let table = MarkdownTable(
                headers: ["File", "Coverage", "Changed lines covered", "Uncovered changed lines"],
                alignments: [.left, .right, .right, .left])
            blocks.append(foldedTable(table, changedFileRows, plan, noun: "changed files"))
        }
        return blocks.joined(separator: "\n\n")
    }

    private func waiversBlock(_ plan: MarkdownPlan) -> String? {
        guard !waiverLines.isEmpty else { return nil }
        return "### Waivers\n\n" + bulletList(waiverLines, plan)
    }

    private func notesBlock(_ plan: MarkdownPlan) -> String? {
        guard !diagnosticLines.isEmpty else { return nil }
        return "### Notes\n\n" + bulletList(diagnosticLines, plan)
    }

    private var chartBlock: String? {
        guard let chart else { return nil }
        let branch = evaluation.baseline.run?.branch.map { " of " + MarkdownEscaper.escape($0, limit: 100) } ?? ""
        return "### Trend\(branch) (last \(evaluation.history.count) runs)\n\n" + chart
    }

    private func leftOutNote(_ plan: MarkdownPlan) -> String? {
        var parts: [(text: String, plural: Bool)] = []
        if plan.essentialsOnly { parts.append(("every section below the gate table", true)) }
        if let rows = plan.gateRowLimit { parts.append(("\(gateRows.count - rows) gate rows", true)) }
        if !plan.essentialsOnly {
            if plan.fixedDropped { parts.append(("the fixed-findings list", false)) }
            for severity in plan.droppedSeverities {
                let count = newCount(severity)
                let name = severity == .info ? "info" : "\(severity.rawValue)-severity"
                parts.append(("\(ReportFormatting.grouped(count)) \(name) finding\(count == 1 ? "" : "s")", count != 1))
            }
            if plan.chartDropped { parts.append(("the trend chart", false)) }
            if let rows = plan.rowLimit { parts.append(("all but the first \(rows) rows of longer lists", true)) }
        }
        guard !parts.isEmpty else { return nil }
        let list: String
        switch parts.count {
        case 1: list = parts[0].text
        case 2: list = parts[0].text + " and " + parts[1].text
        default: list = parts.dropLast().map(\.text).joined(separator: ", ") + " and " + (parts.last?.text ?? "")
        }
        let verb = parts.count == 1 && !parts[0].plural ? "was" : "were"
        let sentence = list.prefix(1).uppercased() + list.dropFirst()
        return "> **Note:** \(sentence) \(verb) left out to stay under \(ReportFormatting.grouped(limit)) characters."
    }

    // MARK: Lists and tables under a row limit

    private func cut<T>(_ items: [T], _ plan: MarkdownPlan) -> (shown: [T], hidden: Int) {
        guard let rowLimit = plan.rowLimit, items.count > rowLimit else { return (items, 0) }
        return (Array(items.prefix(rowLimit)), items.count - rowLimit)
    }

    private func inlineList(_ items: [String], _ plan: MarkdownPlan) -> String {
        let (shown, hidden) = cut(items, plan)
        return (shown + (hidden > 0 ? ["and \(ReportFormatting.grouped(hidden)) more"] : [])).joined(separator: ", ")
    }

    private func bulletList(_ lines: [String], _ plan: MarkdownPlan) -> String {
        let (shown, hidden) = cut(lines, plan)
        return (shown.map { "- " + $0 } + (hidden > 0 ? ["- …and \(ReportFormatting.grouped(hidden)) more"] : [])).joined(separator: "\n")
    }

    /// The first `visibleRows` rows as a table, the rest folded in `<details>`, and a line for
    /// rows the row limit left out.
    private func foldedTable(_ table: MarkdownTable, _ rows: [Row], _ plan: MarkdownPlan, noun: String) -> String {
        let (shown, hidden) = cut(rows, plan)
        let visible = max(0, options.visibleRows)
        var blocks: [String] = []
        if !shown.isEmpty { blocks.append(table.render(Array(shown.prefix(visible)))) }
        if shown.count > visible {
            blocks.append(
                "<details><summary>\(ReportFormatting.grouped(shown.count - visible)) more \(noun)</summary>\n\n"
                    + table.render(Array(shown.dropFirst(visible))) + "\n\n</details>")
        }
        if hidden > 0 { blocks.append(Self.notShown(hidden, noun)) }
        return blocks.joined(separator: "\n\n")
    }

    private static func notShown(_ count: Int, _ noun: String) -> String {
        "_\(ReportFormatting.grouped(count)) more \(noun) not shown._"
    }

    // MARK: Fixed wording

    private static func baselineLine(_ evaluation: Evaluation) -> String {
        let run = describe(evaluation.run)
        switch evaluation.baseline.status {
        case .found:
            guard let baseline = evaluation.baseline.run else { return "\(run) was compared with its baseline." }
            return "\(run) compared with \(describe(baseline).prefix(1).lowercased() + describe(baseline).dropFirst())."
        case .missing:
            let requested = evaluation.baseline.requested.map { MarkdownEscaper.escape($0, limit: 100) } ?? "the policy's baseline"
            let line = "\(run): no baseline — no run found for \(requested), so nothing is marked new or fixed."
            guard let sentence = ReportFormatting.emptyBaselineBranchSentence(evaluation.baseline) else { return line }
            return line + "\n\n> **" + MarkdownEscaper.escape(sentence) + "**"
        case .notConfigured:
            return "\(run): no baseline — the policy names none."
        }
    }

    /// "Run 12 (abc1234) on main".
    private static func describe(_ run: RunSummary) -> String {
        var text = "Run \(run.id)"
        if let commit = run.commit { text += " (\(MarkdownEscaper.escape(ReportFormatting.shortCommit(commit))))" }
        if let branch = run.branch { text += " on \(MarkdownEscaper.escape(branch, limit: 100))" }
        return text
    }

    private static func coverageLine(_ coverage: CoverageChanges) -> String? {
        var parts: [String] = []
        if let lines = coverage.lines {
            var part = "Lines \(ReportFormatting.percent(lines))"
            if let baseline = coverage.baselineLines {
                part +=
                    " (baseline \(ReportFormatting.percent(baseline)), "
                    + "\(ReportFormatting.signedDelta(lines - baseline, metric: .coverageLines)))"
            }
            parts.append(part)
        }
        if let branches = coverage.branches { parts.append("branches \(ReportFormatting.percent(branches))") }
        if let combined = coverage.combined {
            parts.append("lines and branches together \(ReportFormatting.percent(combined)) (coverage.py's TOTAL)")
        }
        if let patch = coverage.patch {
            parts.append("changed lines \(ReportFormatting.percent(patch)) (\(coverage.patchLinesCovered) of \(coverage.patchLinesValid))")
        }
        guard !parts.isEmpty else { return coverage.changedFiles.isEmpty ? nil : "No coverage totals." }
        return parts.joined(separator: " · ") + "."
    }

    static func verdictIcon(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: "✅"
        case .warn: "⚠️"
        case .fail: "❌"
        }
    }

    static func statusIcon(_ status: GateResult.Status) -> String {
        switch status {
        case .pass: "✅"
        case .warn: "⚠️"
        case .fail: "❌"
        case .skipped: "⏭️"
        }
    }

    static func statusLabel(_ status: GateResult.Status) -> String { statusIcon(status) + " " + status.rawValue }

    static func severityTitle(_ severity: Severity) -> String {
        switch severity {
        case .critical: "Critical"
        case .high: "High"
        case .medium: "Medium"
        case .low: "Low"
        case .info: "Info"
        }
    }
}
