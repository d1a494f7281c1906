#!/usr/bin/env bash
# qgate ingest benchmark. Run by `make bench` (never by the tests).
#
#   1. builds the release binary (swift build -c release -> .build/release/qgate)
#   2. generates the synthetic reports with tools/gen-bigdata.py (seed 42) into a temp dir
#   3. per file: times `qgate ingest --db DB --format json FILE` (fresh DB each run), the raw
#      parse floor (xmllint --stream for XML, python json.load for JSON) and the peer a user
#      would pick instead (tools/bench-peer.py in a throwaway virtualenv: junitparser for JUnit,
#      pycobertura for Cobertura, sarif-tools' summary for SARIF; bandit has none), best of
#      BENCH_RUNS runs each; checks qgate's counts against manifest.json
#   4. prints one Markdown table for the README: qgate / floor / peer, wall time, peak RSS, ratios
#
# Environment:
#   BENCH_SCALE=1        data size factor (1 = ~100 MB Cobertura, 30 MB JUnit, 50 MB SARIF, 20 MB bandit)
#   BENCH_RUNS=3         timed runs per file, per floor and per peer (the best is reported)
#   BENCH_PEERS=1        0 = skip the peers (no virtualenv, no pip)
#   BENCH_VENV=DIR       use this virtualenv (with the peers installed) instead of a throwaway one
#   BENCH_SKIP_BUILD=0   1 = use the existing .build/release/qgate
#   QGATE_BIN=PATH       benchmark this binary instead of .build/release/qgate (implies no build)
#   BENCH_ONLY=LIST      only these parts, e.g. sarif,bandit or history
#                        (cobertura, pytest, sarif, bandit, history; default: all of them)
#   BENCH_HISTORY_SIZES="1000 10000"  history store sizes (runs); BENCH_HISTORY_RUNS=5 timed runs each
#
# Exit status: 0 unless qgate crashed (killed by a signal or non-zero exit on valid input),
# or a prerequisite is missing. A count MISMATCH is reported loudly but does not fail the
# bench: this is a benchmark, not a test.
#
# Units: MB = 10^6 bytes for file sizes and throughput; peak RSS (GNU time %M, KiB) is shown in
# MiB, and also as a multiple of the file size. Seconds are wall time measured with bash's EPOCHREALTIME around /usr/bin/time (the %e
# field only has 10 ms resolution); peak RSS is the max over the runs.

set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
BENCH_SCALE=${BENCH_SCALE:-1}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
QGATE=${QGATE_BIN:-"$ROOT/.build/release/qgate"}   # QGATE_BIN: override (testing the script)
BENCH_ONLY=${BENCH_ONLY:-cobertura,pytest,sarif,bandit,history,flaky}
FILES=()
INPUTS=()
WANT_HISTORY=0
WANT_FLAKY=0
for kind in ${BENCH_ONLY//,/ }; do
    case "$kind" in
        cobertura) FILES+=(cobertura.xml); INPUTS+=(cobertura) ;;
        pytest) FILES+=(pytest.xml); INPUTS+=(pytest) ;;
        sarif) FILES+=(trivy.sarif); INPUTS+=(sarif) ;;
        bandit) FILES+=(bandit.json); INPUTS+=(bandit) ;;
        history) WANT_HISTORY=1 ;;
        flaky) WANT_FLAKY=1 ;;
        *) echo "bench: unknown BENCH_ONLY entry '$kind' (cobertura, pytest, sarif, bandit, history, flaky)" >&2; exit 2 ;;
    esac
done

die() { echo "bench: $*" >&2; exit 2; }

[[ "$BENCH_RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer (got '$BENCH_RUNS')"
command -v python3 >/dev/null || die "python3 is required"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found: install the Debian package 'time' (apt-get install -y time)"
HAVE_XMLLINT=1
if ! command -v xmllint >/dev/null; then
    HAVE_XMLLINT=0
    echo "bench: WARNING: xmllint not found; XML reference timings are skipped." >&2
    echo "bench:          'make bench' installs it (Debian package libxml2-utils: apt-get install -y libxml2-utils)." >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qgate-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------------------------------------
# python helper: medians, manifest comparison, table
cat >"$tmp/helper.py" <<'PY'
import json, os, statistics, sys

def load_times(path, with_user=False):
    """lines: t0 t1 rss_kb status [user_s]  ->  (list of seconds, max rss KiB, last status[, user seconds])"""
    secs, rss, st, user = [], 0, 0, []
    if not os.path.exists(path):
        return (secs, rss, None, user) if with_user else (secs, rss, None)
    for line in open(path):
        p = line.split()
        if len(p) < 4:
            continue
        t0, t1, r, s = float(p[0]), float(p[1]), p[2], int(p[3])
        st = s
        if s == 0:
            secs.append(t1 - t0)
            if r.isdigit():
                rss = max(rss, int(r))
            if len(p) > 4:
                try:
                    user.append(float(p[4]))
                except ValueError:
                    pass
    return (secs, rss, st, user) if with_user else (secs, rss, st)

def check(manifest_path, fname, out_path):
    """Compare `qgate ingest --format json` output with the manifest. Exit 0 OK, 3 mismatch."""
    entry = json.load(open(manifest_path))["files"][fname]
    want = entry["counts"]
    fmt = entry["format"]
    try:
        doc = json.load(open(out_path, encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        print(f"  !!! MISMATCH {fname}: qgate output is not valid JSON ({e})")
        return 3
    reports = doc.get("reports") if isinstance(doc, dict) else None
    if not isinstance(reports, list) or len(reports) != 1:
        print(f"  !!! MISMATCH {fname}: expected exactly 1 entry in 'reports', got "
              f"{len(reports) if isinstance(reports, list) else 'none'}")
        return 3
    rep = reports[0]
    if fmt == "cobertura":
        got = rep.get("coverage") or {}
        pairs = [(k, want[k]) for k in ("lines_valid", "lines_covered", "branches_valid", "branches_covered")]
    elif fmt == "pytest":
        got = rep.get("tests") or {}
        pairs = [(k, want[k]) for k in ("total", "passed", "failed", "errors", "skipped")]
    else:  # sarif, bandit: findings by severity
        got = rep.get("findings") or {}
        pairs = [("total", want["results"])] + [(k, want.get(k, 0)) for k in ("critical", "high", "medium", "low", "info")]
    bad = [(k, got.get(k), v) for k, v in pairs if got.get(k) != v]
    detail = ", ".join(f"{k}={got.get(k)}" for k, _ in pairs)
    info = f"(format={rep.get('format')}, tool={rep.get('tool')}, status={rep.get('status')})"
    if bad:
        print(f"  !!! MISMATCH {fname} {info}")
        for k, g, v in bad:
            print(f"  !!!   {k}: qgate {g}  expected {v}")
        return 3
    print(f"  OK {fname}: {detail} {info}")
    return 0

def fmt(x, nd=2):
    return "n/a" if x is None else f"{x:.{nd}f}"

PEERS = {"cobertura.xml": "pycobertura", "pytest.xml": "junitparser", "trivy.sarif": "sarif-tools"}

def best(path):
    """(best wall seconds, max peak RSS MiB) of the runs that exited 0; (None, None) when none did."""
    secs, rss, _ = load_times(path)
    return (min(secs), rss / 1024 if rss else None) if secs else (None, None)

def best_cpu(path):
    """Best user + system CPU seconds of the runs that exited 0, or None."""
    secs, _, _, cpu = load_times(path, with_user=True)
    return min(cpu) if secs and cpu else None

def cpu_table(manifest_path, tmp, files):
    print("| file | qgate CPU s | floor CPU s | floor / qgate | peer CPU s | peer / qgate |")
    print("|---|---:|---:|---:|---:|---:|")
    for f in files:
        q = best_cpu(os.path.join(tmp, f + ".qgate.times"))
        r = best_cpu(os.path.join(tmp, f + ".ref.times"))
        p = best_cpu(os.path.join(tmp, f + ".peer.times"))
        ratio = lambda other: fmt(other / q) if other and q else "n/a"
        print(f"| {f} | {fmt(q)} | {fmt(r)} | {ratio(r)} | {fmt(p)} | {ratio(p)} |")

def table(manifest_path, tmp, files, have_xmllint):
    man = json.load(open(manifest_path))["files"]
    hdr = ["file", "MB", "qgate s", "qgate MB/s", "qgate RSS MB", "RSS / size",
           "floor", "floor s", "floor RSS MB", "floor s / qgate s",
           "peer", "peer s", "peer RSS MB", "peer s / qgate s"]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "|".join("---" if h in ("file", "floor", "peer") else "---:" for h in hdr) + "|")
    for f in files:
        mb = man[f]["bytes"] / 1e6
        q, qrss = best(os.path.join(tmp, f + ".qgate.times"))
        r, rrss = best(os.path.join(tmp, f + ".ref.times"))
        p, prss = best(os.path.join(tmp, f + ".peer.times"))
        is_xml = f.endswith(".xml")
        floor = "xmllint --stream" if is_xml else "json.load"
        if is_xml and not have_xmllint:
            floor, r = "xmllint (missing)", None
        peer = PEERS.get(f, "(none)")
        ratio = lambda other: fmt(other / q) if other and q else "n/a"
        print("| " + " | ".join([
            f, fmt(mb, 1), fmt(q) if q is not None else "CRASH", fmt(mb / q, 1) if q else "n/a",
            fmt(qrss, 0), fmt(qrss / (mb / 1.048576) if qrss else None, 1),
            floor, fmt(r), fmt(rrss, 0), ratio(r),
            peer, fmt(p), fmt(prss, 0), ratio(p)]) + " |")

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif cmd == "median":
        secs, rss, st = load_times(sys.argv[2])
        print(f"{statistics.median(secs):.3f} s, peak RSS {rss / 1024:.0f} MB" if secs else "n/a")
    elif cmd == "best":
        secs, rss, st = load_times(sys.argv[2])
        print(f"best {min(secs):.3f} s, peak RSS {rss / 1024:.0f} MB" if secs else "n/a")
    elif cmd == "table":
        table(sys.argv[2], sys.argv[3], sys.argv[4].split(","), sys.argv[5] == "1")
    elif cmd == "cpu-table":
        cpu_table(sys.argv[2], sys.argv[3], sys.argv[4].split(","))
PY

# run_timed PREFIX CMD...: runs CMD under /usr/bin/time, appends "t0 t1 rss_kb status" to
# PREFIX.times, keeps stdout/stderr of the last run in PREFIX.stdout / PREFIX.stderr.
run_timed() {
    local prefix=$1; shift
    local t0 t1 st=0 rss
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%e %M %U %S' -o "$prefix.time" "$@" >"$prefix.stdout" 2>"$prefix.stderr" || st=$?
    t1=$EPOCHREALTIME
    rss=$(tail -n 1 "$prefix.time" 2>/dev/null | awk '{print $2}' || true)
    # CPU seconds (user + system): steadier than wall time when other work shares the machine.
    user=$(tail -n 1 "$prefix.time" 2>/dev/null | awk 'NF >= 4 { print $3 + $4 }' || true)
    echo "$t0 $t1 ${rss:-0} $st ${user:-x}" >>"$prefix.times"
    return "$st"
}

# ---------------------------------------------------------------------------------------------
build() {
    if [[ "$BENCH_SKIP_BUILD" == 1 || -n "${QGATE_BIN:-}" ]]; then
        echo "== build: skipped (BENCH_SKIP_BUILD=1 or QGATE_BIN set)"
    else
        echo "== build: swift build -c release"
        swift build -c release
    fi
    [[ -x "$QGATE" ]] || die "release binary not found at $QGATE"
}

generate() {
    echo "== data: tools/gen-bigdata.py --seed 42 --scale $BENCH_SCALE"
    python3 tools/gen-bigdata.py "$tmp/data" --seed 42 --scale "$BENCH_SCALE" --only "$(IFS=,; echo "${INPUTS[*]}")" 2>&1
}

CRASHED=0
MISMATCHES=0

bench_file() {
    local f=$1 path="$tmp/data/$1" prefix="$tmp/$1.qgate" i st crashed=0
    echo "== $f ($(python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.1f}')" "$path") MB)"
    for ((i = 1; i <= BENCH_RUNS; i++)); do
        rm -f "$tmp/bench.db" "$tmp/bench.db-wal" "$tmp/bench.db-shm" "$tmp/bench.db-journal"
        st=0
        run_timed "$prefix" "$QGATE" ingest --db "$tmp/bench.db" --format json "$path" || st=$?
        if ((st != 0)); then
            echo "  !!! qgate CRASHED on $f (run $i, exit status $st); last stderr lines:"
            tail -n 15 "$prefix.stderr" | sed 's/^/  !!!   /'
            grep -h 'signal' "$prefix.time" 2>/dev/null | sed 's/^/  !!!   /' || true
            CRASHED=1
            crashed=1
            break
        fi
    done
    if ((!crashed)); then
        echo "  qgate:     $(python3 "$tmp/helper.py" best "$prefix.times")"
        python3 "$tmp/helper.py" check "$tmp/data/manifest.json" "$f" "$prefix.stdout" || MISMATCHES=$((MISMATCHES + 1))
    fi

    local rprefix="$tmp/$f.ref"
    if [[ "$f" == *.xml ]]; then
        if ((HAVE_XMLLINT)); then
            for ((i = 1; i <= BENCH_RUNS; i++)); do
                run_timed "$rprefix" xmllint --stream --noout "$path" || echo "  (xmllint reported an error, status $?)"
            done
            echo "  xmllint:   $(python3 "$tmp/helper.py" best "$rprefix.times")"
        fi
    else
        for ((i = 1; i <= BENCH_RUNS; i++)); do
            run_timed "$rprefix" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$path" \
                || echo "  (json.load failed, status $?)"
        done
        echo "  json.load: $(python3 "$tmp/helper.py" best "$rprefix.times")"
    fi

    local peer="" pprefix="$tmp/$f.peer"
    case "$f" in
        cobertura.xml) peer=pycobertura ;;
        pytest.xml) peer=junitparser ;;
        trivy.sarif) peer=sarif-tools ;;
    esac
    if [[ -n "$peer" && -n "$PEER_PYTHON" ]]; then
        for ((i = 1; i <= BENCH_RUNS; i++)); do
            run_timed "$pprefix" "$PEER_PYTHON" tools/bench-peer.py "$peer" "$path" \
                || { echo "  ($peer failed, status $?):"; tail -n 3 "$pprefix.stderr" | sed 's/^/  /'; }
        done
        echo "  $peer: $(python3 "$tmp/helper.py" best "$pprefix.times")  ($(tail -n 1 "$pprefix.stdout"))"
    fi
}

# The peers live in a throwaway virtualenv (or BENCH_VENV): pip install from PyPI.
PEER_PYTHON=""
install_peers() {
    [[ "${BENCH_PEERS:-1}" == 1 ]] || { echo "== peers: skipped (BENCH_PEERS=0)"; return 0; }
    local venv=${BENCH_VENV:-"$tmp/venv"}
    if [[ ! -x "$venv/bin/python3" ]]; then
        echo "== peers: python3 -m venv + pip install pycobertura junitparser sarif-tools"
        if ! python3 -m venv "$venv" >/dev/null 2>&1; then
            echo "bench: WARNING: python3 -m venv failed (Debian package python3-venv); peers skipped." >&2
            return 0
        fi
    fi
    if ! "$venv/bin/python3" -c 'import junitparser, pycobertura, sarif' 2>/dev/null; then
        if ! "$venv/bin/pip" install -q --disable-pip-version-check pycobertura junitparser sarif-tools >"$tmp/pip.log" 2>&1; then
            echo "bench: WARNING: pip install of the peers failed; peers skipped:" >&2
            tail -n 5 "$tmp/pip.log" >&2
            return 0
        fi
    fi
    PEER_PYTHON="$venv/bin/python3"
    echo "== peers: $("$PEER_PYTHON" -m pip list --disable-pip-version-check 2>/dev/null \
        | awk '$1 ~ /^(junitparser|pycobertura|sarif-tools|lxml)$/ { printf "%s %s  ", $1, $2 }')"
}

# ---------------------------------------------------------------------------------------------
# HISTORY BENCHMARKS: stores of BENCH_HISTORY_SIZES runs (default 1,000 and 10,000) x 200 findings
# x 50 coverage files x 100 tests, written by tools/gen-history.py straight into a store whose
# schema qgate created (one small ingest, then deleted). The per-run aggregate tables are left
# to qgate's own migration, timed once as "backfill". Then, median of BENCH_HISTORY_RUNS:
#   qgate trend findings --where severity=high --last 1000
#   qgate trend coverage.lines --branch main --last 1000
#   qgate check --policy rules/prod.yml (the latest run; exit 1 on a failing gate is expected)
#   qgate runs (every run) and qgate trend findings --where 'rule=B1*' (every run), with peak RSS
# and the store's size per run. The table goes to $tmp/history.md, printed after the ingest table.
BENCH_HISTORY_SIZES=${BENCH_HISTORY_SIZES:-"1000 10000"}
BENCH_HISTORY_RUNS=${BENCH_HISTORY_RUNS:-5}

history_median_ms() {  # FILE: median wall time in ms of the runs that exited 0 or 1
    python3 - "$1" <<'PY'
import statistics, sys
secs = [float(p[1]) - float(p[0]) for p in (l.split() for l in open(sys.argv[1])) if len(p) >= 4 and int(p[3]) in (0, 1)]
print(f"{statistics.median(secs) * 1000:.0f}" if secs else "FAILED")
PY
}

bench_history() {
    local size db prefix i summary commit pipeline st backfill bytes
    {
        echo "| runs | findings rows | store MB | KB per run | backfill s | trend findings severity=high last 1000 ms | trend coverage.lines main last 1000 ms | check prod.yml ms | runs (all) ms | trend findings rule=B1* (all) ms | its peak RSS MB |"
        echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    } >"$tmp/history.md"
    for size in $BENCH_HISTORY_SIZES; do
        db="$tmp/history-$size.db"
        prefix="$tmp/history-$size"
        echo "== history: $size runs (tools/gen-history.py --runs $size --seed 42)"
        rm -f "$db" "$db-wal" "$db-shm"
        "$QGATE" ingest --db "$db" --commit schema --pipeline schema fixtures/reports/main/coverage.xml >/dev/null 2>&1 \
            || die "could not create the history store's schema"
        summary=$(python3 tools/gen-history.py "$db" --runs "$size" --seed 42) || die "gen-history.py failed"
        echo "  generated: $summary"
        commit=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["latest_commit"])' "$summary")
        pipeline=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["latest_pipeline"])' "$summary")
        st=0
        run_timed "$prefix.backfill" "$QGATE" runs --db "$db" --last 1 || st=$?
        ((st == 0)) || { echo "  !!! qgate failed opening the history store (status $st)"; tail -n 5 "$prefix.backfill.stderr"; CRASHED=1; continue; }
        backfill=$(python3 -c 'import sys; p = open(sys.argv[1]).read().split(); print(f"{float(p[1]) - float(p[0]):.1f}")' "$prefix.backfill.times")
        for ((i = 1; i <= BENCH_HISTORY_RUNS; i++)); do
            run_timed "$prefix.findings" "$QGATE" trend findings --where severity=high --last 1000 --db "$db" || CRASHED=1
            run_timed "$prefix.coverage" "$QGATE" trend coverage.lines --branch main --last 1000 --db "$db" || CRASHED=1
            st=0
            run_timed "$prefix.check" "$QGATE" check --policy rules/prod.yml --db "$db" --commit "$commit" --pipeline "$pipeline" \
                --format json || st=$?
            ((st <= 1)) || { echo "  !!! qgate check exited $st"; tail -n 5 "$prefix.check.stderr"; CRASHED=1; }
            run_timed "$prefix.runs" "$QGATE" runs --db "$db" || CRASHED=1
            run_timed "$prefix.rule" "$QGATE" trend findings --where 'rule=B1*' --db "$db" || CRASHED=1
        done
        bytes=$(python3 -c 'import os,sys; print(sum(os.path.getsize(p) for p in sys.argv[1:] if os.path.exists(p)))' "$db" "$db-wal")
        echo "  trend findings: $(tail -n 1 "$prefix.findings.stdout")"
        echo "  trend coverage: $(tail -n 1 "$prefix.coverage.stdout")"
        python3 - "$size" "$summary" "$bytes" "$backfill" "$(history_median_ms "$prefix.findings.times")" \
            "$(history_median_ms "$prefix.coverage.times")" "$(history_median_ms "$prefix.check.times")" \
            "$(history_median_ms "$prefix.runs.times")" "$(history_median_ms "$prefix.rule.times")" \
            "$(awk 'BEGIN { m = 0 } { if ($3 > m) m = $3 } END { printf "%.0f", m / 1024 }' "$prefix.rule.times")" >>"$tmp/history.md" <<'PY'
import json, sys
size, summary, size_bytes, backfill, findings, coverage, check, runs, rule, rule_rss = sys.argv[1:]
doc = json.loads(summary)
print(f"| {int(size):,} | {doc['findings']:,} | {int(size_bytes) / 1e6:.0f} | {int(size_bytes) / int(size) / 1024:.1f} | "
      f"{backfill} | {findings} | {coverage} | {check} | {runs} | {rule} | {rule_rss} |")
PY
    done
}

# FLAKY BENCHMARK: a store of BENCH_FLAKY_RUNS runs (default 10,000) x BENCH_FLAKY_TESTS tests
# (default 1,000), 20 flaky and 3 broken, written by tools/gen-flaky-history.py; then the median
# of BENCH_HISTORY_RUNS of `qgate flaky --last RUNS --format json`, whose ids must be the 20 flaky.
BENCH_FLAKY_RUNS=${BENCH_FLAKY_RUNS:-10000}
BENCH_FLAKY_TESTS=${BENCH_FLAKY_TESTS:-1000}

bench_flaky() {
    local db="$tmp/flaky.db" prefix="$tmp/flaky" summary i
    echo "== flaky: $BENCH_FLAKY_RUNS runs x $BENCH_FLAKY_TESTS tests (tools/gen-flaky-history.py --seed 42)"
    rm -f "$db" "$db-wal" "$db-shm"
    "$QGATE" ingest --db "$db" --commit schema --pipeline schema fixtures/reports/main/coverage.xml >/dev/null 2>&1 \
        || die "could not create the flaky store's schema"
    summary=$(python3 tools/gen-flaky-history.py "$db" --runs "$BENCH_FLAKY_RUNS" --tests "$BENCH_FLAKY_TESTS" --seed 42) \
        || die "gen-flaky-history.py failed"
    echo "  generated in $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$summary") s"
    for ((i = 1; i <= BENCH_HISTORY_RUNS; i++)); do
        run_timed "$prefix" "$QGATE" flaky --db "$db" --last "$BENCH_FLAKY_RUNS" --format json || CRASHED=1
    done
    python3 - "$summary" "$prefix.stdout" "$BENCH_FLAKY_RUNS" "$BENCH_FLAKY_TESTS" "$(history_median_ms "$prefix.times")" \
        >"$tmp/flaky.md" <<'PY'
import json, sys
summary, out, runs, tests, ms = sys.argv[1:]
expected = json.loads(summary)["flaky"]
found = [t["id"] for t in json.load(open(out))["tests"]]
verdict = "the 20 flaky tests, no others" if sorted(found) == sorted(expected) else f"MISMATCH: {len(found)} listed"
print(f"| {int(runs):,} | {int(tests):,} | {int(runs) * int(tests):,} | {ms} | {verdict} |")
PY
}

# ---------------------------------------------------------------------------------------------
main() {
    build
    ((${#FILES[@]} == 0)) || { generate; install_peers; }
    echo "== qgate: $QGATE  runs per file: $BENCH_RUNS  scale: $BENCH_SCALE  ($(nproc) CPUs, $(uname -m))"
    local f
    for f in "${FILES[@]}"; do
        bench_file "$f"
    done
    ((WANT_HISTORY == 0)) || bench_history
    ((WANT_FLAKY == 0)) || bench_flaky
    if ((WANT_FLAKY)); then
        echo
        echo "## Flaky benchmark (tools/gen-flaky-history.py, seed 42; median of $BENCH_HISTORY_RUNS)"
        echo
        echo "| runs | tests per run | test rows | qgate flaky ms | listed |"
        echo "|---:|---:|---:|---:|---|"
        cat "$tmp/flaky.md"
        if ((${#FILES[@]} == 0 && WANT_HISTORY == 0)); then
            ((CRASHED)) && exit 1
            return 0
        fi
    fi
    if ((WANT_HISTORY)); then
        echo
        echo "## History benchmark (tools/gen-history.py, seed 42; 200 findings, 50 coverage files, 100 tests per run; median of $BENCH_HISTORY_RUNS)"
        echo
        cat "$tmp/history.md"
        echo
        echo "backfill = computing the per-run aggregate tables for the whole store (migration v3, once)."
        if ((${#FILES[@]} == 0)); then
            ((CRASHED)) && exit 1
            return 0
        fi
    fi

    echo
    echo "## Ingest benchmark (scale $BENCH_SCALE, seed 42, best of $BENCH_RUNS runs)"
    echo
    python3 "$tmp/helper.py" table "$tmp/data/manifest.json" "$tmp" "$(IFS=,; echo "${FILES[*]}")" "$HAVE_XMLLINT"
    echo
    echo "qgate = the whole ingest (parse, normalise, fingerprint, store; one transaction, fresh store)."
    echo "floor = parse only, no model (xmllint --stream, python json.load); peer = what a user would run instead"
    echo "(tools/bench-peer.py: junitparser JUnitXml.fromfile, pycobertura Cobertura().line_rate(), sarif-tools' summary)."
    echo "A ratio is the other's seconds over qgate's: above 1.00, qgate is faster. RSS / size = qgate's peak RSS over the file size."
    echo
    echo "The same runs in CPU seconds (user + system, best of $BENCH_RUNS; qgate hashes the file on a second thread):"
    echo
    python3 "$tmp/helper.py" cpu-table "$tmp/data/manifest.json" "$tmp" "$(IFS=,; echo "${FILES[*]}")"
    if ((MISMATCHES)); then
        echo
        echo "!!! $MISMATCHES file(s) with count MISMATCH against manifest.json (see above) !!!"
    else
        echo "counts: all files matched manifest.json"
    fi
    if ((CRASHED)); then
        echo "!!! qgate crashed on at least one file (see above) !!!"
        exit 1
    fi
}

main "$@"
