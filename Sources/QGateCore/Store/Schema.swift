import GRDB

/// The store's schema, built by named migrations. A migration is never edited once it has
/// shipped: a change is a new migration, so every existing store upgrades the same way.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs-reports-findings-tests-coverage") { db in
            try db.execute(
                sql: """
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
            try db.execute(
                sql: """
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
            try db.execute(sql: v3FillAggregates)
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
            try db.execute(
                sql: """
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
            try db.execute(
                sql: """
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
            try db.execute(
                sql: """
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
            try db.execute(
                sql: """
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

    /// What migration v3 fills the aggregate tables with, frozen as SQL on the v1–v2 schema: what
    /// the aggregates refresh computed for every run when v3 shipped. Never edit it (a migration
    /// must give the same store whatever today's code does); change how new rows are counted in
    /// `RunAggregates` and, for existing rows, in a new migration.
    ///
    /// * findings: unsuppressed findings per tool, category and severity, one per fingerprint in
    ///   a run (the worst severity, then the first tool by name, then the first stored);
    /// * sources: tools of finding reports (SARIF, bandit, safety; xUnit without tests) and of findings;
    /// * tests: count and summed duration per report tool and status;
    /// * coverage: per run with a Cobertura report, the sum over files; a file measured by several
    ///   reports counts the union of its line sets (a line covered anywhere is covered) and the
    ///   largest branch counts. The line sets (LEB128 deltas, ``LineSetCoding``) are decoded by a
    ///   recursive query only for such files.
    static let v3FillAggregates = """
        INSERT INTO run_finding_counts (run_id, tool, category, severity, count)
        SELECT run_id, tool, category, severity, COUNT(*) FROM (
            SELECT run_id, tool, category, severity, ROW_NUMBER() OVER (PARTITION BY run_id, fingerprint ORDER BY
                       CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2
                                     WHEN 'low' THEN 3 WHEN 'info' THEN 4 END, tool, id) AS position
            FROM findings WHERE suppressed = 0
        ) WHERE position = 1 GROUP BY run_id, tool, category, severity;

        INSERT OR IGNORE INTO run_finding_sources (run_id, tool)
        SELECT r.run_id, r.tool FROM reports r
        WHERE r.format IN ('sarif', 'bandit-json', 'safety-json')
           OR (r.format = 'junit' AND NOT EXISTS (SELECT 1 FROM tests t WHERE t.report_id = r.id))
        UNION
        SELECT run_id, tool FROM findings;

        INSERT INTO run_test_counts (run_id, tool, status, count, duration)
        SELECT t.run_id, r.tool, t.status, COUNT(*), TOTAL(t.duration)
        FROM tests t JOIN reports r ON r.id = t.report_id GROUP BY t.run_id, r.tool, t.status;

        WITH RECURSIVE
        repeated (run_id, path) AS (
            SELECT run_id, path FROM coverage_files GROUP BY run_id, path HAVING COUNT(*) > 1
        ),
        sets (k, run_id, path, covered, data) AS (
            SELECT ROW_NUMBER() OVER (), run_id, path, covered, data FROM (
                SELECT c.run_id, c.path, 1 AS covered, c.covered_lines AS data FROM coverage_files c JOIN repeated USING (run_id, path)
                UNION ALL
                SELECT c.run_id, c.path, 0, c.uncovered_lines FROM coverage_files c JOIN repeated USING (run_id, path)
            )
        ),
        bytes (k, i, current, delta, shift, line) AS (
            SELECT k, 0, 0, 0, 0, NULL FROM sets
            UNION ALL
            SELECT b.k, b.i + 1,
                   CASE WHEN \(byte) >= 128 THEN b.current ELSE b.current + (b.delta | ((\(byte) & 127) << b.shift)) END,
                   CASE WHEN \(byte) >= 128 THEN b.delta | ((\(byte) & 127) << b.shift) ELSE 0 END,
                   CASE WHEN \(byte) >= 128 THEN b.shift + 7 ELSE 0 END,
                   CASE WHEN \(byte) >= 128 THEN NULL ELSE b.current + (b.delta | ((\(byte) & 127) << b.shift)) END
            FROM bytes b JOIN sets s ON s.k = b.k
            WHERE b.i < length(s.data)
        ),
        lines (run_id, path, covered, line) AS (
            SELECT s.run_id, s.path, s.covered, b.line FROM bytes b JOIN sets s ON s.k = b.k WHERE b.line IS NOT NULL
        ),
        unioned (run_id, path, lines_valid, lines_covered, branches_valid, branches_covered) AS (
            SELECT r.run_id, r.path,
                   (SELECT COUNT(DISTINCT line) FROM lines l WHERE l.run_id = r.run_id AND l.path = r.path),
                   (SELECT COUNT(DISTINCT line) FROM lines l WHERE l.run_id = r.run_id AND l.path = r.path AND l.covered = 1),
                   (SELECT MAX(branches_valid) FROM coverage_files c WHERE c.run_id = r.run_id AND c.path = r.path),
                   (SELECT MAX(branches_covered) FROM coverage_files c WHERE c.run_id = r.run_id AND c.path = r.path)
            FROM repeated r
        ),
        files (run_id, lines_valid, lines_covered, branches_valid, branches_covered) AS (
            SELECT c.run_id, c.lines_valid, c.lines_covered, c.branches_valid, c.branches_covered FROM coverage_files c
            WHERE NOT EXISTS (SELECT 1 FROM repeated r WHERE r.run_id = c.run_id AND r.path = c.path)
            UNION ALL
            SELECT run_id, lines_valid, lines_covered, branches_valid, branches_covered FROM unioned
        )
        INSERT INTO run_coverage_totals (run_id, lines_valid, lines_covered, branches_valid, branches_covered)
        SELECT runs.id, IFNULL(SUM(f.lines_valid), 0), IFNULL(SUM(f.lines_covered), 0),
               IFNULL(SUM(f.branches_valid), 0), IFNULL(SUM(f.branches_covered), 0)
        FROM runs LEFT JOIN files f ON f.run_id = runs.id
        WHERE EXISTS (SELECT 1 FROM reports r WHERE r.run_id = runs.id AND r.format = 'cobertura')
        GROUP BY runs.id;
        """

    /// One byte of a line set in the recursive query above: the byte at `b.i` of `s.data`, from its hex digits.
    private static let byte = """
        ((instr('0123456789ABCDEF', substr(hex(substr(s.data, b.i + 1, 1)), 1, 1)) - 1) * 16 \
        + instr('0123456789ABCDEF', substr(hex(substr(s.data, b.i + 1, 1)), 2, 1)) - 1)
        """
}
