import Foundation
import NIOHTTP1

/// GitHub's REST API for a pull request's conversation (issue comments) and check runs.
///
/// Comments are listed 100 a page and every page is read by following the `Link` header's
/// `rel="next"`, but only while it stays on the API root, so the token never leaves it.
struct GitHubForge: Forge {
    let target: ForgeTarget
    let http: ForgeHTTP

    var provider: ForgeProvider { .github }

    private var headers: [(String, String)] {
        [
            ("Authorization", "Bearer \(target.token)"), ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28"),
        ]
    }

    private var repositoryURL: String { "\(target.apiURL)/repos/\(target.repository)" }

    func comments() async throws -> [ForgeComment] {
        let action = "list the pull request's comments"
        var url: String? = "\(repositoryURL)/issues/\(target.pullRequest)/comments?per_page=100"
        var all: [ForgeComment] = []
        var seen = Set<String>()
        while let next = url, seen.insert(next).inserted {
            let reply = try await send(ForgeRequest(method: .GET, url: next, body: nil, action: action))
            all += try ForgeHTTP.decode([CommentWire.Reply].self, reply, provider: provider, action: action)
                .map { ForgeComment(id: $0.id, body: $0.body ?? "") }
            url = Self.nextLink(reply.header("link")).flatMap { $0.hasPrefix(target.apiURL + "/") ? $0 : nil }
        }
        return all
    }

    func createComment(body: String) async throws -> ForgeComment {
        try await http.writeComment(
            .POST, url: "\(repositoryURL)/issues/\(target.pullRequest)/comments", body: body,
            action: "comment on pull request #\(target.pullRequest)", headers: headers,
            provider: provider, redactor: redactor)
    }

    func updateComment(id: Int64, body: String) async throws -> ForgeComment {
        try await http.writeComment(
            .PATCH, url: "\(repositoryURL)/issues/comments/\(id)", body: body,
            action: "update comment \(id)", headers: headers, provider: provider, redactor: redactor)
    }

    // MARK: Check runs

    /// Creates the check run with the first batch of annotations, then adds the rest in
    /// batches with updates (the API takes at most 50 annotations per request).
    func publishCheckRun(_ checkRun: CheckRunPayload) async throws -> Int64 {
        struct Created: Decodable { var id: Int64 }
        let batches = checkRun.annotationBatches
        let action = "create the check run"
        let reply = try await send(
            ForgeRequest(
                method: .POST, url: "\(repositoryURL)/check-runs",
                body: try JSONEncoder().encode(checkRun.creation(annotations: batches.first ?? [])),
                action: action))
        let id = try ForgeHTTP.decode(Created.self, reply, provider: provider, action: action).id
        for batch in batches.dropFirst() {
            _ = try await send(
                ForgeRequest(
                    method: .PATCH, url: "\(repositoryURL)/check-runs/\(id)",
                    body: try JSONEncoder().encode(checkRun.update(annotations: batch)),
                    action: "add annotations to check run \(id)"))
        }
        return id
    }

    // MARK: Plumbing

    private var redactor: SecretRedactor { SecretRedactor(secret: target.token) }

    private func send(_ request: ForgeRequest) async throws -> ForgeReply {
        try await http.send(request, headers: headers, provider: provider, redactor: redactor)
    }

    /// The `rel="next"` URL of an RFC 8288 `Link` header.
    static func nextLink(_ header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = fields.first, first.hasPrefix("<"), first.hasSuffix(">"),
                fields.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" })
            else { continue }
            return String(first.dropFirst().dropLast())
        }
        return nil
    }
}
