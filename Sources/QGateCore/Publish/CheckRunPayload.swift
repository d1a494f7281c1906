/// The GitHub check run `qgate publish --check-run` writes: the verdict as conclusion, the
/// Markdown summary, and an annotation per new finding on a changed line.
///
/// GitHub caps the summary at 65,535 characters and takes at most 50 annotations per
/// request, so the annotations are cut into batches of 50: the first goes with the
/// creation, the rest with updates.
public struct CheckRunPayload: Sendable, Equatable {
    public static let name = "qgate"
    public static let summaryLimit = 65_535
    public static let annotationsPerRequest = 50
    static let messageLimit = 2_000

    /// One annotation, in the API's own field names.
    public struct Annotation: Sendable, Equatable, Encodable {
        public var path: String
        public var startLine: Int
        public var endLine: Int
        public var annotationLevel: String
        public var title: String
        public var message: String

        enum CodingKeys: String, CodingKey {
            case path, title, message
            case startLine = "start_line", endLine = "end_line", annotationLevel = "annotation_level"
        }
    }

    public var headSHA: String
    public var conclusion: String
    public var title: String
    public var summary: String
    public var annotations: [Annotation]

    /// The check run for `evaluation`. `summary` is the Markdown summary rendered within
    /// ``summaryLimit``. With `changedLines` (path → changed line numbers of the diff) only
    /// findings on changed lines are annotated; without, every new finding with a line is.
    public init(evaluation: Evaluation, headSHA: String, summary: String, changedLines: [String: [Int]]?) {
        self.headSHA = headSHA
        conclusion = Self.conclusion(evaluation.verdict)
        title = "qgate: \(evaluation.verdict.rawValue)"
        self.summary = summary
        let changed = changedLines.map { $0.mapValues(Set.init) }
        annotations = ReportFormatting.sorted(evaluation.findings.new).compactMap { finding in
            guard let path = finding.path, let line = finding.range.startLine, line > 0 else { return nil }
            if let changed, !(changed[path]?.contains(line) ?? false) { return nil }
            let end = max(line, finding.range.endLine ?? line)
            return Annotation(
                path: path, startLine: line, endLine: end, annotationLevel: Self.level(finding.severity),
                title: "\(finding.tool) \(finding.ruleID) (\(finding.severity.rawValue))".capped(toCharacters: 255),
                message: finding.message.capped(toCharacters: Self.messageLimit))
        }
    }

    static func conclusion(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: "success"
        case .warn: "neutral"
        case .fail: "failure"
        }
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "failure"
        case .medium: "warning"
        case .low, .info: "notice"
        }
    }

    var annotationBatches: [[Annotation]] {
        stride(from: 0, to: annotations.count, by: Self.annotationsPerRequest).map {
            Array(annotations[$0..<min($0 + Self.annotationsPerRequest, annotations.count)])
        }
    }

    struct Output: Encodable {
        var title: String
        var summary: String
        var annotations: [Annotation]
    }

    struct Creation: Encodable {
        var name: String
        var headSHA: String
        var status = "completed"
        var conclusion: String
        var output: Output

        enum CodingKeys: String, CodingKey {
            case name, status, conclusion, output
            case headSHA = "head_sha"
        }
    }

    struct Update: Encodable {
        var output: Output
    }

    func creation(annotations: [Annotation]) -> Creation {
        Creation(
            name: Self.name, headSHA: headSHA, conclusion: conclusion,
            output: Output(title: title, summary: summary, annotations: annotations))
    }

    func update(annotations: [Annotation]) -> Update {
        Update(output: Output(title: title, summary: summary, annotations: annotations))
    }
}

extension ForgeTarget {
    /// Writes the check run (GitHub only) and returns its id.
    public func publishCheckRun(_ payload: CheckRunPayload, http: ForgeHTTP) async throws -> Int64 {
        guard provider == .github else { throw PublishError.checkRunNeedsGitHub }
        return try await GitHubForge(target: self, http: http).publishCheckRun(payload)
    }
}
