#!/usr/bin/env bash
# The demo: qgate on the shipped fixtures (reports made by the real tools on fixtures/sample),
# in a temporary store: a baseline run on main, then a pull-request run checked against it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
QGATE=${1:-.build/debug/qgate}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QGATE_DB="$work/qgate.db"

echo "== run 1: main (baseline)"
"$QGATE" ingest --commit 1111111111111111111111111111111111111111 --branch main --pipeline demo-1 \
  --root fixtures/sample/main fixtures/reports/main/*.xml fixtures/reports/main/*.json fixtures/reports/main/*.sarif
echo
echo "== run 2: pull request #7 on top of main"
"$QGATE" ingest --commit 2222222222222222222222222222222222222222 --branch feature/bulk-pricing --base-branch main --pr 7 \
  --pipeline demo-2 --root fixtures/sample/pr fixtures/reports/pr/*.xml fixtures/reports/pr/*.json fixtures/reports/pr/*.sarif
echo
echo "== runs"
"$QGATE" runs
