import Foundation

@testable import QGateCore

/// Builds stores and values for evaluation tests: findings, tests and coverage go in through
/// `SQLiteStore.ingest`, as parsed reports would, so every query the evaluator uses is exercised.
struct EvaluationStore {
    let directory: URL
    let store: SQLiteStore
    private var clock = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        directory = try TestPaths.temporaryDirectory()
        store = try SQLiteStore(path: directory.appendingPathComponent("qgate.db").path)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Adds one run (one report per kind of data given), one minute after the previous one.
    @discardableResult
    mutating func run(
        commit: String, branch: String? = "main", pipeline: String? = nil,
        findings: [Finding] = [], tool: String = "flake8",
        tests: [TestResult]? = nil, testTool: String = "pytest",
        coverage: [FileCoverage]? = nil, extraReports: [ParsedReport] = []
    ) throws -> Run {
        clock += 60
        var reports: [ParsedReport] = []
        if !findings.isEmpty {
            // Like a parser, one report per tool, fingerprints assigned per report.
            for tool in Set(findings.map(\.tool)).sorted() {
                var mine = findings.filter { $0.tool == tool }
                FingerprintRecipe.assign(&mine)
                reports.append(ParsedReport(format: .sarif, tool: tool, findings: mine))
            }
        }
        if let tests { reports.append(ParsedReport(format: .junit, tool: testTool, tests: tests)) }
        if let coverage { reports.append(ParsedReport(format: .cobertura, tool: "coverage", coverage: coverage)) }
        reports.append(contentsOf: extraReports)
        let items = reports.enumerated().map { index, report in
            IngestItem(path: "reports/\(report.tool)-\(index).out", sha256: "\(commit)-\(index)-\(UUID().uuidString)", report: report)
        }
        let context = RunContext(commit: commit, branch: branch, pipeline: pipeline)
        return try store.ingest(items, into: context, now: clock).run
    }

    func evaluate(
        _ policy: Policy, run: Run, today: String = "2027-01-15", baseline: String? = nil,
        diff: UnifiedDiff? = nil
    ) async throws -> Evaluation {
        try await store.evaluate(runID: run.id, policy: policy, today: today, baseline: baseline, diff: diff)
    }
}

enum Make {
    static func finding(
        _ rule: String, tool: String = "flake8", category: QGateCore.Category = .lint,
        severity: Severity = .low, path: String? = "pkg/a.py", line: Int? = 1,
        message: String? = nil, snippet: String? = nil, package: String? = nil,
        version: String? = nil, advisories: [String] = [], suppressed: Bool = false
    ) -> Finding {
        Finding(
            tool: tool, category: category, ruleID: rule, severity: severity, path: path,
            range: SourceRange(startLine: line), message: message ?? "\(rule) problem",
            snippet: snippet ?? "code for \(rule)",
            dependency: package.map { DependencyInfo(name: $0, installedVersion: version) },
            advisories: advisories, suppressed: suppressed)
    }

    /// A finding with its fingerprint already assigned (for pure tests without a store).
    static func fingerprinted(_ finding: Finding, _ fingerprint: String) -> Finding {
        var finding = finding
        finding.fingerprint = fingerprint
        return finding
    }

    static func caseResult(
        _ name: String, _ status: TestStatus, className: String = "tests.test_a", file: String? = "tests/test_a.py",
        duration: Double? = 1
    ) -> TestResult {
        TestResult(
            suite: "pytest", className: className, name: name, file: file, status: status, duration: duration,
            message: status == .failed ? "assert False" : nil)
    }

    /// A file with `covered` of `valid` lines covered (lines 1…covered hit, the rest missed).
    static func file(_ path: String, covered: Int, of valid: Int, branches: (Int, Int) = (0, 0)) -> FileCoverage {
        FileCoverage(
            path: path, coveredLines: (0..<covered).map { UInt32($0 + 1) },
            uncoveredLines: (covered..<valid).map { UInt32($0 + 1) },
            branchesValid: branches.1, branchesCovered: branches.0)
    }

    static func glob(_ pattern: String) throws -> Glob {
        try Glob(pattern)
    }
}
