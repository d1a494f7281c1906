import GRDB

/// The store's schema, built by named migrations. A migration is never edited once it has
/// shipped: a change is a new migration, so every existing store upgrades the same way.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs-reports-findings-tests-coverage") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    commit_sha TEXT,
                    branch TEXT,
                    base_branch TEXT,
                    pr_number INTEGER,
                    pipeline_id TEXT,
                    created_at REAL NOT NULL,
                    verdict TEXT CHECK (verdict IN ('pass', 'warn', 'fail')),
                    policy TEXT,
                    checked_at REAL
                );
                CREATE UNIQUE INDEX runs_identity ON runs(IFNULL(commit_sha, ''), IFNULL(pipeline_id, ''));
                CREATE INDEX runs_branch ON runs(branch, id);

                CREATE TABLE reports (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    tool TEXT NOT NULL,
                    format TEXT NOT NULL,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    ingested_at REAL NOT NULL,
                    diagnostics TEXT NOT NULL DEFAULT '[]',
                    UNIQUE (run_id, sha256)
                );
                CREATE INDEX reports_run ON reports(run_id);

                CREATE TABLE findings (
                    id INTEGER PRIMARY KEY,
                    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    tool TEXT NOT NULL,
                    category TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
                    confidence TEXT,
                    path TEXT,
                    start_line INTEGER, start_column INTEGER, end_line INTEGER, end_column INTEGER,
                    message TEXT NOT NULL,
                    snippet TEXT,
                    package TEXT, installed_version TEXT, affected_spec TEXT,
                    fixed_versions TEXT,
                    advisories TEXT,
                    cwes TEXT,
                    tool_fingerprint TEXT,
                    fingerprint TEXT NOT NULL,
                    suppressed INTEGER NOT NULL DEFAULT 0,
                    tool_baseline_state TEXT
                );
                CREATE INDEX findings_run ON findings(run_id, severity);
                CREATE INDEX findings_report ON findings(report_id);
                CREATE INDEX findings_fingerprint ON findings(fingerprint);

                CREATE TABLE tests (
                    id INTEGER PRIMARY KEY,
                    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    suite TEXT NOT NULL,
                    class_name TEXT NOT NULL,
                    name TEXT NOT NULL,
                    file TEXT,
                    status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'error', 'skipped', 'flaky')),
                    duration REAL,
                    message TEXT,
                    details TEXT
                );
                CREATE INDEX tests_run ON tests(run_id, status);
                CREATE INDEX tests_report ON tests(report_id);

                CREATE TABLE coverage_files (
                    id INTEGER PRIMARY KEY,
                    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    lines_valid INTEGER NOT NULL,
                    lines_covered INTEGER NOT NULL,
                    branches_valid INTEGER NOT NULL,
                    branches_covered INTEGER NOT NULL,
                    covered_lines BLOB NOT NULL,
                    uncovered_lines BLOB NOT NULL
                );
                CREATE INDEX coverage_run ON coverage_files(run_id, path);
                CREATE INDEX coverage_report ON coverage_files(report_id);
                """)
        }
        migrator.registerMigration("v2-runs-branch-created-index") { db in
            // Baselines, trend windows and history read "the latest runs of branch B created before
            // run R": with this index that is a range scan of `limit` rows, not a sort of the branch.
            try db.execute(sql: "CREATE INDEX runs_branch_created ON runs(branch, created_at, id)")
        }
        migrator.registerMigration("v3-run-metric-aggregates") { db in
            // Per-run totals that `qgate trend` reads instead of every finding, test and file of
            // every run. Filled in the ingest/merge transaction; each table cascades with its run.
            try db.execute(sql: """
                CREATE TABLE run_finding_counts (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    tool TEXT NOT NULL,
                    category TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (run_id, tool, category, severity)
                ) WITHOUT ROWID;

                CREATE TABLE run_finding_sources (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    tool TEXT NOT NULL,
                    PRIMARY KEY (run_id, tool)
                ) WITHOUT ROWID;

                CREATE TABLE run_test_counts (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    tool TEXT NOT NULL,
                    status TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    duration REAL NOT NULL,
                    PRIMARY KEY (run_id, tool, status)
                ) WITHOUT ROWID;

                CREATE TABLE run_coverage_totals (
                    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
                    lines_valid INTEGER NOT NULL,
                    lines_covered INTEGER NOT NULL,
                    branches_valid INTEGER NOT NULL,
                    branches_covered INTEGER NOT NULL
                );
                """)
            for runID in try Int64.fetchAll(db, sql: "SELECT id FROM runs ORDER BY id") {
                try RunAggregates.refresh(db, runID: runID)
            }
        }
        migrator.registerMigration("v4-stored-evaluations") { db in
            // The evaluation `check` rendered, as JSON, so `qgate report --run` re-renders it
            // in any format without the policy or a second evaluation.
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN evaluation TEXT")
        }
        migrator.registerMigration("v5-report-jobs-and-test-attempts") { db in
            // A report belongs to the CI job (and attempt) that wrote it, so that a retried job
            // replaces its earlier reports; its identity in a run is job + tool + content, so the
            // same bytes filed under another tool (`--tool`) are another report. Reports keep
            // the fingerprint recipe their findings were identified with (1 before this migration).
            // Tests record how many times a rerun plugin ran them. Foreign keys are off while
            // migrations run (GRDB checks them afterwards), so the rebuild keeps every child row.
            try db.execute(sql: """
                ALTER TABLE tests ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1);

                CREATE TABLE reports_v5 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    tool TEXT NOT NULL,
                    format TEXT NOT NULL,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    ingested_at REAL NOT NULL,
                    diagnostics TEXT NOT NULL DEFAULT '[]',
                    job TEXT NOT NULL DEFAULT '',
                    attempt INTEGER,
                    fingerprint_version INTEGER NOT NULL DEFAULT 1,
                    UNIQUE (run_id, job, tool, sha256)
                );
                INSERT INTO reports_v5 (id, run_id, tool, format, path, sha256, ingested_at, diagnostics)
                    SELECT id, run_id, tool, format, path, sha256, ingested_at, diagnostics FROM reports;
                DROP TABLE reports;
                ALTER TABLE reports_v5 RENAME TO reports;
                CREATE INDEX reports_run ON reports(run_id);
                """)
        }
        migrator.registerMigration("v6-run-rule-counts") { db in
            // Per-run counts by rule as well, so `trend --where rule=B1*` reads a few rows per run
            // instead of every finding of every run. Filled here in SQL (a migration never calls
            // live code), then by RunAggregates in the ingest/merge transaction.
            try db.execute(sql: """
                CREATE TABLE run_rule_counts (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    tool TEXT NOT NULL,
                    category TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (run_id, tool, category, severity, rule)
                ) WITHOUT ROWID;
                CREATE INDEX run_rule_counts_rule ON run_rule_counts(rule);

                INSERT INTO run_rule_counts (run_id, tool, category, severity, rule, count)
                SELECT run_id, tool, category, severity, rule, COUNT(*) FROM (
                    SELECT run_id, tool, category, severity, rule FROM (
                        SELECT run_id, tool, category, severity, rule,
                               ROW_NUMBER() OVER (PARTITION BY run_id, fingerprint ORDER BY
                                   CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2
                                                 WHEN 'low' THEN 3 WHEN 'info' THEN 4 END, tool, id) AS position
                        FROM findings WHERE suppressed = 0
                    ) WHERE position = 1
                ) GROUP BY run_id, tool, category, severity, rule;
                """)
        }
        migrator.registerMigration("v7-test-lines-history-index-flaky-resets") { db in
            // A test's line (for annotations); an index that reads one test's outcomes over a
            // range of runs from the index alone (`qgate flaky` looks only at tests that failed
            // somewhere in its window); and the manual resets of flaky tests.
            try db.execute(sql: """
                ALTER TABLE tests ADD COLUMN line INTEGER;
                CREATE INDEX tests_identity ON tests(class_name, name, run_id, status);
                CREATE TABLE flaky_resets (
                    test TEXT PRIMARY KEY,
                    after_run_id INTEGER NOT NULL,
                    reset_at REAL NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v8-run-verdicts-per-policy") { db in
            // One verdict per policy checked on a run: `runs.verdict` holds only the last check's,
            // so a run that failed prod.yml and then passed dev.yml listed as passed.
            try db.execute(sql: """
                CREATE TABLE run_verdicts (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    policy TEXT NOT NULL,
                    verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail')),
                    checked_at REAL NOT NULL,
                    PRIMARY KEY (run_id, policy)
                ) WITHOUT ROWID;
                INSERT INTO run_verdicts (run_id, policy, verdict, checked_at)
                    SELECT id, policy, verdict, IFNULL(checked_at, created_at) FROM runs WHERE verdict IS NOT NULL AND policy IS NOT NULL;
                """)
        }
        return migrator
    }
}
