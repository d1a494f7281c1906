#!/usr/bin/env python3
"""Validates qgate JSON documents against docs/schemas/: validate-json.py SCHEMA FILE...

SCHEMA is a file name in docs/schemas/ (check.schema.json). Prints one line per invalid
document (file: path in the document: message) and exits 1 when any is invalid.
Needs jsonschema 4.26.0 (scripts/install-deps.sh puts it in .build/pyvenv).
"""
import json
import pathlib
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

schemas = pathlib.Path(__file__).resolve().parent.parent / "docs" / "schemas"
resources = []
for path in sorted(schemas.glob("*.schema.json")):
    document = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    resources.append((document["$id"], Resource.from_contents(document)))
registry = Registry().with_resources(resources)

schema = json.loads((schemas / sys.argv[1]).read_text(encoding="utf-8"))
validator = Draft202012Validator(schema, registry=registry)
failed = False
for name in sys.argv[2:]:
    instance = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        failed = True
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        print(f"{name}: {where}: {error.message}")
sys.exit(1 if failed else 0)
