import Foundation

/// The one place numbers, percents, points, ranges and ordering are written, shared by the gate
/// messages and every reporter, so that a value reads the same in every output: a percent is
/// `72.97%` (two decimals, no space), a change of a percent is in points (`-0.87 pts`), a count
/// is an integer.
public enum ReportFormatting {
    /// `85.20%`.
    public static func percent(_ value: Double) -> String {
        guard value.isFinite else { return NumberText.format(value) }
        return String(format: "%.2f%%", value)
    }

    /// An integer when the value is whole (`3`), else two decimals (`0.25`).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.2f", value)
    }

    /// A metric value as the gate table shows it: percent metrics with `%`, durations in
    /// seconds, counts as integers.
    static func metricValue(_ value: Double, metric: Metric) -> String {
        if metric.isPercent { return percent(value) }
        if metric == .testsDuration { return String(format: "%.2f s", value) }
        return number(value)
    }

    /// A delta with its sign: `+1`, `0`; a percent metric's in points (`-0.50 pts`).
    public static func signedDelta(_ value: Double, metric: Metric) -> String {
        if metric.isPercent { return points(value) }
        let magnitude = metricValue(abs(value), metric: metric)
        if value > 0 { return "+" + magnitude }
        if value < 0 { return "-" + magnitude }
        return magnitude
    }

    /// A change of a percent, in points with its sign: `-0.87 pts`, `+2 pts`, `0 pts`.
    public static func points(_ value: Double) -> String {
        let text = NumberText.format(value)
        return (value > 0 && text != "0" ? "+" + text : text) + " pts"
    }

    /// `65,536`: thousands grouped with commas, independent of the machine's locale.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// Sorted line numbers as compact ranges: `[13, 16, 17, 18]` → `13, 16–18`; at most
    /// `maxRanges` ranges, then `… (N more)`.
    static func lineRanges(_ lines: [Int], maxRanges: Int = 25) -> String {
        let sorted = Array(Set(lines)).sorted()
        var ranges: [ClosedRange<Int>] = []
        for line in sorted {
            if let last = ranges.last, last.upperBound + 1 == line {
                ranges[ranges.count - 1] = last.lowerBound...line
            } else {
                ranges.append(line...line)
            }
        }
        var parts = ranges.prefix(maxRanges).map { range in
            range.count == 1 ? String(range.lowerBound) : "\(range.lowerBound)–\(range.upperBound)"
        }
        if ranges.count > maxRanges { parts.append("… (\(ranges.count - maxRanges) more)") }
        return parts.joined(separator: ", ")
    }

    /// When a gate reads `coverage.lines` and the report also measured branches: the number
    /// coverage.py's TOTAL shows (lines and branches together) differs, so say which is which.
    static func linesOnlySentence(_ evaluation: Evaluation) -> String? {
        guard evaluation.gates.contains(where: { $0.metric == .coverageLines }),
            let lines = evaluation.coverage.lines, let combined = evaluation.coverage.combined
        else { return nil }
        return "coverage.lines counts lines only (\(percent(lines))); the report also measured branches, and lines and branches "
            + "together (coverage.py's TOTAL) are \(percent(combined)); gate on coverage.branches too if branches matter."
    }

    /// The one sentence every reporter prints when the store has no run of the baseline branch
    /// at all: on ephemeral CI runners that means the store is not carried between pipelines.
    static func emptyBaselineBranchSentence(_ baseline: BaselineOutcome) -> String? {
        guard baseline.status == .missing, baseline.missingCause == .noRunOnBranch else { return nil }
        let branch =
            baseline.requested.map { $0.hasPrefix("branch ") ? String($0.dropFirst("branch ".count)) : $0 } ?? "the baseline branch"
        return "This store has no run of branch \(branch) at all, so nothing can be new, fixed or compared: "
            + "carry the store from pipeline to pipeline (cache or artifact of .qgate/qgate.db, see the README's "
            + "\"Keeping the history in CI\") or use a store that every runner shares."
    }

    /// The first seven characters of a commit, as people quote them.
    static func shortCommit(_ commit: String) -> String { String(commit.prefix(7)) }

    /// `path:line`, `path`, or the dependency (`jinja2 2.10`) for findings about no file.
    /// `file:line` of a test when the report gave its file; nil otherwise.
    static func location(of test: TestResult) -> String? {
        guard let file = test.file else { return nil }
        return test.line.map { "\(file):\($0)" } ?? file
    }

    static func location(of finding: Finding) -> String? {
        if let path = finding.path {
            guard let line = finding.range.startLine else { return path }
            return "\(path):\(line)"
        }
        if let dependency = finding.dependency {
            return [dependency.name, dependency.installedVersion].compactMap { $0 }.joined(separator: " ")
        }
        return nil
    }

    /// The order every reporter lists findings in: severity (worst first), path, line, rule,
    /// fingerprint, then tool and message so that even duplicates sort the same every time.
    static func precedes(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if (a.path ?? "") != (b.path ?? "") { return (a.path ?? "") < (b.path ?? "") }
        if (a.range.startLine ?? 0) != (b.range.startLine ?? 0) { return (a.range.startLine ?? 0) < (b.range.startLine ?? 0) }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
        if a.tool != b.tool { return a.tool < b.tool }
        return a.message < b.message
    }

    static func sorted(_ findings: [Finding]) -> [Finding] { findings.sorted(by: precedes) }

    /// The first line of a (possibly multi-line) message.
    static func firstLine(_ text: String) -> Substring {
        let start = text.firstIndex { !$0.isNewline } ?? text.endIndex
        let rest = text[start...]
        return rest[..<(rest.firstIndex(where: \.isNewline) ?? rest.endIndex)]
    }
}
