#!/usr/bin/env python3
"""What a user would run instead of qgate, for `make bench` (scripts/bench.sh) to time.

    bench-peer.py PEER FILE

PEER is one of:
  junitparser   junitparser.JUnitXml.fromfile(FILE): the parse into its model, nothing more
  pycobertura   pycobertura.Cobertura(FILE).line_rate(): parse, then the report's total
  sarif-tools   sarif.loader.load_sarif_files(FILE) + the `sarif summary` lines
  json.load     json.load(FILE): the raw JSON floor (no model at all)

Prints one line with what it read, so a run that parsed nothing is seen. Runs inside the
throwaway virtualenv that bench.sh makes (pip install pycobertura junitparser sarif-tools).
"""

import json
import sys


def main() -> int:
    peer, path = sys.argv[1], sys.argv[2]
    if peer == "junitparser":
        from junitparser import JUnitXml

        xml = JUnitXml.fromfile(path)
        print(f"junitparser: {len(xml._elem)} suites")
    elif peer == "pycobertura":
        from pycobertura import Cobertura

        print(f"pycobertura: line rate {Cobertura(path).line_rate():.4f}")
    elif peer == "sarif-tools":
        from sarif.loader import load_sarif_files
        from sarif.operations.summary_op import _generate_summary

        lines = _generate_summary(load_sarif_files(path))
        print(f"sarif-tools: {len(lines)} summary lines")
    elif peer == "json.load":
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
        print(f"json.load: {type(doc).__name__}")
    else:
        print(f"bench-peer.py: unknown peer {peer!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
