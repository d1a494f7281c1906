import Foundation

/// Fills a run's identity from the CI's own environment (GitHub Actions, GitLab CI, Jenkins),
/// else from `git` in the working directory. The environment is injected so that every CI can be
/// tested from a dictionary.
public struct RunContextDetector: Sendable {
    public var environment: [String: String]
    public var workingDirectory: URL

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) {
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The CI's view of the run; nil fields where the CI says nothing.
    public func fromCI() -> RunContext {
        let env = environment.filter { !$0.value.isEmpty }
        if env["GITHUB_ACTIONS"] == "true" {
            let pullRequest = env["GITHUB_REF"].flatMap { ref -> Int? in
                let parts = ref.split(separator: "/")
                return parts.count >= 3 && parts[1] == "pull" ? Int(parts[2]) : nil
            }
            // Not the attempt: a re-run of failed jobs belongs to the same run as the jobs that
            // passed the first time; its reports replace its own earlier ones (see `job()`).
            return RunContext(
                commit: env["GITHUB_SHA"], branch: env["GITHUB_HEAD_REF"] ?? env["GITHUB_REF_NAME"],
                baseBranch: env["GITHUB_BASE_REF"], pullRequest: pullRequest, pipeline: env["GITHUB_RUN_ID"])
        }
        if env["GITLAB_CI"] == "true" {
            return RunContext(
                commit: env["CI_COMMIT_SHA"],
                branch: env["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] ?? env["CI_COMMIT_BRANCH"] ?? env["CI_COMMIT_REF_NAME"],
                baseBranch: env["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"]
                    ?? env["CI_DEFAULT_BRANCH"].flatMap { branch in
                        env["CI_MERGE_REQUEST_IID"] == nil ? nil : branch
                    },
                pullRequest: env["CI_MERGE_REQUEST_IID"].flatMap(Int.init), pipeline: env["CI_PIPELINE_ID"])
        }
        if env["JENKINS_URL"] != nil || env["BUILD_TAG"]?.hasPrefix("jenkins-") == true {
            var branch = env["CHANGE_BRANCH"] ?? env["BRANCH_NAME"] ?? env["GIT_BRANCH"]
            if let value = branch, value.hasPrefix("origin/") { branch = String(value.dropFirst("origin/".count)) }
            return RunContext(
                commit: env["GIT_COMMIT"], branch: branch, baseBranch: env["CHANGE_TARGET"],
                pullRequest: env["CHANGE_ID"].flatMap(Int.init), pipeline: env["BUILD_TAG"] ?? env["BUILD_NUMBER"])
        }
        return RunContext()
    }

    /// The CI's job and attempt: GitHub's `GITHUB_JOB` (with the matrix values of
    /// `QGATE_MATRIX`, which GitHub does not put in the environment itself: set it to
    /// `${{ toJSON(matrix) }}`) and `GITHUB_RUN_ATTEMPT`; GitLab's `CI_JOB_NAME` (which holds the
    /// `parallel:matrix` values) and `CI_JOB_ID` (a retry gets a larger one).
    public func jobFromCI() -> JobContext {
        let env = environment.filter { !$0.value.isEmpty }
        if env["GITHUB_ACTIONS"] == "true" {
            let matrix = env["QGATE_MATRIX"].flatMap(Self.matrixValues)
            let name = env["GITHUB_JOB"].map { job in matrix.map { "\(job) (\($0))" } ?? job }
            return JobContext(name: name, attempt: env["GITHUB_RUN_ATTEMPT"].flatMap { Int($0) })
        }
        if env["GITLAB_CI"] == "true" {
            return JobContext(name: env["CI_JOB_NAME"], attempt: env["CI_JOB_ID"].flatMap { Int($0) })
        }
        return JobContext()
    }

    /// Flags first, then the CI.
    public func resolveJob(flags: JobContext) -> JobContext {
        flags.filling(from: jobFromCI())
    }

    /// `{"python": "3.12", "os": "ubuntu"}` → `os=ubuntu, python=3.12` (keys sorted); nil for
    /// anything that is not a JSON object (`null` outside a matrix), or an empty one.
    static func matrixValues(_ json: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], !object.isEmpty else {
            return nil
        }
        return object.keys.sorted().map { key in
            let value =
                object[key].map { value -> String in
                    if let text = value as? String { return text }
                    if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
                        return String(decoding: data, as: UTF8.self)
                    }
                    return "\(value)"
                } ?? ""
            return "\(key)=\(value)"
        }.joined(separator: ", ")
    }

    /// What `git` in the working directory says (commit and branch); empty outside a repository.
    public func fromGit() -> RunContext {
        // One process for both (each git start costs ~10 ms): the commit, then the branch name,
        // one per line. When HEAD names no commit yet, both fail alike.
        let lines = git(["rev-parse", "HEAD", "--abbrev-ref", "HEAD"])?.split(separator: "\n").map(String.init) ?? []
        guard lines.count == 2 else { return RunContext() }
        let branch = lines[1] == "HEAD" ? nil : lines[1]
        return RunContext(commit: lines[0], branch: branch)
    }

    /// Flags first, then the CI, then git.
    public func resolve(flags: RunContext) -> RunContext {
        var context = flags.filling(from: fromCI())
        // git describes the working directory's checkout: ask it only when neither the flags nor
        // the CI named a commit (a branch guessed for some other commit would be wrong).
        if context.commit == nil {
            context = context.filling(from: fromGit())
        }
        return context
    }

    /// The repository root (`git rev-parse --show-toplevel`), else the working directory.
    public func repositoryRoot() -> URL {
        if let top = git(["rev-parse", "--show-toplevel"]) { return URL(fileURLWithPath: top) }
        return workingDirectory
    }

    func git(_ arguments: [String]) -> String? {
        Git(workingDirectory: workingDirectory).text(arguments)
    }
}
