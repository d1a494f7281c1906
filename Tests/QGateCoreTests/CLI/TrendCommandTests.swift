import Foundation
import Testing

/// `qgate trend` end to end, through the built binary: exit codes, stderr wording, and the
/// formats on the synthetic history.
@Suite(.enabled(if: CLI.available, "the qgate binary is not built (make test builds it)"))
struct TrendCommandTests {
    @Test func printsEachFormatOfTheSyntheticHistory() throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let csv = try CLI.run(["trend", "coverage.lines", "--db", history.store.path, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        try Golden.check(csv.stdout, against: "History/coverage-lines.csv")
        let json = try CLI.run([
            "trend", "findings", "--db", history.store.path, "--branch", "main", "--by", "severity", "--format", "json",
        ])
        #expect(json.status == 0, "\(json.stderr)")
        try Golden.check(json.stdout, against: "History/findings-by-severity.json")
        // Not a terminal: the Mermaid chart, then the sparkline.
        let chart = try CLI.run(["trend", "coverage.lines", "--db", history.store.path, "--format", "chart"])
        try Golden.check(chart.stdout, against: "History/coverage-lines-chart.md")
        let table = try CLI.run(["trend", "findings", "--db", history.store.path, "--where", "severity=high", "--last", "2"])
        #expect(
            table.stdout == """
                RUN  TIME                  COMMIT  BRANCH  FINDINGS
                4    2027-01-17T08:00:00Z  c4      main    -
                5    2027-01-17T18:00:00Z  c5      main    0

                """)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var stderr: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let failures: [Failure] = [
        Failure(arguments: ["trend", "coverage.line"], stderr: "error: unknown metric 'coverage.line'; did you mean 'coverage.lines'?\n"),
        Failure(
            arguments: ["trend", "coverage.patch"],
            stderr: "error: coverage.patch has no history: it needs a diff; use `qgate check --diff` for one change\n"),
        Failure(
            arguments: ["trend", "findings", "--where", "severity=hihg"],
            stderr: "error: --where severity=hihg: unknown severity; did you mean 'high'?\n"),
        Failure(
            arguments: ["trend", "findings", "--since", "2027-13-45"],
            stderr: "error: --since '2027-13-45' is not a date; give YYYY-MM-DD or an ISO 8601 time such as 2027-01-15T08:00:00Z\n"),
    ]

    @Test(arguments: failures) func badUsageExitsTwoWithOneSentence(_ failure: Failure) throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let result = try CLI.run(failure.arguments + ["--db", history.store.path])
        #expect(result.status == 2)
        #expect(result.stderr == failure.stderr)
        #expect(result.stdout.isEmpty)
    }

    @Test func flagConflictsAndAMissingStoreExitTwo() throws {
        let history = try SyntheticHistory()
        defer { history.remove() }
        let both = try CLI.run(["trend", "findings", "--db", history.store.path, "--last", "3", "--since", "2027-01-01"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("Give at most one of --last N and --since DATE."))
        let badSplit = try CLI.run(["trend", "findings", "--db", history.store.path, "--by", "rule"])
        #expect(badSplit.status == 2)
        let missing = history.directory.appendingPathComponent("absent.db").path
        let noStore = try CLI.run(["trend", "findings", "--db", missing])
        #expect(noStore.status == 2)
        #expect(noStore.stderr.contains("absent.db"))
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
