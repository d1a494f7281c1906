import Foundation

/// Reads SARIF 2.1.0 logs (CodeQL, Semgrep, bandit, checkov, grype, flawfinder, Trivy, …)
/// into findings. Every run is read with its own tool, rules and base URIs; results that are
/// not problems (`kind` other than `fail`, `baselineState: absent`) are dropped, and results
/// suppressed in the log are kept and marked. Trivy's logs get their own severity words and
/// dependency facts (see ``Trivy``). The log is read with a ``JSONScanner`` into structs that
/// hold only the fields used, so a 50 MB report is never held as a tree of JSON values.
public struct SARIFParser: ReportParser {
    public init() {}

    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        let data = try source.readAll()
        let log = try JSONReport.scan(data, source: source) { try SARIFLog(scanning: &$0) }
        var report = ParsedReport(format: .sarif, tool: log.runs.first.map { Self.toolName($0.tool.driver) } ?? "unknown")
        for (runIndex, run) in log.runs.enumerated() {
            var converter = SARIFRunConverter(run: run, paths: context.paths)
            report.findings.reserveCapacity(report.findings.count + run.results.count)
            for result in run.results {
                if let finding = converter.finding(for: result) { report.findings.append(finding) }
            }
            report.diagnostics += converter.diagnostics(file: source.displayPath, runIndex: runIndex, runCount: log.runs.count)
        }
        return report
    }

    static func toolName(_ driver: SARIFToolComponent) -> String {
        driver.name.lowercased()
    }
}

/// Turns the results of one run into findings, with that run's rules, level overrides and
/// base URIs, and keeps count of what it had to work around.
struct SARIFRunConverter {
    private let run: SARIFRun
    private let tool: String
    private let dialect: SARIFDialect
    private let catalog: SARIFRuleCatalog
    private let traits: [SARIFRuleHandle: SARIFRuleTraits]
    private let levelOverrides: [SARIFRuleHandle: SARIFLevel]
    private var locations: SARIFLocationResolver
    /// Trivy rules' parsed `help.text`, read only for results whose message lacks the facts
    /// (the 2020 and 2021 templates).
    private var trivyHelp: [SARIFRuleHandle: TrivyText] = [:]
    private var wrongRuleIndexes = 0

    init(run: SARIFRun, paths: PathNormalizer) {
        self.run = run
        tool = SARIFParser.toolName(run.tool.driver)
        dialect = SARIFDialect(driverName: run.tool.driver.name)
        let catalog = SARIFRuleCatalog(tool: run.tool)
        self.catalog = catalog
        var traits: [SARIFRuleHandle: SARIFRuleTraits] = [:]
        for (handle, rule) in catalog.allRules { traits[handle] = SARIFRuleTraits(rule: rule, dialect: dialect) }
        self.traits = traits
        var levelOverrides: [SARIFRuleHandle: SARIFLevel] = [:]
        for override in (run.invocations ?? []).flatMap({ $0.ruleConfigurationOverrides ?? [] }) {
            if let descriptor = override.descriptor, let level = override.configuration?.level,
                let handle = catalog.resolve(descriptor)
            {
                levelOverrides[handle] = level
            }
        }
        self.levelOverrides = levelOverrides
        locations = SARIFLocationResolver(run: run, paths: paths)
    }

    /// The finding a result stands for, or nil when it is not a problem.
    mutating func finding(for result: SARIFResult) -> Finding? {
        if let kind = result.kind, kind != .fail { return nil }
        if result.baselineState == .absent { return nil }

        let resolution = catalog.resolve(ruleId: result.ruleId, ruleIndex: result.ruleIndex, reference: result.rule)
        if resolution.ignoredWrongIndex { wrongRuleIndexes += 1 }
        let rule = resolution.handle.flatMap(catalog.rule)
        let ruleTraits = resolution.handle.flatMap { traits[$0] } ?? .unknownRule
        let level =
            result.level
            ?? resolution.handle.flatMap { levelOverrides[$0] }
            ?? rule?.defaultConfiguration?.level
            ?? .warning
        let reportedRuleID = result.ruleId ?? result.rule?.id ?? rule?.id ?? "unknown"
        let message = Self.messageText(result.message, rule: rule) ?? rule?.shortDescription?.text ?? reportedRuleID

        let physical = result.locations?.first?.physicalLocation
        let region = physical?.region
        var finding = Finding(
            tool: tool, category: ruleTraits.category, ruleID: reportedRuleID,
            severity: ruleTraits.securitySeverity ?? SARIFSeverityMapping.severity(level: level),
            confidence: ruleTraits.confidence,
            path: physical?.artifactLocation.flatMap { locations.path(of: $0) },
            range: SourceRange(
                startLine: region?.startLine, startColumn: region?.startColumn,
                endLine: region?.endLine, endColumn: region?.endColumn),
            message: message, snippet: region?.snippet?.text,
            cwes: ruleTraits.cwes,
            toolFingerprint: Self.toolFingerprint(result),
            suppressed: result.suppressions?.contains { $0.status == nil || $0.status == .accepted } ?? false,
            toolBaselineState: result.baselineState)
        if dialect == .trivy {
            applyTrivyConventions(
                to: &finding, messageText: result.message?.text, rule: resolution.handle,
                traits: ruleTraits, level: level)
        }
        return finding
    }

    /// Trivy's own severity word and, for vulnerabilities, the package facts, from the result's
    /// message, else the rule's help text, else the rule id (`CVE-X/pkg`, `[LOW] CVE-X`).
    private mutating func applyTrivyConventions(
        to finding: inout Finding, messageText: String?, rule handle: SARIFRuleHandle?,
        traits: SARIFRuleTraits, level: SARIFLevel
    ) {
        let text = TrivyText(parsing: messageText)
        let ruleID = Trivy.RuleID(finding.ruleID)
        finding.ruleID = ruleID.id
        let isVulnerability = finding.category == .vulnerability
        let needsHelp = (traits.trivyTagSeverity == nil && text.severity == nil) || (isVulnerability && !text.hasPackageFacts)
        let help = needsHelp ? helpText(of: handle) : TrivyText()
        // Trivy's own word first; its security-severity is a CVSS score from another source
        // and may disagree with the vendor severity Trivy reports (FORMATS.md §5).
        finding.severity =
            traits.trivyTagSeverity ?? text.severity ?? help.severity ?? ruleID.severity
            ?? traits.securitySeverity ?? SARIFSeverityMapping.severity(level: level)
        guard isVulnerability else { return }
        let advisory = text.vulnerabilityID ?? help.vulnerabilityID ?? ruleID.advisory
        finding.advisories = advisory.isEmpty ? [] : [advisory]
        if let package = text.package ?? help.package ?? ruleID.package {
            finding.dependency = DependencyInfo(
                name: package, installedVersion: text.installedVersion ?? help.installedVersion,
                fixedVersions: text.fixedVersions ?? help.fixedVersions ?? [])
        }
    }

    private mutating func helpText(of handle: SARIFRuleHandle?) -> TrivyText {
        guard let handle else { return TrivyText() }
        if let cached = trivyHelp[handle] { return cached }
        let parsed = TrivyText(parsing: catalog.rule(handle)?.help?.text)
        trivyHelp[handle] = parsed
        return parsed
    }

    /// `message.text`, else `message.id` looked up in the rule's `messageStrings` with its
    /// `{0}`, `{1}` … placeholders filled from `arguments`.
    static func messageText(_ message: SARIFMessage?, rule: SARIFRule?) -> String? {
        guard let message else { return nil }
        if let text = message.text { return text }
        guard let id = message.id, let template = rule?.messageStrings?[id]?.text else { return nil }
        return substitute(template, arguments: message.arguments ?? [])
    }

    /// Fills `{n}` placeholders; `{{` and `}}` stand for literal braces (SARIF §3.11.5).
    static func substitute(_ template: String, arguments: [String]) -> String {
        var out = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{" || character == "}", next < template.endIndex, template[next] == character {
                out.append(character)
                index = template.index(after: next)
                continue
            }
            if character == "{", let close = template[next...].firstIndex(of: "}"),
                let number = Int(template[next..<close]), arguments.indices.contains(number)
            {
                out += arguments[number]
                index = template.index(after: close)
                continue
            }
            out.append(character)
            index = next
        }
        return out
    }

    /// The tool's own identity of the result: `fingerprints` (stable by definition), else
    /// `partialFingerprints`; values in key order, so the same map always gives the same text.
    static func toolFingerprint(_ result: SARIFResult) -> String? {
        for map in [result.fingerprints, result.partialFingerprints] {
            guard let map, !map.isEmpty else { continue }
            let joined = map.keys.sorted().compactMap { map[$0]?.text }.filter { !$0.isEmpty }.joined(separator: "|")
            if !joined.isEmpty { return joined }
        }
        return nil
    }

    /// Tool failures and errors the tool reported about itself, and the rule references that
    /// had to be repaired.
    func diagnostics(file: String, runIndex: Int, runCount: Int) -> [Diagnostic] {
        let runName = runCount > 1 ? "run \(runIndex) (\(run.tool.driver.name))" : run.tool.driver.name
        var diagnostics: [Diagnostic] = []
        for invocation in run.invocations ?? [] {
            if invocation.executionSuccessful == false {
                diagnostics.append(
                    Diagnostic(.warning, file: file, "\(runName) reports that it did not run successfully; its results may be incomplete"))
            }
            for notification in invocation.toolExecutionNotifications ?? [] where notification.level == .error {
                let text = notification.message?.text ?? "no message"
                diagnostics.append(Diagnostic(.warning, file: file, "\(runName) reported an error: \(text)"))
            }
        }
        if wrongRuleIndexes > 0 {
            diagnostics.append(
                Diagnostic(
                    .note, file: file,
                    "\(runName): \(wrongRuleIndexes) result(s) had a ruleIndex pointing at another rule; matched by ruleId instead"))
        }
        return diagnostics
    }
}
