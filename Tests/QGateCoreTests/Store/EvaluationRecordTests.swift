import Foundation
import Testing

@testable import QGateCore

/// `runs.evaluation` names its format; another format is a typed error, never garbage.
struct EvaluationRecordTests {
    static func recorded() async throws -> (EvaluationStore, Run) {
        var fixture = try EvaluationStore()
        let run = try fixture.run(commit: "c1", findings: [Make.finding("E1")])
        let evaluation = try await fixture.evaluate(
            Policy(name: "p", gates: [Gate(name: "none", metric: .findings, bound: Bound(max: 0))]),
            run: run)
        try fixture.store.record(evaluation)
        return (fixture, run)
    }

    static func setStored(_ fixture: EvaluationStore, _ run: Run, _ text: String) throws {
        try fixture.store.write { db in
            try db.execute(sql: "UPDATE runs SET evaluation = ? WHERE id = ?", arguments: [text, run.id])
        }
    }

    @Test func theRecordNamesItsFormatAndReadsBack() async throws {
        let (fixture, run) = try await Self.recorded()
        defer { fixture.remove() }
        let text = try #require(
            try fixture.store.read { db in try String.fetchOne(db, sql: "SELECT evaluation FROM runs WHERE id = ?", arguments: [run.id]) })
        #expect(text.hasPrefix("{\"evaluation\":"))
        #expect(text.hasSuffix(",\"schema\":\(EvaluationRecord.schema)}"))
        #expect(try fixture.store.storedEvaluation(runID: run.id)?.verdict == .fail)
    }

    @Test func anUnversionedRecordOfAnEarlierQgateStillReads() async throws {
        let (fixture, run) = try await Self.recorded()
        defer { fixture.remove() }
        let evaluation = try #require(try fixture.store.storedEvaluation(runID: run.id))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try Self.setStored(fixture, run, String(decoding: try encoder.encode(evaluation), as: UTF8.self))
        #expect(try fixture.store.storedEvaluation(runID: run.id) == evaluation)
    }

    @Test func anotherFormatIsATypedErrorSayingWhatToDo() async throws {
        let (fixture, run) = try await Self.recorded()
        defer { fixture.remove() }
        try Self.setStored(fixture, run, "{\"schema\":99,\"evaluation\":{\"whatever\":1}}")
        let error = #expect(throws: StoreError.self) { try fixture.store.storedEvaluation(runID: run.id) }
        #expect(error?.description.contains("recorded in format 99, and this qgate reads format \(EvaluationRecord.schema)") == true)
        #expect(error?.description.contains("qgate check") == true)
    }

    @Test func damagedTextIsAStoreErrorNotACrash() async throws {
        let (fixture, run) = try await Self.recorded()
        defer { fixture.remove() }
        for text in ["not json", "{\"schema\":\(EvaluationRecord.schema),\"evaluation\":{\"verdict\":\"maybe\"}}"] {
            try Self.setStored(fixture, run, text)
            #expect(throws: StoreError.self) { try fixture.store.storedEvaluation(runID: run.id) }
        }
    }
}
