#!/usr/bin/env python3
"""Fill a qgate store with a long synthetic history, for the history benchmark.

Usage:
    gen-history.py DB [--runs 10000] [--findings 200] [--files 50] [--tests 100] [--seed 42]

DB must be a store whose schema qgate created (bench.sh ingests one small fixture first); every
run in it is deleted, then RUNS runs are written directly with sqlite3 (ingesting 10,000 report
sets through qgate would take far longer than the queries being measured).

Each run: 85 % on `main`, the rest on feature branches, ten minutes apart; reports flake8 (JUnit,
lint), bandit (security), safety and trivy (the same advisories on the same packages: dependency
fingerprints `d...` shared, counted once), pytest (JUnit tests) and coverage (Cobertura, FILES
files). FINDINGS findings per run drawn from a slowly drifting pool, so fingerprints recur across
runs like a real project's. Every 25th run has no coverage report and every 40th no pytest report
(gaps). Only findings/tests/coverage rows are written: the per-run aggregate tables are left
empty and their migration is marked not applied, so that qgate's own migration computes them on
the next open (bench.sh times that as the backfill).

Deterministic for a seed. Standard library only. Prints a JSON summary on stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import sys
import time

AGGREGATE_TABLES = ("run_finding_counts", "run_finding_sources", "run_test_counts", "run_coverage_totals")
AGGREGATE_MIGRATION = "v3-run-metric-aggregates"
START = 1_780_000_000.0  # 2026-05-28T20:26:40Z
SEVERITIES = ("critical", "high", "medium", "low", "info")


def varints(lines):
    """LineSetCoding: sorted line numbers as LEB128 deltas."""
    out = bytearray()
    previous = 0
    for line in lines:
        delta = line - previous
        previous = line
        while True:
            byte = delta & 0x7F
            delta >>= 7
            if delta:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                break
    return bytes(out)


def fingerprint(prefix, *parts):
    return prefix + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def finding_pool(rng, size):
    """Candidate findings; a run reports a drifting window of them."""
    pool = []
    for index in range(size):
        kind = rng.random()
        path = f"src/pkg{index % 17}/module{index % 53}.py"
        line = 1 + (index * 7) % 400
        if kind < 0.6:
            rule = rng.choice(["E501", "F401", "W605", "E711", "F821", "C901"])
            severity = "high" if rule == "F821" else ("medium" if rule.startswith("F") else "low")
            pool.append(("flake8", "junit", "lint", rule, severity, path, line, None, None,
                         fingerprint("r", "flake8", rule, path, str(index))))
        elif kind < 0.8:
            rule = rng.choice(["B101", "B602", "B608", "B303", "B105"])
            severity = {"B602": "high", "B608": "medium", "B303": "medium"}.get(rule, "low")
            pool.append(("bandit", "bandit-json", "security", rule, severity, path, line, None, None,
                         fingerprint("r", "bandit", rule, path, str(index))))
        else:
            package = f"lib{index % 23}"
            version = f"1.{index % 5}.0"
            advisory = f"CVE-2024-{10000 + index}"
            severity = rng.choice(("critical", "high", "high", "medium", "low"))
            dep = fingerprint("d", advisory, package, version)
            for tool, fmt in (("safety", "safety-json"), ("trivy", "sarif")):
                pool.append((tool, fmt, "vulnerability", advisory, severity, None, None, package, version, dep))
    return pool


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--findings", type=int, default=200)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--tests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    rng = random.Random(f"qgate-history-{args.seed}")
    began = time.monotonic()

    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in ("runs", "reports", "findings", "tests", "coverage_files") + AGGREGATE_TABLES if t not in tables]
    if missing:
        sys.exit(f"gen-history: {args.db} is not a qgate store with the aggregate tables (missing {', '.join(missing)})")

    db.execute("BEGIN")
    db.execute("DELETE FROM runs")
    pool = finding_pool(rng, max(args.findings * 3, 60))
    paths = [f"src/pkg{i % 17}/module{i}.py" for i in range(args.files)]
    file_lines = [80 + (i * 37) % 300 for i in range(args.files)]
    coverage = [rng.uniform(0.6, 0.95) for _ in range(args.files)]
    report_id = 0
    finding_id = test_id = coverage_id = 0
    offset = 0
    for run in range(1, args.runs + 1):
        branch = "main" if rng.random() < 0.85 else f"feature/f{run % 97}"
        commit = hashlib.sha1(f"commit-{run}".encode()).hexdigest()
        created = START + run * 600
        db.execute("INSERT INTO runs (id, commit_sha, branch, base_branch, pr_number, pipeline_id, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (run, commit, branch, None if branch == "main" else "main", None if branch == "main" else run % 500,
                    f"pipeline-{run}", created))
        # The window drifts by 0-2 findings per run: most fingerprints recur in the next run.
        offset = (offset + rng.choice((0, 0, 1, 2))) % len(pool)
        chosen = [pool[(offset + k) % len(pool)] for k in range(args.findings)]
        reports = {}
        for tool, fmt in (("flake8", "junit"), ("bandit", "bandit-json"), ("safety", "safety-json"), ("trivy", "sarif")):
            report_id += 1
            reports[tool] = report_id
            db.execute("INSERT INTO reports (id, run_id, tool, format, path, sha256, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (report_id, run, tool, fmt, f"reports/{tool}", f"{run}-{tool}", created))
        rows = []
        for (tool, _fmt, category, rule, severity, path, line, package, version, fp) in chosen:
            finding_id += 1
            rows.append((finding_id, reports[tool], run, tool, category, rule, severity, path, line, 1, line, 80,
                         f"{rule} at {path or package}", None if path is None else f"code line {line}",
                         package, version, None if package is None else "[\"9.9\"]",
                         "[]" if package is None else f"[\"{rule}\"]", "[]", fp))
        db.executemany("INSERT INTO findings (id, report_id, run_id, tool, category, rule, severity, path, start_line, "
                       "start_column, end_line, end_column, message, snippet, package, installed_version, fixed_versions, "
                       "advisories, cwes, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        if run % 40 != 0:
            report_id += 1
            db.execute("INSERT INTO reports (id, run_id, tool, format, path, sha256, ingested_at) VALUES (?, ?, 'pytest', 'junit', ?, ?, ?)",
                       (report_id, run, "reports/pytest.xml", f"{run}-pytest", created))
            tests = []
            for k in range(args.tests):
                test_id += 1
                roll = rng.random()
                status = "failed" if roll < 0.01 else ("skipped" if roll < 0.05 else "passed")
                tests.append((test_id, report_id, run, "pytest", f"tests.test_m{k % 10}", f"test_{k}",
                              f"tests/test_m{k % 10}.py", status, round(rng.uniform(0.001, 0.5), 3)))
            db.executemany("INSERT INTO tests (id, report_id, run_id, suite, class_name, name, file, status, duration) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", tests)
        if run % 25 != 0:
            report_id += 1
            db.execute("INSERT INTO reports (id, run_id, tool, format, path, sha256, ingested_at) VALUES (?, ?, 'coverage', 'cobertura', ?, ?, ?)",
                       (report_id, run, "reports/coverage.xml", f"{run}-coverage", created))
            files = []
            for k, path in enumerate(paths):
                coverage[k] = min(1.0, max(0.3, coverage[k] + rng.uniform(-0.01, 0.01)))
                valid = file_lines[k]
                covered = int(valid * coverage[k])
                coverage_id += 1
                files.append((coverage_id, report_id, run, path, valid, covered, 0, 0,
                              varints(range(1, covered + 1)), varints(range(covered + 1, valid + 1))))
            db.executemany("INSERT INTO coverage_files (id, report_id, run_id, path, lines_valid, lines_covered, branches_valid, "
                           "branches_covered, covered_lines, uncovered_lines) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", files)
    for table in AGGREGATE_TABLES:
        db.execute(f"DROP TABLE {table}")
    db.execute("DELETE FROM grdb_migrations WHERE identifier = ?", (AGGREGATE_MIGRATION,))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    latest = db.execute("SELECT commit_sha, pipeline_id FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    db.close()
    json.dump({"runs": args.runs, "findings": finding_id, "tests": test_id, "coverage_files": coverage_id,
               "latest_commit": latest[0], "latest_pipeline": latest[1], "seconds": round(time.monotonic() - began, 1)},
              sys.stdout)
    print()


if __name__ == "__main__":
    main()
