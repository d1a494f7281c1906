import Foundation
import NIOHTTP1

/// GitLab's notes API for a merge request, authenticated with `PRIVATE-TOKEN`.
///
/// Notes are listed 100 a page, oldest first, and every page is read by following the
/// `x-next-page` header (empty on the last page).
struct GitLabForge: Forge {
    let target: ForgeTarget
    let http: ForgeHTTP

    var provider: ForgeProvider { .gitlab }

    private var notesURL: String {
        let project = target.repository.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target.repository
        return "\(target.apiURL)/projects/\(project)/merge_requests/\(target.pullRequest)/notes"
    }

    private var headers: [(String, String)] { [("PRIVATE-TOKEN", target.token)] }
    private var redactor: SecretRedactor { SecretRedactor(secret: target.token) }

    func comments() async throws -> [ForgeComment] {
        let action = "list the merge request's notes"
        var page: String? = "1"
        var seen = Set<String>()
        var all: [ForgeComment] = []
        while let current = page, seen.insert(current).inserted {
            let url = "\(notesURL)?sort=asc&order_by=created_at&per_page=100&page=\(current)"
            let reply = try await http.send(
                ForgeRequest(method: .GET, url: url, body: nil, action: action), headers: headers,
                provider: provider, redactor: redactor)
            all += try ForgeHTTP.decode([CommentWire.Reply].self, reply, provider: provider, action: action)
                .map { ForgeComment(id: $0.id, body: $0.body ?? "") }
            page = reply.header("x-next-page").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { Int($0) }.map(String.init)
        }
        return all
    }

    func createComment(body: String) async throws -> ForgeComment {
        try await http.writeComment(
            .POST, url: notesURL, body: body, action: "comment on merge request !\(target.pullRequest)",
            headers: headers, provider: provider, redactor: redactor)
    }

    func updateComment(id: Int64, body: String) async throws -> ForgeComment {
        try await http.writeComment(
            .PUT, url: "\(notesURL)/\(id)", body: body, action: "update note \(id)",
            headers: headers, provider: provider, redactor: redactor)
    }
}
