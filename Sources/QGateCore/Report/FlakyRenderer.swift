import Foundation

/// Output formats of `qgate flaky`.
public enum FlakyFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// Renders `qgate flaky`'s rows: a table for people, CSV and JSON
/// (`{"tests": [{"id", "runs", "failures", "flaky_commits", "flip_rate", "first_seen", "last_seen", "quarantined"}]}`).
public struct FlakyRenderer: Sendable {
    public var tests: [FlakyTest]

    public init(_ tests: [FlakyTest]) {
        self.tests = tests
    }

    public func render(_ format: FlakyFormat) throws -> String {
        switch format {
        case .table: table()
        case .csv: csv()
        case .json: try json()
        }
    }

    static let columns = ["id", "runs", "failures", "flaky_commits", "flip_rate", "first_seen", "last_seen", "quarantined"]

    private func fields(_ test: FlakyTest) -> [String] {
        [
            test.id, String(test.runs), String(test.failures), String(test.flakyCommits), NumberText.format(test.flipRate),
            test.firstSeen, test.lastSeen, test.quarantined ? "yes" : "no",
        ]
    }

    public func table() -> String {
        guard !tests.isEmpty else { return "No flaky tests.\n" }
        let header = ["TEST", "RUNS", "FAILURES", "FLAKY COMMITS", "FLIP RATE", "FIRST SEEN", "LAST SEEN", "QUARANTINED"]
        return TextTable.render([header] + tests.map(fields))
    }

    public func csv() -> String {
        ([Self.columns] + tests.map(fields)).map { $0.map(TrendRenderer.csvField).joined(separator: ",") }
            .joined(separator: "\n") + "\n"
    }

    public func json() throws -> String {
        struct Document: Encodable { var tests: [FlakyTest] }
        return try QGateJSON.render(Document(tests: tests))
    }
}
