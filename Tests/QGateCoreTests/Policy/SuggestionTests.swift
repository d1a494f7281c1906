import Testing

@testable import QGateCore

struct SuggestionTests {
    @Test(arguments: [
        ("mx", ["name", "metric", "min", "max"], "max"),
        ("Max", ["min", "max"], "max"),
        ("coverage.line", Metric.allCases.map(\.rawValue), "coverage.lines"),
        ("tests.fail", Metric.allCases.map(\.rawValue), "tests.failed"),
        ("test.passed", Metric.allCases.map(\.rawValue), "tests.passed"),
        ("vulnerabilities", Category.allCases.map(\.rawValue), "vulnerability"),
        ("crit", Severity.allCases.map(\.rawValue), "critical"),
        ("warning", GateLevel.allCases.map(\.rawValue), "warn"),
    ])
    func suggestsTheClosestName(_ typed: String, _ candidates: [String], _ expected: String) {
        #expect(Suggestion.closest(to: typed, in: candidates) == expected)
    }

    @Test(arguments: [
        ("foo", ["name", "metric", "where", "scope", "min", "max"]),
        ("bugs", Metric.allCases.map(\.rawValue)),
        ("", ["max"]),
    ])
    func staysQuietWhenNothingIsClose(_ typed: String, _ candidates: [String]) {
        #expect(Suggestion.closest(to: typed, in: candidates) == nil)
    }

    @Test func editDistance() {
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("max", "max") == 0)
    }
}

struct YAMLAliasScannerTests {
    typealias Occurrence = YAMLAliasScanner.Occurrence

    @Test func findsAnchorsAndAliasesWhereNodesStart() {
        let yaml = """
            a: &x 1
            b: *x
            c: [*x, &y 2]
            - *x
            ? *x
            d: !!str &z v
            """
        #expect(
            YAMLAliasScanner.scan(yaml) == [
                Occurrence(kind: .anchor, token: "&x", line: 1, column: 4),
                Occurrence(kind: .alias, token: "*x", line: 2, column: 4),
                Occurrence(kind: .alias, token: "*x", line: 3, column: 5),
                Occurrence(kind: .anchor, token: "&y", line: 3, column: 9),
                Occurrence(kind: .alias, token: "*x", line: 4, column: 3),
                Occurrence(kind: .alias, token: "*x", line: 5, column: 3),
                Occurrence(kind: .anchor, token: "&z", line: 6, column: 10),
            ])
    }

    @Test func ignoresSigilsInsideScalarsAndComments() {
        let yaml = """
            reason: blocked by *upstream* & friends   # see *notes*
            quoted: "*not an alias* and 'quotes'"
            single: 'it''s &fine'
            paths: ["**/*.py", 'src/*']
            text: |
              *literal* &block
              - *still
            after: don't *worry*
            url: http://x/*
            multi: "line one
              *line two"
            """
        #expect(YAMLAliasScanner.scan(yaml) == [])
    }
}
