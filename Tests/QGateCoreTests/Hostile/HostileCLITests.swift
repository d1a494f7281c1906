import Foundation
import Testing

@testable import QGateCore

/// The attacks of issue #16 items 3–5 through the built binary: a SARIF report whose URI and
/// message forge workflow commands and terminal escapes, and a NUL inside a message.
@Suite(.serialized, .enabled(if: CLI.available, "build the qgate binary first (swift build)"))
struct HostileCLITests {
    let directory: URL
    var db: String { directory.appendingPathComponent("qgate.db").path }

    init() throws { directory = try TestPaths.temporaryDirectory() }

    static let flags = ["--commit", "abcdef1234567890", "--branch", "main\n::error::branch", "--pipeline", "p1"]

    func hostileSARIF() throws -> String {
        let uri = "src/a.py\\n::stop-commands::pwned\\n::add-mask::x\\r\\n##[error]azure"
        let message = "\\u001b]0;title\\u0007\\u001b[31m red \\u009b2J GH-12 ##vso[task.setvariable variable=a]b nul\\u0000end"
        let results = (0..<3).map { index in
            """
            {"ruleId": "R\(index)\\n::error::rule", "level": "error", "message": {"text": "\(message)"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "\(uri)\(index)"}, "region": {"startLine": 1}}}]}
            """
        }
        let log = """
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "evil\\u001b[2Jtool\\n::error::tool"}}, "results": [\(results.joined(separator: ","))]}]}
            """
        let url = directory.appendingPathComponent("evil.sarif")
        try Data(log.utf8).write(to: url)
        return url.path
    }

    func policy() throws -> String {
        let url = directory.appendingPathComponent("policy.yml")
        try Data("policy: p\ngates:\n  - { name: g, metric: findings, max: 0 }\n".utf8).write(to: url)
        return url.path
    }

    @Test func ingestWarningsAndTablesAreInert() throws {
        let report = try hostileSARIF()
        let ingest = try CLI.run(["ingest", "--db", db, "--root", directory.path] + Self.flags + [report])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("warning:"), "the unresolved-path warning is the attack vector: \(ingest.stderr)")
        InertOutputTests.expectInert(ingest.stdout, "ingest stdout")
        InertOutputTests.expectInert(ingest.stderr, "ingest stderr")
        for arguments in [
            ["runs"], ["trend", "findings", "--by", "tool"], ["trend", "findings", "--by", "tool", "--format", "csv"],
            ["trend", "findings", "--format", "json"], ["runs", "--format", "json"],
        ] {
            let result = try CLI.run(arguments + ["--db", db])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            InertOutputTests.expectInert(result.stdout, "\(arguments) stdout")
            InertOutputTests.expectInert(result.stderr, "\(arguments) stderr")
        }
    }

    @Test(arguments: ["text", "github", "markdown", "json", "sarif", "gitlab"])
    func checkOutputIsInertInEveryFormat(format: String) throws {
        let summary = directory.appendingPathComponent("summary-\(format).md")
        let result = try CLI.run(
            ["check", "--db", db, "--root", directory.path, "--policy", try policy(), "--format", format]
                + Self.flags + [try hostileSARIF()], environment: ["GITHUB_STEP_SUMMARY": summary.path])
        #expect(result.status == 1, "\(result.stderr)")
        InertOutputTests.expectInert(result.stdout, allowCommands: format == "github", "check \(format) stdout")
        InertOutputTests.expectInert(result.stderr, "check \(format) stderr")
        if format == "github" {
            for line in result.stdout.split(separator: "\n") {
                #expect(["::error ", "::warning ", "::notice ", "::notice::qgate:"].contains { line.hasPrefix($0) }, "\(line.prefix(100))")
            }
            let markdown = try String(contentsOf: summary, encoding: .utf8)
            InertOutputTests.expectInert(markdown, "step summary")
            #expect(!markdown.contains("GH-12"))
        }
        let diff = try CLI.run(["diff", "1", "1", "--db", db])
        InertOutputTests.expectInert(diff.stdout, "diff")
    }

    @Test func aNulInAMessageIsKeptVisible() throws {
        let report = try hostileSARIF()
        let result = try CLI.run(
            ["check", "--db", db, "--root", directory.path, "--policy", try policy(), "--format", "json"]
                + Self.flags + [report])
        #expect(result.status == 1, "\(result.stderr)")
        let store = try SQLiteStore(path: db, create: false)
        let run = try store.resolveRun("latest")
        let evaluation = try #require(try store.storedEvaluation(runID: run.id))
        let message = try #require(evaluation.findings.unchanged.first?.message)
        #expect(message.hasSuffix("nul\\u0000end"), "\(message.debugDescription)")
        #expect(!message.unicodeScalars.contains("\u{0}"))
    }
}
