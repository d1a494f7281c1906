import Foundation
import Testing

/// Issue #11 §2: the SQLite store travels with the pipeline. Each pipeline runs in a fresh
/// directory (an ephemeral runner); the store is restored and saved by copying the file exactly
/// as the README's recipes say, and the pull request's check then has its baseline.
@Suite(.serialized, .enabled(if: CLI.available, "needs the built qgate binary"))
struct CarriedStoreTests {
    /// A CI cache: entries by key, newest last, restored by exact key or else by key prefix.
    final class Cache {
        let directory: URL
        private(set) var keys: [String] = []

        init(_ directory: URL) { self.directory = directory }

        /// `actions/cache/save`, GitLab's cache upload: the file under an immutable key.
        func save(_ file: URL, key: String) throws {
            guard !keys.contains(key) else { return }
            try FileManager.default.copyItem(at: file, to: directory.appendingPathComponent(key))
            keys.append(key)
        }

        /// `actions/cache/restore` with restore-keys, GitLab's `fallback_keys`: the exact key, else
        /// the newest entry whose key starts with each prefix in turn.
        func restore(to file: URL, key: String, prefixes: [String]) throws -> String? {
            let hit = keys.contains(key) ? key : prefixes.lazy.compactMap { prefix in self.keys.last { $0.hasPrefix(prefix) } }.first
            guard let hit else { return nil }
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: directory.appendingPathComponent(hit), to: file)
            return hit
        }
    }

    /// One pipeline on a fresh runner: an empty work directory, the store restored, `check`, the store saved.
    static func pipeline(
        _ number: Int, branch: String, side: String, cache: Cache, root: URL,
        restoreKey: String, prefixes: [String], saveKey: String?
    ) throws -> (CLI.Result, String?) {
        let runner = root.appendingPathComponent("runner-\(number)")
        try FileManager.default.createDirectory(at: runner, withIntermediateDirectories: true)
        let store = runner.appendingPathComponent(".qgate/qgate.db")
        let restored = try cache.restore(to: store, key: restoreKey, prefixes: prefixes)
        let commit = String(repeating: String(number), count: 40)
        var arguments = [
            "check", "--policy", TestPaths.repositoryRoot.appendingPathComponent("rules/prod.yml").path,
            "--commit", commit, "--branch", branch, "--pipeline", "p\(number)",
            "--root", TestPaths.fixtures.appendingPathComponent("sample/\(side)").path,
        ]
        if branch != "main" { arguments += ["--base-branch", "main", "--pr", "7"] }
        arguments += DemoRuns.reports(side).map { TestPaths.repositoryRoot.appendingPathComponent($0).path }
        let result = try CLI.run(arguments, in: runner)
        if let saveKey { try cache.save(store, key: saveKey) }
        return (result, restored)
    }

    @Test func gitHubActionsRecipeGivesThePullRequestItsBaseline() throws {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDirectory = root.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        let cache = Cache(cacheDirectory)
        // Push to main (run_id 101): nothing to restore yet; saved under qgate-main-101.
        let (main, mainRestored) = try Self.pipeline(
            1, branch: "main", side: "main", cache: cache, root: root,
            restoreKey: "qgate-main-101", prefixes: ["qgate-main-"], saveKey: "qgate-main-101")
        #expect(mainRestored == nil)
        #expect(main.status <= 1, "\(main.stderr)")
        #expect(main.stdout.contains("This store has no run of branch main at all"))
        // The pull request (run_id 102): restore-keys find main's store; PR runs never save.
        let (pr, prRestored) = try Self.pipeline(
            2, branch: "feature/bulk-pricing", side: "pr", cache: cache, root: root,
            restoreKey: "qgate-feature/bulk-pricing-102",
            prefixes: ["qgate-feature/bulk-pricing-", "qgate-main-"], saveKey: nil)
        #expect(prRestored == "qgate-main-101")
        #expect(pr.stdout.contains("baseline run 1 (111111111111)"), "\(pr.stdout)")
        #expect(!pr.stdout.contains("has no run of branch"))
        #expect(pr.stdout.contains("New findings (3, worst first; 4 fixed)"))
    }

    @Test func gitLabRecipeFallsBackToTheDefaultBranchsCache() throws {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDirectory = root.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        let cache = Cache(cacheDirectory)
        // key: qgate-$CI_COMMIT_REF_SLUG, fallback_keys: [qgate-$CI_DEFAULT_BRANCH]; the cache is
        // uploaded after every job (a branch's cache then holds main's runs too).
        _ = try Self.pipeline(
            1, branch: "main", side: "main", cache: cache, root: root,
            restoreKey: "qgate-main", prefixes: [], saveKey: "qgate-main")
        let (pr, restored) = try Self.pipeline(
            2, branch: "feature/bulk-pricing", side: "pr", cache: cache, root: root,
            restoreKey: "qgate-feature-bulk-pricing", prefixes: ["qgate-main"],
            saveKey: "qgate-feature-bulk-pricing")
        #expect(restored == "qgate-main")
        #expect(pr.stdout.contains("baseline run 1 (111111111111)"), "\(pr.stdout)")
    }

    @Test func aCheckWithoutAnyRunOnTheBaselineBranchNamesTheFixInTextAndMarkdown() throws {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let db = root.appendingPathComponent("qgate.db").path
        let pr = try CLI.run(["check", "--db", db] + DemoRuns.checks[1])
        #expect(pr.status <= 1)
        let sentence =
            "This store has no run of branch main at all, so nothing can be new, fixed or compared: carry the store "
            + "from pipeline to pipeline (cache or artifact of .qgate/qgate.db, see the README's \"Keeping the history in CI\") "
            + "or use a store that every runner shares."
        #expect(pr.stdout.split(separator: "\n").contains { $0 == sentence })
        let markdown = try CLI.run(["report", "--run", "latest", "--format", "markdown", "--db", db])
        #expect(markdown.stdout.contains("This store has no run of branch main at all"))
        let json = try CLI.run(["report", "--run", "latest", "--format", "json", "--db", db])
        #expect(json.stdout.contains("\"missing_cause\": \"no_run_on_branch\""))
    }
}

/// Issue #13: a diff that cannot be computed in a shallow clone is a missing diff, not exit 2.
@Suite(.serialized, .enabled(if: CLI.available, "needs the built qgate binary"))
struct ShallowCloneTests {
    static func git(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                "-c", "protocol.file.allow=always",
            ] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
    }

    @Test(arguments: [false, true])
    func aDiffBaseTheCloneLacksIsAMissingDiff(fetchMain: Bool) throws {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let origin = root.appendingPathComponent("origin")
        try FileManager.default.createDirectory(at: origin, withIntermediateDirectories: true)
        try Self.git(["init", "-q"], in: origin)
        for index in 1...3 {
            try "line \(index)\n".write(to: origin.appendingPathComponent("f\(index).txt"), atomically: true, encoding: .utf8)
            try Self.git(["add", "."], in: origin)
            try Self.git(["commit", "-q", "-m", "c\(index)"], in: origin)
        }
        try Self.git(["checkout", "-q", "-b", "feature"], in: origin)
        try "change\n".write(to: origin.appendingPathComponent("f4.txt"), atomically: true, encoding: .utf8)
        try Self.git(["add", "."], in: origin)
        try Self.git(["commit", "-q", "-m", "feature"], in: origin)
        // actions/checkout's default: depth 1, only the commit being built.
        try Self.git(["clone", "-q", "--depth", "1", "--branch", "feature", "file://\(origin.path)", "clone"], in: root)
        let clone = root.appendingPathComponent("clone")
        if fetchMain { try Self.git(["fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"], in: clone) }
        let result = try CLI.run(
            [
                "check", "--db", root.appendingPathComponent("qgate.db").path,
                "--diff-base", "origin/main",
            ]
                + DemoRuns.checks[1].filter { $0 != "--diff" && $0 != "fixtures/sample/pr.diff" }
                .map { $0.hasPrefix("fixtures/") || $0.hasPrefix("rules/") ? TestPaths.repositoryRoot.appendingPathComponent($0).path : $0 },
            in: clone)
        #expect(result.status == 1, "\(result.stderr)")
        let gate = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("  Changed lines are tested: ") })
        #expect(gate.contains("the diff could not be computed (`git diff origin/main...HEAD`: "))
        #expect(gate.contains("fetch-depth: 0") && gate.contains("--diff FILE"))
        #expect(gate.hasSuffix("warning (on_missing: warn)."))
        #expect(result.stdout.contains("warning: `git diff origin/main...HEAD` failed ("))
    }
}
