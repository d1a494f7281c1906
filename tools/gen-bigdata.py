#!/usr/bin/env python3
"""Generate large, realistic, deterministic report files for qgate benchmarks.

Usage:
    gen-bigdata.py OUTDIR [--seed 42] [--scale 1.0] [--only cobertura,pytest,sarif,bandit]

Writes into OUTDIR (at --scale 1.0, approximate sizes):
    cobertura.xml   ~100 MB  coverage.py 7.x Cobertura (tab indent), plus ~10 % of classes with
                             gcovr/Java-style non-empty <methods> whose lines duplicate class lines,
                             and files split over several <class> elements (overlapping lines)
    pytest.xml      ~30 MB   pytest 8 JUnit xunit2, not pretty-printed (nearly one line)
    trivy.sarif     ~50 MB   Trivy Go-writer SARIF (2-space indent, Go's \\u003c \\u003e \\u0026)
    bandit.json     ~20 MB   bandit 1.9 `-f json` (sort_keys, indent 2)
    manifest.json            byte size, sha256 and the counts a correct parser must reproduce

Deterministic: the same arguments give byte-identical output (one random.Random per format,
seeded from a string; no hash(), no set iteration, no clock). Standard library only.
Files are streamed to disk; XML bodies go to a temporary file first because the root element
carries totals, then header + body are concatenated.

Manifest definitions (see also "definitions" inside manifest.json):
  cobertura: only <class>/<lines>/<line> count (lines under <method> are duplicates);
    lines are merged by (filename, line number) across <class> elements sharing a filename,
    with max hits. lines_valid = distinct (filename, line); lines_covered = those with max hits > 0;
    branches from condition-coverage "NN% (a/b)": valid += b, covered += a per distinct
    (filename, line) (duplicate copies of a branch line are identical, so this is unambiguous).
    files = distinct filenames of <class> elements (including classes with an empty <lines/>);
    files_with_lines = distinct filenames with at least one line.
  pytest: one outcome per <testcase> ((classname, name) pairs are unique, one child at most):
    <failure> -> failed, <error> -> errors, <skipped> (skip and xfail) -> skipped, else passed.
  sarif: one finding per result (no duplicate (ruleId, uri, package@version / line)); severity from
    the rule's properties.tags[2] (CRITICAL/HIGH/MEDIUM/LOW, UNKNOWN -> info), category from tags[0].
    security-severity deliberately disagrees with the tag for some vulnerabilities (as real Trivy).
  bandit: one finding per results[] entry; issue_severity HIGH/MEDIUM/LOW, UNDEFINED -> info.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import time

GENERATOR_VERSION = 1
ALL_FORMATS = ("cobertura", "pytest", "sarif", "bandit")

# --------------------------------------------------------------------------------------------
# shared vocabulary

WORDS = (
    "account admin alert api app archive audit auth backup batch billing bridge broker buffer "
    "cache calendar catalog channel checkout client cluster codec config connector console "
    "contract core cron customer dashboard data decoder delivery device digest dispatch document "
    "domain email encoder engine entity event export feature feed filter flow form gateway graph "
    "handler health helper history hook identity image importer index inventory invoice job "
    "kernel ledger license loader locale logger mailer manager mapper media metrics middleware "
    "migration model monitor network notifier order parser payment pipeline plugin policy pool "
    "portal pricing profile project provider proxy publisher queue quota rate reader receipt "
    "record registry renderer report repository request resolver resource router rule runner "
    "scheduler schema search secret sender session settings shipment signal snapshot storage "
    "stream subscription sync task template tenant throttle ticket token tracker transform "
    "transport upload user util validator vault view webhook worker writer"
).split()

PROSE = (
    "a an the in of to for with when by on is are was may can could allows allow attacker "
    "remote local user crafted request input buffer overflow memory corruption denial service "
    "via function handling parsing header value length check missing improper validation "
    "leads lead to execution arbitrary code information disclosure sensitive data exposure "
    "certain versions before after affected component library module issue vulnerability "
    "exploit trigger null pointer dereference race condition integer underflow out-of-bounds "
    "read write path traversal injection command SQL cross-site scripting bypass authentication "
    "authorization privilege escalation cookie session token certificate verification timing "
    "side channel resource consumption infinite loop regular expression backtracking decompression "
    "archive symlink temporary file permission default configuration"
).split()

NON_ASCII = (
    "données invalides", "Überprüfung fehlgeschlagen", "ошибка разбора", "日本語のテキスト",
    "naïve café résumé", "ñandú ß ø å", "emoji ✓ ✗ → 🚀", "中文字符测试", "Ελληνικά γράμματα",
    "עברית", "العربية",
)


def sentence(rng: random.Random, lo: int, hi: int) -> str:
    n = rng.randint(lo, hi)
    words = [PROSE[rng.randrange(len(PROSE))] for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(sentence(rng, 6, 18) for _ in range(rng.randint(lo, hi)))


def word(rng: random.Random) -> str:
    return WORDS[rng.randrange(len(WORDS))]


def xml_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(s: str) -> str:
    # what xml.etree.ElementTree (used by pytest's junitxml) writes for attribute values
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def cov_rate(hit: int, num: int) -> str:
    # coverage.py xmlreport.rate()
    return "1" if num == 0 else "%.4g" % (hit / num)


class BodyThenHeader:
    """Write the body to OUT.part, then OUT = header + body (the header needs totals)."""

    def __init__(self, path: str):
        self.path = path
        self.part = path + ".part"
        self.f = open(self.part, "w", encoding="utf-8", newline="\n", buffering=1 << 20)

    def write(self, s: str) -> None:
        self.f.write(s)

    def finish(self, header: str, footer: str) -> None:
        self.f.close()
        with open(self.path, "wb") as out:
            out.write(header.encode("utf-8"))
            with open(self.part, "rb") as body:
                shutil.copyfileobj(body, out, 1 << 22)
            out.write(footer.encode("utf-8"))
        os.remove(self.part)


# --------------------------------------------------------------------------------------------
# Cobertura (coverage.py 7.12 shape)

def gen_cobertura(path: str, rng: random.Random, scale: float) -> dict:
    n_files = max(3, round(13000 * scale))
    split_fraction = 0.07      # logical files written as 2-3 <class> elements
    methods_fraction = 0.10    # classes with non-empty <methods> (gcovr / Java style)
    empty_fraction = 0.01      # classes with <lines/> (e.g. empty __init__.py)

    body = BodyThenHeader(path)
    T4, T5, T6 = "\t" * 4, "\t" * 5, "\t" * 6

    # totals for the manifest (distinct (file, line))
    tot_valid = tot_cov = tot_bvalid = tot_bcov = 0
    filenames_all = 0
    files_with_lines = 0
    n_classes = n_packages = 0
    n_method_lines = 0
    n_split_files = 0
    n_overlap_lines = 0
    n_class_lines = 0
    max_hits = 0

    # directory tree -> packages; each package holds 1..4 logical files
    pending: dict[int, list[str]] = {}   # package ordinal -> extra class XML (split parts)
    file_no = 0
    pkg_no = 0
    used_pkg_names: dict[str, int] = {}

    def make_line(num: int, hits: int, b: int, a: int, last_line: int) -> str:
        if b:
            s = f'<line number="{num}" hits="{hits}" branch="true" condition-coverage="{100 * a // b}% ({a}/{b})"'
            if a < b:
                miss = []
                for k in range(b - a):
                    if k == b - a - 1 and rng.random() < 0.15:
                        miss.append("exit")
                    else:
                        miss.append(str(num + 1 + k * 3 + rng.randrange(3)))
                s += f' missing-branches="{",".join(miss)}"'
            return s + "/>"
        return f'<line number="{num}" hits="{hits}"/>'

    def class_xml(name: str, filename: str, items: list, method_prob: float) -> str:
        """items: list of (num, hits, b, a, line_str)."""
        nonlocal n_method_lines, n_class_lines
        valid = len(items)
        cov = bv = bc = 0
        for it in items:
            if it[1] > 0:
                cov += 1
            bv += it[2]
            bc += it[3]
        n_class_lines += valid
        out = [f'{T4}<class name="{name}" filename="{filename}" complexity="0" '
               f'line-rate="{cov_rate(cov, valid)}" branch-rate="{cov_rate(bc, bv)}">\n']
        if valid >= 6 and rng.random() < method_prob:
            out.append(f"{T5}<methods>\n")
            pos = 0
            m = 0
            while pos < valid:
                span = rng.randint(3, 40)
                chunk = items[pos:pos + span]
                pos += span + rng.randint(0, 4)   # gaps: lines outside any method
                mc = sum(1 for it in chunk if it[1] > 0)
                mbv = sum(it[2] for it in chunk)
                mbc = sum(it[3] for it in chunk)
                mname = f"{word(rng)}_{m}" if m else "<init>"
                out.append(f'{T6}<method name="{xml_attr(mname)}" signature="()V" '
                           f'line-rate="{cov_rate(mc, len(chunk))}" '
                           f'branch-rate="{cov_rate(mbc, mbv)}" complexity="0">\n')
                out.append(f"{T6}\t<lines>\n")
                for it in chunk:
                    out.append(f"{T6}\t\t{it[4]}\n")
                out.append(f"{T6}\t</lines>\n{T6}</method>\n")
                n_method_lines += len(chunk)
                m += 1
            out.append(f"{T5}</methods>\n")
        else:
            out.append(f"{T5}<methods/>\n")
        if valid == 0:
            out.append(f"{T5}<lines/>\n")
        else:
            out.append(f"{T5}<lines>\n")
            out.extend(f"{T6}{it[4]}\n" for it in items)
            out.append(f"{T5}</lines>\n")
        out.append(f"{T4}</class>\n")
        return "".join(out)

    def gen_file_lines(n: int) -> list:
        nonlocal max_hits
        rate = 1.0 - 0.9 * rng.random() ** 4 if rng.random() < 0.95 else rng.random() * 0.3
        items = []
        num = rng.randint(1, 4)
        rnd = rng.random
        for _ in range(n):
            r = rnd()
            if r < rate:
                r2 = rnd()
                if r2 < 0.55:
                    hits = 1
                elif r2 < 0.97:
                    hits = 2 + int(r2 * 40)
                elif r2 < 0.99999:
                    hits = int(100 * 10 ** (rnd() * 4))
                else:
                    hits = 3_000_000_000 + rng.randrange(10 ** 9)   # > Int32
                if hits > max_hits:
                    max_hits = hits
            else:
                hits = 0
            if rnd() < 0.16:
                b = 2 if rnd() < 0.88 else rng.randint(3, 6)
                if hits == 0:
                    a = 0
                elif rnd() < 0.62:
                    a = b
                else:
                    a = rng.randint(1, b - 1)
            else:
                b = a = 0
            items.append((num, hits, b, a, make_line(num, hits, b, a, 0)))
            g = rnd()
            num += 1 if g < 0.6 else (2 if g < 0.85 else rng.randint(3, 9))
        return items

    while file_no < n_files:
        depth = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))
        parts = ["acme"] + [word(rng) for _ in range(depth)] if depth else []
        dirpath = "/".join(parts)
        base_pkg = ".".join(parts) if parts else "."
        k = used_pkg_names.get(base_pkg, 0)
        used_pkg_names[base_pkg] = k + 1
        if k:  # distinct directory per package
            parts = parts[:-1] + [f"{parts[-1]}{k}"] if parts else [f"extra{k}"]
            dirpath = "/".join(parts)
            base_pkg = ".".join(parts)
        pkg_classes: list[str] = []
        for _ in range(rng.randint(1, 4)):
            if file_no >= n_files:
                break
            file_no += 1
            stem = f"{word(rng)}_{file_no}"
            if rng.random() < 0.002:
                stem = f"traducción_{file_no}"
            fname = f"{stem}.py"
            filename = f"{dirpath}/{fname}" if dirpath else fname
            filenames_all += 1
            if rng.random() < empty_fraction:
                pkg_classes.append(class_xml(fname, filename, [], 0.0))
                continue
            n = int(rng.expovariate(1 / 150)) + 3
            if n > 2500:
                n = 2500
            items = gen_file_lines(n)
            files_with_lines += 1
            for it in items:
                if it[1] > 0:
                    tot_cov += 1
                tot_bvalid += it[2]
                tot_bcov += it[3]
            tot_valid += len(items)

            if len(items) >= 20 and rng.random() < split_fraction:
                n_split_files += 1
                nparts = rng.randint(2, 3)
                cuts = sorted(rng.sample(range(5, len(items) - 5), nparts - 1))
                bounds = [0] + cuts + [len(items)]
                chunks = []
                for p in range(nparts):
                    lo, hi = bounds[p], bounds[p + 1]
                    if p + 1 < nparts:
                        hi = min(len(items), hi + rng.randint(1, 6))   # overlap with next part
                    chunks.append([lo, list(items[lo:hi])])
                # a line present in two parts: one copy (either one) gets lower hits, possibly 0;
                # merging by max restores the true value. Branch lines stay identical in both.
                for p in range(1, nparts):
                    plo, prev = chunks[p - 1]
                    lo, cur = chunks[p]
                    for j in range(0, min(plo + len(prev) - lo, len(cur))):
                        n_overlap_lines += 1
                        num, hits, b, a, s = cur[j]
                        if b == 0 and hits > 0:
                            newhits = 0 if rng.random() < 0.5 else hits // 2
                            red = (num, newhits, 0, 0, f'<line number="{num}" hits="{newhits}"/>')
                            if rng.random() < 0.5:
                                cur[j] = red
                            else:
                                prev[lo - plo + j] = red
                for p, (lo, chunk) in enumerate(chunks):
                    cname = fname if p == 0 else f"{fname}${p}"
                    xml = class_xml(cname, filename, chunk, methods_fraction)
                    if p == 0:
                        pkg_classes.append(xml)
                    else:
                        target = pkg_no + rng.randint(0, 3)   # same or a later package
                        pending.setdefault(target, []).append(xml)
            else:
                pkg_classes.append(class_xml(fname, filename, items, methods_fraction))
        pkg_classes.extend(pending.pop(pkg_no, []))
        write_package(body, base_pkg, pkg_classes)
        n_classes += len(pkg_classes)
        n_packages += 1
        pkg_no += 1
    # split parts scheduled after the last package
    leftovers = [x for key in sorted(pending) for x in pending[key]]
    if leftovers:
        write_package(body, "zz_leftover", leftovers)
        n_classes += len(leftovers)
        n_packages += 1

    header = (
        '<?xml version="1.0" ?>\n'
        f'<coverage version="7.12.0" timestamp="{1764597019153 + rng.randrange(10 ** 6)}" '
        f'lines-valid="{tot_valid}" lines-covered="{tot_cov}" line-rate="{cov_rate(tot_cov, tot_valid)}" '
        f'branches-covered="{tot_bcov}" branches-valid="{tot_bvalid}" '
        f'branch-rate="{cov_rate(tot_bcov, tot_bvalid)}" complexity="0">\n'
        "\t<!-- Generated by coverage.py: https://coverage.readthedocs.io/en/7.12.0 -->\n"
        "\t<!-- Based on https://raw.githubusercontent.com/cobertura/web/master/htdocs/xml/coverage-04.dtd -->\n"
        "\t<sources>\n\t\t<source>/home/runner/work/proj/proj/src</source>\n\t</sources>\n"
        "\t<packages>\n"
    )
    body.finish(header, "\t</packages>\n</coverage>\n")
    return {
        "counts": {
            "files": filenames_all,
            "files_with_lines": files_with_lines,
            "lines_valid": tot_valid,
            "lines_covered": tot_cov,
            "branches_valid": tot_bvalid,
            "branches_covered": tot_bcov,
        },
        "info": {
            "packages": n_packages,
            "classes": n_classes,
            "class_line_elements": n_class_lines,
            "method_line_elements": n_method_lines,
            "split_files": n_split_files,
            "overlapping_line_copies": n_overlap_lines,
            "max_hits": max_hits,
        },
    }


def write_package(body: BodyThenHeader, name: str, classes: list[str]) -> None:
    # package rates from its class elements (sanity values only, like real tools)
    body.write(f'\t\t<package name="{name}" line-rate="{_pkg_rate(classes, "line-rate")}" '
               f'branch-rate="{_pkg_rate(classes, "branch-rate")}" complexity="0">\n\t\t\t<classes>\n')
    for c in classes:
        body.write(c)
    body.write("\t\t\t</classes>\n\t\t</package>\n")


def _pkg_rate(classes: list[str], attr: str) -> str:
    vals = []
    for c in classes:
        i = c.index(f' {attr}="') + len(attr) + 3
        vals.append(float(c[i:c.index('"', i)]))
    return "%.4g" % (sum(vals) / len(vals)) if vals else "1"


# --------------------------------------------------------------------------------------------
# pytest JUnit (pytest 8, xunit2, not pretty-printed)

def gen_pytest(path: str, rng: random.Random, scale: float) -> dict:
    n_tests = max(20, round(96000 * scale))
    body = BodyThenHeader(path)
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    n_system_out = n_xfail = 0
    total_time = 0.0
    made = 0
    module_no = 0
    root = "/home/runner/work/proj/proj"
    while made < n_tests:
        module_no += 1
        area = rng.choice(("unit", "unit", "integration", "api", "e2e"))
        mod = f"test_{word(rng)}_{module_no}"
        modpath = f"tests/{area}/{mod}.py"
        classes = [f"tests.{area}.{mod}"]
        if rng.random() < 0.5:
            classes.append(f"tests.{area}.{mod}.Test{word(rng).capitalize()}")
        for classname in classes:
            for fn in range(rng.randint(3, 30)):
                fname = f"test_{word(rng)}_{fn}"
                params = [""]
                if rng.random() < 0.25:
                    params = []
                    for p in range(rng.randint(2, 12)):
                        r = rng.random()
                        if r < 0.03:
                            params.append(f"[<{word(rng)}>-{p}]")
                        elif r < 0.05:
                            params.append(f"[{NON_ASCII[rng.randrange(len(NON_ASCII))]}-{p}]")
                        else:
                            params.append(f"[{p}-{word(rng)}-{rng.randint(0, 99)}]")
                for prm in params:
                    if made >= n_tests:
                        break
                    made += 1
                    name = fname + prm
                    t = rng.expovariate(1 / 0.02)
                    total_time += round(t, 3)
                    lineno = rng.randint(10, 900)
                    head = f'<testcase classname="{classname}" name="{xml_attr(name)}" time="{t:.3f}"'
                    r = rng.random()
                    if r < 0.909:
                        counts["passed"] += 1
                        if rng.random() < 0.02:
                            n_system_out += 1
                            body.write(f"{head}><system-out>{xml_text(captured_log(rng))}</system-out></testcase>")
                        else:
                            body.write(head + " />")
                    elif r < 0.94:
                        counts["skipped"] += 1
                        if rng.random() < 0.3:
                            n_xfail += 1
                            reason = f"known bug #{rng.randint(100, 9999)}: {sentence(rng, 3, 8)}"
                            body.write(f'{head}><skipped type="pytest.xfail" message="{xml_attr(reason)}" /></testcase>')
                        else:
                            reason = rng.choice(("requires postgres", "slow test, use --runslow",
                                                 "not supported on linux", "flaky upstream service",
                                                 "needs network", "Python < 3.12"))
                            body.write(f'{head}><skipped type="pytest.skip" message="{xml_attr(reason)}">'
                                       f"{xml_text(f'{root}/{modpath}:{lineno}: {reason}')}</skipped></testcase>")
                    elif r < 0.99:
                        counts["failed"] += 1
                        msg, tb = failure_text(rng, fname, modpath, lineno)
                        extra = ""
                        if rng.random() < 0.3:
                            n_system_out += 1
                            extra = f"<system-out>{xml_text(captured_log(rng))}</system-out>"
                        if rng.random() < 0.1:
                            extra += f"<system-err>{xml_text(captured_log(rng))}</system-err>"
                        body.write(f'{head}><failure message="{xml_attr(msg)}">{xml_text(tb)}</failure>{extra}</testcase>')
                    else:
                        counts["errors"] += 1
                        msg, tb = error_text(rng, modpath, lineno)
                        body.write(f'{head}><error message="{xml_attr(msg)}">{xml_text(tb)}</error></testcase>')
    total = sum(counts.values())
    header = ('<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">'
              f'<testsuite name="pytest" errors="{counts["errors"]}" failures="{counts["failed"]}" '
              f'skipped="{counts["skipped"]}" tests="{total}" time="{total_time:.3f}" '
              'timestamp="2026-11-27T00:20:10.630108+00:00" hostname="runner-vm">')
    body.finish(header, "</testsuite></testsuites>")
    return {
        "counts": {"total": total, **counts},
        "info": {"modules": module_no, "xfail": n_xfail, "with_captured_output": n_system_out},
    }


def captured_log(rng: random.Random) -> str:
    lines = []
    for i in range(rng.randint(3, 25)):
        lvl = rng.choice(("DEBUG", "INFO", "INFO", "WARNING", "ERROR"))
        txt = sentence(rng, 4, 14)
        if rng.random() < 0.1:
            txt += " " + NON_ASCII[rng.randrange(len(NON_ASCII))]
        if rng.random() < 0.05:
            txt += " #x1B[31mred#x1B[0m"   # what pytest's bin_xml_escape makes of ANSI codes
        lines.append(f"{lvl:<8} acme.{word(rng)}:{word(rng)}.py:{rng.randint(1, 500)} {txt}")
    return "\n".join(lines) + "\n"


def failure_text(rng: random.Random, fname: str, modpath: str, lineno: int):
    a, b = rng.randint(0, 10 ** 6), rng.randint(0, 10 ** 6)
    kind = rng.random()
    if kind < 0.5:
        msg = f"assert {a} == {b}\n +  where {a} = compute_{word(rng)}(<Order id={rng.randint(1, 99999)}>, 'x' & 'y')"
        err = "AssertionError"
    elif kind < 0.7:
        na = NON_ASCII[rng.randrange(len(NON_ASCII))]
        msg = f"ValueError: {na}: unexpected value {a!r} for field '{word(rng)}'"
        err = "ValueError"
    elif kind < 0.85:
        msg = f"KeyError: '{word(rng)}_{a}'"
        err = "KeyError"
    else:
        msg = (f"AssertionError: assert {{'{word(rng)}': {a}, '{word(rng)}': [1, 2, 3]}} == "
               f"{{'{word(rng)}': {b}}}\n  \n  Left contains 2 more items:\n  {{'x': 1}}")
        err = "AssertionError"
    lines = [f"self = <{modpath.replace('/', '.')[:-3]}.Test object at 0x7f{rng.randrange(16 ** 10):010x}>", ""]
    lines.append(f"    def {fname}(self, client, db_session):")
    for _ in range(rng.randint(3, 12)):
        lines.append(f"        {word(rng)} = {word(rng)}_factory({word(rng)}={rng.randint(0, 999)}, {word(rng)}=\"{word(rng)}\")")
    lines.append(f">       assert result == expected")
    for ml in msg.split("\n"):
        lines.append(f"E       {ml}")
    # nested frames make long tracebacks
    for _ in range(rng.choice((0, 1, 2, 3, 4, 6, 10))):
        lines.append("")
        src = f"src/acme/{word(rng)}/{word(rng)}.py"
        lines.append(f"{src}:{rng.randint(1, 2000)}: in {word(rng)}_{word(rng)}")
        for _ in range(rng.randint(2, 8)):
            lines.append(f"    {word(rng)} = self._{word(rng)}({word(rng)}, {word(rng)}) if {word(rng)} < {rng.randint(0, 99)} else None")
        lines.append(f"E   {err}: {sentence(rng, 5, 12)}")
    lines.append("")
    lines.append(f"{modpath}:{lineno}: {err}")
    return msg, "\n".join(lines)


def error_text(rng: random.Random, modpath: str, lineno: int):
    fixture = f"{word(rng)}_fixture"
    phase = "setup" if rng.random() < 0.85 else "teardown"
    exc = rng.choice(("RuntimeError", "ConnectionRefusedError", "TimeoutError", "OSError"))
    detail = f"{sentence(rng, 3, 8)} <host={word(rng)}:{rng.randint(1024, 65535)}>"
    msg = f'failed on {phase} with "{exc}: {detail}"'
    lines = ["@pytest.fixture", f"    def {fixture}(request):"]
    for _ in range(rng.randint(2, 10)):
        lines.append(f"        {word(rng)} = connect_{word(rng)}(timeout={rng.randint(1, 30)})")
    lines.append(f">       raise {exc}(\"{detail}\")")
    lines.append(f"E       {exc}: {detail}")
    lines.append("")
    lines.append(f"{modpath}:{lineno}: {exc}")
    return msg, "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Trivy SARIF (Go writer, v0.23+ shape)

SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN")
SEV_LEVEL = {"CRITICAL": "error", "HIGH": "error", "MEDIUM": "warning", "LOW": "note", "UNKNOWN": "note"}
SEV_DEFAULT_SCORE = {"CRITICAL": "9.5", "HIGH": "8.0", "MEDIUM": "5.5", "LOW": "2.0", "UNKNOWN": "0.0"}
SEV_KEY = {"CRITICAL": "critical", "HIGH": "high", "MEDIUM": "medium", "LOW": "low", "UNKNOWN": "info"}
CVSS_RANGE = {"CRITICAL": (9.0, 10.0), "HIGH": (7.0, 8.9), "MEDIUM": (4.0, 6.9), "LOW": (0.1, 3.9)}

MISCONF_TYPES = (
    ("dockerfile", "DS", "Dockerfile"),
    ("kubernetes", "KSV", "deploy/k8s/{w}-{n}.yaml"),
    ("terraform", "AWS", "infra/terraform/{w}_{n}.tf"),
    ("helm", "KSV", "charts/{w}/templates/{w}-{n}.yaml"),
)

SECRET_RULES = (
    ("aws-access-key-id", "AWS Access Key ID", "CRITICAL", "AWS_ACCESS_KEY_ID"),
    ("aws-secret-access-key", "AWS Secret Access Key", "CRITICAL", "AWS_SECRET_ACCESS_KEY"),
    ("github-pat", "GitHub Personal Access Token", "CRITICAL", "GITHUB_TOKEN"),
    ("gitlab-pat", "GitLab Personal Access Token", "CRITICAL", "GITLAB_TOKEN"),
    ("slack-web-hook", "Slack Webhook", "MEDIUM", "SLACK_WEBHOOK_URL"),
    ("stripe-secret-token", "Stripe Secret Key", "CRITICAL", "STRIPE_KEY"),
    ("private-key", "Asymmetric Private Key", "HIGH", "-----BEGIN RSA PRIVATE KEY-----"),
    ("jwt-token", "JWT token", "MEDIUM", "JWT"),
    ("sendgrid-api-token", "SendGrid API token", "MEDIUM", "SENDGRID_API_KEY"),
    ("npm-access-token", "npm access token", "CRITICAL", "NPM_TOKEN"),
    ("dockerconfig-secret", "Dockerconfig secret exposed", "HIGH", "auth"),
    ("generic-password", "Generic password assignment", "LOW", "password"),
)


def go_json(obj, indent: int) -> str:
    """json.MarshalIndent(obj, "", "  ") as go-sarif writes it, re-indented to `indent`."""
    s = json.dumps(obj, ensure_ascii=False, indent=2)
    s = (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
         .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    pad = " " * indent
    return pad + s.replace("\n", "\n" + pad)


def pick_severity(rng: random.Random, weights=(8, 30, 40, 18, 4)) -> str:
    return rng.choices(SEVERITIES, weights=weights)[0]


def gen_sarif(path: str, rng: random.Random, scale: float) -> dict:
    n_vuln = max(20, round(24500 * scale))
    n_misconf = max(5, round(4750 * scale))
    n_secret = max(3, round(1500 * scale))
    n_packages = max(10, round(1500 * scale))
    n_checks = max(5, min(400, round(400 * scale)))

    # ---- vulnerability catalog: packages with their CVEs
    ecos = (("npm", "app/node_modules/{p}/package.json", 0.45),
            ("pip", "usr/local/lib/python3.11/site-packages/{p}-{v}.dist-info/METADATA", 0.3),
            ("gem", "usr/local/bundle/specifications/{p}-{v}.gemspec", 0.1),
            ("gobinary", "usr/local/bin/{p}", 0.05),
            ("os", "", 0.10))
    year_next = {}
    packages = []   # (eco, name, [rule keys])
    rules = {}      # key -> dict(meta)
    for i in range(n_packages):
        eco = rng.choices([e[0] for e in ecos], weights=[e[2] for e in ecos])[0]
        name = f"{word(rng)}-{word(rng)}" if rng.random() < 0.6 else f"lib{word(rng)}{i}"
        if eco == "pip":
            name = name.replace("-", "_")
        cves = []
        for _ in range(rng.randint(1, 9)):
            if eco in ("npm", "pip", "gem") and rng.random() < 0.15:
                rid = "GHSA-" + "-".join("".join(rng.choice("23456789cfghjmpqrvwx") for _ in range(4)) for _ in range(3))
                if rid in rules:
                    continue
            else:
                year = rng.randint(2014, 2025)
                n = year_next.get(year, 1000) + rng.randint(1, 40)
                year_next[year] = n
                rid = f"CVE-{year}-{n}"
            sev = pick_severity(rng)
            score = None
            if sev != "UNKNOWN" and rng.random() < 0.7:
                lo, hi = CVSS_RANGE[sev]
                if rng.random() < 0.06:   # vendor severity differs from the CVSS source
                    lo, hi = CVSS_RANGE[rng.choice(("CRITICAL", "HIGH", "MEDIUM", "LOW"))]
                score = round(rng.uniform(lo, hi), 1)
            rules[rid] = {"kind": "vulnerability", "id": rid, "sev": sev, "score": score,
                          "eco": eco, "pkg": name,
                          "fixed": "" if rng.random() < 0.25 else f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"}
            cves.append(rid)
        packages.append((eco, name, cves))

    # ---- results plan (order = Trivy's: targets in order, vulns, then misconfigs, then secrets)
    results = []   # tuples, see writers below
    image = "acme/platform-api"
    os_pkgs = [p for p in packages if p[0] == "os"]
    lang_pkgs = [p for p in packages if p[0] != "os"]
    for eco, name, cves in os_pkgs:
        if len(results) >= n_vuln:
            break
        ver = f"{rng.randint(0, 3)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}-{rng.randint(1, 9)}+deb12u{rng.randint(1, 9)}"
        for rid in cves:
            if rng.random() < 0.8:
                results.append(("v", rid, image, name, ver, 1))
    inst = 0
    while len(results) < n_vuln:
        eco, name, cves = lang_pkgs[int(len(lang_pkgs) * rng.random() ** 1.6)]
        inst += 1
        ver = f"{rng.randint(0, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 30)}"
        tmpl = dict((e[0], e[1]) for e in ecos)[eco]
        uri = tmpl.format(p=name, v=ver)
        if eco == "npm":
            uri = f"app/node_modules/.pnpm/{name}@{ver}_{inst}/node_modules/{name}/package.json"
        elif eco in ("pip", "gem"):
            uri = uri.replace("usr/local", f"opt/venv{inst}")
        elif eco == "gobinary":
            uri = f"usr/local/bin/{name}-{inst}"
        line = 1
        for rid in cves:
            if rng.random() < 0.7 and len(results) < n_vuln:
                results.append(("v", rid, uri, name, ver, line))
    n_vuln_real = len(results)

    # misconfiguration checks
    checks = []
    for i in range(n_checks):
        mtype, prefix, tmpl = MISCONF_TYPES[i % len(MISCONF_TYPES)]
        cid = f"AVD-{prefix}-{i + 1:04d}"
        sev = pick_severity(rng, (5, 30, 40, 25, 0))
        rules[cid] = {"kind": "misconfiguration", "id": cid, "sev": sev, "type": mtype,
                      "title": f"{word(rng).capitalize()} {word(rng)} should not {word(rng)} {word(rng)}",
                      "message": f"{sentence(rng, 5, 12)} Set '{word(rng)}' to '{word(rng)}' & avoid <{word(rng)}>.",
                      "url": f"https://avd.aquasec.com/misconfig/{prefix.lower()}{i + 1:03d}"}
        checks.append((mtype, cid, tmpl))
    by_type: dict[str, list] = {}
    for c in checks:
        by_type.setdefault(c[0], []).append(c)
    cfg_no = 0
    while len(results) < n_vuln_real + n_misconf:
        mtype, prefix, tmpl = MISCONF_TYPES[rng.randrange(len(MISCONF_TYPES))]
        cfg_no += 1
        uri = ("app/" + tmpl.format(w=word(rng), n=cfg_no)) if mtype != "dockerfile" else f"app/services/{word(rng)}{cfg_no}/Dockerfile"
        pool = by_type[mtype]
        for mtype_, cid, _ in rng.sample(pool, min(len(pool), rng.randint(1, 8))):
            if len(results) >= n_vuln_real + n_misconf:
                break
            sl = 0 if rng.random() < 0.2 else rng.randint(1, 300)
            el = sl + rng.randint(0, 20) if sl else 0
            results.append(("m", cid, uri, mtype, sl, el))
    n_misconf_real = len(results) - n_vuln_real

    for rid, title, sev, key in SECRET_RULES:
        rules[rid] = {"kind": "secret", "id": rid, "sev": sev, "title": title, "key": key}
    sec_no = 0
    while len(results) < n_vuln_real + n_misconf_real + n_secret:
        sec_no += 1
        uri = rng.choice((f"app/config/{word(rng)}_{sec_no}.py", f"app/.env.{word(rng)}{sec_no}",
                          f"app/deploy/{word(rng)}-{sec_no}.yaml", f"root/.docker/config{sec_no}.json"))
        for rid, title, sev, key in rng.sample(SECRET_RULES, rng.randint(1, 3)):
            if len(results) >= n_vuln_real + n_misconf_real + n_secret:
                break
            sl = rng.randint(1, 200)
            results.append(("s", rid, uri, key, sl, sl))

    # rule index = order of first appearance (Trivy's getRuleIndex)
    order: dict[str, int] = {}
    for r in results:
        if r[1] not in order:
            order[r[1]] = len(order)

    counts = {"results": len(results), "critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0,
              "vulnerability": 0, "misconfiguration": 0, "secret": 0}
    for r in results:
        meta = rules[r[1]]
        counts[SEV_KEY[meta["sev"]]] += 1
        counts[meta["kind"]] += 1
    n_disagree = 0

    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        f.write('{\n  "version": "2.1.0",\n'
                '  "$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json",\n'
                '  "runs": [\n    {\n      "tool": {\n        "driver": {\n'
                '          "fullName": "Trivy Vulnerability Scanner",\n'
                '          "informationUri": "https://github.com/aquasecurity/trivy",\n'
                '          "name": "Trivy",\n')
        if order:
            f.write('          "rules": [\n')
            first = True
            for rid in order:
                meta = rules[rid]
                rule = trivy_rule(rng, meta)
                ss = float(rule["properties"]["security-severity"])
                if meta["kind"] == "vulnerability" and meta["sev"] != "UNKNOWN":
                    lo, hi = CVSS_RANGE[meta["sev"]]
                    if not (lo <= ss <= hi + 0.05):
                        n_disagree += 1
                if not first:
                    f.write(",\n")
                first = False
                f.write(go_json(rule, 12))
            f.write("\n          ],\n")
        else:
            f.write('          "rules": [],\n')
        f.write('          "version": "0.58.1"\n        }\n      },\n')
        if results:
            f.write('      "results": [\n')
            for i, r in enumerate(results):
                if i:
                    f.write(",\n")
                f.write(go_json(trivy_result(rng, r, rules[r[1]], order[r[1]]), 8))
            f.write("\n      ],\n")
        else:
            f.write('      "results": [],\n')
        f.write('      "columnKind": "utf16CodeUnits",\n'
                '      "originalUriBaseIds": {\n        "ROOTPATH": {\n          "uri": "file:///"\n        }\n      },\n')
        props = {"imageID": "sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64)),
                 "imageName": f"ghcr.io/{image}:1.42.0",
                 "repoDigests": [f"ghcr.io/{image}@sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64))],
                 "repoTags": [f"ghcr.io/{image}:1.42.0"]}
        f.write('      "properties": ' + go_json(props, 6)[6:] + "\n    }\n  ]\n}\n")
    return {
        "counts": counts,
        "info": {"rules": len(order), "security_severity_disagrees_with_tag": n_disagree},
    }


def trivy_rule(rng: random.Random, meta: dict) -> dict:
    sev = meta["sev"]
    kind = meta["kind"]
    if kind == "vulnerability":
        rid, pkg = meta["id"], meta["pkg"]
        title = f"{pkg}: {sentence(rng, 4, 12)[:-1]}"
        desc = paragraph(rng, 1, 7)
        if rng.random() < 0.2:
            desc += f"\n\nAffected: <= {rng.randint(0, 9)}.{rng.randint(0, 9)} & < {rng.randint(10, 20)}.0 (see <{pkg}>)"
        if rng.random() < 0.05:
            desc += " " + NON_ASCII[rng.randrange(len(NON_ASCII))]
        if rid.startswith("GHSA"):
            url = f"https://github.com/advisories/{rid}"
        else:
            url = f"https://avd.aquasec.com/nvd/{rid.lower()}"
        fixed = meta["fixed"]
        props = {}
        score = meta["score"]
        if score is not None:
            v = int(score) if score == int(score) else score
            props["cvssv3_baseScore"] = v
            props["cvssv3_vector"] = "CVSS:3.1/AV:N/AC:%s/PR:N/UI:%s/S:U/C:%s/I:%s/A:%s" % tuple(
                rng.choice(("L", "H")) if k == 0 else rng.choice(("N", "R")) if k == 1 else rng.choice(("N", "L", "H"))
                for k in range(5))
        props["precision"] = "very-high"
        props["security-severity"] = ("%.1f" % score) if score is not None else SEV_DEFAULT_SCORE[sev]
        props["tags"] = ["vulnerability", "security", sev]
        return {
            "id": rid,
            "name": "OsPackageVulnerability" if meta["eco"] == "os" else "LanguageSpecificPackageVulnerability",
            "shortDescription": {"text": title},
            "fullDescription": {"text": desc},
            "defaultConfiguration": {"level": SEV_LEVEL[sev]},
            "helpUri": url,
            "help": {
                "text": f"Vulnerability {rid}\nSeverity: {sev}\nPackage: {pkg}\nFixed Version: {fixed}\nLink: [{rid}]({url})\n{desc}",
                "markdown": f"**Vulnerability {rid}**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|{sev}|{pkg}|{fixed}|[{rid}]({url})|\n\n{desc}",
            },
            "properties": props,
        }
    if kind == "misconfiguration":
        cid, title, msg, url, mtype = meta["id"], meta["title"], meta["message"], meta["url"], meta["type"]
        desc = paragraph(rng, 1, 3)
        return {
            "id": cid,
            "name": "Misconfiguration",
            "shortDescription": {"text": title},
            "fullDescription": {"text": desc},
            "defaultConfiguration": {"level": SEV_LEVEL[sev]},
            "helpUri": url,
            "help": {
                "text": f"Misconfiguration {cid}\nType: {mtype}\nSeverity: {sev}\nCheck: {title}\nMessage: {msg}\nLink: [{cid}]({url})\n{desc}",
                "markdown": f"**Misconfiguration {cid}**\n| Type | Severity | Check | Message | Link |\n| --- | --- | --- | --- | --- |\n|{mtype}|{sev}|{title}|{msg}|[{cid}]({url})|\n\n{desc}",
            },
            "properties": {"precision": "very-high", "security-severity": SEV_DEFAULT_SCORE[sev],
                           "tags": ["misconfiguration", "security", sev]},
        }
    # secret
    rid, title = meta["id"], meta["title"]
    match = f"{meta['key']}=" + "*" * 20
    url = "https://github.com/aquasecurity/trivy/blob/main/pkg/fanal/secret/builtin-rules.go"
    return {
        "id": rid,
        "name": "Secret",
        "shortDescription": {"text": title},
        "fullDescription": {"text": match},
        "defaultConfiguration": {"level": SEV_LEVEL[sev]},
        "helpUri": url,
        "help": {
            "text": f"Secret {title}\nSeverity: {sev}\nMatch: {match}",
            "markdown": f"**Secret {title}**\n| Severity | Match |\n| --- | --- |\n|{sev}|{match}|",
        },
        "properties": {"precision": "very-high", "security-severity": SEV_DEFAULT_SCORE[sev],
                       "tags": ["secret", "security", sev]},
    }


def trivy_result(rng: random.Random, r: tuple, meta: dict, index: int) -> dict:
    sev = meta["sev"]
    kind = r[0]
    if kind == "v":
        _, rid, uri, pkg, ver, line = r
        url = (f"https://github.com/advisories/{rid}" if rid.startswith("GHSA")
               else f"https://avd.aquasec.com/nvd/{rid.lower()}")
        text = (f"Package: {pkg}\nInstalled Version: {ver}\nVulnerability {rid}\nSeverity: {sev}\n"
                f"Fixed Version: {meta['fixed']}\nLink: [{rid}]({url})")
        sl = el = line
        locmsg = f"{uri}: {pkg}@{ver}"
    elif kind == "m":
        _, rid, uri, mtype, sl, el = r
        text = (f"Artifact: {uri}\nType: {mtype}\nVulnerability {rid}\nSeverity: {sev}\n"
                f"Message: {meta['message']}\nLink: [{rid}]({meta['url']})")
        if sl == 0:
            sl = el = 1
        locmsg = uri
    else:
        _, rid, uri, key, sl, el = r
        text = (f"Artifact: {uri}\nType: \nSecret {meta['title']}\nSeverity: {sev}\n"
                f"Match: {key}=" + "*" * 20)
        locmsg = uri
    return {
        "ruleId": rid,
        "ruleIndex": index,
        "level": SEV_LEVEL[sev],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "ROOTPATH"},
                "region": {"startLine": sl, "startColumn": 1, "endLine": el, "endColumn": 1},
            },
            "message": {"text": locmsg},
        }],
    }


# --------------------------------------------------------------------------------------------
# bandit -f json (1.9)

BANDIT_TESTS = (
    # test_id, test_name, severity, confidence, cwe, text, doc path
    ("B101", "assert_used", "LOW", "HIGH", 703, "Use of assert detected. The enclosed code will be removed when compiling to optimised byte code.", "plugins/b101_assert_used.html"),
    ("B105", "hardcoded_password_string", "LOW", "MEDIUM", 259, "Possible hardcoded password: '{w}'", "plugins/b105_hardcoded_password_string.html"),
    ("B106", "hardcoded_password_funcarg", "LOW", "MEDIUM", 259, "Possible hardcoded password: '{w}'", "plugins/b106_hardcoded_password_funcarg.html"),
    ("B108", "hardcoded_tmp_directory", "MEDIUM", "MEDIUM", 377, "Probable insecure usage of temp file/directory.", "plugins/b108_hardcoded_tmp_directory.html"),
    ("B110", "try_except_pass", "LOW", "HIGH", 703, "Try, Except, Pass detected.", "plugins/b110_try_except_pass.html"),
    ("B112", "try_except_continue", "LOW", "HIGH", 703, "Try, Except, Continue detected.", "plugins/b112_try_except_continue.html"),
    ("B113", "request_without_timeout", "MEDIUM", "LOW", 400, "Call to requests without timeout", "plugins/b113_request_without_timeout.html"),
    ("B104", "hardcoded_bind_all_interfaces", "MEDIUM", "MEDIUM", 605, "Possible binding to all interfaces.", "plugins/b104_hardcoded_bind_all_interfaces.html"),
    ("B201", "flask_debug_true", "HIGH", "MEDIUM", 94, "A Flask app appears to be run with debug=True, which exposes the Werkzeug debugger and allows the execution of arbitrary code.", "plugins/b201_flask_debug_true.html"),
    ("B301", "blacklist", "MEDIUM", "HIGH", 502, "Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue.", "blacklists/blacklist_calls.html#b301-pickle"),
    ("B303", "blacklist", "MEDIUM", "HIGH", 327, "Use of insecure MD2, MD4, MD5, or SHA1 hash function.", "blacklists/blacklist_calls.html#b303-md5"),
    ("B307", "blacklist", "MEDIUM", "HIGH", 78, "Use of possibly insecure function - consider using safer ast.literal_eval.", "blacklists/blacklist_calls.html#b307-eval"),
    ("B311", "blacklist", "LOW", "HIGH", 330, "Standard pseudo-random generators are not suitable for security/cryptographic purposes.", "blacklists/blacklist_calls.html#b311-random"),
    ("B324", "hashlib", "HIGH", "HIGH", 327, "Use of weak MD5 hash for security. Consider usedforsecurity=False", "plugins/b324_hashlib.html"),
    ("B404", "blacklist", "LOW", "HIGH", 78, "Consider possible security implications associated with the subprocess module.", "blacklists/blacklist_imports.html#b404-import-subprocess"),
    ("B501", "request_with_no_cert_validation", "HIGH", "HIGH", 295, "Call to requests with verify=False disabling SSL certificate checks, security issue.", "plugins/b501_request_with_no_cert_validation.html"),
    ("B506", "yaml_load", "MEDIUM", "HIGH", 20, "Use of unsafe yaml load. Allows instantiation of arbitrary objects. Consider yaml.safe_load().", "plugins/b506_yaml_load.html"),
    ("B602", "subprocess_popen_with_shell_equals_true", "HIGH", "HIGH", 78, "subprocess call with shell=True identified, security issue.", "plugins/b602_subprocess_popen_with_shell_equals_true.html"),
    ("B603", "subprocess_without_shell_equals_true", "LOW", "HIGH", 78, "subprocess call - check for execution of untrusted input.", "plugins/b603_subprocess_without_shell_equals_true.html"),
    ("B608", "hardcoded_sql_expressions", "MEDIUM", "LOW", 89, "Possible SQL injection vector through string-based query construction.", "plugins/b608_hardcoded_sql_expressions.html"),
    ("B613", "trojansource", "HIGH", "MEDIUM", 838, "A Python source file contains bidirectional control characters ('\\u202e').", "plugins/b613_trojansource.html"),
)
BANDIT_WEIGHTS = (40, 4, 3, 3, 6, 2, 4, 2, 1, 3, 3, 2, 5, 2, 6, 1, 2, 2, 5, 3, 0.2)


def gen_bandit(path: str, rng: random.Random, scale: float) -> dict:
    n_results = max(10, round(22000 * scale))
    n_files_with = max(3, round(3400 * scale))
    n_files_clean = max(1, round(1600 * scale))
    sev_keys = ("HIGH", "LOW", "MEDIUM", "UNDEFINED")

    # files: ./app/<dir>/<name>.py
    files = []
    for i in range(n_files_with + n_files_clean):
        d = "/".join(word(rng) for _ in range(rng.randint(0, 3)))
        files.append(f"./app/{d + '/' if d else ''}{word(rng)}_{i}.py")
    with_results = files[:n_files_with]

    results = []
    used = set()
    metrics: dict[str, dict] = {}
    for fn in files:
        metrics[fn] = {"CONFIDENCE.HIGH": 0, "CONFIDENCE.LOW": 0, "CONFIDENCE.MEDIUM": 0,
                       "CONFIDENCE.UNDEFINED": 0, "SEVERITY.HIGH": 0, "SEVERITY.LOW": 0,
                       "SEVERITY.MEDIUM": 0, "SEVERITY.UNDEFINED": 0,
                       "loc": rng.randint(5, 3000), "nosec": 0 if rng.random() < 0.9 else rng.randint(1, 4),
                       "skipped_tests": 0 if rng.random() < 0.95 else rng.randint(1, 3)}
    counts = {"results": 0, "high": 0, "medium": 0, "low": 0, "info": 0}
    sevmap = {"HIGH": "high", "MEDIUM": "medium", "LOW": "low", "UNDEFINED": "info"}
    while len(results) < n_results:
        fn = with_results[int(len(with_results) * rng.random() ** 1.3)] if results else with_results[0]
        tid, tname, sev, conf, cwe, text, doc = rng.choices(BANDIT_TESTS, weights=BANDIT_WEIGHTS)[0]
        loc = metrics[fn]["loc"]
        line = rng.randint(1, max(1, loc))
        key = (fn, tid, line)
        if key in used:
            continue
        used.add(key)
        if rng.random() < 0.001:
            sev = "UNDEFINED"
        nlines = 1 if rng.random() < 0.85 else rng.randint(2, 5)
        code = []
        for ln in range(max(1, line - 1), line + nlines + 1):
            src = f"{' ' * (4 * rng.randint(0, 3))}{word(rng)} = {word(rng)}.{word(rng)}({word(rng)}, {rng.randint(0, 999)})"
            if tid == "B613" and ln == line:
                src = f"    if access_level != 'none\u202e\u2066': # Check if admin \u2069\u2066' and access_level != 'user"
            elif rng.random() < 0.01:
                src += f"  # {NON_ASCII[rng.randrange(len(NON_ASCII))]}"
            code.append(f"{ln} {src}\n")
        results.append({
            "code": "".join(code),
            "col_offset": rng.randint(0, 40),
            "end_col_offset": 0 if rng.random() < 0.05 else rng.randint(10, 120),
            "filename": fn,
            "issue_confidence": conf,
            "issue_cwe": {"id": cwe, "link": f"https://cwe.mitre.org/data/definitions/{cwe}.html"},
            "issue_severity": sev,
            "issue_text": text.replace("{w}", word(rng)),
            "line_number": line,
            "line_range": list(range(line, line + nlines)),
            "more_info": f"https://bandit.readthedocs.io/en/1.9.4/{doc}",
            "test_id": tid,
            "test_name": tname,
        })
        m = metrics[fn]
        m["SEVERITY." + sev] += 1
        m["CONFIDENCE." + conf] += 1
        counts["results"] += 1
        counts[sevmap[sev]] += 1
    results.sort(key=lambda r: (r["filename"], r["line_number"], r["test_id"]))
    totals = {}
    for m in metrics.values():
        for k, v in m.items():
            totals[k] = totals.get(k, 0) + v
    metrics["_totals"] = totals
    errors = [{"filename": f"./app/legacy/{word(rng)}_py2_{i}.py", "reason": "syntax error while parsing AST from file"}
              for i in range(3)]
    doc = {"errors": errors, "generated_at": "2026-11-27T00:20:10Z", "metrics": metrics, "results": results}
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        json.dump(doc, f, sort_keys=True, indent=2)   # bandit: json.dumps(..., sort_keys=True, indent=2)
    return {"counts": counts,
            "info": {"files_with_results": len(with_results), "files_scanned": len(files), "errors": len(errors)}}


# --------------------------------------------------------------------------------------------

GENERATORS = {
    "cobertura": ("cobertura.xml", gen_cobertura),
    "pytest": ("pytest.xml", gen_pytest),
    "sarif": ("trivy.sarif", gen_sarif),
    "bandit": ("bandit.json", gen_bandit),
}

DEFINITIONS = {
    "cobertura": "only class/lines/line (method/lines duplicate them); merge by (filename, line) with max hits; "
                 "lines_valid = distinct (filename, line); lines_covered = distinct lines with max hits > 0; "
                 "branches_valid/covered = sum of b/a from condition-coverage 'NN% (a/b)' per distinct (filename, line); "
                 "files = distinct class filenames (incl. empty <lines/>), files_with_lines = those with >= 1 line",
    "pytest": "one outcome per testcase ((classname, name) unique): failure -> failed, error -> errors, "
              "skipped (pytest.skip and pytest.xfail) -> skipped, otherwise passed; total = number of testcases",
    "sarif": "one finding per result; severity from rule properties.tags[2] (UNKNOWN -> info), "
             "category from tags[0]; security-severity may disagree with the tag on purpose",
    "bandit": "one finding per results[] entry; issue_severity HIGH/MEDIUM/LOW -> high/medium/low, UNDEFINED -> info",
}


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 22)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate deterministic benchmark reports for qgate.")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--only", default=",".join(ALL_FORMATS),
                    help="comma list of: " + ",".join(ALL_FORMATS))
    args = ap.parse_args(argv)
    only = [x.strip() for x in args.only.split(",") if x.strip()]
    bad = [x for x in only if x not in GENERATORS]
    if bad or not only:
        ap.error(f"--only: unknown format(s) {bad}; choose from {','.join(ALL_FORMATS)}")
    if args.scale <= 0:
        ap.error("--scale must be > 0")
    os.makedirs(args.outdir, exist_ok=True)

    manifest = {"generator": "tools/gen-bigdata.py", "generator_version": GENERATOR_VERSION,
                "seed": args.seed, "scale": args.scale, "files": {}, "definitions": {}}
    for fmt in ALL_FORMATS:   # fixed order, whatever --only's order
        if fmt not in only:
            continue
        fname, fn = GENERATORS[fmt]
        path = os.path.join(args.outdir, fname)
        rng = random.Random(f"qgate-bigdata:{args.seed}:{fmt}:{args.scale!r}")
        t0 = time.perf_counter()
        res = fn(path, rng, args.scale)
        size = os.path.getsize(path)
        entry = {"format": fmt, "bytes": size, "sha256": sha256_file(path)}
        entry.update(res)
        manifest["files"][fname] = entry
        manifest["definitions"][fmt] = DEFINITIONS[fmt]
        print(f"{fname:14s} {size / 1e6:8.1f} MB  {time.perf_counter() - t0:6.1f} s  "
              f"{json.dumps(res['counts'], sort_keys=False)}", file=sys.stderr)
    with open(os.path.join(args.outdir, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
