import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A fake GitHub or GitLab API on loopback, for `qgate publish` end to end: it keeps the
/// comments of one pull/merge request, pages them two at a time (so pagination is always
/// exercised), records every request, and can be told to answer the next requests to a path
/// with a given status first (403, 404, 422, 429 with Retry-After, 5xx).
actor FakeForgeServer {
    enum Flavour: Sendable { case github, gitlab }

    struct Recorded: Sendable {
        var method: String
        /// Path and query.
        var uri: String
        var headers: [String: String]
        var body: String

        var path: String { String(uri.prefix { $0 != "?" }) }
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
    }

    struct Scripted: Sendable {
        var method: String
        var pathSuffix: String
        var status: Int
        var headers: [String: String]
        var body: String
        var remaining: Int
    }

    let flavour: Flavour
    private(set) var requests: [Recorded] = []
    private(set) var comments: [(id: Int64, body: String)] = []
    private var scripted: [Scripted] = []
    private var nextID: Int64 = 1000
    let pageSize = 2

    init(_ flavour: Flavour) { self.flavour = flavour }

    func seed(_ bodies: [String]) {
        for body in bodies { comments.append((nextIdentifier(), body)) }
    }

    /// The next `times` requests of `method` to a path ending in `pathSuffix` get this answer.
    func script(
        _ method: String, _ pathSuffix: String, status: Int, headers: [String: String] = [:],
        body: String = #"{"message":"scripted"}"#, times: Int = 1
    ) {
        scripted.append(Scripted(method: method, pathSuffix: pathSuffix, status: status, headers: headers, body: body, remaining: times))
    }

    private func nextIdentifier() -> Int64 {
        nextID += 1
        return nextID
    }

    func handle(_ recorded: Recorded) -> (status: Int, headers: [String: String], body: String) {
        requests.append(recorded)
        if let index = scripted.firstIndex(where: {
            $0.remaining > 0 && $0.method == recorded.method && recorded.path.hasSuffix($0.pathSuffix)
        }) {
            scripted[index].remaining -= 1
            let answer = scripted[index]
            return (answer.status, answer.headers, answer.body)
        }
        switch flavour {
        case .github: return github(recorded)
        case .gitlab: return gitlab(recorded)
        }
    }

    private func github(_ request: Recorded) -> (Int, [String: String], String) {
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts.count) {
        case ("GET", 6) where parts[0] == "repos" && parts[3] == "issues" && parts[5] == "comments":
            let page = Self.query(request.uri, "page").flatMap(Int.init) ?? 1
            let (slice, more) = pageOf(page)
            var headers: [String: String] = [:]
            if more {
                let host = request.headers["host"] ?? "127.0.0.1"
                headers["link"] =
                    "<http://\(host)\(request.path)?per_page=100&page=\(page + 1)>; rel=\"next\", "
                    + "<http://\(host)\(request.path)?per_page=100&page=99>; rel=\"last\""
            }
            return (200, headers, Self.encode(slice.map { ["id": $0.id, "body": $0.body] }))
        case ("POST", 6) where parts[3] == "issues" && parts[5] == "comments":
            return create(request)
        case ("PATCH", 6) where parts[3] == "issues" && parts[4] == "comments":
            return update(request, id: Int64(parts[5]))
        case ("POST", 4) where parts[3] == "check-runs":
            return (201, [:], #"{"id": 77}"#)
        case ("PATCH", 5) where parts[3] == "check-runs":
            return (200, [:], #"{"id": 77}"#)
        default:
            return (404, [:], #"{"message":"Not Found"}"#)
        }
    }

    private func gitlab(_ request: Recorded) -> (Int, [String: String], String) {
        // [/api/v4]/projects/:id/merge_requests/:iid/notes[/:note_id]
        let parts = Array(request.path.split(separator: "/").map(String.init).drop { $0 != "projects" })
        guard parts.count >= 5, parts[0] == "projects", parts[2] == "merge_requests", parts[4] == "notes" else {
            return (404, [:], #"{"message":"404 Not found"}"#)
        }
        switch (request.method, parts.count) {
        case ("GET", 5):
            let page = Self.query(request.uri, "page").flatMap(Int.init) ?? 1
            let (slice, more) = pageOf(page)
            return (200, ["x-next-page": more ? String(page + 1) : ""], Self.encode(slice.map { ["id": $0.id, "body": $0.body] }))
        case ("POST", 5): return create(request)
        case ("PUT", 6): return update(request, id: Int64(parts[5]))
        default: return (404, [:], #"{"message":"404 Not found"}"#)
        }
    }

    private func pageOf(_ page: Int) -> ([(id: Int64, body: String)], Bool) {
        let start = min(comments.count, (page - 1) * pageSize)
        let end = min(comments.count, start + pageSize)
        return (Array(comments[start..<end]), end < comments.count)
    }

    private func create(_ request: Recorded) -> (Int, [String: String], String) {
        guard let body = request.json?["body"] as? String else { return (422, [:], #"{"message":"body is missing"}"#) }
        let id = nextIdentifier()
        comments.append((id, body))
        return (201, [:], Self.encode(["id": id, "body": body]))
    }

    private func update(_ request: Recorded, id: Int64?) -> (Int, [String: String], String) {
        guard let id, let index = comments.firstIndex(where: { $0.id == id }) else { return (404, [:], #"{"message":"Not Found"}"#) }
        guard let body = request.json?["body"] as? String else { return (422, [:], #"{"message":"body is missing"}"#) }
        comments[index].body = body
        return (200, [:], Self.encode(["id": id, "body": body]))
    }

    private static func query(_ uri: String, _ name: String) -> String? {
        URLComponents(string: uri)?.queryItems?.first { $0.name == name }?.value
    }

    private static func encode(_ value: Any) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    /// Runs `body` with this fake listening on loopback; `body` gets the port.
    func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 16 * 1024 * 1024)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            if let authority = request.head.authority { headers["host"] = authority }
            let recorded = Recorded(
                method: request.method.rawValue, uri: request.uri.description, headers: headers,
                body: String(buffer: buffer))
            let answer = await self.handle(recorded)
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (name, value) in answer.headers {
                if let field = HTTPField.Name(name) { fields[field] = value }
            }
            return Response(
                status: .init(code: answer.status), headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        }
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            guard let port = client.port else { throw CancellationError() }
            return try await body(port)
        }
    }
}
