import Foundation
import Testing

/// Issue #13: the common wrong outputs (made by the real tools, fixtures/reports/misdirected/)
/// are refused with a sentence that names the option writing what qgate reads; exit 2.
@Suite(.enabled(if: CLI.available, "needs the built qgate binary"))
struct MisdirectedOutputTests {
    @Test(arguments: [
        ("pylint.json", "this is pylint's JSON; qgate reads pylint's JUnit: --output-format=pylint_junit.JUnitReporter"),
        ("pylint.txt", "this is pylint's text output; qgate reads pylint's JUnit: --output-format=pylint_junit.JUnitReporter"),
        ("flake8.txt", "this is flake8's text output; qgate reads flake8's JUnit XML: flake8 --format junit-xml --output-file flake8.xml"),
        ("mypy.txt", "this is mypy's text output; qgate reads mypy's JUnit XML: mypy --junit-xml mypy.xml"),
        ("coverage.json", "this is coverage.py's JSON; qgate reads Cobertura XML: coverage xml (or pytest --cov-report=xml)"),
    ])
    func wrongOutputNamesTheFix(_ file: String, _ sentence: String) throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("qgate.db").path
        let result = try CLI.run(["ingest", "--db", db, "--commit", "abcdef1", "fixtures/reports/misdirected/\(file)"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("fixtures/reports/misdirected/\(file): error: \(sentence)"))
        #expect(result.stderr.hasSuffix(".\n") && result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func aRunWithoutAnyIdentitySaysSo() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = TestPaths.fixtures.appendingPathComponent("reports/main/flake8.xml").path
        let result = try CLI.run(["ingest", "--db", directory.appendingPathComponent("qgate.db").path, report], in: directory)
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: this run has no identity (no commit, branch or pipeline)"))
        #expect(result.stderr.contains("is not in a git repository"))
    }
}
