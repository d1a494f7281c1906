import Foundation
import Testing

/// Issue #13: the README's sample outputs are the current ones. The text sample (lines of the
/// pull-request run's verdict, `…` where lines are left out) and the pull-request comment are
/// compared with the demo's golden outputs, which the demo tests compare with the real binary.
struct ReadmeSamplesTests {
    static let readme = (try? String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: Golden.directory.appendingPathComponent("demo/\(name)"), encoding: .utf8)
    }

    /// The fenced block that follows `marker`.
    static func block(after marker: String, fence: String) throws -> String {
        let start = try #require(readme.range(of: marker))
        let open = try #require(readme.range(of: fence + "\n", range: start.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "\n" + fence.prefix { $0 == "`" } + "\n", range: open.upperBound..<readme.endIndex))
        return String(readme[open.upperBound..<close.lowerBound]) + "\n"
    }

    @Test func theTextSampleIsTheDemosOutput() throws {
        let sample = try Self.block(after: "Its text output:", fence: "```")
        let output = try Self.golden("check.txt").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        for line in sample.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast() {
            if line == "…" { continue }
            guard let found = output[index...].firstIndex(of: line) else {
                Issue.record("README line not in the demo's output (in order): \(line)")
                return
            }
            index = found + 1
        }
        #expect(index > 10)
    }

    @Test func thePullRequestCommentIsTheDemosSummary() throws {
        let sample = try Self.block(after: "### The pull-request comment (rendered by `make demo`", fence: "````markdown")
        #expect(sample == (try Self.golden("summary.md")))
    }
}
