import Foundation

/// How a recorded ``Evaluation`` is kept in a store (`runs.evaluation`): JSON with sorted keys in
/// an envelope that names its format version, `{"schema": N, "evaluation": {…}}`.
///
/// Why a version: `qgate report --run` decodes what an earlier `qgate check` wrote, possibly a
/// qgate with another ``Evaluation`` shape. A version this qgate does not read is a clear
/// ``StoreError/evaluationFormat(location:runID:found:expected:)`` ("check the run again"), never
/// a crash or a half-decoded value. Every backend stores the same text.
public enum EvaluationRecord {
    /// The format written now. Bump it whenever ``Evaluation``'s encoding changes.
    public static let schema = 1
    /// Text recorded before the envelope existed (a bare evaluation) is format 1.
    static let unversioned = 1

    /// The text to store; messages capped, as every output shows them.
    public static func encode(_ evaluation: Evaluation) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let envelope = Envelope(schema: schema, evaluation: evaluation.cappingMessages())
        return String(decoding: try encoder.encode(envelope), as: UTF8.self)
    }

    /// The evaluation in stored `text`; a typed error for another format or damaged text.
    public static func decode(_ text: String, location: String, runID: Int64) throws -> Evaluation {
        let data = Data(text.utf8)
        let stated: Int?
        do {
            stated = try JSONDecoder().decode(Version.self, from: data).schema
        } catch {
            throw StoreError.database(path: location, reason: "the evaluation stored for run \(runID) is not JSON; run qgate check again")
        }
        let found = stated ?? unversioned
        guard found == schema else {
            throw StoreError.evaluationFormat(location: location, runID: runID, found: found, expected: schema)
        }
        do {
            guard stated != nil else { return try JSONDecoder().decode(Evaluation.self, from: data) }
            return try JSONDecoder().decode(Envelope.self, from: data).evaluation
        } catch {
            throw StoreError.database(
                path: location, reason: "the evaluation stored for run \(runID) cannot be read (\(error)); run qgate check again")
        }
    }

    private struct Envelope: Codable {
        var schema: Int
        var evaluation: Evaluation
    }

    private struct Version: Decodable {
        var schema: Int?
    }
}
