import Foundation
import GRDB

/// What `qgate merge` did.
public struct MergeOutcome: Sendable, Encodable, Equatable {
    public var runsCreated = 0
    public var runsMatched = 0
    public var reportsCopied = 0
    public var reportsAlreadyPresent = 0

    public init(runsCreated: Int = 0, runsMatched: Int = 0, reportsCopied: Int = 0, reportsAlreadyPresent: Int = 0) {
        self.runsCreated = runsCreated
        self.runsMatched = runsMatched
        self.reportsCopied = reportsCopied
        self.reportsAlreadyPresent = reportsAlreadyPresent
    }
}

/// What `qgate prune` did.
public struct PruneOutcome: Sendable, Encodable, Equatable {
    public var runsDeleted: Int
    public var bytesBefore: Int64
    public var bytesAfter: Int64
}

extension Store {
    /// Folds the runs of another store (a parallel CI job's) into this one, in one transaction.
    /// Runs with the same commit and pipeline become one run; a report whose content is already
    /// in the target run is skipped, so merging the same input twice adds nothing.
    public func merge(from other: Store) throws -> MergeOutcome {
        guard URL(fileURLWithPath: other.path).standardizedFileURL != URL(fileURLWithPath: path).standardizedFileURL else {
            throw UsageError("cannot merge \(path) into itself")
        }
        // Make sure every committed page of the input is in its main file before attaching it.
        try other.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        do {
            return try pool.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [other.path])
                defer { try? db.execute(sql: "DETACH DATABASE source") }
                var outcome = MergeOutcome()
                try db.inTransaction(.immediate) {
                    let runs = try Row.fetchAll(db, sql: "SELECT * FROM source.runs ORDER BY id")
                    for row in runs {
                        let sourceRun = Store.run(from: row)
                        let existed = try Int64.fetchOne(db, sql: """
                            SELECT id FROM main.runs WHERE IFNULL(commit_sha, '') = ? AND IFNULL(pipeline_id, '') = ?
                            """, arguments: [sourceRun.context.commit ?? "", sourceRun.context.pipeline ?? ""]) != nil
                        let target = try Store.findOrCreateRun(db, context: sourceRun.context, now: sourceRun.createdAt)
                        if existed { outcome.runsMatched += 1 } else { outcome.runsCreated += 1 }
                        if let verdict = sourceRun.verdict {
                            try db.execute(sql: """
                                UPDATE main.runs SET verdict = IFNULL(verdict, ?), policy = IFNULL(policy, ?),
                                    checked_at = IFNULL(checked_at, ?), evaluation = IFNULL(evaluation, ?)
                                WHERE id = ?
                                """, arguments: [verdict, row["policy"] as String?, row["checked_at"] as Double?,
                                                 row["evaluation"] as String?, target.id])
                        }
                        let copiedBefore = outcome.reportsCopied
                        try copyReports(db, from: sourceRun.id, to: target.id, outcome: &outcome)
                        if outcome.reportsCopied > copiedBefore { try RunAggregates.refresh(db, runID: target.id) }
                    }
                    return .commit
                }
                return outcome
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.database(path: path, reason: Store.describe(error))
        }
    }

    /// Copies a run's reports as ingest would store them: a report of an attempt older than
    /// one the target holds for the same job is left out (counted as already present), and a
    /// newer attempt replaces the target's reports of that job.
    private func copyReports(_ db: Database, from sourceRun: Int64, to targetRun: Int64, outcome: inout MergeOutcome) throws {
        let reports = try Row.fetchAll(db, sql: "SELECT * FROM source.reports WHERE run_id = ? ORDER BY id", arguments: [sourceRun])
        for report in reports {
            let sha: String = report["sha256"]
            let job = JobContext(name: report["job"], attempt: report["attempt"])
            if try Store.admit(db, runID: targetRun, job: job) == .superseded
                || Store.hasReport(db, runID: targetRun, job: job.name ?? "", tool: report["tool"], sha256: sha) {
                outcome.reportsAlreadyPresent += 1
                continue
            }
            let sourceID: Int64 = report["id"]
            try db.execute(sql: """
                INSERT INTO main.reports (run_id, tool, format, path, sha256, ingested_at, diagnostics, job, attempt, fingerprint_version)
                SELECT ?, tool, format, path, sha256, ingested_at, diagnostics, job, attempt, fingerprint_version
                FROM source.reports WHERE id = ?
                """, arguments: [targetRun, sourceID])
            let targetID = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO main.findings (report_id, run_id, tool, category, rule, severity, confidence, path, start_line,
                    start_column, end_line, end_column, message, snippet, package, installed_version, affected_spec,
                    fixed_versions, advisories, cwes, tool_fingerprint, fingerprint, suppressed, tool_baseline_state)
                SELECT ?, ?, tool, category, rule, severity, confidence, path, start_line, start_column, end_line, end_column,
                    message, snippet, package, installed_version, affected_spec, fixed_versions, advisories, cwes,
                    tool_fingerprint, fingerprint, suppressed, tool_baseline_state
                FROM source.findings WHERE report_id = ? ORDER BY id
                """, arguments: [targetID, targetRun, sourceID])
            try db.execute(sql: """
                INSERT INTO main.tests (report_id, run_id, suite, class_name, name, file, status, duration, message, details, attempts)
                SELECT ?, ?, suite, class_name, name, file, status, duration, message, details, attempts
                FROM source.tests WHERE report_id = ? ORDER BY id
                """, arguments: [targetID, targetRun, sourceID])
            try db.execute(sql: """
                INSERT INTO main.coverage_files (report_id, run_id, path, lines_valid, lines_covered, branches_valid,
                    branches_covered, covered_lines, uncovered_lines)
                SELECT ?, ?, path, lines_valid, lines_covered, branches_valid, branches_covered, covered_lines, uncovered_lines
                FROM source.coverage_files WHERE report_id = ? ORDER BY id
                """, arguments: [targetID, targetRun, sourceID])
            outcome.reportsCopied += 1
        }
    }

    /// Which runs `prune` removes.
    public enum PruneRule: Sendable {
        /// Keep the newest N runs (of one branch, or of all); delete the older ones.
        case keepLast(Int, branch: String?)
        /// Delete runs created before `date`.
        case olderThan(Date)
    }

    /// Deletes runs (and, by foreign-key cascade, everything they hold), then compacts the file.
    public func prune(_ rule: PruneRule) throws -> PruneOutcome {
        let before = fileSize()
        let deleted = try write { db -> Int in
            switch rule {
            case .keepLast(let count, let branch):
                if let branch {
                    try db.execute(sql: """
                        DELETE FROM runs WHERE branch = ? AND id NOT IN (SELECT id FROM runs WHERE branch = ? ORDER BY id DESC LIMIT ?)
                        """, arguments: [branch, branch, count])
                } else {
                    try db.execute(sql: "DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)",
                                   arguments: [count])
                }
            case .olderThan(let date):
                try db.execute(sql: "DELETE FROM runs WHERE created_at < ?", arguments: [date.timeIntervalSince1970])
            }
            return db.changesCount
        }
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                _ = try db.checkpoint(.truncate)
            }
        } catch let error as DatabaseError {
            throw StoreError.database(path: path, reason: Store.describe(error))
        }
        return PruneOutcome(runsDeleted: deleted, bytesBefore: before, bytesAfter: fileSize())
    }

    /// Rows whose parent is gone; always empty unless foreign keys were bypassed.
    public func foreignKeyViolations() throws -> Int {
        try read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }
    }

    /// Size of the database file plus its WAL.
    public func fileSize() -> Int64 {
        [path, path + "-wal"].reduce(Int64(0)) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }
}
