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

    private struct Note: Decodable {
        var id: Int64
        var body: String?
    }

    private struct NoteBody: Encodable {
        var body: String
    }

    func comments() async throws -> [ForgeComment] {
        let action = "list the merge request's notes"
        var page: String? = "1"
        var seen = Set<String>()
        var all: [ForgeComment] = []
        while let current = page, seen.insert(current).inserted {
            let url = "\(notesURL)?sort=asc&order_by=created_at&per_page=100&page=\(current)"
            let reply = try await send(ForgeRequest(method: .GET, url: url, body: nil, action: action))
            all += try decode([Note].self, reply, action: action).map { ForgeComment(id: $0.id, body: $0.body ?? "") }
            page = reply.header("x-next-page").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { Int($0) }.map(String.init)
        }
        return all
    }

    func createComment(body: String) async throws -> ForgeComment {
        let action = "comment on merge request !\(target.pullRequest)"
        let reply = try await send(ForgeRequest(method: .POST, url: notesURL,
                                                body: try JSONEncoder().encode(NoteBody(body: body)), action: action))
        let note = try decode(Note.self, reply, action: action)
        return ForgeComment(id: note.id, body: note.body ?? body)
    }

    func updateComment(id: Int64, body: String) async throws -> ForgeComment {
        let action = "update note \(id)"
        let reply = try await send(ForgeRequest(method: .PUT, url: "\(notesURL)/\(id)",
                                                body: try JSONEncoder().encode(NoteBody(body: body)), action: action))
        let note = try decode(Note.self, reply, action: action)
        return ForgeComment(id: note.id, body: note.body ?? body)
    }

    private func send(_ request: ForgeRequest) async throws -> ForgeReply {
        try await http.send(request, headers: [("PRIVATE-TOKEN", target.token)], provider: provider,
                            redactor: SecretRedactor(secret: target.token))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ reply: ForgeReply, action: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: reply.body)
        } catch {
            throw PublishError.unreadableResponse(provider: provider, action: action)
        }
    }
}
