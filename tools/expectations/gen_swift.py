"""Render compute.py's output as Tests/QGateCoreTests/RealReports/RealReportExpectations.swift.

Usage: python3 compute.py > /tmp/exp.jsonl && python3 gen_swift.py /tmp/exp.jsonl > OUT.swift
The per-entry comments below were written after reading each report by eye.
"""
import json
import sys

# Producer of each Cobertura file (information only; tool is "cobertura" for all, see header).
COMMENTS = {
    # ---------------- flake8
    "junit-flake8/flake8-6.1.0-flake8_junit-report-2.1.0-local-per-file.xml":
        "flake8-junit-report dialect: ONE testcase per file holding several <failure>s; root says errors=2 failures=0\n"
        "(those are files). 8 <failure>: F821 -> high; F401, F841 x3 -> medium; E401, E302, W291 -> low.",
    "junit-flake8/flake8-7.5.0-formatter-0.0.6-local-failures.xml":
        "one testcase per error; the 2 \"Check passed\" testcases are not findings. Same 8 codes as the per-file sample:\n"
        "F821 high; F401, F841 x3 medium; E401, E302, W291 low.",
    "junit-flake8/flake8-formatter-0.0.6-golden-expected.xml":
        "fake code A000 -> low (not E9/F); the \"Check passed\" testcase is not a finding.",
    "junit-flake8/flake8-formatter-2020-clean-run-check-passed-only.xml":
        "87 \"Check passed\" testcases, no <failure>: clean, 0 findings (and no tests).",
    # ---------------- pylint
    "junit-pylint/pylint-2.17.7-pylint_junit-0.2.0-local-error-elements.xml":
        "0.2.0 uses <error> (no classname). 20 testcases with <error>: C0103 x7, C0116 x5, C0303, C0114, C0410 -> 15 low;\n"
        "W0612 x3, W0611 -> 4 medium; E0602 -> 1 high. 6 \"All checks passed\" pseudo testcases ignored. Testcases that\n"
        "share a name (pkg.calc:1:0 x3, pkg.calc:15:4 x2, pkg.util:13:4 x2) are DIFFERENT messages: never dedupe pylint.",
    "junit-pylint/pylint-2.17.7-pylint_junit-0.3.2-local-failure-elements.xml":
        "same 20 messages as the 0.2.0 sample, as <failure>: 15 low (C), 4 medium (W), 1 high (E0602).\n"
        "Same-name testcases are distinct messages (no dedupe).",
    "junit-pylint/pylint-4.1.4-pylint_junit-0.3.5-local-output-format-junit.xml":
        "13 <failure>: C0116 x5, C0303, C0114, C0410 -> 8 low; W0612 x3, W0611 -> 4 medium; E0602 -> 1 high.\n"
        "pkg:0:0 appears twice and pkg.calc:0:0 twice: pseudo \"All checks passed\" testcases, not findings.",
    "junit-pylint/pylint-4.1.4-pylint_junit-0.3.5-local-pkg-and-nonpackage-dir.xml":
        "the 13 messages above + F0010 parse-error (class=fatal) for tests/__init__.py -> high. 7 pseudo testcases ignored.",
    # ---------------- mypy
    "junit-mypy/mypy-1.4.1-local-global-format.xml":
        "one testcase, 3 `error:` lines + 1 `note:` line (the note belongs to the import error, not a finding).",
    "junit-mypy/mypy-2.4.1-local-global-format.xml":
        "one testcase holding 3 `error:` lines.",
    "junit-mypy/mypy-2.4.1-local-per-file-format.xml":
        "per_file format: 2 testcases (pkg/calc.py: 2 errors, pkg/util.py: 1 error).",
    "junit-mypy/mypy-py3_11-darwin-global-failure-with-notes.xml":
        "2 `error:` lines; the 3 `note:` lines after the first error are not findings.",
    "junit-mypy/mypy-py3_11-linux-messages-without-line-numbers.xml":
        "`path: error: Duplicate module ...` has no line number: still 1 finding; its 2 `note:` lines are not.",
    "junit-mypy/mypy-py3_12-linux-blocking-error-errors1-failure-elem.xml":
        "root errors=1 failures=0 but the child is <failure>. Text `error: --install-types ...` (no path) matches\n"
        "the line regex -> 1 finding, medium. (Decision: counted like any error line; qgate may also flag a tool failure.)",
    "junit-mypy/mypy-py3_8-win32-pass-empty-testcase.xml":
        "passing run: one empty testcase = clean. 0 findings, and mypy testcases are not tests.",
    # ---------------- pytest
    "junit-pytest/pytest-2020-xunit1-failure-skipped-prettyprinted.xml":
        "5 testcases: 3 passed, test_rsh_events <failure>, test_get_available_devices <skipped>.",
    "junit-pytest/pytest-2020-xunit1-single-line-many-skipped.xml":
        "97 testcases, 17 <skipped type=\"pytest.skip\">, no failure/error; no duplicate (classname, name).",
    "junit-pytest/pytest-2025-properties-xfail-dorny.xml":
        "tests=\"15\" attribute is wrong: 10 <testcase>. Failed: test_always_fail, test_error (both <failure>).\n"
        "Skipped: test_always_skip (pytest.skip) + test_expected_failure (pytest.xfail). Passed 6, incl. the ones with\n"
        "<properties> and the record_xml_attribute one (classname=custom_classname).",
    "junit-pytest/pytest-9.2.0-local-teardown-error-duplicate-testcase-xpass-strict.xml":
        "5 <testcase>, 4 distinct (classname, name). test_fail_and_teardown_error = <failure> + a 2nd testcase with\n"
        "<error> -> ONE test, error. test_pass_teardown_error -> error. test_xpass_strict (<failure> [XPASS(strict)]) ->\n"
        "failed. test_xpass_nonstrict -> passed.",
    "junit-pytest/pytest-9.2.0-local-xunit2-error-failure-skip-xfail.xml":
        "passed: test_add, test_param[1-1-2], test_output. failed: test_add_fails, test_param[2-3-6].\n"
        "error: test_error_in_fixture (setup). skipped: test_skipped (pytest.skip) + test_xfail (pytest.xfail).",
    "junit-pytest/pytest-testsuites-named-2025.xml":
        "<testsuites name=\"pytest tests\">, one passing test.",
    # ---------------- bandit
    "bandit/bandit-1.9.4-cwe-coloffset-skipped-tests-windows.json":
        "516 results: HIGH 15, MEDIUM 21, LOW 480 (agrees with metrics._totals); errors[] is empty.",
    "bandit/bandit-2019-oauthlib-baseline.json":
        "13 results: MEDIUM 1, LOW 12 (float metrics agree).",
    "bandit/bandit-2020-many-vulns-windows-paths.json":
        "214 results: MEDIUM 155, LOW 59 (metrics agree).",
    "bandit/bandit-2020-no-vuln-int-metrics.json":
        "results: [] -> clean.",
    "bandit/bandit-2020-one-vuln-float-metrics.json":
        "1 result, issue_severity LOW.",
    # ---------------- safety
    "safety/safety-1.x-list-of-lists-5-fields.json":
        "1.x list of lists: 3 inner lists (django 33063, 33064, 33065), no severity -> high each.",
    "safety/safety-2.0.0dev6-with-severity-cvss-remediations.json":
        "JUDGMENT CALL. 44742 has `severity.cvssv3.base_severity` MEDIUM. The other 3 have NO `severity` key; instead\n"
        "`CVE` is an OBJECT {name, cvssv2, cvssv3} (an older dev shape, not in FORMATS.md): 44741 cvssv3 HIGH 7.5,\n"
        "48041 and 48040 cvssv3 CRITICAL 9.8. Decision: read CVSS from the `CVE` object when `severity` is absent ->\n"
        "critical 2, high 1, medium 1. (A parser that only reads `severity` gets high 3, medium 1.)",
    "safety/safety-2.0b1-check-json-report-meta.json":
        "1 vulnerability (insecure-package 25853), severity null -> high (fail-closed).",
    "safety/safety-2.4.0dev-policy-telemetry.json":
        "1 vulnerability (insecure-package 25853), severity null -> high (fail-closed).",
    "safety/safety-3.6.1-scan-output-json-schema-3.0.json":
        "scan_results.files is []; projects[0].files[0] has werkzeug 84324 (ignored: null) -> 1 finding, high\n"
        "(3.x scan has no severity).",
    "safety/safety-3.7.0-check-json-with-deprecation-banner.json":
        "DEPRECATED banner before and after the JSON (first `{` at offset 649). 2 gunicorn vulns (71600, 76244),\n"
        "`ignored: {}` = not ignored, severity null -> high each.",
    # ---------------- SARIF other
    "sarif-other/anchore-scan-action-0.7.3-with-suppressions.sarif":
        "429 results, every one `suppressions: [{kind: external}]` (no status -> suppressed), baselineState unchanged.\n"
        "So 0 counted findings, 429 suppressed (by level they would be 83 high / 346 medium). Every result has\n"
        "ruleIndex 0, which matches only the first rule: resolve by ruleId. Tool is the driver name, lower-cased.",
    "sarif-other/bandit-1.9.3-builtin-sarif-formatter.sarif":
        "1 result B307: no result level, rule has no defaultConfiguration -> \"warning\" -> medium\n"
        "(matches result.properties.issue_severity MEDIUM). No tags -> category lint.",
    "sarif-other/checkov-2.0.418.sarif":
        "20 results, all level error -> high; no security-severity.",
    "sarif-other/checkov-3.2.495-terraform.sarif":
        "4 results (CKV_AWS_382 x2, CKV2_AWS_5 x2), level error -> high. Driver name \"Checkov\".",
    "sarif-other/codeql-2.19.3-extensions-toolComponent.sarif":
        "driver has 0 rules; 2 results py/sql-injection with rule {index: 34, toolComponent: {index: 0}} ->\n"
        "extensions[0] (codeql/python-queries) rule 34, security-severity \"8.8\" -> high, category security.",
    "sarif-other/codeql-2.5.4-python-defectdojo.sarif":
        "72 results, none has a level and no rule has security-severity: by defaultConfiguration.level:\n"
        "error 11 (py/flask-debug 4, sql-injection 2, reflective-xss 2, path-injection 1, call/wrong-arguments 1,\n"
        "call/wrong-named-argument 1) -> high; warning 4 (unreachable-statement) -> medium; note 57 -> low.",
    "sarif-other/codeql-action-testdata-multi-run-lgtm-codeql.sarif":
        "2 runs. Run 1 \"LGTM.com\": 1 result; run 2 \"CodeQL command-line toolchain\": 2 results. All rules default\n"
        "level note -> low (problem.severity is ignored). DECISION: `tool` holds the FIRST run's driver name; findings of\n"
        "run 2 carry tool \"codeql command-line toolchain\" (1 + 2 = 3 findings).",
    "sarif-other/dockle-0.3.15-no-locations.sarif":
        "4 results without locations: CIS-DI-0010 error -> high; 3 note -> low.",
    "sarif-other/edge-no-runs.sarif":
        "runs: [] -> valid and clean. DECISION: no driver to name, so tool is \"unknown\".",
    "sarif-other/flawfinder-2.0.19.sarif":
        "54 results; 1 is kind \"pass\" (FF1013) -> not a finding. high 2: FF1021 level error + FF1048 kind \"fail\" with\n"
        "no level (rule default error). medium 1: FF1048 level warning. low 50: level note.",
    "sarif-other/grype-0.34.7-security-severity.sarif":
        "22 results, no level; numeric security-severity per rule: 9.8 -> 1 critical; 7.8 x6 + 7.5 x5 -> 11 high;\n"
        "6.5, 6.1 x2, 5.3 -> 4 medium; 2.1 x6 -> 6 low.",
    "sarif-other/semgrep-oss-1.69.0.sarif":
        "77 results, no level; security-severity is a WORD: CRITICAL 34, HIGH 1, MEDIUM 42.",
    "sarif-other/shiftleft-scan-python-baselineState.sarif":
        "11 results, all baselineState \"new\" (counted). taint-xmli error x7 + taint-file-write error -> 8 high;\n"
        "taint-basic-xss no level -> rule default warning -> medium; taint-idor note x2 -> low.",
    "sarif-other/spec-example-suppressions.sarif":
        "5 results, no levels anywhere -> warning -> medium. TST0001/TST0002 {kind: external} and TST0003\n"
        "{kind: inSource}, no status -> suppressed 3. TST0004 (no suppressions) and TST0005 ([]) -> 2 findings.",
    # ---------------- Trivy
    "sarif-trivy/trivy-0.49.1-image-language-pkgs.sarif":
        "21 results; Trivy tag CRITICAL 13, HIGH 8 (security-severity would agree here).",
    "sarif-trivy/trivy-0.67.2-fs-requirements-rootpath.sarif":
        "2 results, tag HIGH (security-severity 7.5 and 8.2).",
    "sarif-trivy/trivy-0.68.2-empty-clean-scan.sarif":
        "rules: [], results: [] -> clean.",
    "sarif-trivy/trivy-2020-11-template-debian-buster.sarif":
        "99 results, EVERY level \"error\" (ruleId \"[LOW] CVE-...\"); severity from the tag (tags[1] here, not tags[2]):\n"
        "HIGH 5, MEDIUM 23, LOW 71. (By level alone all 99 would be high.)",
    "sarif-trivy/trivy-2021-12-template-sarif-tpl.sarif":
        "8 results; tags MEDIUM 6, LOW 2.",
    "sarif-trivy/trivy-2021-template-multi-ecosystem-fs.sarif":
        "124 results; ruleIndex is WRONG for 60 (rules[idx].id != ruleId) -> resolve by ruleId. Tags: CRITICAL 27,\n"
        "HIGH 37, MEDIUM 46, LOW 3, UNKNOWN 11 -> info. (Trusting ruleIndex gives 56/40/25/3/0.) No `Severity:` text.",
    "sarif-trivy/trivy-2022-01-first-gocode.sarif":
        "4 results, tag MEDIUM.",
    "sarif-trivy/trivy-2023-04-gocode-image-metadata.sarif":
        "4 results, tag MEDIUM.",
    "sarif-trivy/trivy-dev-2026-alpine310-image-vulns.sarif":
        "4 results, tag MEDIUM (cvss* properties present; security-severity 5.3 agrees).",
    # ---------------- Cobertura
    "cobertura/cobertura-1.9-java-commented-doctype-windows-source.xml":
        "Cobertura 1.9 (Java). Lines duplicated under <method>: ignored. Main + Main$Helper share Main.java (11 + 4\n"
        "lines, all hit); BinarySearch 12 lines (line 24 hits 0), 3 branch lines 2+1+2 of 6; LinearSearch 7 lines\n"
        "(19, 24 at 0), 3 branch lines 1+2+1 of 6. ISortedArraySearch.java has an empty <lines>: counted as a file\n"
        "(files = 4; 3 if only files with lines are counted).",
    "cobertura/coveragepy-3.6-doctype03-no-sources.xml":
        "10 lines, odd ones hit. Root line-rate 0.8792 disagrees (trimmed fixture): recomputed values win.",
    "cobertura/coveragepy-6.3.2-branch-missing-branches.xml":
        "dummy.py 4 lines (line 5 at 0), line 2 \"50% (1/2)\"; __init__.py has <lines/>: counted as a file\n"
        "(files = 2; 1 if only files with lines are counted). Matches root lines 4/3, branches 2/1.",
    "cobertura/coveragepy-7.12.0-no-doctype.xml":
        "6 classes/files; recomputed 462/191 equals the root attributes; no branch data.",
    "cobertura/dotnet-bom-multiline-source.xml":
        "UTF-8 BOM; 1 class Sample.cs, 12 lines, 9 hit (23-25 at 0); method lines ignored.",
    "cobertura/gcovr-3.3-doc-example.xml":
        "example.cpp 7 lines (7 at 0); line 5 \"50% (1/2)\" -> 2/1.",
    "cobertura/gcovr-8.6-windows-empty-source.xml":
        "main.cpp 9 lines, 7 hit; lines 5 and 18 \"50% (1/2)\" -> 4/2; method lines ignored.",
    "cobertura/gcovr-8.8-local-github-dtd-conditions.xml":
        "lib.h 1 + main.c 6 + src/lib.c 8 lines (13, 14 at 0). Branches from condition-coverage: 1/2, 2/2, 2/4 ->\n"
        "8/5. Note line 10 says (2/4) but has ONE <condition coverage=\"50%\">: condition-coverage must win.",
    "cobertura/istanbul-coffeescript-class-directly-under-packages.xml":
        "<class> directly under <packages>: 8 lines (10 at 0), line 7 \"50% (1/2)\". <method> lines ignored.",
    "cobertura/luacov-no-xmldecl-backslash-paths.xml":
        "\".\\scripts\\maths.lua\" normalizes to scripts/maths.lua (8 lines, 12 at 0) + tests/test.lua (3 lines).",
}


def swift_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    recs = [json.loads(l) for l in open(sys.argv[1])]
    order = ["junit-flake8", "junit-pylint", "junit-mypy", "junit-pytest", "bandit", "safety",
             "sarif-trivy", "sarif-other", "cobertura"]
    recs.sort(key=lambda r: (order.index(r["path"].split("/")[0]), r["path"]))
    valid, malformed = [], []
    for r in recs:
        if "parse_error" in r:
            malformed.append(r)
            continue
        valid.append(r)
    out = []
    w = out.append
    w(HEADER)
    w("enum RealReports {")
    w("    static let valid: [RealReportExpectation] = [")
    folder = None
    for r in valid:
        f = r["path"].split("/")[0]
        if f != folder:
            w(f"        // MARK: {f}")
            folder = f
        c = COMMENTS.get(r["path"])
        assert c, r["path"]
        for line in c.split("\n"):
            w(f"        // {line}")
        tool = r.get("tool")
        if r["format"] == "sarif":
            tools = r["runs_tools"]
            tool = tools[0] if tools else "unknown"
        if r["format"] == "cobertura":
            tool = "cobertura"
        args = [f"path: {swift_str(r['path'])}", f"format: {swift_str(r['format'])}", f"tool: {swift_str(tool)}"]
        if "findings" in r:
            fc = r["findings"]
            args.append("findings: FindingCounts(" + ", ".join(
                f"{k}: {fc[k]}" for k in ["total", "critical", "high", "medium", "low", "info", "suppressed"]) + ")")
        if "tests" in r:
            t = r["tests"]
            args.append("tests: TestCounts(" + ", ".join(
                f"{k}: {t[k]}" for k in ["total", "passed", "failed", "errors", "skipped", "flaky"]) + ")")
        if "coverage" in r:
            cv = r["coverage"]
            args.append("coverage: CoverageCounts(" + ", ".join(
                f"{k}: {cv[k]}" for k in ["files", "linesValid", "linesCovered", "branchesValid", "branchesCovered"]) + ")")
        if r.get("toolErrors"):
            args.append(f"toolErrors: {r['toolErrors']}")
        w("        RealReportExpectation(")
        w("            " + ",\n            ".join(args) + "),")
    w("    ]")
    w("")
    w("    /// Reports that must be rejected as unparseable (never read as \"0 tests\"). Position = libxml2's first")
    w("    /// fatal error (`xmllint --noout`), 1-based line and column.")
    w("    static let malformed: [(path: String, line: Int, column: Int)] = [")
    for r in malformed:
        assert r["path"] == "junit-pytest/edge-truncated-corrupt.xml"
        w("        // Truncated inside <skipped> (\"...only\\n                suppo\", no final newline). libxml2:")
        w("        // \"Premature end of data in tag skipped line 9\" at 11:22. (Python's expat says line 11, column 21: 0-based.)")
        w(f"        (path: {swift_str(r['path'])}, line: 11, column: 22),")
    w("    ]")
    w("}")
    print("\n".join(out))


HEADER = '''// Generated by tools/expectations/gen_swift.py from tools/expectations/compute.py, then checked by eye
// against each file in shared/real-reports (see PROVENANCE.md there). Do not edit the numbers by hand:
// fix the scripts (or the decision) and regenerate.
//
// Semantics (SPEC.md §2-3, FORMATS.md, plus project decisions):
// - JUnit tests: every <testcase> at any depth; outcome error > failure > skipped > passed; duplicate
//   (classname, name) collapse into one test with the worst outcome; pytest.xfail counts as skipped;
//   flaky/rerun children without failure/error -> flaky. Count attributes are never used.
// - flake8: a finding per <failure> (E9/F63/F7/F82 high, other F medium, rest low). pylint: a finding per
//   testcase with <failure>/<error> (F/E high, W medium, R/C low, I info). mypy: a finding per `error:` line
//   (medium); `note:` lines are not findings; DECISION: `warning:` lines would be findings, severity low
//   (no sample has one). flake8/pylint/mypy reports produce no tests.
// - bandit: one finding per results[] entry; toolErrors = errors[] entries.
// - safety: one finding per (package, advisory id); CVSS v3 word, else v3 score, else v2 score, else high.
//   Ignored ones count as suppressed (no sample has any).
// - SARIF: every run; kind present and != "fail" and baselineState "absent" are not findings; suppressed
//   (any suppression with status absent/"accepted") counted only in `suppressed`. Trivy: its own severity
//   word from the rule tags (UNKNOWN -> info). Others: security-severity (number bands or word), else
//   result.level / rule defaultConfiguration.level / "warning". Rules resolved via rule.toolComponent ->
//   extensions, else ruleIndex only if rules[idx].id == ruleId, else by ruleId (then prefix before '/').
//   `tool` = tool.driver.name lower-cased (first run's, for multi-run files).
// - Cobertura: only class/lines/line; merged by (normalized filename, line) with max hits; branches from
//   condition-coverage "(a/b)" (no sample needs the <condition> fallback; DECISION if it is ever needed:
//   each <condition> = 2 branches, covered = coverage% x 2, rounded). `files` = distinct normalized class
//   filenames, INCLUDING classes with no <line> (DECISION). DECISION: `tool` is "cobertura" for every
//   Cobertura file: the XML does not name its producer reliably (Cobertura 1.9 Java and LuaCov both claim
//   version="1.9"; coverage.py 3.6 says version="3.6").

import Testing

/// Counts worked out by reading each real report (not by running qgate); see tools/expectations/.
struct FindingCounts: Sendable, Equatable { var total = 0, critical = 0, high = 0, medium = 0, low = 0, info = 0, suppressed = 0 }
struct TestCounts: Sendable, Equatable { var total = 0, passed = 0, failed = 0, errors = 0, skipped = 0, flaky = 0 }
struct CoverageCounts: Sendable, Equatable { var files = 0, linesValid = 0, linesCovered = 0, branchesValid = 0, branchesCovered = 0 }
struct RealReportExpectation: Sendable, CustomTestStringConvertible {
    let path: String            // relative to shared/real-reports, e.g. "junit-mypy/mypy-2.4.1-local-global-format.xml"
    let format: String
    let tool: String
    var findings = FindingCounts()   // total excludes suppressed
    var tests = TestCounts()
    var coverage: CoverageCounts? = nil
    var toolErrors = 0               // bandit errors[] entries; 0 elsewhere
    var testDescription: String { path }
}
'''

if __name__ == "__main__":
    main()
