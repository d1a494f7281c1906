#!/usr/bin/env bash
# `make test`'s second half: runs the built test suite, then ends with one line totalling
# passed / skipped / failed tests and why tests were skipped (Swift Testing prints the reasons
# among thousands of lines). The exit status is the test run's.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SWIFT=${SWIFT:-swift}
log=.build/test-output.log
mkdir -p .build
"$SWIFT" test --skip-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
python3 - "$log" "$status" <<'PY'
import re, sys, collections
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
status = int(sys.argv[2])
total = sum(int(n) for n in re.findall(r"Test run with (\d+) tests? in \d+ suites? (?:passed|failed)", text))
failed = len({m for m in re.findall(r"^✘ Test (.+?) failed after", text, re.M)})
skips = re.findall(r"^\S+ Test (.+?) skipped(?:: \"(.*)\")?\s*$", text, re.M)
reasons = collections.Counter(reason or "no reason given" for _, reason in skips)
xctest = re.findall(r"Executed (\d+) tests?, with (\d+) failures?", text)
if xctest:
    count, failures = map(int, xctest[-1])
    total += count
    failed += failures
passed = max(0, total - failed - len(skips))
why = "; ".join(f"{reason} ({n})" for reason, n in reasons.most_common())
line = f"make test: {passed} passed, {len(skips)} skipped, {failed} failed"
if why:
    line += f" — skipped because: {why}"
if status != 0 and failed == 0:
    line += f" — the test run exited with status {status}"
print(line)
PY
exit "$status"
