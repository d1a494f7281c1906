import Foundation

/// `ingest` (and the first half of `check` with reports): resolve the run's identity and job,
/// parse every report, then open the store and write them in one transaction. Parsing comes
/// first, so bad input never creates or touches the store.
public struct IngestPipeline: Sendable {
    public var location: StoreLocation
    /// The run's identity from flags; what is missing comes from the CI's environment, then git.
    public var run: RunContext
    public var job: JobContext
    /// The repository root report paths are made relative to; nil for git's top level.
    public var root: URL?
    public var tool: String?
    public var format: ReportFormat?
    public var detector: RunContextDetector

    public init(
        location: StoreLocation, run: RunContext = RunContext(), job: JobContext = JobContext(), root: URL? = nil,
        tool: String? = nil, format: ReportFormat? = nil, detector: RunContextDetector = RunContextDetector()
    ) {
        self.location = location
        self.run = run
        self.job = job
        self.root = root
        self.tool = tool
        self.format = format
        self.detector = detector
    }

    /// Parses `paths` (as the user typed them) and stores them; returns what was stored and the store.
    public func ingest(_ paths: [String], now: Date) async throws -> (IngestSummary, any RunStore) {
        let context = ParseContext(
            paths: PathNormalizer(repositoryRoot: root ?? detector.repositoryRoot(), environment: detector.environment),
            toolOverride: tool)
        let items = try Ingestor(context: context, forcedFormat: format).read(paths: paths)
        let store = try await location.open(.readWrite)
        let outcome = try await store.ingest(items, into: detector.resolve(flags: run), job: detector.resolveJob(flags: job), now: now)
        let runReports = try await store.reportSummaries(runIDs: [outcome.run.id])[outcome.run.id] ?? []
        return (IngestSummary(items: items, outcome: outcome, runReports: runReports), store)
    }
}
