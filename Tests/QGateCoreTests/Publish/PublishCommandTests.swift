import Foundation
import QGateCore
import Testing

/// `qgate publish` end to end: the built binary against a fake GitHub and a fake GitLab on
/// loopback (their API roots injected through GITHUB_API_URL / CI_API_V4_URL, as GitHub
/// Enterprise and self-managed GitLab are). Nothing inside qgate is replaced.
@Suite(.serialized, .enabled(if: CLI.available, "the qgate binary is not built (make test builds it)"))
struct PublishCommandTests {
    static let token = "ghs_SECRETtoken1234567890"
    static let marker = "<!-- qgate:summary policy=prod key=default -->"

    /// The demo store (run 2 is pull request 7, checked against rules/prod.yml) and its database path.
    static func store() throws -> (directory: URL, db: String) {
        let directory = try DemoHistoryGoldenTests.demoStore()
        return (directory, directory.appendingPathComponent("q.db").path)
    }

    static func githubEnvironment(_ port: Int, token: String = token) -> [String: String] {
        [
            "GITHUB_ACTIONS": "true", "GITHUB_API_URL": "http://127.0.0.1:\(port)", "GITHUB_REPOSITORY": "acme/shop",
            "GITHUB_TOKEN": token,
        ]
    }

    static func gitlabEnvironment(_ port: Int) -> [String: String] {
        [
            "GITLAB_CI": "true", "CI_API_V4_URL": "http://127.0.0.1:\(port)/api/v4", "CI_PROJECT_ID": "42",
            "CI_MERGE_REQUEST_IID": "7", "GITLAB_TOKEN": token,
        ]
    }

    static func expectNoToken(_ result: CLI.Result, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!result.stdout.contains(token) && !result.stderr.contains(token), "the token was printed", sourceLocation: sourceLocation)
    }

    @Test func githubCreatesOneCommentThenUpdatesItFoundOnALaterPage() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try CLI.run(["report", "--db", db, "--run", "2", "--format", "markdown"])
        let fake = FakeForgeServer(.github)
        // Five comments of others: qgate's own lands on page 3 of the fake's 2-per-page listing.
        await fake.seed(["LGTM", "<!-- qgate:summary policy=prod key=other -->\nanother job's", "nit", "ok", "ship it"])

        try await fake.serve { port in
            let first = try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.githubEnvironment(port))
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.hasPrefix("created comment 1006 on GitHub acme/shop pull request #7"), "\(first.stdout)")
            Self.expectNoToken(first)
            let second = try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.githubEnvironment(port))
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout.hasPrefix("updated comment 1006 on GitHub acme/shop pull request #7"), "\(second.stdout)")
        }

        let comments = await fake.comments
        #expect(comments.count == 6)
        #expect(comments.last?.body == report.stdout, "the comment is exactly what report --format markdown prints")
        #expect(comments[1].body.hasSuffix("another job's"), "another key's comment is left alone")
        let requests = await fake.requests
        let listing = requests.filter { $0.method == "GET" }
        #expect(
            listing.map(\.uri).prefix(3) == [
                "/repos/acme/shop/issues/7/comments?per_page=100",
                "/repos/acme/shop/issues/7/comments?per_page=100&page=2",
                "/repos/acme/shop/issues/7/comments?per_page=100&page=3",
            ])
        #expect(requests.filter { $0.method == "POST" }.map(\.path) == ["/repos/acme/shop/issues/7/comments"])
        #expect(requests.filter { $0.method == "PATCH" }.map(\.path) == ["/repos/acme/shop/issues/comments/1006"])
        #expect(requests.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.token)" })
    }

    @Test func gitlabCreatesThenUpdatesItsNoteAcrossPages() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.gitlab)
        await fake.seed(["first", "second", "third"])

        try await fake.serve { port in
            let first = try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.gitlabEnvironment(port))
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.hasPrefix("created comment 1004 on GitLab project 42 merge request !7"), "\(first.stdout)")
            let second = try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.gitlabEnvironment(port))
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout.hasPrefix("updated comment 1004"), "\(second.stdout)")
            Self.expectNoToken(second)
        }

        let requests = await fake.requests
        #expect(requests.allSatisfy { $0.headers["private-token"] == Self.token })
        #expect(requests.filter { $0.method == "GET" }.count == 4, "two pages before the note exists, two after")
        #expect(requests.filter { $0.method == "POST" }.map(\.path) == ["/api/v4/projects/42/merge_requests/7/notes"])
        #expect(requests.filter { $0.method == "PUT" }.map(\.path) == ["/api/v4/projects/42/merge_requests/7/notes/1004"])
        #expect(await fake.comments.filter { $0.body.hasPrefix(Self.marker) }.count == 1)
    }

    @Test func aReadOnlyTokenGets403AndOneSentenceWithTheFix() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.github)
        await fake.script(
            "POST", "/comments", status: 403,
            body: #"{"message":"Resource not accessible by integration"}"#)

        let result = try await fake.serve { port in
            try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.githubEnvironment(port))
        }
        #expect(result.status == 2)
        #expect(
            result.stderr == "error: GitHub refused to comment on pull request #7 (403: Resource not accessible by integration): "
                + "the token cannot write to the pull request, as on pull requests from forks: give the job "
                + "`permissions: pull-requests: write` (checks: write for --check-run), or for forks publish from a "
                + "workflow_run workflow (README: Fork pull requests)\n")
        Self.expectNoToken(result)
    }

    @Test(arguments: [
        (
            404, #"{"message":"Not Found"}"#,
            "error: GitHub could not list the pull request's comments (404: Not Found): check GITHUB_REPOSITORY"
        ),
        (
            422, #"{"message":"Validation Failed","errors":[{"code":"custom"}]}"#,
            "error: GitHub rejected the request to list the pull request's comments (422: Validation Failed)"
        ),
        (401, #"{"message":"Bad credentials"}"#, "error: GitHub refused to list the pull request's comments (401): the token is invalid"),
    ])
    func failingStatusesExitTwoWithOneSentence(status: Int, body: String, prefix: String) async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.github)
        await fake.script("GET", "/comments", status: status, body: body)
        let result = try await fake.serve { port in
            try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.githubEnvironment(port))
        }
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(prefix), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(await fake.requests.count == 1, "a 4xx is not retried")
        #expect(await fake.comments.isEmpty)
    }

    @Test func aGitLab422EchoingTheTokenIsRedacted() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.gitlab)
        await fake.script("POST", "/notes", status: 422, body: #"{"message":{"note":["is too long for \#(Self.token)"]}}"#)
        let result = try await fake.serve { port in
            try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.gitlabEnvironment(port))
        }
        #expect(result.status == 2)
        #expect(result.stderr.contains("GitLab rejected the request to comment on merge request !7 (422: "), "\(result.stderr)")
        #expect(result.stderr.contains("is too long for ***"))
        Self.expectNoToken(result)
    }

    @Test func a429WithRetryAfterIsWaitedOutThenTheCommentIsCreated() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.github)
        await fake.script("POST", "/comments", status: 429, headers: ["retry-after": "1"])
        let started = Date()
        let result = try await fake.serve { port in
            try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.githubEnvironment(port))
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) >= 1, "Retry-After: 1 was honoured")
        let posts = await fake.requests.filter { $0.method == "POST" }
        #expect(posts.count == 2)
        #expect(await fake.comments.count == 1)
    }

    @Test func aRateLimitLongerThanMaxWaitFailsAtOnce() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.github)
        let reset = Int(Date().timeIntervalSince1970) + 3600
        await fake.script(
            "GET", "/comments", status: 403, headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset)],
            body: #"{"message":"API rate limit exceeded"}"#)
        let result = try await fake.serve { port in
            try await CLI.runAsync(["publish", "--db", db, "--run", "2", "--max-wait", "5"], environment: Self.githubEnvironment(port))
        }
        #expect(result.status == 2)
        #expect(result.stderr.contains("GitHub rate-limited the request to list the pull request's comments for 3"), "\(result.stderr)")
        #expect(result.stderr.contains("longer than qgate waits (5 s, --max-wait)"))
        #expect(await fake.requests.count == 1)
    }

    @Test func serverErrorsAreRetriedThenSucceed() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.gitlab)
        await fake.script("GET", "/notes", status: 502, body: "<html>Bad Gateway</html>", times: 2)
        let result = try await fake.serve { port in
            try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.gitlabEnvironment(port))
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(await fake.requests.filter { $0.method == "GET" }.count == 3)
        #expect(await fake.comments.count == 1)
    }

    @Test func serverErrorsOnEveryAttemptExitTwo() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.github)
        await fake.script("GET", "/comments", status: 503, times: 10)
        let result = try await fake.serve { port in
            try await CLI.runAsync(["publish", "--db", db, "--run", "2"], environment: Self.githubEnvironment(port))
        }
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: GitHub failed to list the pull request's comments with 503 on all 4 attempts; run qgate publish again later\n")
        #expect(await fake.requests.count == 4)
    }

    @Test func checkRunCarriesTheVerdictAndAnnotationsFiftyPerRequest() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeForgeServer(.github)
        let result = try await fake.serve { port in
            try await CLI.runAsync(["publish", "--db", db, "--run", "2", "--check-run"], environment: Self.githubEnvironment(port))
        }
        #expect(result.status == 0, "\(result.stderr)")
        let requests = await fake.requests
        let creation = try #require(requests.first { $0.method == "POST" && $0.path == "/repos/acme/shop/check-runs" }?.json)
        #expect(creation["name"] as? String == "qgate")
        #expect(creation["head_sha"] as? String == DemoHistoryGoldenTests.prCommit)
        #expect(creation["conclusion"] as? String == "failure")
        let output = try #require(creation["output"] as? [String: Any])
        let summary = try #require(output["summary"] as? String)
        #expect(summary.hasPrefix(Self.marker) && summary.utf16.count <= 65_535)
        let firstBatch = try #require(output["annotations"] as? [[String: Any]])
        let updates = requests.filter { $0.method == "PATCH" && $0.path == "/repos/acme/shop/check-runs/77" }
        let later = updates.compactMap { ($0.json?["output"] as? [String: Any])?["annotations"] as? [[String: Any]] }
        let counts = [firstBatch.count] + later.map(\.count)
        #expect(counts.allSatisfy { $0 <= 50 })
        #expect(result.stdout.contains("wrote check run 77 (failure, \(counts.reduce(0, +)) annotations)"), "\(result.stdout)")
        #expect(firstBatch.first?["annotation_level"] != nil && firstBatch.first?["start_line"] != nil)
    }

    @Test func aWorkflowRunWorkflowMustNameThePullRequestFromTheEvent() async throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = Self.githubEnvironment(1)
        environment["GITHUB_EVENT_NAME"] = "workflow_run"
        let refused = try CLI.run(["publish", "--db", db, "--run", "2"], environment: environment)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("must come from the trusted event: give --pr ${{ github.event.workflow_run.pull_requests[0].number }}"))

        let fake = FakeForgeServer(.github)
        let published = try await fake.serve { port in
            var trusted = Self.githubEnvironment(port)
            trusted["GITHUB_EVENT_NAME"] = "workflow_run"
            return try await CLI.runAsync(["publish", "--db", db, "--run", "2", "--pr", "9"], environment: trusted)
        }
        #expect(published.status == 0, "\(published.stderr)")
        #expect(await fake.requests.filter { $0.method == "POST" }.map(\.path) == ["/repos/acme/shop/issues/9/comments"])
    }

    @Test func missingConfigurationExitsTwoNamingWhatToSet() throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let none = try CLI.run(["publish", "--db", db])
        #expect(none.status == 2)
        #expect(none.stderr.hasPrefix("error: cannot tell where to publish: give --provider github or --provider gitlab"))
        let noToken = try CLI.run(["publish", "--db", db, "--provider", "github"], environment: ["GITHUB_REPOSITORY": "acme/shop"])
        #expect(noToken.stderr == "error: cannot publish to GitHub: set QGATE_TOKEN or GITHUB_TOKEN\n")
        let noPR = try CLI.run(["publish", "--db", db, "--run", "1"], environment: Self.githubEnvironment(1))
        #expect(noPR.status == 2)
        #expect(noPR.stderr == "error: run 1 has no pull/merge request number: give --pr N (or ingest with --pr)\n")
    }

    @Test func unreachableServerExitsTwoAfterBoundedAttempts() throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        let result = try CLI.run(["publish", "--db", db, "--run", "2", "--timeout", "2"], environment: Self.githubEnvironment(9))
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: cannot reach GitHub to list the pull request's comments ("), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("after 4 attempts\n"))
        Self.expectNoToken(result)
    }

    @Test func dryRunPrintsTheCommentAndSendsNothing() throws {
        let (directory, db) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try CLI.run(["report", "--db", db, "--run", "2", "--format", "markdown"])
        let result = try CLI.run(["publish", "--db", db, "--run", "2", "--dry-run"], environment: Self.githubEnvironment(9))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == report.stdout)
        #expect(result.stderr.hasPrefix("dry run: would create or update qgate's comment on GitHub acme/shop pull request #7"))
        Self.expectNoToken(result)
    }
}
