import Foundation

/// `--format json`: the ``Evaluation`` itself, snake_case keys, sorted and pretty printed, so
/// that the same evaluation always gives the same bytes (diffable, golden-testable). The schema
/// is described in docs/json-output.md and versioned by `schema_version`. Beside the
/// evaluation's own members, `gate_findings` lists for every failing or warning gate the
/// findings behind it, worst first.
public struct JSONReporter: EvaluationReporter {
    public init() {}

    public func render(_ evaluation: Evaluation) -> String {
        // Every member of Evaluation is a plain Codable value with finite-or-mapped doubles, so
        // encoding cannot fail; an empty object is the defensive answer, never a crash.
        (try? QGateJSON.render(Document(evaluation: evaluation.cappingMessages()))) ?? "{}\n"
    }
}

/// The evaluation's members plus `gate_findings`, in one object.
private struct Document: Encodable {
    var evaluation: Evaluation

    enum CodingKeys: String, CodingKey { case gateFindings }

    func encode(to encoder: any Encoder) throws {
        try evaluation.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(evaluation.gateFindings, forKey: .gateFindings)
    }
}
