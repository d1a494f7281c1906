/// Posts the Markdown summary to a pull/merge request: updates qgate's own comment when one
/// exists, else creates it.
///
/// qgate's comment is the one with the summary's marker line (`<!-- qgate:summary policy=…
/// key=… -->`) as a line of its own, searched on every page of the conversation, so a
/// re-run never adds a second comment and never edits another tool's (or another key's).
/// When earlier tools left duplicates, the oldest is updated.
public struct SummaryPublisher: Sendable {
    /// What publishing did.
    public enum Outcome: Sendable, Equatable {
        case created(id: Int64)
        case updated(id: Int64)
    }

    public let forge: any Forge

    public init(forge: any Forge) {
        self.forge = forge
    }

    /// Publishes `body`, whose first line must be the marker.
    public func publish(body: String) async throws -> Outcome {
        let marker = Self.marker(of: body)
        let existing = try await forge.comments().first { comment in
            comment.body.split(separator: "\n", omittingEmptySubsequences: false).contains {
                $0.trimmingCharacters(in: .whitespaces) == marker
            }
        }
        if let existing {
            return .updated(id: try await forge.updateComment(id: existing.id, body: body).id)
        }
        return .created(id: try await forge.createComment(body: body).id)
    }

    /// The summary's marker: its first line.
    static func marker(of body: String) -> String {
        String(body.prefix { $0 != "\n" }).trimmingCharacters(in: .whitespaces)
    }
}
