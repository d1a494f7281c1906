import Foundation
import Testing

@testable import QGateCore

/// Report strings are attacker-controlled (a fork can name a test anything). Every reporter
/// must render them inert: no HTML, no mentions or references, no broken tables, no forged
/// marker, no injected workflow command, and bounded output however long the input.
struct HostileStringsTests {
    static let hostile = [
        "</details>", "<img src=x onerror=alert(1)>", "@org/team please look", "closes #123", "| a | b |",
        "```\ncode\n```", "<!-- qgate:summary policy=prod key=default -->", "[click](https://evil.example)",
        "https://evil.example/x", "www.evil.example", "abc\u{202E}fed", "line1\r\nline2\n::error::injected",
        "![img](https://evil.example/i.png)", "%0A::warning::x", "a,line=1,title=x:y",
    ]
    static let tenMegabytes = String(repeating: "<b>@x|", count: 10_000_000 / 6)

    static func hostileEvaluation() -> Evaluation {
        var evaluation = DemoEvaluation.make()
        evaluation.history = []
        evaluation.reason = hostile.joined(separator: " ")
        evaluation.missingReports = hostile
        evaluation.diagnostics = hostile
        let messages = hostile + [tenMegabytes]
        evaluation.findings.new = messages.enumerated().map { index, message in
            var finding = Finding(
                tool: hostile[index % hostile.count], category: .security, ruleID: hostile[(index + 1) % hostile.count],
                severity: Severity.allCases[index % 5], path: hostile[(index + 2) % hostile.count],
                range: SourceRange(startLine: index + 1, startColumn: 1), message: message)
            finding.fingerprint = "c\(index):0"
            return finding
        }
        evaluation.findings.fixed = Array(evaluation.findings.new.prefix(5))
        evaluation.findings.unchanged = Array(evaluation.findings.new.suffix(3))
        evaluation.tests.failing = messages.map { message in
            TestResult(suite: "s", className: hostile[0], name: message, status: .failed, message: message)
        }
        evaluation.tests.flaky = evaluation.tests.failing
        evaluation.tests.fixed = hostile
        evaluation.coverage.changedFiles = hostile.map {
            ChangedFileCoverage(path: $0, lines: 50, changedLinesValid: 2, changedLinesCovered: 1, uncoveredChangedLines: [3])
        }
        evaluation.waivers.expired = hostile.map { .init(selector: $0, reason: $0, expires: $0, matched: 1) }
        evaluation.waivers.unused = hostile.map { .init(selector: $0, reason: $0, expires: nil, matched: 0) }
        evaluation.gates[0].name = "</details> @org #1 | x |"
        evaluation.gates[0].message = tenMegabytes
        evaluation.gates[0].bound = "| ≤ 0 <b>"
        evaluation.baseline.run?.branch = "main<script>@org"
        return evaluation
    }

    @Test func markdownIsInert() {
        let text = MarkdownReporter().render(Self.hostileEvaluation())
        #expect(text.utf16.count <= 65_536)
        #expect(text.components(separatedBy: "<!-- qgate:").count == 2)
        #expect(text.hasPrefix("<!-- qgate:summary policy=prod key=default -->\n"))
        var withoutOwnTags = text
        for tag in ["<!-- qgate:summary policy=prod key=default -->", "<details>", "</details>", "<summary>", "</summary>"] {
            withoutOwnTags = withoutOwnTags.replacingOccurrences(of: tag, with: "")
        }
        #expect(!withoutOwnTags.contains("<"))
        #expect(text.components(separatedBy: "<details>").count == text.components(separatedBy: "</details>").count)
        for forbidden in ["@org", "#123", "#1 ", "https://", "www.evil", "](", "```", "\u{202E}", "\r"] {
            #expect(!text.contains(forbidden), "found \(forbidden.debugDescription)")
        }
        MarkdownReporterTests.expectWholeTables(text.split(separator: "\n", omittingEmptySubsequences: false))
        for line in text.split(separator: "\n") where line.hasPrefix(">") {
            #expect(line.hasPrefix("> **Note:**"), "unexpected quote: \(line)")
        }
    }

    @Test func githubCommandsAreInert() {
        let text = GitHubReporter().render(Self.hostileEvaluation())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(text.utf8.count < 200_000)
        #expect(!text.contains("\r"))
        for line in lines {
            #expect(
                line.hasPrefix("::error ") || line.hasPrefix("::warning ") || line.hasPrefix("::notice ")
                    || line.hasPrefix("::notice::qgate:"), "unexpected line start: \(line.prefix(40))")
            // Only our own separators: the properties hold no raw `::` or extra `,name=`.
            if let propertiesEnd = line.dropFirst(2).range(of: "::") {
                let properties = line.dropFirst(2)[..<propertiesEnd.lowerBound]
                let names =
                    properties.split(separator: " ", maxSplits: 1).dropFirst().first?.split(separator: ",")
                    .map { $0.prefix { $0 != "=" } } ?? []
                #expect(Set(names).isSubset(of: ["file", "line", "endLine", "col", "title"]), "\(properties.prefix(200))")
            }
        }
        #expect(lines.count == Self.hostileEvaluation().findings.new.count + 1)
    }

    @Test func codeClimateIsBoundedAndRoundTrips() throws {
        let evaluation = Self.hostileEvaluation()
        let text = CodeClimateReporter().render(evaluation)
        #expect(text.utf8.count < 500_000)
        let issues = try CodeClimateReporterTests.issues(text)
        #expect(issues.count == evaluation.findings.new.count + evaluation.findings.unchanged.count)
        let descriptions = Set(issues.compactMap { $0["description"] as? String })
        #expect(descriptions.isSuperset(of: Self.hostile))
        #expect(descriptions.allSatisfy { $0.count <= CodeClimateReporter.descriptionLimit + 1 })
    }

    @Test func sarifIsBoundedAndRoundTrips() throws {
        let text = SARIFReporter().render(Self.hostileEvaluation())
        #expect(text.utf8.count < 1_000_000)
        let log = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let results = (log["runs"] as? [[String: Any]] ?? []).flatMap { $0["results"] as? [[String: Any]] ?? [] }
        let messages = Set(results.compactMap { ($0["message"] as? [String: Any])?["text"] as? String })
        #expect(messages.isSuperset(of: Self.hostile))
        #expect(messages.allSatisfy { $0.count <= SARIFReporter.messageLimit + 1 })
    }
}
