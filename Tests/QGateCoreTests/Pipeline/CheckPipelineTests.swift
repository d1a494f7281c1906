import Foundation
import Testing

@testable import QGateCore

/// Run lookups the commands share, with errors as values (the executable words them).
struct CheckPipelineTests {
    @Test func diffComparesWithTheLatestEarlierRunOfTheBaseBranch() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let first = try fixture.run(commit: "m1", branch: "main", findings: [Make.finding("E1")])
        let second = try fixture.run(commit: "m2", branch: "main", findings: [Make.finding("E1")])
        let feature = try fixture.run(commit: "f1", branch: "feature", findings: [Make.finding("E2")])
        var pr = feature
        pr.context.baseBranch = "main"
        #expect(try await fixture.store.defaultBase(for: second).id == first.id)
        #expect(try await fixture.store.defaultBase(for: pr).id == second.id)
        await #expect(throws: RunLookupError.noEarlierRun(head: first.id)) { try await fixture.store.defaultBase(for: first) }
    }

    @Test func diffPrefersTheRunTheLastCheckComparedWith() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let first = try fixture.run(commit: "m1", branch: "main")
        _ = try fixture.run(commit: "m2", branch: "main")
        let head = try fixture.run(commit: "m3", branch: "main")
        let evaluation = try await fixture.evaluate(Policy(name: "p"), run: head, baseline: String(first.id))
        try fixture.store.record(evaluation)
        #expect(try await fixture.store.defaultBase(for: head).id == first.id)
    }

    @Test func checkWithoutReportsNeedsTheRunItNames() async throws {
        var fixture = try EvaluationStore()
        defer { fixture.remove() }
        let run = try fixture.run(commit: "c1", pipeline: "7")
        #expect(try await fixture.store.runToCheck(RunContext(commit: "c1", pipeline: "7")).id == run.id)
        await #expect(throws: RunLookupError.noRun(commit: "c2", pipeline: "7")) {
            try await fixture.store.runToCheck(RunContext(commit: "c2", pipeline: "7"))
        }
        #expect(!RunLookupError.noRun(commit: "c2", pipeline: "7").description.contains("--"))
    }

    @Test func todayIsTheUTCDay() {
        #expect(CalendarDay.utc(Date(timeIntervalSince1970: 1_800_000_000)) == "2027-01-15")
        #expect(CalendarDay.utc(Date(timeIntervalSince1970: 86_399)) == "1970-01-01")
    }
}
