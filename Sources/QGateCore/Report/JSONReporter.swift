import Foundation

/// `--format json`: the ``Evaluation`` itself, snake_case keys, sorted and pretty printed, so
/// that the same evaluation always gives the same bytes (diffable, golden-testable). The schema
/// is described in docs/json-output.md and versioned by `schema_version`.
public struct JSONReporter: EvaluationReporter {
    public init() {}

    public func render(_ evaluation: Evaluation) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Every member of Evaluation is a plain Codable value with finite-or-mapped doubles, so
        // encoding cannot fail; an empty object is the defensive answer, never a crash.
        guard let data = try? encoder.encode(evaluation) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
