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

/// Another store's rows, read and checked as untrusted input, ready to be merged: reading every
/// input before the target is opened means a bad input stops the merge before anything is written.
public struct MergeSource: Sendable {
    public let path: String
    let input: MergeInput
}

/// What `qgate prune` did.
public struct PruneOutcome: Sendable, Encodable, Equatable {
    public var runsDeleted: Int
    public var bytesBefore: Int64
    public var bytesAfter: Int64
    /// True for `--dry-run`: `runs` would go, nothing was deleted.
    public var dryRun: Bool = false
    /// The runs deleted (or, in a dry run, that would be), newest first.
    public var runs: [RunSummary] = []
}

extension SQLiteStore {
    /// Folds the runs of another store (a parallel CI job's) into this one, in one transaction.
    /// Runs with the same commit and pipeline become one run; a report whose content is already
    /// in the target run is skipped, so merging the same input twice adds nothing.
    ///
    /// The input is only read (open it with ``Access/readOnly``), and every row of it is checked
    /// before anything is written: a value no qgate writes refuses the whole input.
    public func merge(from other: SQLiteStore) throws -> MergeOutcome {
        try merge(other.readForMerge())
    }

    /// Reads and checks every row `merge` would copy from this store, without writing anything.
    public func readForMerge() throws -> MergeSource {
        MergeSource(path: path, input: try read { db in try MergeInput.load(db, path: path) })
    }

    /// Folds rows read by ``readForMerge()`` into this store, in one transaction.
    public func merge(_ source: MergeSource) throws -> MergeOutcome {
        guard URL(fileURLWithPath: source.path).standardizedFileURL != URL(fileURLWithPath: path).standardizedFileURL else {
            throw UsageError("cannot merge \(path) into itself")
        }
        let input = source.input
        return try write { db in
            var outcome = MergeOutcome()
            for row in input.runs {
                let sourceRun = SQLiteStore.run(from: row)
                let existed =
                    try Int64.fetchOne(
                        db,
                        sql: """
                            SELECT id FROM runs WHERE IFNULL(commit_sha, '') = ? AND IFNULL(pipeline_id, '') = ?
                            """, arguments: [sourceRun.context.commit ?? "", sourceRun.context.pipeline ?? ""]) != nil
                let target = try SQLiteStore.findOrCreateRun(db, context: sourceRun.context, now: sourceRun.createdAt)
                if existed { outcome.runsMatched += 1 } else { outcome.runsCreated += 1 }
                if sourceRun.verdict != nil {
                    try db.execute(
                        sql: """
                            UPDATE runs SET verdict = IFNULL(verdict, ?), policy = IFNULL(policy, ?),
                                checked_at = IFNULL(checked_at, ?), evaluation = IFNULL(evaluation, ?)
                            WHERE id = ?
                            """, arguments: [row[7], row[8], row[9], row[10], target.id])
                    // Every policy's verdict the source recorded (v8 stores), else its last one.
                    let recorded = input.verdictsByRun[sourceRun.id] ?? []
                    for verdictRow in recorded {
                        try db.execute(
                            sql: """
                                INSERT INTO run_verdicts (run_id, policy, verdict, checked_at) VALUES (?, ?, ?, ?)
                                ON CONFLICT (run_id, policy) DO NOTHING
                                """,
                            arguments: StatementArguments([target.id.databaseValue] + Array(verdictRow.dropFirst())))
                    }
                    if recorded.isEmpty, let policy = String.fromDatabaseValue(row[8]), let verdict = String.fromDatabaseValue(row[7]) {
                        try db.execute(
                            sql: """
                                INSERT INTO run_verdicts (run_id, policy, verdict, checked_at) VALUES (?, ?, ?, ?)
                                ON CONFLICT (run_id, policy) DO NOTHING
                                """,
                            arguments: [
                                target.id, policy, verdict, Double.fromDatabaseValue(row[9]) ?? sourceRun.createdAt.timeIntervalSince1970,
                            ])
                    }
                }
                let copiedBefore = outcome.reportsCopied
                try copyReports(db, input: input, from: sourceRun.id, to: target.id, outcome: &outcome)
                if outcome.reportsCopied > copiedBefore { try RunAggregates.refresh(db, runID: target.id) }
            }
            return outcome
        }
    }

    private func copyReports(
        _ db: Database, input: MergeInput, from sourceRun: Int64, to targetRun: Int64,
        outcome: inout MergeOutcome
    ) throws {
        for report in input.reportsByRun[sourceRun] ?? [] {
            // As ingest stores them: a report of an attempt older than one the target holds for
            // the same job is left out, and a newer attempt replaces that job's reports.
            let sha = String.fromDatabaseValue(report[5]) ?? ""
            let tool = String.fromDatabaseValue(report[2]) ?? ""
            let job = JobContext(name: String.fromDatabaseValue(report[8]), attempt: Int.fromDatabaseValue(report[9]))
            if try SQLiteStore.admit(db, runID: targetRun, job: job) == .superseded
                || SQLiteStore.hasReport(db, runID: targetRun, job: job.name ?? "", tool: tool, sha256: sha)
            {
                outcome.reportsAlreadyPresent += 1
                continue
            }
            try db.execute(
                sql: """
                    INSERT INTO reports (run_id, tool, format, path, sha256, ingested_at, diagnostics, job, attempt, fingerprint_version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments([targetRun.databaseValue] + Array(report[2...])))
            let targetID = db.lastInsertedRowID
            let sourceID = Int64.fromDatabaseValue(report[0]) ?? 0
            for (table, rows) in [("findings", input.findings), ("tests", input.tests), ("coverage_files", input.coverage)] {
                let names = rows.columns.map(\.name)
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO \(table) (report_id, run_id, \(names.joined(separator: ", ")))
                        VALUES (?, ?\(String(repeating: ", ?", count: names.count)))
                        """)
                for values in rows.byParent[sourceID] ?? [] {
                    statement.setUncheckedArguments(StatementArguments([targetID.databaseValue, targetRun.databaseValue] + values))
                    try statement.execute()
                }
            }
            outcome.reportsCopied += 1
        }
    }

    /// Deletes runs (and, by foreign-key cascade, everything they hold), then compacts the file.
    /// A rule that would delete every run of the store is refused unless `allowEverything`
    /// (`--all`): `--keep-last 0` is more often a mistake than a wish. `dryRun` lists the runs
    /// that would go and changes nothing.
    public func prune(_ rule: PruneRule, dryRun: Bool = false, allowEverything: Bool = false) throws -> PruneOutcome {
        let before = fileSize()
        let (doomed, total) = try read { db -> ([Run], Int) in
            let runs: [Run]
            switch rule {
            case .keepLast(let count, let branch):
                if let branch {
                    runs = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT \(SQLiteStore.runColumns) FROM runs WHERE branch = ?
                            AND id NOT IN (SELECT id FROM runs WHERE branch = ? ORDER BY id DESC LIMIT ?) ORDER BY id DESC
                            """, arguments: [branch, branch, count]
                    ).map(SQLiteStore.run(from:))
                } else {
                    runs = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT \(SQLiteStore.runColumns) FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?) ORDER BY id DESC
                            """, arguments: [count]
                    ).map(SQLiteStore.run(from:))
                }
            case .olderThan(let date):
                runs = try Row.fetchAll(
                    db, sql: "SELECT \(SQLiteStore.runColumns) FROM runs WHERE created_at < ? ORDER BY id DESC",
                    arguments: [date.timeIntervalSince1970]
                ).map(SQLiteStore.run(from:))
            }
            return (runs, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0)
        }
        if !doomed.isEmpty, doomed.count == total, !allowEverything {
            throw StoreError.wouldDeleteEveryRun(path: path, count: total)
        }
        let reports = try reportSummaries(runIDs: doomed.map(\.id))
        let summaries = doomed.map { RunSummary($0, reports: reports[$0.id] ?? []) }
        if dryRun {
            return PruneOutcome(runsDeleted: 0, bytesBefore: before, bytesAfter: before, dryRun: true, runs: summaries)
        }
        let ids = "[" + doomed.map { String($0.id) }.joined(separator: ",") + "]"
        let deleted = try write { db -> Int in
            try db.execute(sql: "DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))", arguments: [ids])
            return db.changesCount
        }
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                _ = try db.checkpoint(.truncate)
            }
        } catch {
            throw StoreError.database(
                path: path, reason: "the runs were deleted, but compacting the file failed: \(SQLiteStore.describe(error))")
        }
        return PruneOutcome(runsDeleted: deleted, bytesBefore: before, bytesAfter: fileSize(), runs: summaries)
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
