import Foundation
import Testing

@testable import QGateCore

/// The pieces of `qgate publish` that need no server: where to publish, page links, the
/// check-run payload, and the step-summary size limit.
struct PublishUnitTests {
    @Test func githubTargetFromTheActionsEnvironment() throws {
        let target = try ForgeTarget.resolve(
            provider: nil, explicitPullRequest: nil, runPullRequest: 12, runID: 3,
            environment: [
                "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_TOKEN": "t0ken", "QGATE_TOKEN": "",
                "GITHUB_API_URL": "https://ghe.example.com/api/v3/",
            ])
        #expect(target.provider == .github)
        #expect(target.apiURL == "https://ghe.example.com/api/v3")
        #expect(target.pullRequest == 12)
        #expect(target.token == "t0ken")
        #expect(!target.description.contains("t0ken"))
    }

    @Test func gitlabTargetPrefersQGateTokenAndTheExplicitNumber() throws {
        let target = try ForgeTarget.resolve(
            provider: nil, explicitPullRequest: 5, runPullRequest: 12, runID: 3,
            environment: [
                "GITLAB_CI": "true", "CI_API_V4_URL": "https://gitlab.example.com/api/v4", "CI_PROJECT_ID": "42",
                "GITLAB_TOKEN": "other", "QGATE_TOKEN": "mine", "CI_MERGE_REQUEST_IID": "12",
            ])
        #expect(target.provider == .gitlab && target.token == "mine" && target.pullRequest == 5)
    }

    @Test func missingPiecesAreNamed() {
        #expect(throws: PublishError.noProvider) {
            try ForgeTarget.resolve(provider: nil, explicitPullRequest: 1, runPullRequest: nil, runID: 1, environment: [:])
        }
        #expect(throws: PublishError.missingVariable(provider: .gitlab, names: ["CI_PROJECT_ID"])) {
            try ForgeTarget.resolve(
                provider: .gitlab, explicitPullRequest: 1, runPullRequest: nil, runID: 1,
                environment: ["GITLAB_TOKEN": "x", "CI_API_V4_URL": "http://x"])
        }
        #expect(throws: PublishError.untrustedPullRequest) {
            try ForgeTarget.resolve(
                provider: .github, explicitPullRequest: nil, runPullRequest: 7, runID: 1,
                environment: ["GITHUB_TOKEN": "x", "GITHUB_REPOSITORY": "a/b", "GITHUB_EVENT_NAME": "workflow_run"])
        }
    }

    @Test(
        arguments: [
            (
                #"<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last""#,
                "https://api.github.com/x?page=2"
            ),
            (
                #"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next""#,
                "https://api.github.com/x?page=3"
            ),
            (#"<https://api.github.com/x?page=1>; rel="first""#, nil),
        ] as [(String, String?)])
    func nextPageFromTheLinkHeader(header: String, next: String?) {
        #expect(GitHubForge.nextLink(header) == next)
    }

    @Test func rateLimitWaitComesFromRetryAfterElseTheReset() {
        var headers: [String: String] = ["retry-after": "7"]
        #expect(ForgeHTTP.rateLimitWait(ForgeReply(status: 429, headers: headers, body: Data())) == 7)
        headers = ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000030"]
        let reply = ForgeReply(status: 403, headers: headers, body: Data())
        #expect(ForgeHTTP.isRateLimit(reply))
        #expect(ForgeHTTP.rateLimitWait(reply, now: Date(timeIntervalSince1970: 1_000_000)) == 30)
        #expect(!ForgeHTTP.isRateLimit(ForgeReply(status: 403, headers: [:], body: Data())))
    }

    @Test func checkRunAnnotationsGoFiftyPerRequestAndOnlyOnChangedLines() {
        var evaluation = DemoEvaluation.make()
        evaluation.findings.new = (1...120).map { line in
            DemoEvaluation.finding("flake8", .lint, "E501", .low, path: "pkg/a.py", line: line, message: "too long")
        }
        let all = CheckRunPayload(evaluation: evaluation, headSHA: "abc", summary: "s", changedLines: nil)
        #expect(all.conclusion == "failure")
        #expect(all.annotationBatches.map(\.count) == [50, 50, 20])
        let changed = CheckRunPayload(evaluation: evaluation, headSHA: "abc", summary: "s", changedLines: ["pkg/a.py": [3, 4, 500]])
        #expect(changed.annotations.map(\.startLine) == [3, 4])
    }

    @Test func theStepSummaryAppendsOnlyWhatFitsUnderOneMebibyte() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("summary.md")
        // Another step left 1,040,000 bytes: about 8.5 KB of room.
        try Data(repeating: UInt8(ascii: "x"), count: 1_040_000).write(to: file)
        let environment = [StepSummary.environmentVariable: file.path]
        let evaluation = DemoEvaluation.make()
        let outcome = try StepSummary.append(environment: environment) { budget in
            var options = MarkdownReporter.Options()
            options.maxLength = budget
            return MarkdownReporter(options: options).render(evaluation)
        }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber).intValue
        #expect(size <= StepSummary.byteLimit)
        guard case let .appended(_, bytes) = outcome else {
            Issue.record("expected an append, got \(outcome)")
            return
        }
        #expect(bytes > 1_000 && size == 1_040_000 + bytes)

        // Full: nothing is appended.
        try Data(repeating: UInt8(ascii: "x"), count: StepSummary.byteLimit - 100).write(to: file)
        let full = try StepSummary.append(environment: environment) { _ in MarkdownReporter().render(evaluation) }
        #expect(full == .full(path: file.path, room: 100))
        #expect(
            try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber == NSNumber(value: StepSummary.byteLimit - 100))
    }
}
