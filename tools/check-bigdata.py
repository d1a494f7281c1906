#!/usr/bin/env python3
"""Independently re-parse the files written by gen-bigdata.py and compare with manifest.json.

Usage: check-bigdata.py DATADIR

Uses only ElementTree.iterparse / json (no code shared with the generator). Also checks shape
details: sha256 and sizes, Cobertura root totals, testsuite attributes, SARIF ruleIndex
consistency / Go escaping / uniqueness, bandit _totals and exact sort_keys+indent=2 layout.
Exit status 0 when everything matches, 1 otherwise. Needs ~0.5 GB RAM at scale 1.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET

problems: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        problems.append(what)
        print(f"  FAIL: {what}")


def compare(name: str, got: dict, want: dict) -> None:
    for k, v in want.items():
        check(got.get(k) == v, f"{name}.{k}: parsed {got.get(k)} != manifest {v}")
    print(f"  {name}: {got}")


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 22), b""):
            h.update(b)
    return h.hexdigest()


COND = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s*\((\d+)/(\d+)\)")


def check_cobertura(path: str, want: dict) -> None:
    files: dict[str, dict[int, list]] = {}
    stack: list[str] = []
    method_lines = 0
    classes = 0
    root_attrs = None
    cur_file = None
    for ev, el in ET.iterparse(path, events=("start", "end")):
        tag = el.tag
        if ev == "start":
            if tag == "coverage":
                root_attrs = dict(el.attrib)
            elif tag == "class":
                classes += 1
                cur_file = el.get("filename")
                files.setdefault(cur_file, {})
            stack.append(tag)
            continue
        stack.pop()
        if tag == "line":
            # stack now ends with ... class, lines   or ... method, lines
            if len(stack) >= 2 and stack[-2] == "method":
                method_lines += 1
            elif len(stack) >= 2 and stack[-2] == "class":
                num = int(el.get("number"))
                hits = int(el.get("hits"))
                b = a = 0
                if el.get("branch") == "true":
                    m = COND.match(el.get("condition-coverage", ""))
                    if m:
                        a, b = int(m.group(2)), int(m.group(3))
                        check(int(m.group(1)) == 100 * a // b, f"cobertura: bad percent {el.get('condition-coverage')}")
                d = files[cur_file]
                old = d.get(num)
                if old is None:
                    d[num] = [hits, b, a]
                else:
                    if (old[1], old[2]) != (b, a):
                        check(False, f"cobertura: inconsistent branch copies {cur_file}:{num}")
                    if hits > old[0]:
                        old[0] = hits
            el.clear()
        elif tag in ("class", "package"):
            el.clear()
    valid = covered = bv = bc = 0
    with_lines = 0
    for d in files.values():
        if d:
            with_lines += 1
        for hits, b, a in d.values():
            valid += 1
            covered += hits > 0
            bv += b
            bc += a
    got = {"files": len(files), "files_with_lines": with_lines, "lines_valid": valid,
           "lines_covered": covered, "branches_valid": bv, "branches_covered": bc}
    compare("cobertura", got, want["counts"])
    info = want.get("info", {})
    check(method_lines == info.get("method_line_elements", method_lines), "cobertura: method line count")
    check(classes == info.get("classes", classes), "cobertura: class count")
    for attr, key in (("lines-valid", "lines_valid"), ("lines-covered", "lines_covered"),
                      ("branches-valid", "branches_valid"), ("branches-covered", "branches_covered")):
        check(root_attrs is not None and int(root_attrs[attr]) == got[key], f"cobertura: root {attr}")
    print(f"  cobertura: {classes} classes, {method_lines} method lines skipped")


def check_pytest(path: str, want: dict) -> None:
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    seen = set()
    dup = 0
    suite = None
    non_ascii = lt = 0
    for ev, el in ET.iterparse(path, events=("start", "end")):
        if ev == "start":
            if el.tag == "testsuite":
                suite = dict(el.attrib)
            continue
        if el.tag == "testcase":
            key = (el.get("classname"), el.get("name"))
            if key in seen:
                dup += 1
            seen.add(key)
            kids = [c.tag for c in el]
            if "error" in kids:
                counts["errors"] += 1
            elif "failure" in kids:
                counts["failed"] += 1
            elif "skipped" in kids:
                counts["skipped"] += 1
            else:
                counts["passed"] += 1
            for c in el:
                t = (c.text or "") + c.get("message", "")
                if "<" in t:
                    lt += 1
                if any(ord(ch) > 127 for ch in t):
                    non_ascii += 1
            el.clear()
    got = {"total": sum(counts.values()), **counts}
    compare("pytest", got, want["counts"])
    check(dup == 0, f"pytest: {dup} duplicate (classname, name)")
    check(suite is not None and int(suite["tests"]) == got["total"] and int(suite["failures"]) == got["failed"]
          and int(suite["errors"]) == got["errors"] and int(suite["skipped"]) == got["skipped"],
          "pytest: testsuite attributes")
    with open(path, "rb") as f:
        data = f.read()
    nl = data.count(b"\n") + 1
    esc = data.count(b"&#10;")
    print(f"  pytest: {nl} physical lines, {esc} '&#10;', "
          f"{lt} children with '<' in text, {non_ascii} with non-ASCII")
    check(lt > 0 and non_ascii > 0 and b"&#10;" in data, "pytest: escapes / non-ASCII present")


SEVMAP = {"CRITICAL": "critical", "HIGH": "high", "MEDIUM": "medium", "LOW": "low", "UNKNOWN": "info"}


def check_sarif(path: str, want: dict) -> None:
    with open(path, "rb") as f:
        raw = f.read()
    check(not any(c in raw for c in (b"<", b">", b"&")), "sarif: raw < > & found (Go escapes them)")
    d = json.loads(raw)
    regen = json.dumps(d, ensure_ascii=False, indent=2).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
    check(regen.encode("utf-8") == raw, "sarif: not byte-identical to a 2-space Go-style re-serialisation")
    got = {"results": 0, "critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0,
           "vulnerability": 0, "misconfiguration": 0, "secret": 0}
    keys = set()
    for run in d["runs"]:
        drv = run["tool"]["driver"]
        check(drv["name"] == "Trivy" and "version" in drv, "sarif: driver")
        rules = drv.get("rules", [])
        ids = [r["id"] for r in rules]
        check(len(ids) == len(set(ids)), "sarif: duplicate rule ids")
        check(run["originalUriBaseIds"]["ROOTPATH"]["uri"] == "file:///", "sarif: ROOTPATH")
        for res in run.get("results", []):
            rule = rules[res["ruleIndex"]]
            check(rule["id"] == res["ruleId"], f"sarif: ruleIndex mismatch {res['ruleId']}")
            tags = rule["properties"]["tags"]
            got["results"] += 1
            got[SEVMAP[tags[2]]] += 1
            got[tags[0]] += 1
            sev_in_text = re.search(r"\nSeverity: (\w+)\n", res["message"]["text"]).group(1)
            check(sev_in_text == tags[2], "sarif: Severity in text != tag")
            loc = res["locations"][0]
            pl = loc["physicalLocation"]
            check(pl["artifactLocation"]["uriBaseId"] == "ROOTPATH", "sarif: uriBaseId")
            k = (res["ruleId"], pl["artifactLocation"]["uri"], loc["message"]["text"], pl["region"]["startLine"])
            check(k not in keys, f"sarif: duplicate result {k}")
            keys.add(k)
    compare("sarif", got, want["counts"])


def check_bandit(path: str, want: dict) -> None:
    with open(path, "rb") as f:
        raw = f.read()
    d = json.loads(raw)
    check(json.dumps(d, sort_keys=True, indent=2).encode() == raw, "bandit: not sort_keys/indent=2 layout")
    got = {"results": 0, "high": 0, "medium": 0, "low": 0, "info": 0}
    m = {"HIGH": "high", "MEDIUM": "medium", "LOW": "low", "UNDEFINED": "info"}
    keys = set()
    for r in d["results"]:
        got["results"] += 1
        got[m[r["issue_severity"]]] += 1
        k = (r["filename"], r["test_id"], r["line_number"])
        check(k not in keys, f"bandit: duplicate {k}")
        keys.add(k)
    compare("bandit", got, want["counts"])
    tot = d["metrics"]["_totals"]
    sums: dict[str, int] = {}
    for fn, mm in d["metrics"].items():
        if fn == "_totals":
            continue
        for k, v in mm.items():
            sums[k] = sums.get(k, 0) + v
    check(sums == tot, "bandit: _totals != sum of files")
    for s in ("HIGH", "MEDIUM", "LOW", "UNDEFINED"):
        check(tot[f"SEVERITY.{s}"] == got[m[s]], f"bandit: _totals SEVERITY.{s}")


CHECKERS = {"cobertura": check_cobertura, "pytest": check_pytest, "sarif": check_sarif, "bandit": check_bandit}


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    datadir = sys.argv[1]
    with open(os.path.join(datadir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    for fname, entry in manifest["files"].items():
        path = os.path.join(datadir, fname)
        print(f"{fname}:")
        t0 = time.perf_counter()
        check(os.path.getsize(path) == entry["bytes"], f"{fname}: size")
        check(sha256(path) == entry["sha256"], f"{fname}: sha256")
        CHECKERS[entry["format"]](path, entry)
        print(f"  ({time.perf_counter() - t0:.1f} s)")
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("all OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
