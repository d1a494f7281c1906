import Foundation
import GRDB

/// How the history decides that a test is flaky (policy key `flaky:`). A test is flaky when it
/// failed and passed on the same commit, or when its outcome flipped more than `maxFlips` times
/// over at least `minRuns` runs; a test that only fails is broken, not flaky. It stops being
/// flaky after `healAfter` consecutive passes, or when reset (`qgate flaky --reset`).
public struct FlakyPolicy: Sendable, Equatable {
    /// How many recent runs `check` looks at.
    public var window: Int
    public var minRuns: Int
    public var maxFlips: Int
    public var healAfter: Int

    public init(window: Int = 200, minRuns: Int = 10, maxFlips: Int = 2, healAfter: Int = 30) {
        self.window = window
        self.minRuns = minRuns
        self.maxFlips = maxFlips
        self.healAfter = healAfter
    }
}

/// One flaky test as `qgate flaky` lists it. `firstSeen`/`lastSeen` are the first and last
/// failing run of the window (ISO 8601, UTC).
public struct FlakyTest: Sendable, Codable, Equatable {
    public var id: String
    public var runs: Int
    public var failures: Int
    public var flakyCommits: Int
    /// Outcome changes between consecutive runs, divided by (runs − 1).
    public var flipRate: Double
    public var firstSeen: String
    public var lastSeen: String
    public var quarantined: Bool

    enum CodingKeys: String, CodingKey {
        case id, runs, failures, flakyCommits = "flaky_commits", flipRate = "flip_rate", firstSeen = "first_seen",
             lastSeen = "last_seen", quarantined
    }

    public init(id: String, runs: Int, failures: Int, flakyCommits: Int, flipRate: Double, firstSeen: String, lastSeen: String,
                quarantined: Bool = false) {
        self.id = id
        self.runs = runs
        self.failures = failures
        self.flakyCommits = flakyCommits
        self.flipRate = flipRate
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.quarantined = quarantined
    }
}

/// What one run says about one test: it failed (failed, error, or a rerun marker), it passed
/// (passed, or passed on a rerun), or both (a rerun marker, or two jobs of the run disagreeing).
public struct TestObservation: Sendable, Equatable {
    public var run: Int64
    public var commit: String?
    public var createdAt: Double
    public var failed: Bool
    public var passed: Bool

    public init(run: Int64, commit: String?, createdAt: Double, failed: Bool, passed: Bool) {
        self.run = run
        self.commit = commit
        self.createdAt = createdAt
        self.failed = failed
        self.passed = passed
    }
}

/// The pure rule: one test's observations, oldest first, in; a flaky row or nil out.
public enum FlakyJudge {
    public static func judge(id: String, _ observations: [TestObservation], policy: FlakyPolicy) -> FlakyTest? {
        var trailingPasses = 0
        for observation in observations.reversed() {
            guard !observation.failed else { break }
            trailingPasses += 1
        }
        if trailingPasses >= policy.healAfter { return nil }
        let failing = observations.filter(\.failed)
        guard let first = failing.first, let last = failing.last else { return nil }
        if !observations.contains(where: \.passed) { return nil }   // broken, not flaky

        var byCommit: [String: (failed: Bool, passed: Bool)] = [:]
        for observation in observations {
            let key = observation.commit.map { "c:" + $0 } ?? "r:\(observation.run)"
            var seen = byCommit[key] ?? (false, false)
            seen.failed = seen.failed || observation.failed
            seen.passed = seen.passed || observation.passed
            byCommit[key] = seen
        }
        let flakyCommits = byCommit.values.count { $0.failed && $0.passed }
        var flips = 0
        for (earlier, later) in zip(observations, observations.dropFirst()) where earlier.failed != later.failed { flips += 1 }
        let flipping = observations.count >= policy.minRuns && flips > policy.maxFlips
        guard flakyCommits > 0 || flipping else { return nil }
        return FlakyTest(id: id, runs: observations.count, failures: failing.count, flakyCommits: flakyCommits,
                         flipRate: observations.count > 1 ? Double(flips) / Double(observations.count - 1) : 0,
                         firstSeen: timestamp(first.createdAt), lastSeen: timestamp(last.createdAt))
    }

    static func timestamp(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}

/// Which runs a flaky query looks at.
public struct FlakyWindow: Sendable, Equatable {
    /// Only runs of this branch; nil for every branch.
    public var branch: String?
    /// The most recent `last` runs; nil for all.
    public var last: Int?
    /// Only runs up to this one (a check looks at the history up to the run it checks).
    public var upTo: Run?

    public init(branch: String? = nil, last: Int? = nil, upTo: Run? = nil) {
        self.branch = branch
        self.last = last
        self.upTo = upTo
    }
}

extension Store {
    /// Flaky tests over a window of runs, sorted by id. Reads only tests that failed somewhere
    /// in the window (index `tests_run`), then those tests' outcomes (index `tests_identity`).
    public func flakyTests(_ window: FlakyWindow, policy: FlakyPolicy) throws -> [FlakyTest] {
        try read { db in
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let branch = window.branch {
                conditions.append("branch = ?")
                arguments.append(branch)
            }
            if let run = window.upTo {
                conditions.append("(created_at < ? OR (created_at = ? AND id <= ?))")
                arguments += [run.createdAt.timeIntervalSince1970, run.createdAt.timeIntervalSince1970, run.id]
            }
            var sql = "SELECT id, commit_sha, created_at FROM runs"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY created_at DESC, id DESC"
            if let last = window.last {
                sql += " LIMIT ?"
                arguments.append(last)
            }
            var runs: [Int64: (commit: String?, createdAt: Double)] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) {
                let id: Int64 = row[0]
                let commit: String? = row[1]
                let createdAt: Double = row[2]
                runs[id] = (commit, createdAt)
            }

            var candidates = Set<[String]>()
            let failing = try db.cachedStatement(sql: """
                SELECT class_name, name FROM tests WHERE run_id = ? AND status IN ('error', 'failed', 'flaky')
                """)
            for runID in runs.keys {
                let cursor = try Row.fetchCursor(failing, arguments: [runID])
                while let row = try cursor.next() {
                    let className: String = row[0]
                    let name: String = row[1]
                    candidates.insert([className, name])
                }
            }
            guard !candidates.isEmpty else { return [] }
            var resets: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT test, after_run_id FROM flaky_resets") {
                let test: String = row[0]
                let after: Int64 = row[1]
                resets[test] = after
            }

            // Only the window's id range is read (the index ends in run_id): a check looking at
            // 200 runs of a 10,000-run store reads 200 rows per candidate, not 10,000.
            let lowest = runs.keys.min() ?? 0, highest = runs.keys.max() ?? 0
            let history = try db.cachedStatement(sql: """
                SELECT run_id, status FROM tests WHERE class_name = ? AND name = ? AND run_id BETWEEN ? AND ?
                """)
            var flaky: [FlakyTest] = []
            for candidate in candidates {
                let id = candidate[0].isEmpty ? candidate[1] : "\(candidate[0])::\(candidate[1])"
                let after = resets[id] ?? 0
                var byRun: [Int64: TestObservation] = [:]
                let cursor = try Row.fetchCursor(history, arguments: [candidate[0], candidate[1], max(lowest, after + 1), highest])
                while let row = try cursor.next() {
                    let runID: Int64 = row[0]
                    guard runID > after, let run = runs[runID] else { continue }
                    let raw: String = row[1]
                    let status = TestStatus(rawValue: raw) ?? .error
                    guard status != .skipped else { continue }
                    var observation = byRun[runID] ?? TestObservation(run: runID, commit: run.commit, createdAt: run.createdAt,
                                                                      failed: false, passed: false)
                    if status != .passed { observation.failed = true }
                    if status == .passed || status == .flaky { observation.passed = true }
                    byRun[runID] = observation
                }
                let ordered = byRun.values.sorted { ($0.createdAt, $0.run) < ($1.createdAt, $1.run) }
                if let row = FlakyJudge.judge(id: id, ordered, policy: policy) { flaky.append(row) }
            }
            return flaky.sorted { $0.id < $1.id }
        }
    }

    /// The rows with `quarantined` set where an entry matches the test (by id, or by its file
    /// or pytest node id as the latest stored result of the test gives them).
    public func markQuarantined(_ tests: [FlakyTest], _ quarantine: [Quarantine]) throws -> [FlakyTest] {
        try read { db in
            let latest = try db.cachedStatement(sql: """
                SELECT * FROM tests WHERE class_name = ? AND name = ? ORDER BY run_id DESC LIMIT 1
                """)
            return try tests.map { flaky in
                var row = flaky
                let (className, name) = Store.splitTestID(flaky.id)
                let stored = try Row.fetchOne(latest, arguments: [className, name]).map(Store.testResult(from:))
                    ?? TestResult(suite: "", className: className, name: name, status: .flaky)
                row.quarantined = quarantine.contains { $0.matches(stored) }
                return row
            }
        }
    }

    /// A test id split into class name and name (`a.b::C::test` → `a.b::C`, `test`).
    static func splitTestID(_ id: String) -> (String, String) {
        let parts = id.components(separatedBy: "::")
        return parts.count >= 2 ? (parts.dropLast().joined(separator: "::"), parts[parts.count - 1]) : ("", id)
    }

    /// Forgets a test's flakiness so far: only runs after the latest one count for it again.
    /// Throws when no run of the store has the test.
    public func resetFlaky(test id: String, now: Date) throws -> Int64 {
        try write { db in
            let (className, name) = Store.splitTestID(id)
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM tests WHERE class_name = ? AND name = ?)",
                                    arguments: [className, name]) == true else {
                throw UsageError("no run in the store has a test named '\(id)' (name tests as 'qgate flaky' lists them)")
            }
            let latest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM runs") ?? 0
            try db.execute(sql: """
                INSERT INTO flaky_resets (test, after_run_id, reset_at) VALUES (?, ?, ?)
                ON CONFLICT (test) DO UPDATE SET after_run_id = excluded.after_run_id, reset_at = excluded.reset_at
                """, arguments: [id, latest, now.timeIntervalSince1970])
            return latest
        }
    }
}
