#!/usr/bin/env bash
# What each folder may import and call (docs/architecture.md, "Rooms"). Fails naming the file and
# line of every breach. Run by `make lint`.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
breach() { echo "$1: error: $2" >&2; status=1; }

# Modules each folder of QGateCore may import (Foundation everywhere).
declare -A allowed=(
    [Model]="Foundation"
    [Policy]="Foundation Yams"
    [Ingest]="Foundation CLibXML2 Crypto"
    [Store]="Foundation GRDB GRDBSQLite"
    [Evaluate]="Foundation"
    [Report]="Foundation Crypto Glibc"
    [Publish]="Foundation AsyncHTTPClient NIOCore NIOHTTP1"
    [Pipeline]="Foundation"
    [Support]="Foundation"
)

for folder in Sources/QGateCore/*/; do
    name=$(basename "$folder")
    if [[ -z "${allowed[$name]+set}" ]]; then
        breach "$folder" "a folder the architecture does not name; add it to docs/architecture.md and scripts/check-architecture.sh"
        continue
    fi
    while IFS=: read -r file line text; do
        module=$(sed -E 's/^(@testable )?import (struct |class |enum |func )?([A-Za-z0-9_]+).*/\3/' <<<"$text")
        [[ " ${allowed[$name]} " == *" $module "* ]] || breach "$file:$line" "$name/ may not import $module (allowed: ${allowed[$name]})"
    done < <(grep -rnE '^(@testable )?import ' "$folder" --include='*.swift' || true)
done

# The executable parses arguments and calls the core: no database, no process, no evaluation internals.
while IFS=: read -r file line text; do
    module=$(sed -E 's/^import ([A-Za-z0-9_]+).*/\1/' <<<"$text")
    case "$module" in ArgumentParser|Foundation|QGateCore) ;; *) breach "$file:$line" "the qgate executable may not import $module" ;; esac
done < <(grep -rnE '^import ' Sources/qgate --include='*.swift' || true)
while IFS=: read -r file line _; do
    breach "$file:$line" "the qgate executable opens stores only through StoreLocation (no SQLiteStore)"
done < <(grep -rn 'SQLiteStore' Sources/qgate --include='*.swift' || true)

# One place starts processes: Support/Git.swift.
while IFS=: read -r file line _; do
    [[ "$file" == Sources/QGateCore/Support/Git.swift ]] || breach "$file:$line" "only Support/Git.swift starts a process"
done < <(grep -rnE '\bProcess\(\)|Foundation\.Process\b' Sources --include='*.swift' || true)

# The evaluator is pure: no store in Evaluate/ (comments aside).
while IFS=: read -r file line _; do
    breach "$file:$line" "Evaluate/ is pure: it reads a RunSnapshot, never a store"
done < <(grep -rnE '^[^/]*\b(RunStore|SQLiteStore|StoreLocation)\b' Sources/QGateCore/Evaluate --include='*.swift' || true)

# No GRDB outside Store/ (tests of the SQLite store excepted).
while IFS=: read -r file line _; do
    breach "$file:$line" "GRDB is used only in Store/"
done < <(grep -rnE '^import GRDB' Sources --include='*.swift' | grep -v '^Sources/QGateCore/Store/' || true)

exit $status
