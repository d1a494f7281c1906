/// Renders GitHub Actions workflow commands: one annotation per new finding and per finding
/// behind a failing gate (pre-existing ones included: they are why the check is red), then a
/// summary; newly failing tests whose report names their file are errors at that file and line.
/// Without a baseline the summary says new findings are unknown, never "0 new".
///
/// GitHub shows at most 10 annotations of each level per step, so each level is capped at 10,
/// worst first, and the summary line says how many were not annotated. Levels follow
/// severity: critical and high are errors, medium warnings, low and info notices. Every value
/// is encoded the way GitHub's toolkit does (``WorkflowCommandEncoding``), so a message
/// cannot end the command early, start a new one on another line, or inject a property.
public struct GitHubReporter: EvaluationReporter {
    /// Annotations per level that GitHub displays for one step.
    public static let annotationsPerLevel = 10
    /// Longest message, in Characters, before it is cut with "…" (the one cap of every output).
    public static let messageLimit = TextEscaper.messageLimit

    public init() {}

    public func render(_ evaluation: Evaluation) -> String {
        var seen = Set<String>()
        let behindGates = evaluation.gateFindings.flatMap(\.findings)
        let findings = ReportFormatting.sorted((evaluation.findings.new + behindGates).filter { seen.insert($0.fingerprint).inserted })
        var lines: [String] = []
        var annotated: [AnnotationLevel: Int] = [:]
        var notAnnotated = 0
        for finding in findings {
            let level = AnnotationLevel(finding.severity)
            guard annotated[level, default: 0] < Self.annotationsPerLevel else {
                notAnnotated += 1
                continue
            }
            annotated[level, default: 0] += 1
            lines.append(annotation(for: finding, level: level))
        }
        let newlyFailing = Set(evaluation.tests.newlyFailing)
        var annotatedTests = Set<String>()
        for test in evaluation.tests.failing where newlyFailing.contains(test.identity) && test.file != nil {
            guard annotatedTests.insert(test.identity).inserted else { continue }
            guard annotated[.error, default: 0] < Self.annotationsPerLevel else {
                notAnnotated += 1
                continue
            }
            annotated[.error, default: 0] += 1
            lines.append(annotation(forNewlyFailing: test))
        }
        lines.append("::notice::" + WorkflowCommandEncoding.data(summary(evaluation, notAnnotated: notAnnotated)))
        return lines.joined(separator: "\n") + "\n"
    }

    private func annotation(for finding: Finding, level: AnnotationLevel) -> String {
        var properties: [(String, String)] = []
        if let path = finding.path {
            properties.append(("file", path))
            if let line = finding.range.startLine, line > 0 {
                properties.append(("line", String(line)))
                if let endLine = finding.range.endLine, endLine > line { properties.append(("endLine", String(endLine))) }
                if let column = finding.range.startColumn, column > 0 { properties.append(("col", String(column))) }
            }
        }
        properties.append(("title", "\(finding.tool) \(finding.ruleID) (\(finding.severity.rawValue))".capped(toCharacters: 200)))
        let encoded = properties.map { "\($0.0)=\(WorkflowCommandEncoding.property($0.1))" }.joined(separator: ",")
        let message = WorkflowCommandEncoding.data(finding.message.capped(toCharacters: Self.messageLimit))
        return "::\(level.rawValue) \(encoded)::\(message)"
    }

    private func annotation(forNewlyFailing test: TestResult) -> String {
        var properties: [(String, String)] = []
        if let file = test.file {
            properties.append(("file", file))
            if let line = test.line, line > 0 { properties.append(("line", String(line))) }
        }
        properties.append(("title", "newly failing test \(test.identity) (\(test.status.rawValue))".capped(toCharacters: 200)))
        let encoded = properties.map { "\($0.0)=\(WorkflowCommandEncoding.property($0.1))" }.joined(separator: ",")
        let message = WorkflowCommandEncoding.data(
            (test.message ?? "\(test.identity) \(test.status.rawValue)").capped(toCharacters: Self.messageLimit))
        return "::error \(encoded)::\(message)"
    }

    private func summary(_ evaluation: Evaluation, notAnnotated: Int) -> String {
        var text = "qgate: \(evaluation.verdict.rawValue) — \(evaluation.explanation.capped(toCharacters: 500))"
        if evaluation.baseline.status == .found {
            let new = FindingCounts(evaluation.findings.new)
            let bySeverity = Severity.allCases.filter { new[$0] > 0 }.map { "\(new[$0]) \($0.rawValue)" }
            text += " \(evaluation.findings.new.count) new finding\(evaluation.findings.new.count == 1 ? "" : "s")"
            if !bySeverity.isEmpty { text += " (\(bySeverity.joined(separator: ", ")))" }
            text += ", \(evaluation.findings.fixed.count) fixed"
        } else {
            let total = evaluation.findings.unchanged.count
            text += " \(total) finding\(total == 1 ? "" : "s"); new ones unknown (no baseline)"
        }
        var behind = Set<String>()
        for group in evaluation.gateFindings { for finding in group.findings { behind.insert(finding.fingerprint) } }
        if !behind.isEmpty { text += "; \(behind.count) behind failing gates" }
        let failing = evaluation.tests.failing.count
        if failing > 0 {
            text += "; \(failing) failing test\(failing == 1 ? "" : "s")"
            if evaluation.baseline.status == .found { text += " (\(evaluation.tests.newlyFailing.count) new)" }
        }
        if notAnnotated > 0 { text += "; \(notAnnotated) more not annotated" }
        return text + "."
    }
}

/// The three annotation commands, by severity.
enum AnnotationLevel: String, Hashable {
    case error, warning, notice

    init(_ severity: Severity) {
        switch severity {
        case .critical, .high: self = .error
        case .medium: self = .warning
        case .low, .info: self = .notice
        }
    }
}

/// Escaping of workflow command values as `@actions/core` does it (`escapeData`,
/// `escapeProperty`): the runner decodes exactly these sequences.
enum WorkflowCommandEncoding {
    /// The message after `::`: `%` first, then CR and LF. Other controls (ESC, BEL, NUL, bidi),
    /// which the runner would pass to the log raw, show as `\u001B`; `##[` gets a WORD JOINER
    /// after its first `#`, so the legacy command syntax cannot form anywhere in the line.
    static func data(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case "#" where TextEscaper.startsCommand(scalars, at: index): out += "#\u{2060}"
            default:
                if TextEscaper.isInvisibleControl(scalar) {
                    out += TextEscaper.unicodeEscape(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A property value (`file=`, `title=`): as data, plus `:` and `,`, which end a property.
    static func property(_ text: String) -> String {
        var out = ""
        for scalar in data(text).unicodeScalars {
            switch scalar {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
