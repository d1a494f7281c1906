"""Independent oracle for qgate's real-report tests.

Computes, from /work/shared/real-reports, the counts a correct parser must produce,
following SPEC.md sections 2-3, FORMATS.md and the project's decisions (see the brief
quoted in RealReportExpectations.swift). Written without reading qgate's code.

Usage: python3 compute.py [REPORTS_DIR]   -> prints one JSON object per file
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, OrderedDict

ROOT = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/real-reports"
SEVS = ["critical", "high", "medium", "low", "info"]


def local(tag):
    return tag.rsplit("}", 1)[-1]


def findings(sev_list, suppressed=0):
    c = Counter(sev_list)
    out = OrderedDict(total=len(sev_list))
    for s in SEVS:
        out[s] = c.get(s, 0)
    out["suppressed"] = suppressed
    unknown = set(c) - set(SEVS)
    assert not unknown, unknown
    return out


# ---------------------------------------------------------------- JUnit
def testcases(root):
    return [e for e in root.iter() if local(e.tag) == "testcase"]


def children(tc, *names):
    return [c for c in tc if local(c.tag) in names]


RANK = {"passed": 0, "flaky": 1, "skipped": 2, "failed": 3, "errors": 4}


def pytest_counts(root):
    # outcome per testcase; duplicates by (classname, name) collapse to the worst
    best = OrderedDict()
    for tc in testcases(root):
        if children(tc, "error"):
            o = "errors"
        elif children(tc, "failure"):
            o = "failed"
        elif children(tc, "skipped"):
            o = "skipped"
        elif children(tc, "flakyFailure", "rerunFailure", "flakyError", "rerunError"):
            o = "flaky"
        else:
            o = "passed"
        key = (tc.get("classname"), tc.get("name"))
        if key not in best or RANK[o] > RANK[best[key]]:
            best[key] = o
    c = Counter(best.values())
    out = OrderedDict(total=len(best))
    for k in ["passed", "failed", "errors", "skipped", "flaky"]:
        out[k] = c.get(k, 0)
    out["raw_testcases"] = len(testcases(root))
    return out


def flake8_sev(code):
    if code.startswith(("E9", "F63", "F7", "F82")):
        return "high"
    if code.startswith("F"):
        return "medium"
    return "low"


def flake8_findings(root):
    sevs, codes = [], []
    for tc in testcases(root):
        for f in children(tc, "failure"):
            t = f.get("type") or ""
            m = re.match(r"flake8 ([A-Z]+\d+)", t)  # flake8_junit converter: type="flake8 F401"
            if not m:
                m = re.match(r".*?:\d+:\d+: ([A-Z]+\d+) ", f.get("message") or "")  # formatter
            if not m:
                m = re.match(r"([A-Z]+\d+)[ ,]", f.get("message") or "")
            if not m:
                m = re.match(r"([A-Z]+\d+), ", tc.get("name") or "")
            code = m.group(1)
            codes.append(code)
            sevs.append(flake8_sev(code))
    return findings(sevs), Counter(codes)


def pylint_findings(root):
    sevs, ids = [], []
    letter_sev = {"F": "high", "E": "high", "W": "medium", "R": "low", "C": "low", "I": "info"}
    class_sev = {"fatal": "high", "error": "high", "warning": "medium", "refactor": "low",
                 "convention": "low", "info": "info"}
    for tc in testcases(root):
        fe = children(tc, "failure", "error")
        if not fe:
            continue  # "All checks passed for:" pseudo testcases
        text = (fe[0].text or "").strip()
        msgid = text.split(":", 1)[0]
        sev = letter_sev.get(msgid[:1])
        csev = class_sev.get(tc.get("class") or "")
        assert sev and (csev is None or csev == sev), (msgid, tc.get("class"))
        sevs.append(sev)
        ids.append(msgid)
    return findings(sevs), Counter(ids)


MYPY_RE = re.compile(r"^(?:(.+?):(?:(\d+)(?::(\d+))?(?::\d+:\d+)?:)? )?(error|warning|note): (.*)$")


def mypy_findings(root):
    sevs, kinds, skipped_lines = [], Counter(), 0
    for tc in testcases(root):
        for fe in children(tc, "failure", "error"):
            for line in (fe.text or "").splitlines():
                m = MYPY_RE.match(line)
                if not m:
                    if line.strip():
                        skipped_lines += 1
                    continue
                kinds[m.group(4)] += 1
                if m.group(4) == "error":
                    sevs.append("medium")
                elif m.group(4) == "warning":
                    sevs.append("low")  # decision: warning lines are findings, low
    return findings(sevs), dict(kinds, nonmatching=skipped_lines)


# ---------------------------------------------------------------- Cobertura
COND_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s*\((\d+)/(\d+)\)")


def norm_path(p):
    p = p.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def cobertura(root):
    files = set()
    merged = {}  # (file, line) -> [hits, branch(covered, valid) or None]
    fallback_used = 0
    for cls in (e for e in root.iter() if local(e.tag) == "class"):
        fn = norm_path(cls.get("filename") or "")
        files.add(fn)
        for lines in children(cls, "lines"):
            for ln in children(lines, "line"):
                key = (fn, int(ln.get("number")))
                hits = int(ln.get("hits") or 0)
                br = None
                if (ln.get("branch") or "false").lower() == "true":
                    m = COND_RE.match(ln.get("condition-coverage") or "")
                    if m:
                        br = (int(m.group(2)), int(m.group(3)))
                    else:
                        conds = [c for cs in children(ln, "conditions") for c in children(cs, "condition")]
                        if conds:
                            fallback_used += 1
                            # decision: each <condition> counts as 2 outcomes (jump true/false),
                            # covered = round(coverage% * 2 / 100)
                            cov = sum(round(float(c.get("coverage").rstrip("%")) * 2 / 100) for c in conds)
                            br = (cov, 2 * len(conds))
                cur = merged.get(key)
                if cur is None:
                    merged[key] = [hits, br]
                else:
                    cur[0] = max(cur[0], hits)
                    if br is not None and (cur[1] is None or br[0] > cur[1][0]):
                        cur[1] = br
    out = OrderedDict(files=len(files), linesValid=len(merged),
                      linesCovered=sum(1 for v in merged.values() if v[0] > 0),
                      branchesValid=sum(v[1][1] for v in merged.values() if v[1]),
                      branchesCovered=sum(v[1][0] for v in merged.values() if v[1]))
    out["files_with_lines"] = len({k[0] for k in merged})
    out["condition_fallback_lines"] = fallback_used
    return out


# ---------------------------------------------------------------- bandit / safety
def bandit(d):
    m = {"HIGH": "high", "MEDIUM": "medium", "LOW": "low", "UNDEFINED": "info"}
    return findings([m[r["issue_severity"]] for r in d["results"]]), len(d.get("errors") or [])


def score_sev(s):
    s = float(s)
    return "critical" if s >= 9 else "high" if s >= 7 else "medium" if s >= 4 else "low" if s > 0 else "info"


def safety_sev(v):
    sev = v.get("severity") or {}
    if not sev and isinstance(v.get("CVE"), dict):
        # Decision: safety 2.0.0.dev6 sometimes writes no `severity` key but a `CVE` object
        # {name, cvssv2, cvssv3}; the CVSS data is in the report, so it is used.
        sev = v["CVE"]
    v3 = sev.get("cvssv3") or {}
    v2 = sev.get("cvssv2") or {}
    w = (v3.get("base_severity") or "").upper()
    if w in ("CRITICAL", "HIGH", "MEDIUM", "LOW"):
        return w.lower()
    if v3.get("base_score") is not None:
        return score_sev(v3["base_score"])
    if v2.get("base_score") is not None:
        s = float(v2["base_score"])
        return "high" if s >= 7 else "medium" if s >= 4 else "low"
    return "high"


def is_ignored(v):
    ig = v.get("ignored")
    return ig is True or (isinstance(ig, dict) and len(ig) > 0)


def safety(text):
    i = min(x for x in (text.find("{"), text.find("[")) if x >= 0)
    d, _ = json.JSONDecoder().raw_decode(text, i)
    banner = text[:i].strip() != "" or text[_:].strip() != ""
    seen = set()
    sevs, supp = [], 0
    if isinstance(d, list):  # 1.x
        for row in d:
            key = (row[0].lower(), str(row[4]))
            if key in seen:
                continue
            seen.add(key)
            sevs.append("high")
        return findings(sevs), banner
    if "scan_results" in d:  # 3.x scan
        sr = d["scan_results"]
        flist = list(sr.get("files") or [])
        for p in sr.get("projects") or []:
            flist += p.get("files") or []
        for f in flist:
            for dep in ((f.get("results") or {}).get("dependencies") or []):
                for spec in dep.get("specifications") or []:
                    for kv in ((spec.get("vulnerabilities") or {}).get("known_vulnerabilities") or []):
                        key = (dep["name"].lower(), str(kv["id"]))
                        if key in seen:
                            continue
                        seen.add(key)
                        if is_ignored(kv):
                            supp += 1
                        else:
                            sevs.append("high")
        return findings(sevs, supp), banner
    for v in d.get("vulnerabilities") or []:
        key = (v["package_name"].lower(), str(v["vulnerability_id"]))
        if key in seen:
            continue
        seen.add(key)
        if is_ignored(v):
            supp += 1
        else:
            sevs.append(safety_sev(v))
    for v in d.get("ignored_vulnerabilities") or []:
        key = (v["package_name"].lower(), str(v["vulnerability_id"]))
        if key in seen:
            continue
        seen.add(key)
        supp += 1
    return findings(sevs, supp), banner


# ---------------------------------------------------------------- SARIF
LEVEL_SEV = {"error": "high", "warning": "medium", "note": "low", "none": "info"}
TRIVY_WORDS = {"CRITICAL": "critical", "HIGH": "high", "MEDIUM": "medium", "LOW": "low", "UNKNOWN": "info"}


def resolve_rule(run, res, stats):
    tool = run.get("tool") or {}
    driver = tool.get("driver") or {}
    rules = driver.get("rules") or []
    rid = res.get("ruleId") or (res.get("rule") or {}).get("id")
    rref = res.get("rule") or {}
    tc = rref.get("toolComponent")
    if tc is not None and "index" in tc and rref.get("index") is not None:
        ext = (tool.get("extensions") or [])[tc["index"]]
        stats["via_extension"] += 1
        return (ext.get("rules") or [])[rref["index"]]
    idx = res.get("ruleIndex", rref.get("index"))
    if idx is not None and 0 <= idx < len(rules) and rules[idx].get("id") == rid:
        stats["via_index"] += 1
        return rules[idx]
    if idx is not None:
        stats["index_mismatch"] += 1
    for r in rules:
        if r.get("id") == rid:
            stats["via_id"] += 1
            return r
    if rid and "/" in rid:
        pre = rid.split("/", 1)[0]
        for r in rules:
            if r.get("id") == pre:
                stats["via_prefix"] += 1
                return r
    stats["unresolved"] += 1
    return {}


def is_suppressed(res):
    sup = res.get("suppressions")
    if not sup:
        return False
    return any(s.get("status") in (None, "accepted") for s in sup)


def sarif(d):
    per_run = []
    total_sevs, total_supp = [], 0
    cats = Counter()
    stats = Counter()
    tools = []
    for run in d.get("runs") or []:
        driver = (run.get("tool") or {}).get("driver") or {}
        name = (driver.get("name") or "").lower()
        tools.append(name)
        trivy = name == "trivy"
        for res in run.get("results") or []:
            stats["results"] += 1
            if "kind" in res and res["kind"] != "fail":
                stats["not_fail_kind"] += 1
                continue
            if res.get("baselineState") == "absent":
                stats["absent"] += 1
                continue
            rule = resolve_rule(run, res, stats)
            props = rule.get("properties") or {}
            tags = props.get("tags") or []
            if trivy:
                sev = None
                for t in tags:
                    if t in TRIVY_WORDS:
                        sev = TRIVY_WORDS[t]
                        break
                if sev is None:
                    m = re.search(r"Severity: (\w+)", (res.get("message") or {}).get("text") or "")
                    if m and m.group(1).upper() in TRIVY_WORDS:
                        sev = TRIVY_WORDS[m.group(1).upper()]
                        stats["trivy_sev_from_text"] += 1
                if sev is None:
                    sev = generic_sev(res, rule)
                    stats["trivy_sev_generic"] += 1
                cat = next((t for t in tags if t in ("vulnerability", "misconfiguration", "secret", "license")), None)
                cat = cat or "unknown"
            else:
                sev = generic_sev(res, rule)
                cat = "security" if ("security" in tags or "security-severity" in props) else "lint"
            if is_suppressed(res):
                total_supp += 1
                stats["suppressed"] += 1
                continue
            total_sevs.append(sev)
            cats[cat] += 1
    return findings(total_sevs, total_supp), tools, dict(cats), dict(stats)


def generic_sev(res, rule):
    props = rule.get("properties") or {}
    ss = props.get("security-severity")
    if ss is not None:
        try:
            return score_sev(float(ss))
        except (TypeError, ValueError):
            w = str(ss).strip().upper()
            if w in ("CRITICAL", "HIGH", "MEDIUM", "LOW"):
                return w.lower()
    level = res.get("level") or ((rule.get("defaultConfiguration") or {}).get("level")) or "warning"
    return LEVEL_SEV[level]


# ---------------------------------------------------------------- driver
def main():
    out = []
    for dirpath, _, fnames in sorted(os.walk(ROOT)):
        for fn in sorted(fnames):
            if fn.endswith(".md"):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, ROOT)
            folder = rel.split("/")[0]
            rec = OrderedDict(path=rel)
            try:
                if folder.startswith("junit-"):
                    root = ET.parse(path).getroot()
                    rec["format"] = "junit"
                    if folder == "junit-pytest":
                        rec["tool"] = "pytest"
                        rec["tests"] = pytest_counts(root)
                    elif folder == "junit-flake8":
                        rec["tool"] = "flake8"
                        rec["findings"], rec["codes"] = flake8_findings(root)
                    elif folder == "junit-pylint":
                        rec["tool"] = "pylint"
                        rec["findings"], rec["msgids"] = pylint_findings(root)
                    elif folder == "junit-mypy":
                        rec["tool"] = "mypy"
                        rec["findings"], rec["kinds"] = mypy_findings(root)
                elif folder == "cobertura":
                    rec["format"] = "cobertura"
                    rec["coverage"] = cobertura(ET.parse(path).getroot())
                elif folder == "bandit":
                    rec["format"], rec["tool"] = "bandit-json", "bandit"
                    rec["findings"], rec["toolErrors"] = bandit(json.load(open(path, encoding="utf-8")))
                elif folder == "safety":
                    rec["format"], rec["tool"] = "safety-json", "safety"
                    rec["findings"], rec["banner"] = safety(open(path, encoding="utf-8").read())
                elif folder.startswith("sarif-"):
                    rec["format"] = "sarif"
                    rec["findings"], rec["runs_tools"], rec["categories"], rec["stats"] = sarif(
                        json.load(open(path, encoding="utf-8-sig")))
            except ET.ParseError as e:
                rec["parse_error"] = str(e)
            out.append(rec)
    for r in out:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
