import Foundation
import GRDB

extension SQLiteStore {
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
            let failing = try db.cachedStatement(
                sql: """
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
            let history = try db.cachedStatement(
                sql: """
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
                    var observation =
                        byRun[runID]
                        ?? TestObservation(
                            run: runID, commit: run.commit, createdAt: run.createdAt,
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
            let latest = try db.cachedStatement(
                sql: """
                    SELECT * FROM tests WHERE class_name = ? AND name = ? ORDER BY run_id DESC LIMIT 1
                    """)
            return try tests.map { flaky in
                var row = flaky
                let (className, name) = SQLiteStore.splitTestID(flaky.id)
                let stored =
                    try Row.fetchOne(latest, arguments: [className, name]).map(SQLiteStore.testResult(from:))
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
            let (className, name) = SQLiteStore.splitTestID(id)
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM tests WHERE class_name = ? AND name = ?)",
                    arguments: [className, name]) == true
            else {
                throw UsageError("no run in the store has a test named '\(id)' (name tests as 'qgate flaky' lists them)")
            }
            let latest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM runs") ?? 0
            try db.execute(
                sql: """
                    INSERT INTO flaky_resets (test, after_run_id, reset_at) VALUES (?, ?, ?)
                    ON CONFLICT (test) DO UPDATE SET after_run_id = excluded.after_run_id, reset_at = excluded.reset_at
                    """, arguments: [id, latest, now.timeIntervalSince1970])
            return latest
        }
    }
}
