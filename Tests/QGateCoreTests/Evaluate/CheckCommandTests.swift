import Foundation
import Testing

@testable import QGateCore

/// `qgate check` end to end through the built binary: exit codes 0/1/2 and what is printed.
///
/// The stores are filled through `SQLiteStore.ingest` and the run is named with `--commit`/`--pipeline`.
@Suite(.serialized, .enabled(if: CLI.available, "build the qgate binary first (swift build)"))
struct CheckCommandTests {
    static func qgate(_ arguments: [String], in directory: URL) throws -> CLI.Result {
        try CLI.run(arguments, in: directory)
    }

    /// A store with a baseline run on main and a PR run with one new high finding and a failed test.
    static func prepare() throws -> (EvaluationStore, URL) {
        var fixture = try EvaluationStore()
        try fixture.run(commit: "base", pipeline: "p1", findings: [Make.finding("E501")], tests: [Make.caseResult("a", .passed)])
        try fixture.run(
            commit: "head", branch: "feature", pipeline: "p2",
            findings: [Make.finding("E501"), Make.finding("F821", severity: .high, line: 9)],
            tests: [Make.caseResult("a", .failed)])
        return (fixture, fixture.directory)
    }

    static func write(_ text: String, to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static let passingPolicy = """
        policy: lenient
        baseline:
          branch: main
        gates:
          - name: Few findings
            metric: findings
            max: 10
        """

    static let failingPolicy = """
        policy: strict
        baseline:
          branch: main
        gates:
          - name: No new problems
            metric: findings
            scope: new
            max: 0
          - name: Tests pass
            metric: tests.failed
            max: 0
        """

    // MARK: runnable in this branch

    @Test func diffAndDiffBaseAreExclusive() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try Self.qgate(["check", "--policy", "p.yml", "--diff", "a.diff", "--diff-base", "main"], in: directory)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("Give --diff or --diff-base, not both."))
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try Self.qgate(["check", "--policy", "p.yml", "--format", "pdf"], in: directory)
        #expect(outcome.status == 2)
    }

    // MARK: need the policy loader

    @Test func passExitsZero() throws {
        let (fixture, directory) = try Self.prepare()
        defer { fixture.remove() }
        let policy = try Self.write(Self.passingPolicy, to: "lenient.yml", in: directory)
        let outcome = try Self.qgate(
            ["check", "--policy", policy, "--db", fixture.store.path, "--commit", "head", "--pipeline", "p2"],
            in: directory)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("pass: the gate passed.\n"))
        #expect(try fixture.store.run(matching: RunContext(commit: "head", pipeline: "p2"))?.verdict == .pass)
    }

    @Test func failExitsOneAfterPrinting() throws {
        let (fixture, directory) = try Self.prepare()
        defer { fixture.remove() }
        let policy = try Self.write(Self.failingPolicy, to: "strict.yml", in: directory)
        let outcome = try Self.qgate(
            ["check", "--policy", policy, "--db", fixture.store.path, "--commit", "head", "--pipeline", "p2"],
            in: directory)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.hasPrefix("fail: 2 of 2 gates failed (No new problems; Tests pass).\n"))
        #expect(outcome.stdout.contains("  high  pkg/a.py:9  F821  F821 problem"))
        #expect(try fixture.store.run(matching: RunContext(commit: "head", pipeline: "p2"))?.verdict == .fail)
    }

    @Test func jsonToAnOutputFile() throws {
        let (fixture, directory) = try Self.prepare()
        defer { fixture.remove() }
        let policy = try Self.write(Self.failingPolicy, to: "strict.yml", in: directory)
        let output = directory.appendingPathComponent("check.json")
        let arguments = [
            "check", "--policy", policy, "--db", fixture.store.path, "--commit", "head", "--pipeline", "p2",
            "--format", "json", "--output", output.path,
        ]
        let first = try Self.qgate(arguments, in: directory)
        #expect(first.status == 1)
        #expect(first.stdout == "fail: 2 of 2 gates failed (No new problems; Tests pass).\n")
        let bytes = try Data(contentsOf: output)
        _ = try Self.qgate(arguments, in: directory)
        #expect(try Data(contentsOf: output) == bytes, "same store, same bytes")
    }

    @Test func noRunToCheckExitsTwo() throws {
        let (fixture, directory) = try Self.prepare()
        defer { fixture.remove() }
        let policy = try Self.write(Self.passingPolicy, to: "lenient.yml", in: directory)
        let outcome = try Self.qgate(
            ["check", "--policy", policy, "--db", fixture.store.path, "--commit", "nope", "--pipeline", "p9"],
            in: directory)
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr
                == "error: no run to check: the store has no run for commit nope, pipeline p9; give reports to ingest, or --commit/--pipeline\n"
        )
    }

    @Test func anUnreadableDiffExitsTwoAndWritesNothing() throws {
        let (fixture, directory) = try Self.prepare()
        defer { fixture.remove() }
        let policy = try Self.write(Self.passingPolicy, to: "lenient.yml", in: directory)
        let outcome = try Self.qgate(
            [
                "check", "--policy", policy, "--db", fixture.store.path, "--commit", "head", "--pipeline", "p2",
                "--diff", "missing.diff",
            ], in: directory)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "missing.diff: error: cannot read the diff file.\n")
        #expect(try fixture.store.run(matching: RunContext(commit: "head", pipeline: "p2"))?.verdict == nil)
    }

    @Test func aBadPolicyExitsTwoBeforeIngesting() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = try Self.write("policy: x\ngates:\n  - name: typo\n    metric: findngs\n    max: 0\n", to: "bad.yml", in: directory)
        let report = try Self.write("<testsuite/>", to: "r.xml", in: directory)
        let outcome = try Self.qgate(["check", "--policy", policy, "--db", "q.db", report], in: directory)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("bad.yml:4:"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("q.db").path))
    }

}
