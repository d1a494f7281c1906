import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How long and how often qgate tries before a publish fails.
///
/// Forges fail transiently (5xx, a dropped connection) and rate-limit busy tokens; a CI step
/// should ride out both, but never hang a pipeline: every wait is bounded.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts per request, the first included.
    public var attempts: Int
    /// Wait before the second attempt after a 5xx or network error; doubled each time.
    public var backoffSeconds: Double
    /// The longest rate-limit wait (`Retry-After`, `x-ratelimit-reset`) qgate honours; longer fails at once.
    public var maxWaitSeconds: Int
    /// Time-out of one request, connection included.
    public var timeoutSeconds: Int

    public init(attempts: Int = 4, backoffSeconds: Double = 1, maxWaitSeconds: Int = 60, timeoutSeconds: Int = 30) {
        self.attempts = max(1, attempts)
        self.backoffSeconds = max(0, backoffSeconds)
        self.maxWaitSeconds = max(0, maxWaitSeconds)
        self.timeoutSeconds = max(1, timeoutSeconds)
    }
}

/// One request as the forges build it.
struct ForgeRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var body: Data?
    /// What the request does, for error sentences: "list the comments", "update comment 12".
    var action: String
}

/// A forge's answer: status, headers (names lowercased) and the whole body.
struct ForgeReply: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// The HTTP layer of `qgate publish`: async-http-client plus the retry policy and the mapping
/// of failure statuses to ``PublishError``.
///
/// Redirects are not followed, so the token header is only ever sent to the API root the
/// environment names. Every text taken from a response is redacted of the token.
public final class ForgeHTTP: Sendable {
    let client: HTTPClient
    public let policy: RetryPolicy

    public init(policy: RetryPolicy = RetryPolicy()) {
        self.policy = policy
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(
            connect: .seconds(Int64(min(policy.timeoutSeconds, 15))), read: .seconds(Int64(policy.timeoutSeconds)))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Sends `request` with `headers`, retrying 5xx, network errors and rate limits within the
    /// policy; returns a 2xx reply or throws the ``PublishError`` for the status.
    func send(
        _ request: ForgeRequest, headers: [(String, String)], provider: ForgeProvider,
        redactor: SecretRedactor
    ) async throws -> ForgeReply {
        var attempt = 0
        while true {
            attempt += 1
            let last = attempt >= policy.attempts
            let reply: ForgeReply
            do {
                reply = try await exchange(request, headers: headers)
            } catch {
                if last {
                    throw PublishError.unreachable(
                        provider: provider, action: request.action,
                        reason: redactor.redact(Self.describe(error)), attempts: attempt)
                }
                try await Self.sleep(seconds: backoff(after: attempt))
                continue
            }
            switch reply.status {
            case 200..<300:
                return reply
            case 429,
                403 where Self.isRateLimit(reply):
                let wait = Self.rateLimitWait(reply)
                if wait > policy.maxWaitSeconds || last {
                    throw PublishError.rateLimited(
                        provider: provider, action: request.action, waitSeconds: wait,
                        maxWaitSeconds: policy.maxWaitSeconds)
                }
                try await Self.sleep(seconds: Double(wait))
            case 500..<600:
                if last {
                    throw PublishError.serverError(provider: provider, action: request.action, status: reply.status, attempts: attempt)
                }
                try await Self.sleep(seconds: backoff(after: attempt))
            default:
                let detail = redactor.redact(Self.apiMessage(reply.body))
                switch reply.status {
                case 401: throw PublishError.unauthorized(provider: provider, action: request.action)
                case 403: throw PublishError.forbidden(provider: provider, action: request.action, detail: detail)
                case 404: throw PublishError.notFound(provider: provider, action: request.action, detail: detail)
                default: throw PublishError.rejected(provider: provider, action: request.action, status: reply.status, detail: detail)
                }
            }
        }
    }

    /// Sends `{"body": …}` and reads back `{"id": …, "body": …}`: GitHub issue comments and
    /// GitLab notes share this shape.
    func writeComment(
        _ method: HTTPMethod, url: String, body: String, action: String, headers: [(String, String)],
        provider: ForgeProvider, redactor: SecretRedactor
    ) async throws -> ForgeComment {
        let request = ForgeRequest(method: method, url: url, body: try JSONEncoder().encode(CommentWire(body: body)), action: action)
        let reply = try await send(request, headers: headers, provider: provider, redactor: redactor)
        let written = try Self.decode(CommentWire.Reply.self, reply, provider: provider, action: action)
        return ForgeComment(id: written.id, body: written.body ?? body)
    }

    /// Decodes a 2xx body; anything else is ``PublishError/unreadableResponse(provider:action:)``.
    static func decode<T: Decodable>(_ type: T.Type, _ reply: ForgeReply, provider: ForgeProvider, action: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: reply.body)
        } catch {
            throw PublishError.unreadableResponse(provider: provider, action: action)
        }
    }

    private func exchange(_ request: ForgeRequest, headers: [(String, String)]) async throws -> ForgeReply {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers.add(name: "User-Agent", value: "qgate")
        for (name, value) in headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body {
            outgoing.headers.add(name: "Content-Type", value: "application/json")
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(outgoing, timeout: .seconds(Int64(policy.timeoutSeconds)))
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var replyHeaders: [String: String] = [:]
        for (name, value) in response.headers {
            replyHeaders[name.lowercased()] = replyHeaders[name.lowercased()].map { $0 + ", " + value } ?? value
        }
        return ForgeReply(status: Int(response.status.code), headers: replyHeaders, body: Data(buffer.readableBytesView))
    }

    private func backoff(after attempt: Int) -> Double {
        policy.backoffSeconds * Double(1 << min(attempt - 1, 10))
    }

    private static func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }

    /// GitHub answers a primary rate limit with 403 and `x-ratelimit-remaining: 0`, a secondary
    /// one with 403 or 429 and `retry-after`.
    static func isRateLimit(_ reply: ForgeReply) -> Bool {
        reply.status == 429 || reply.header("retry-after") != nil || reply.header("x-ratelimit-remaining") == "0"
    }

    /// Seconds to wait: `Retry-After` (seconds), else until `x-ratelimit-reset` (epoch seconds),
    /// else a minute, as GitHub advises for secondary limits.
    static func rateLimitWait(_ reply: ForgeReply, now: Date = Date()) -> Int {
        if let text = reply.header("retry-after"), let seconds = Int(text.trimmingCharacters(in: .whitespaces)) {
            return max(0, seconds)
        }
        if let text = reply.header("x-ratelimit-reset"), let reset = Double(text.trimmingCharacters(in: .whitespaces)) {
            return max(0, Int((reset - now.timeIntervalSince1970).rounded(.up)))
        }
        return 60
    }

    /// The forge's own explanation (`message` or `error`), on one line, at most 200 characters.
    static func apiMessage(_ body: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return "" }
        guard let value = object["message"] ?? object["error"] else { return "" }
        let text: String
        if let string = value as? String {
            text = string
        } else if JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        {
            text = String(decoding: data, as: UTF8.self)
        } else {
            return ""
        }
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 200 ? String(line.prefix(199)) + "…" : line
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError,
            [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error)
        {
            return "timed out"
        }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        return text.count > 200 ? String(text.prefix(199)) + "…" : text
    }
}

/// A comment or note on the wire: sent as `{"body": …}`, listed and returned with its id.
struct CommentWire: Encodable {
    var body: String

    struct Reply: Decodable {
        var id: Int64
        var body: String?
    }
}
