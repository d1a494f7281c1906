import Foundation

/// The output formats of `qgate check` and `qgate report`. The raw values are what users type.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, markdown, json, github, gitlab, sarif, codeclimate
}

/// Renders an evaluation into one output format. Reporters are pure: same evaluation, same bytes.
public protocol EvaluationReporter: Sendable {
    func render(_ evaluation: Evaluation) -> String
    /// The same bytes as ``render(_:)``, handed to `sink` piece by piece: formats that list every
    /// finding (SARIF, GitLab) never hold a million results as one string.
    func write(_ evaluation: Evaluation, to sink: (String) throws -> Void) throws
}

extension EvaluationReporter {
    public func write(_ evaluation: Evaluation, to sink: (String) throws -> Void) throws {
        try sink(render(evaluation))
    }
}

/// Pretty-printed, sorted-key JSON written one element at a time, byte for byte what
/// `JSONEncoder` writes for the whole document: each element is encoded alone and indented to
/// its depth.
enum StreamedJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `value` encoded, every line after the first indented by `depth` levels (2 spaces each),
    /// with `##[` made inert.
    static func encoded<T: Encodable>(_ value: T, depth: Int, with encoder: JSONEncoder) throws -> String {
        let text = TextEscaper.inertJSON(String(decoding: try encoder.encode(value), as: UTF8.self))
        let indent = String(repeating: "  ", count: depth)
        return text.replacingOccurrences(of: "\n", with: "\n" + indent)
    }

    /// A JSON array of `elements` at `depth` (the array's own indentation), one element at a time.
    static func array<T: Encodable>(
        _ elements: [T], depth: Int, with encoder: JSONEncoder,
        to sink: (String) throws -> Void
    ) throws {
        let indent = String(repeating: "  ", count: depth + 1)
        try sink("[\n")
        for (index, element) in elements.enumerated() {
            let json: String = try encoded(element, depth: depth + 1, with: encoder)
            let separator: String = index + 1 < elements.count ? ",\n" : "\n"
            try sink("\(indent)\(json)\(separator)")
        }
        try sink(String(repeating: "  ", count: depth) + "]")
    }
}

extension OutputFormat {
    /// The reporter for this format. Exhaustive: a new format cannot ship without one.
    /// `gitlab` is GitLab's Code Quality report (the merge-request widget reads it).
    /// `includeFixed`: SARIF writes fixed findings as `absent` results (off by default).
    public func reporter(
        markdown options: MarkdownReporter.Options = MarkdownReporter.Options(),
        includeFixed: Bool = false
    ) -> any EvaluationReporter {
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
