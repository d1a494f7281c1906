import Foundation

/// Reads JUnit XML, the format that flake8, pylint, mypy, pytest and most test runners write,
/// and that means different things depending on who wrote it: lint messages, type errors, or
/// tests. The file is streamed once (``JUnitStreamHandler``); the writer is recognised from the
/// content (``JUnitDialect``), or taken from `--tool`; then the dialect's reader turns the
/// testcases into findings or test results.
///
/// Count attributes (`tests=`, `failures=`…) are never believed: real files contradict
/// themselves, so everything is counted from the elements.
public struct JUnitParser: ReportParser {
    public init() {}

    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        let forced = context.toolOverride.flatMap(JUnitDialect.init(toolName:))
        let handler = JUnitStreamHandler(displayPath: source.displayPath, forcedDialect: forced)
        try XMLStreamReader(displayPath: source.displayPath).parse(file: source.url, handler: handler)
        let document = handler.document
        let dialect = forced ?? JUnitDialect.detect(document.evidence)
        var report = ParsedReport(format: .junit, tool: dialect.tool)
        let paths = PathMemo(context.paths)
        switch dialect {
        case .flake8:
            report.findings = Flake8Findings(paths: paths).findings(in: document)
        case .pylint:
            report.findings = PylintFindings(paths: paths).findings(in: document)
        case .mypy:
            (report.findings, report.diagnostics) = MypyFindings(paths: paths, displayPath: source.displayPath).read(document)
        case .tests(let producer):
            report.tests = XUnitTests(paths: paths, isPytest: producer == .pytest).results(in: document)
            let marked = report.tests.count { $0.status == .flaky }
            if let declared = document.declaredFlakes, declared != marked {
                report.diagnostics.append(
                    Diagnostic(
                        file: source.displayPath,
                        "the report counts \(declared) flaky test\(declared == 1 ? "" : "s") (flakes=) but \(marked) testcase\(marked == 1 ? " carries" : "s carry") rerun markers; qgate counts the testcases"
                    ))
            }
        }
        return report
    }
}
