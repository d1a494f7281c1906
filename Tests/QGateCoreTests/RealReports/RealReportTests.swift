import Foundation
import QGateCore
import Testing

/// Every real report from public projects parses with the counts a reader of the file worked
/// out (RealReportExpectations.swift), through content detection, as `qgate ingest` does.
@Suite(.enabled(if: TestPaths.haveRealReports, "../shared/real-reports is not beside this clone"))
struct RealReportTests {
    static func parse(_ expectation: RealReportExpectation) throws -> ParsedReport {
        let source = TestPaths.realReport(expectation.path)
        let format = try FormatDetector.detect(source)
        #expect(format.rawValue == expectation.format, "detected format")
        return try ReportReader.read(source)
    }

    @Test(arguments: RealReports.valid.filter { $0.format == "junit" })
    func junit(_ expectation: RealReportExpectation) throws {
        try check(expectation)
    }

    @Test(arguments: RealReports.valid.filter { $0.format == "cobertura" })
    func cobertura(_ expectation: RealReportExpectation) throws {
        try check(expectation)
    }

    @Test(arguments: RealReports.valid.filter { $0.format == "bandit-json" })
    func bandit(_ expectation: RealReportExpectation) throws {
        try check(expectation)
    }

    @Test(arguments: RealReports.valid.filter { $0.format == "safety-json" })
    func safety(_ expectation: RealReportExpectation) throws {
        try check(expectation)
    }

    @Test(arguments: RealReports.valid.filter { $0.format == "sarif" })
    func sarif(_ expectation: RealReportExpectation) throws {
        try check(expectation)
    }

    @Test func malformedReportsAreRejectedWithTheirPosition() throws {
        for bad in RealReports.malformed {
            let source = TestPaths.realReport(bad.path)
            let error = #expect(throws: IngestError.self) {
                try ReportReader.read(source)
            }
            guard case .malformed(let file, let line, let column, _)? = error else {
                Issue.record("expected a malformed-report error for \(bad.path), got \(String(describing: error))")
                continue
            }
            #expect(file == bad.path)
            #expect(line == bad.line)
            #expect(column == bad.column)
        }
    }

    func check(_ expectation: RealReportExpectation) throws {
        let report = try Self.parse(expectation)
        #expect(report.tool == expectation.tool)
        let findings = FindingCounts(report.findings)
        #expect(
            ExpectedFindings(
                total: findings.total, critical: findings.critical, high: findings.high,
                medium: findings.medium, low: findings.low, info: findings.info,
                suppressed: findings.suppressed) == expectation.findings)
        let tests = TestCounts(report.tests)
        #expect(
            ExpectedTests(
                total: tests.total, passed: tests.passed, failed: tests.failed, errors: tests.errors,
                skipped: tests.skipped, flaky: tests.flaky) == expectation.tests)
        if let expected = expectation.coverage {
            let files = try #require(report.coverage)
            let totals = CoverageTotals(files)
            #expect(
                ExpectedCoverage(
                    files: files.count, linesValid: totals.linesValid, linesCovered: totals.linesCovered,
                    branchesValid: totals.branchesValid, branchesCovered: totals.branchesCovered) == expected)
        } else {
            #expect(report.coverage == nil)
        }
        if expectation.toolErrors > 0 {
            #expect(report.diagnostics.count >= expectation.toolErrors)
        }
        // Every finding has a fingerprint, and they are distinct within a report.
        #expect(report.findings.allSatisfy { !$0.fingerprint.isEmpty })
        #expect(Set(report.findings.map(\.fingerprint)).count == report.findings.count)
    }
}
