/// The output formats of `qgate check` and `qgate report`. The raw values are what users type.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, markdown, json, github, gitlab, sarif, codeclimate
}

/// Renders an evaluation into one output format. Reporters are pure: same evaluation, same bytes.
public protocol EvaluationReporter: Sendable {
    func render(_ evaluation: Evaluation) -> String
}
