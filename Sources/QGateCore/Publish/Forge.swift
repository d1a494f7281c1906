import Foundation

/// Where pull/merge requests live. The raw values are what `--provider` takes.
public enum ForgeProvider: String, Sendable, CaseIterable, Codable {
    case github, gitlab

    public var title: String {
        switch self {
        case .github: "GitHub"
        case .gitlab: "GitLab"
        }
    }

    /// Variables the token is read from, first set wins.
    public var tokenVariables: [String] {
        switch self {
        case .github: ["QGATE_TOKEN", "GITHUB_TOKEN"]
        case .gitlab: ["QGATE_TOKEN", "GITLAB_TOKEN"]
        }
    }

    /// The provider the CI environment names: GitHub Actions or GitLab CI, else nil.
    public static func detect(in environment: [String: String]) -> ForgeProvider? {
        if environment["GITHUB_ACTIONS"] == "true" { return .github }
        if environment["GITLAB_CI"] == "true" { return .gitlab }
        return nil
    }
}

/// A comment (GitHub issue comment, GitLab note) on a pull/merge request.
public struct ForgeComment: Sendable, Equatable {
    public var id: Int64
    public var body: String

    public init(id: Int64, body: String) {
        self.id = id
        self.body = body
    }
}

/// The comment operations `qgate publish` needs, one implementation per forge.
///
/// Small on purpose: listing (every page), creating and updating one comment is all the
/// summary needs; the publisher decides which, so both forges behave the same.
public protocol Forge: Sendable {
    var provider: ForgeProvider { get }
    /// Every comment of the pull/merge request, oldest first, across all pages.
    func comments() async throws -> [ForgeComment]
    func createComment(body: String) async throws -> ForgeComment
    func updateComment(id: Int64, body: String) async throws -> ForgeComment
}

/// Everything needed to talk to one pull/merge request, read from the environment.
///
/// The environment is passed in (testable, and the tests point `GITHUB_API_URL` or
/// `CI_API_V4_URL` at a server on loopback). The token is kept out of `description`.
public struct ForgeTarget: Sendable, Equatable, CustomStringConvertible {
    public var provider: ForgeProvider
    /// API root without trailing slash: `https://api.github.com`, `https://gitlab.com/api/v4`.
    public var apiURL: String
    /// `owner/name` on GitHub, the project id (or URL-encoded path) on GitLab.
    public var repository: String
    public var pullRequest: Int
    var token: String

    public init(provider: ForgeProvider, apiURL: String, repository: String, pullRequest: Int, token: String) {
        self.provider = provider
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.repository = repository
        self.pullRequest = pullRequest
        self.token = token
    }

    public var description: String {
        switch provider {
        case .github: "GitHub \(repository) pull request #\(pullRequest)"
        case .gitlab: "GitLab project \(repository) merge request !\(pullRequest)"
        }
    }

    /// Reads the target from `environment`. `provider` (from `--provider`) wins over detection;
    /// `pullRequest` is `--pr` else the run's number. In a GitHub `workflow_run` workflow the
    /// store comes from an artifact a fork could have written, so only `--pr` is trusted there.
    public static func resolve(
        provider: ForgeProvider?, explicitPullRequest: Int?, runPullRequest: Int?, runID: Int64,
        environment: [String: String]
    ) throws -> ForgeTarget {
        guard let provider = provider ?? ForgeProvider.detect(in: environment) else { throw PublishError.noProvider }
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        guard let token = provider.tokenVariables.lazy.compactMap(value).first else {
            throw PublishError.missingVariable(provider: provider, names: provider.tokenVariables)
        }
        let apiURL: String
        let repository: String
        var pullRequest = explicitPullRequest
        switch provider {
        case .github:
            apiURL = value("GITHUB_API_URL") ?? "https://api.github.com"
            guard let repo = value("GITHUB_REPOSITORY"), repo.split(separator: "/").count == 2 else {
                throw PublishError.missingVariable(provider: provider, names: ["GITHUB_REPOSITORY (owner/name)"])
            }
            repository = repo
            if pullRequest == nil {
                if value("GITHUB_EVENT_NAME") == "workflow_run" { throw PublishError.untrustedPullRequest }
                pullRequest = runPullRequest
            }
        case .gitlab:
            guard let api = value("CI_API_V4_URL") else { throw PublishError.missingVariable(provider: provider, names: ["CI_API_V4_URL"]) }
            guard let project = value("CI_PROJECT_ID") else {
                throw PublishError.missingVariable(provider: provider, names: ["CI_PROJECT_ID"])
            }
            apiURL = api
            repository = project
            pullRequest = pullRequest ?? runPullRequest ?? value("CI_MERGE_REQUEST_IID").flatMap { Int($0) }
        }
        guard let pullRequest, pullRequest > 0 else { throw PublishError.noPullRequest(runID: runID) }
        return ForgeTarget(provider: provider, apiURL: apiURL, repository: repository, pullRequest: pullRequest, token: token)
    }

    /// The forge client for this target.
    public func forge(http: ForgeHTTP) -> any Forge {
        switch provider {
        case .github: GitHubForge(target: self, http: http)
        case .gitlab: GitLabForge(target: self, http: http)
        }
    }
}
