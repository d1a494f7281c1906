/// Renders the pull-request comment: verdict first, then gates, then what changed.
///
/// The comment has two hard limits. It must be updatable in place, so it starts with a hidden
/// marker (`<!-- qgate:summary policy=… key=… -->`) that CI searches for, and no report string
/// can forge it (every such string goes through ``MarkdownEscaper``). And it must stay under
/// GitHub's 65,536-character limit, so when the full text is too long, content is dropped
/// least important first — the fixed-findings list, then info and low new findings, then the
/// trend chart, then rows of the remaining tables (whole rows, never mid-table) — and a note
/// says what was left out. The marker, the verdict and the gate table always stay.
///
/// Length is counted in UTF-16 code units, the stricter of GitHub's possible measures: every
/// Character is at least one code unit, so a text within the limit in code units is within it
/// in Characters too.
public struct MarkdownReporter: EvaluationReporter {
    /// What to render and how long it may be.
    public struct Options: Sendable, Equatable {
        /// Upper bound on the output in UTF-16 code units; values below 512 are raised to 512.
        public var maxLength: Int
        /// Distinguishes several qgate comments on one pull request (one per job or policy).
        public var key: String?
        public var showFixed: Bool
        public var showChart: Bool
        /// Rows of a long table shown before the rest is folded into `<details>`.
        public var visibleRows: Int

        public init(
            maxLength: Int = 65_536, key: String? = nil, showFixed: Bool = true, showChart: Bool = true,
            visibleRows: Int = 10
        ) {
            self.maxLength = maxLength
            self.key = key
            self.showFixed = showFixed
            self.showChart = showChart
            self.visibleRows = visibleRows
        }
    }

    public static let minimumLength = 512

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func render(_ evaluation: Evaluation) -> String {
        let limit = max(options.maxLength, Self.minimumLength)
        let summary = MarkdownSummary(evaluation, options: options, limit: limit)
        func fits(_ plan: MarkdownPlan) -> Bool { summary.render(plan).utf16.count <= limit }

        var plan = MarkdownPlan(
            showFixed: options.showFixed && !evaluation.findings.fixed.isEmpty,
            showChart: options.showChart && summary.hasChart)
        if fits(plan) { return summary.render(plan) }

        for step in MarkdownPlan.Step.allCases {
            guard let next = plan.applying(step, to: summary) else { continue }
            plan = next
            if fits(plan) { return summary.render(plan) }
        }

        plan.rowLimit = 0
        if fits(plan) {
            plan.rowLimit = largestFitting(upTo: summary.longestList - 1) { rows in
                var candidate = plan
                candidate.rowLimit = rows
                return fits(candidate)
            }
            return summary.render(plan)
        }

        plan.essentialsOnly = true
        if fits(plan) { return summary.render(plan) }
        plan.gateRowLimit = largestFitting(upTo: max(0, evaluation.gates.count - 1)) { rows in
            var candidate = plan
            candidate.gateRowLimit = rows
            return fits(candidate)
        }
        if fits(plan) { return summary.render(plan) }
        plan.showReason = false
        return summary.render(plan)
    }

    /// The largest `n` in `0...upperBound` for which `fits(n)`, assuming `fits(0)` and that
    /// fitting is monotonic in `n`.
    private func largestFitting(upTo upperBound: Int, _ fits: (Int) -> Bool) -> Int {
        var low = 0, high = max(0, upperBound)
        while low < high {
            let middle = (low + high + 1) / 2
            if fits(middle) { low = middle } else { high = middle - 1 }
        }
        return low
    }
}

/// Which parts of the summary to render; the budget loop degrades it one step at a time.
struct MarkdownPlan: Equatable {
    var showFixed: Bool
    var showChart: Bool
    /// New-finding severities left out to save space.
    var droppedSeverities: [Severity] = []
    /// Whether the fixed list / chart were removed by the budget (rather than by options).
    var fixedDropped = false
    var chartDropped = false
    /// Rows per list or table; nil for all.
    var rowLimit: Int?
    /// Only marker, verdict, gate table and the note.
    var essentialsOnly = false
    var gateRowLimit: Int?
    var showReason = true

    /// The degradations tried before tables are trimmed, least important content first.
    enum Step: CaseIterable {
        case dropFixed, dropInfo, dropLow, dropChart
    }

    /// The plan with `step` applied, or nil when the step would change nothing.
    func applying(_ step: Step, to summary: MarkdownSummary) -> MarkdownPlan? {
        var next = self
        switch step {
        case .dropFixed:
            guard showFixed else { return nil }
            next.showFixed = false
            next.fixedDropped = true
        case .dropInfo, .dropLow:
            let severity: Severity = step == .dropInfo ? .info : .low
            guard summary.newCount(severity) > 0 else { return nil }
            next.droppedSeverities.append(severity)
        case .dropChart:
            guard showChart else { return nil }
            next.showChart = false
            next.chartDropped = true
        }
        return next
    }
}
