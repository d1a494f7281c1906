import Foundation

/// The history of runs, as the operations qgate performs on it: write an ingest batch, find and
/// list runs, read what evaluation, `diff` and `report` need, trend series, flaky tests, record a
/// verdict, merge and prune.
///
/// Why a protocol: every command and the core reach the history only through these operations,
/// so a second backend (PostgreSQL, issue #11) is one new conforming type plus one case in
/// ``StoreLocation/open(_:create:environment:)``, and nothing above the store changes. The
/// operations take and return model values (no database types), and are `async throws` because a
/// network backend waits on I/O; ``SQLiteStore`` satisfies them with synchronous methods.
///
/// Contract every backend keeps (tests in `Tests/QGateCoreTests/Store` hold it):
/// * a write is one transaction: all of it lands or none of it (`ingest` of several reports, `merge`);
/// * runs are identified by commit + pipeline (see ``ingest(_:into:job:now:)``);
/// * reads return rows in the order they were written (ingest order), runs newest first unless said;
/// * errors are ``StoreError`` (or ``UsageError`` for a request that cannot be satisfied), never a
///   database's own error type, and never print a password.
public protocol RunStore: Sendable {
    /// Where the store is, as the user may see it (a file path; a URL without its password).
    var location: String { get }

    // MARK: writes

    /// Stores all `items` into the run `context` identifies (created if new), in one transaction.
    /// With a job attempt, the job's reports of earlier attempts in that run are replaced; when a
    /// later attempt is already stored, nothing is (statuses `superseded`).
    func ingest(_ items: [IngestItem], into context: RunContext, job: JobContext, now: Date) async throws -> IngestOutcome

    /// Records a check's outcome on its run: the verdict (for `runs`) and the whole evaluation
    /// (for `report --run`), in one write.
    func record(_ evaluation: Evaluation, checkedAt: Date) async throws

    /// Folds another store's runs (read by ``readForMerge()``) into this one, in one transaction.
    func merge(_ source: MergeSource) async throws -> MergeOutcome

    /// Deletes the runs `rule` selects (and everything they hold), then compacts the store. A rule
    /// that would delete every run is refused (``StoreError/wouldDeleteEveryRun(path:count:)``)
    /// unless `allowEverything`; `dryRun` only lists the runs (newest first).
    func prune(_ rule: PruneRule, dryRun: Bool, allowEverything: Bool) async throws -> PruneOutcome

    /// Forgets a test's flakiness so far; returns the run after which its history counts again.
    func resetFlaky(test id: String, now: Date) async throws -> Int64

    // MARK: runs

    /// Runs, newest first, optionally of one branch and at most `last` of them.
    func runs(branch: String?, last: Int?) async throws -> [Run]

    func run(id: Int64) async throws -> Run?

    /// The run a user's reference names: a run id, a commit prefix of 4+ hex characters, or `latest`.
    func resolveRun(_ reference: String) async throws -> Run

    /// The run a context identifies (commit + pipeline, as ingest does), without creating it.
    func run(matching context: RunContext) async throws -> Run?

    /// Runs of `branch` created before `run` (never `run` itself), newest first.
    func runs(branch: String, before run: Run, limit: Int) async throws -> [Run]

    /// Each run's reports as summaries list them (tool, format, path), in ingest order.
    func reportSummaries(runIDs: [Int64]) async throws -> [Int64: [ReportSummary]]

    /// The verdict of each policy checked on each run (`runs`), by policy name.
    func verdicts(runIDs: [Int64]) async throws -> [Int64: [PolicyVerdict]]

    /// Every branch a run has, sorted (for "did you mean" on a typed `--branch`).
    func branches() async throws -> [String]

    /// Every tool a report is filed under, sorted (for "did you mean" on `--where tool=`).
    func tools() async throws -> [String]

    // MARK: what a run holds

    /// The reports of a run with their totals, in ingest order.
    func reports(runID: Int64) async throws -> [StoredReport]

    /// The oldest fingerprint recipe that identified findings of the run (the current one without reports).
    func oldestFingerprintRecipe(runID: Int64) async throws -> Int

    /// Every finding of a run, suppressed ones included.
    func findings(runID: Int64) async throws -> [Finding]

    func tests(runID: Int64) async throws -> [TestResult]

    /// Every test of a run with the tool of its report.
    func testsWithTool(runID: Int64) async throws -> [StoredTest]

    /// Outcome, file, duration and tool of every test of a run (what test metrics need).
    func testOutcomes(runID: Int64) async throws -> [TestOutcome]

    /// Per-file coverage with line sets, merged per file; nil when the run has no coverage report.
    func coverage(runID: Int64) async throws -> [FileCoverage]?

    /// Per-file coverage totals without line sets; nil when the run has no coverage report.
    func coverageTotals(runID: Int64) async throws -> [CoverageFileTotals]?

    /// The evaluation the last `check` of the run recorded; nil when it was never checked.
    func storedEvaluation(runID: Int64) async throws -> Evaluation?

    /// Everything an evaluation of one run reads. Every backend has a default composed of the
    /// reads above (``loadSnapshot(_:)``); a backend may answer it in one read transaction.
    func snapshot(_ request: SnapshotRequest) async throws -> RunSnapshot

    // MARK: history

    /// One value of a metric per run (or per day), oldest first.
    func trend(_ query: TrendQuery) async throws -> TrendResult

    /// Findings, line coverage and failed tests of each run (the history chart of a check).
    func totals(runIDs: [Int64]) async throws -> [Int64: RunTotals]

    /// Flaky tests over a window of runs, sorted by id.
    func flakyTests(_ window: FlakyWindow, policy: FlakyPolicy) async throws -> [FlakyTest]

    /// `tests` with `quarantined` set for those an active quarantine entry covers.
    func markQuarantined(_ tests: [FlakyTest], _ quarantine: [Quarantine]) async throws -> [FlakyTest]

    // MARK: merge input

    /// Reads and checks every row `merge` would copy from this store, without writing anything.
    func readForMerge() async throws -> MergeSource
}

/// How a command uses the store.
public enum StoreAccess: Sendable {
    /// `ingest`, `check`, `merge` (target), `prune`: created when missing, migrated, written.
    case readWrite
    /// `runs`, `trend`, `report`, `diff`, merge inputs: opened read-only, never waits for a writer.
    case readOnly
}

/// Which runs `prune` removes.
public enum PruneRule: Sendable, Equatable {
    /// Keep the newest N runs (of one branch, or of all); delete the older ones.
    case keepLast(Int, branch: String?)
    /// Delete runs created before `date`.
    case olderThan(Date)
}

/// Where the history lives, as `--db` or `$QGATE_DB` names it, and the one place that turns
/// that name into a ``RunStore``: every command opens its store here.
public struct StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// What the user gave (`--db`), else `$QGATE_DB`, else `.qgate/qgate.db`.
    public var text: String

    public init(_ given: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let given { text = given } else { text = SQLiteStore.defaultPath(environment: environment) }
    }

    /// The location as it may be printed: a URL's password replaced by `***`.
    public var description: String { redacted }

    /// A file store whose file does not exist (a `scheme://` location is never a missing file).
    public var isMissingFile: Bool {
        urlScheme == nil && !FileManager.default.fileExists(atPath: text)
    }

    /// The scheme when the location is a URL (`postgresql://…`), else nil.
    public var urlScheme: String? {
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return String(scheme)
    }

    /// `text` with the password of a URL's user information, and any `password=` query value, masked.
    public var redacted: String {
        guard urlScheme != nil, let separator = text.range(of: "://") else { return text }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                authority = String(authority[..<colon]) + ":***" + String(authority[at...])
            }
        }
        var tail = String(rest[authorityEnd...])
        if let range = tail.range(of: "password=", options: .caseInsensitive) {
            let valueEnd = tail[range.upperBound...].firstIndex(where: { "&#".contains($0) }) ?? tail.endIndex
            tail.replaceSubrange(range.upperBound..<valueEnd, with: "***")
        }
        return String(text[..<separator.upperBound]) + authority + tail
    }

    /// Opens the store: with ``StoreAccess/readWrite`` created (when `create`) and migrated; with
    /// ``StoreAccess/readOnly`` it must exist and is never changed.
    public func open(
        _ access: StoreAccess, create: Bool = true,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> any RunStore {
        // ---- Backends by scheme -------------------------------------------------------------
        // pg (issue #11): `postgresql://` / `postgres://` locations open a PostgreSQL store here.
        // Until then every URL is refused before anything is created.
        // --------------------------------------------------------------------------------------
        if let scheme = urlScheme {
            throw StoreError.unsupportedLocation(location: redacted, scheme: scheme)
        }
        return try SQLiteStore(path: text, create: create, access: access, busyTimeout: SQLiteStore.busyTimeout(environment: environment))
    }
}

extension RunStore {
    public func snapshot(_ request: SnapshotRequest) async throws -> RunSnapshot {
        try await loadSnapshot(request)
    }

    /// The evaluation the run's last `qgate check` recorded; a usage error naming `alternative` when there is none.
    public func checkedEvaluation(runID: Int64, alternative: String) async throws -> Evaluation {
        guard let stored = try await storedEvaluation(runID: runID) else {
            throw UsageError("run \(runID) was never checked; run `qgate check` on it first, or \(alternative)")
        }
        return stored
    }
}
