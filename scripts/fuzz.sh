#!/usr/bin/env bash
# Coverage-guided fuzzing of qgate's parsers with libFuzzer. Run by `make fuzz` (never by
# `make test`).
#
#   1. builds one fuzz executable per parser (Package.swift, when QGATE_FUZZ=1: fuzz-junit,
#      fuzz-cobertura, fuzz-sarif, fuzz-bandit, fuzz-safety, fuzz-detect; sources in Fuzz/),
#      release, every Swift module with -sanitize=fuzzer,address (coverage and ASan; the C
#      dependencies are built as usual), into FUZZ_SCRATCH (default .build-fuzz/)
#   2. seeds each target's corpus with the fixtures of its format (fixtures/reports, the
#      crash fixtures of earlier runs in fixtures/fuzz/, and ../shared/real-reports when present)
#   3. runs each target for FUZZ_SECONDS, one after the other, and prints a table: runs,
#      coverage, corpus growth, and what was found
#
# A crash, a leak, a Swift trap, a timeout or an error that is not an IngestError leaves its
# input in FUZZ_SCRATCH/artifacts/<target>/. Copy it to fixtures/fuzz/<target>/ after fixing the
# bug: `make test` reads every file there (Tests/QGateCoreTests/Ingest/FuzzRegressionTests.swift).
#
# Environment:
#   FUZZ_SECONDS=60            time per target
#   FUZZ_TARGETS="junit ..."   which targets (default: all six)
#   FUZZ_MAX_LEN=65536         largest input libFuzzer makes
#   FUZZ_SKIP_BUILD=0          1 = use the executables already built
#   FUZZ_SCRATCH=.build-fuzz   the build folder
#
# Exit status: 0 when no target found anything, 1 when one did, 2 when it could not run.

set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-junit cobertura sarif bandit safety detect}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-65536}
FUZZ_SKIP_BUILD=${FUZZ_SKIP_BUILD:-0}
SCRATCH=${FUZZ_SCRATCH:-"$ROOT/.build-fuzz"}
REAL=${QGATE_REAL_REPORTS:-"$ROOT/../shared/real-reports"}

die() { echo "fuzz: $*" >&2; exit 2; }
[[ "$FUZZ_SECONDS" =~ ^[1-9][0-9]*$ ]] || die "FUZZ_SECONDS must be a positive integer (got '$FUZZ_SECONDS')"

export QGATE_FUZZ=1
# The Swift runtime keeps type metadata until exit, which LeakSanitizer reports as leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
BUILD=(swift build --scratch-path "$SCRATCH" -c release -Xswiftc -sanitize=fuzzer,address)
if [[ "$FUZZ_SKIP_BUILD" != 1 ]]; then
    echo "== building the fuzz targets (release, -sanitize=fuzzer,address) into $SCRATCH"
    mkdir -p "$SCRATCH"
    log="$SCRATCH/fuzz-build.log"
    for target in $FUZZ_TARGETS; do
        # One product at a time: the qgate executable has a main() of its own. SwiftPM links an
        # executable with `--defsym main=<module>_main` (its entry point renamed for testing),
        # which a libFuzzer target does not have (libFuzzer brings main()): the first build
        # compiles everything and fails at that link; the link is then run again without it.
        "${BUILD[@]}" --product "fuzz-$target" >>"$log" 2>&1 || true
        link=$("${BUILD[@]}" -v --product "fuzz-$target" 2>>"$log" | grep -e '-emit-executable' | grep -e "/fuzz-$target " | tail -1 || true)
        if [[ -n "$link" ]]; then
            eval "${link//-Xlinker --defsym -Xlinker main=fuzz_${target}_main/}" >>"$log" 2>&1 \
                || die "linking fuzz-$target failed (full log: $log)"
        fi
    done
fi
BIN=$("${BUILD[@]}" --show-bin-path)

# The seed files of a target: the fixtures of its format, and the crash fixtures of earlier runs.
seeds() {
    local target=$1
    case "$target" in
        junit) find fixtures/reports -name '*.xml' ! -name 'coverage.xml'
               [[ -d "$REAL" ]] && find "$REAL"/junit-* -name '*.xml' ;;
        cobertura) find fixtures/reports -name 'coverage.xml'
               [[ -d "$REAL" ]] && find "$REAL/cobertura" -name '*.xml' ;;
        sarif) find fixtures/reports -name '*.sarif'
               [[ -d "$REAL" ]] && find "$REAL"/sarif-* -name '*.sarif' ;;
        bandit) find fixtures/reports -name 'bandit*.json' -o -name 'many-*.json'
               [[ -d "$REAL" ]] && find "$REAL/bandit" -name '*.json' ;;
        safety) find fixtures/reports -name 'safety*.json'
               [[ -d "$REAL" ]] && find "$REAL/safety" -name '*.json' ;;
        detect) find fixtures/reports -type f ! -name VERSIONS.txt
               [[ -d "$REAL" ]] && find "$REAL" -type f ! -name PROVENANCE.md ;;
    esac
    [[ -d "fixtures/fuzz/$target" ]] && find "fixtures/fuzz/$target" -type f
    return 0
}

results="$SCRATCH/results.tsv"
: >"$results"
found_any=0
for target in $FUZZ_TARGETS; do
    exe="$BIN/fuzz-$target"
    [[ -x "$exe" ]] || die "no executable $exe (unknown target '$target'?)"
    corpus="$SCRATCH/corpus/$target"
    artifacts="$SCRATCH/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    seeds "$target" | while read -r file; do cp "$file" "$corpus/seed-$(basename "$file")"; done
    before=$(find "$corpus" -type f | wc -l)
    echo "== fuzz-$target for ${FUZZ_SECONDS}s ($before inputs in the corpus)"
    log="$SCRATCH/fuzz-$target.log"
    status=0
    # -rss_limit_mb: a parser that needs more than 2 GB for a 64 KB input is a finding.
    "$exe" "$corpus" -max_total_time="$FUZZ_SECONDS" -max_len="$FUZZ_MAX_LEN" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
    after=$(find "$corpus" -type f | wc -l)
    crashes=$(find "$artifacts" -type f | wc -l)
    if [[ $status -ne 0 || $crashes -gt 0 ]]; then
        found_any=1
        finding="$crashes input(s) in $artifacts (exit $status; log $log)"
        grep -m3 -E 'ERROR|Fatal error|fatal error|panic' "$log" | sed 's/^/   /' || true
    else
        finding="nothing"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "fuzz-$target" "$FUZZ_SECONDS" "$runs" "$cov" "$ft" "$before → $after" "$finding" >>"$results"
done

echo
echo "| target | seconds | inputs run | edges (cov) | features (ft) | corpus | found |"
echo "|---|---:|---:|---:|---:|---|---|"
while IFS=$'\t' read -r target secs runs cov ft corpus finding; do
    echo "| $target | $secs | $runs | $cov | $ft | $corpus | $finding |"
done <"$results"
exit $found_any
