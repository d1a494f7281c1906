#!/usr/bin/env python3
"""Generate a test history for the `qgate flaky` benchmark.

    gen-flaky-history.py DB [--runs 10000] [--tests 1000] [--flaky 20] [--broken 3] [--seed 42]

DB must be a store whose schema qgate created (bench.sh ingests one small fixture first). Writes
RUNS runs of one pytest report with TESTS tests each (RUNS x TESTS rows in `tests`): FLAKY tests
fail 5% of the time, BROKEN tests fail in every run, the rest always pass; every 50th run is a
second pipeline of the previous run's commit (a retried pipeline), so some flaky tests fail and
pass on one commit. Prints a JSON summary (rows written, the expected flaky ids) on stdout.
"""
import argparse
import hashlib
import json
import random
import sqlite3
import sys
import time

START = 1_700_000_000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--tests", type=int, default=1_000)
    parser.add_argument("--flaky", type=int, default=20)
    parser.add_argument("--broken", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    rng = random.Random(f"qgate-flaky-{args.seed}")
    began = time.monotonic()

    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "flaky_resets" not in tables:
        sys.exit(f"gen-flaky-history: {args.db} is not a qgate store with the flaky tables")
    flaky = set(rng.sample(range(args.tests), args.flaky))
    broken = set(rng.sample(sorted(set(range(args.tests)) - flaky), args.broken))
    names = [(f"tests.test_m{k % 50}", f"test_{k}") for k in range(args.tests)]

    db.execute("BEGIN")
    # The store was made by one small ingest: start from no runs at all (foreign keys are off here,
    # so the children go explicitly).
    for table in ("tests", "findings", "coverage_files", "reports", "runs"):
        db.execute(f"DELETE FROM {table}")
    test_id = 0
    commit = None
    for run in range(1, args.runs + 1):
        if run % 50 != 0 or commit is None:
            commit = hashlib.sha1(f"commit-{run}".encode()).hexdigest()
        created = START + run * 600
        db.execute("INSERT INTO runs (id, commit_sha, branch, pipeline_id, created_at) VALUES (?, ?, 'main', ?, ?)",
                   (run, commit, f"pipeline-{run}", created))
        db.execute("INSERT INTO reports (id, run_id, tool, format, path, sha256, ingested_at) VALUES (?, ?, 'pytest', 'junit', ?, ?, ?)",
                   (run, run, "reports/pytest.xml", f"{run}-pytest", created))
        rows = []
        for k, (class_name, name) in enumerate(names):
            test_id += 1
            if k in broken:
                status = "failed"
            elif k in flaky and (rng.random() < 0.05 or run == args.runs - k % 10):
                # One failure within the last 10 runs as well, so no flaky test has healed
                # (heal_after: 30 consecutive passes) by the end of the history.
                status = "failed"
            else:
                status = "passed"
            rows.append((test_id, run, run, "pytest", class_name, name, status))
        db.executemany("INSERT INTO tests (id, report_id, run_id, suite, class_name, name, status) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    json.dump({"runs": args.runs, "tests": test_id, "flaky": sorted(f"{names[k][0]}::{names[k][1]}" for k in flaky),
               "broken": len(broken), "seconds": round(time.monotonic() - began, 1)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
