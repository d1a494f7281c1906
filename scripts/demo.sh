#!/usr/bin/env bash
# The demo: qgate on the shipped fixtures (reports made by the real tools on fixtures/sample),
# in a temporary store: a baseline run on main checked against rules/prod.yml, then a
# pull-request run on top of it, checked against the same policy with its diff, so that
# new / fixed / delta show real values. Writes the pull request's Markdown summary to
# .qgate/demo/pr-summary.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
QGATE=${1:-.build/debug/qgate}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QGATE_DB="$work/qgate.db"
out=.qgate/demo
mkdir -p "$out"

# Each section starts with the full command, so it can be copied (paths as the demo has them).
header() { echo "== $1"; shift; echo "\$ qgate $*" | sed "s|$work|\$TMPDIR|g"; }

# A check that fails exits 1: the demo shows it and goes on; anything else (2 = bad input) stops it.
check() {
  set +e
  "$QGATE" check "$@"
  local status=$?
  set -e
  echo "-> exit status $status (0 pass/warn, 1 fail)"
  [ "$status" -le 1 ] || exit "$status"
}

# bandit.sarif is the same scan as bandit.json in another format (kept for the SARIF parser tests).
reports() { ls "fixtures/reports/$1"/*.xml "fixtures/reports/$1"/*.json | grep -v per-file; }

run1=(--policy rules/prod.yml --commit 1111111111111111111111111111111111111111 --branch main --pipeline demo-1
  --root fixtures/sample/main $(reports main))
header "run 1: main, the baseline" check "${run1[@]}"
check "${run1[@]}"
echo
run2=(--policy rules/prod.yml --commit 2222222222222222222222222222222222222222 --branch feature/bulk-pricing
  --base-branch main --pr 7 --pipeline demo-2 --diff fixtures/sample/pr.diff --root fixtures/sample/pr $(reports pr))
header "run 2: pull request #7 on top of main, with its diff" check "${run2[@]}"
check "${run2[@]}"
echo
header "the same run against rules/dev.yml" check --policy rules/dev.yml --commit 2222222222222222222222222222222222222222 --pipeline demo-2 --diff fixtures/sample/pr.diff
check --policy rules/dev.yml --commit 2222222222222222222222222222222222222222 --pipeline demo-2 --diff fixtures/sample/pr.diff
echo
"$QGATE" report --run 2 --policy rules/prod.yml --diff fixtures/sample/pr.diff --format markdown --output "$out/pr-summary.md" >/dev/null
echo "Markdown summary of run 2 (the pull-request comment): $out/pr-summary.md"
echo
header "what changed between the runs" diff 1 2
"$QGATE" diff 1 2
echo
header "every run with the verdict of each policy" runs
"$QGATE" runs
echo
header "findings by severity, every run, oldest first" trend findings --by severity --format table
"$QGATE" trend findings --by severity --format table
