/// Why `qgate publish` could not post the summary: one sentence each, exit 2.
///
/// No case carries the token, and every text that came from the forge passes through
/// ``SecretRedactor`` before it is stored here, so an API that echoes a header back cannot
/// put the token into a log.
public enum PublishError: UserFacingError, Equatable {
    /// Neither `--provider` nor a CI environment says where to publish.
    case noProvider
    /// A variable the provider needs is unset or empty.
    case missingVariable(provider: ForgeProvider, names: [String])
    /// The run has no pull/merge request number and none was given.
    case noPullRequest(runID: Int64)
    /// A `workflow_run` workflow must name the pull request from its trusted event.
    case untrustedPullRequest
    /// The check run needs the commit it reports on.
    case noCommit(runID: Int64)
    /// `--check-run` is a GitHub feature.
    case checkRunNeedsGitHub
    /// 401: the token is wrong or expired.
    case unauthorized(provider: ForgeProvider, action: String)
    /// 403: the token may read but not write (a fork pull request, or missing permissions).
    case forbidden(provider: ForgeProvider, action: String, detail: String)
    /// 404: the repository, project or pull request does not exist for this token.
    case notFound(provider: ForgeProvider, action: String, detail: String)
    /// 4xx other than the above, typically 422 (the body was refused).
    case rejected(provider: ForgeProvider, action: String, status: Int, detail: String)
    /// Rate-limited for longer than qgate waits.
    case rateLimited(provider: ForgeProvider, action: String, waitSeconds: Int, maxWaitSeconds: Int)
    /// 5xx on every attempt.
    case serverError(provider: ForgeProvider, action: String, status: Int, attempts: Int)
    /// No answer: connection refused, DNS, TLS or time-out, on every attempt.
    case unreachable(provider: ForgeProvider, action: String, reason: String, attempts: Int)
    /// The forge answered 2xx with something qgate cannot read.
    case unreadableResponse(provider: ForgeProvider, action: String)

    public var description: String {
        switch self {
        case .noProvider:
            return "error: cannot tell where to publish: give --provider github or --provider gitlab "
                + "(detected from GITHUB_ACTIONS / GITLAB_CI in CI)"
        case let .missingVariable(provider, names):
            let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
            return "error: cannot publish to \(provider.title): set \(list)"
        case let .noPullRequest(runID):
            return "error: run \(runID) has no pull/merge request number: give --pr N (or ingest with --pr)"
        case .untrustedPullRequest:
            return "error: in a workflow_run workflow the pull request number must come from the trusted event: "
                + "give --pr ${{ github.event.workflow_run.pull_requests[0].number }}"
        case let .noCommit(runID):
            return "error: run \(runID) has no commit for the check run: give --head-sha SHA"
        case .checkRunNeedsGitHub:
            return "error: --check-run needs --provider github (GitLab has no check runs)"
        case let .unauthorized(provider, action):
            return "error: \(provider.title) refused to \(action) (401): the token is invalid or expired; "
                + "set \(provider.tokenVariables.joined(separator: " or ")) to a valid token"
        case let .forbidden(provider, action, detail):
            return "error: \(provider.title) refused to \(action) (403\(Self.parenthesised(detail))): " + provider.forbiddenFix
        case let .notFound(provider, action, detail):
            return "error: \(provider.title) could not \(action) (404\(Self.parenthesised(detail))): "
                + "check \(provider.targetVariables) and the pull/merge request number, and that the token can see the repository"
        case let .rejected(provider, action, status, detail):
            return "error: \(provider.title) rejected the request to \(action) (\(status)\(Self.parenthesised(detail)))"
        case let .rateLimited(provider, action, wait, maxWait):
            return "error: \(provider.title) rate-limited the request to \(action) for \(wait) s, "
                + "longer than qgate waits (\(maxWait) s, --max-wait); run qgate publish again later"
        case let .serverError(provider, action, status, attempts):
            return "error: \(provider.title) failed to \(action) with \(status) on all \(attempts) attempts; "
                + "run qgate publish again later"
        case let .unreachable(provider, action, reason, attempts):
            return "error: cannot reach \(provider.title) to \(action) (\(reason)) after \(attempts) attempt\(attempts == 1 ? "" : "s")"
        case let .unreadableResponse(provider, action):
            return "error: \(provider.title) answered the request to \(action) with a response qgate cannot read"
        }
    }

    private static func parenthesised(_ detail: String) -> String {
        detail.isEmpty ? "" : ": " + detail
    }
}

extension ForgeProvider {
    /// The fix for a read-only token, the usual 403.
    var forbiddenFix: String {
        switch self {
        case .github:
            "the token cannot write to the pull request, as on pull requests from forks: give the job "
                + "`permissions: pull-requests: write` (checks: write for --check-run), or for forks publish from a "
                + "workflow_run workflow (README: Fork pull requests)"
        case .gitlab:
            "the token cannot write notes (CI_JOB_TOKEN never can): set QGATE_TOKEN or GITLAB_TOKEN to a project access "
                + "token with the api scope and at least the Reporter role"
        }
    }

    var targetVariables: String {
        switch self {
        case .github: "GITHUB_REPOSITORY and GITHUB_API_URL"
        case .gitlab: "CI_PROJECT_ID and CI_API_V4_URL"
        }
    }
}

/// Removes a secret from text that came from outside (API error messages, network errors).
struct SecretRedactor: Sendable {
    let secret: String

    func redact(_ text: String) -> String {
        guard secret.count >= 4 else { return text }
        return text.replacingOccurrences(of: secret, with: "***")
    }
}
