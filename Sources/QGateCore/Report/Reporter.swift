/// The output formats of `qgate check` and `qgate report`. The raw values are what users type.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, markdown, json, github, gitlab, sarif, codeclimate
}

/// Renders an evaluation into one output format. Reporters are pure: same evaluation, same bytes.
public protocol EvaluationReporter: Sendable {
    func render(_ evaluation: Evaluation) -> String
}

extension OutputFormat {
    /// The reporter for this format. Exhaustive: a new format cannot ship without one.
    /// `gitlab` is GitLab's Code Quality report (the merge-request widget reads it).
    /// `includeFixed`: SARIF writes fixed findings as `absent` results (off by default).
    public func reporter(markdown options: MarkdownReporter.Options = MarkdownReporter.Options(),
                         includeFixed: Bool = false) -> any EvaluationReporter {
        switch self {
        case .text: TextReporter()
        case .markdown: MarkdownReporter(options: options)
        case .json: JSONReporter()
        case .github: GitHubReporter()
        case .gitlab, .codeclimate: CodeClimateReporter()
        case .sarif: SARIFReporter(includeFixed: includeFixed)
        }
    }
}
