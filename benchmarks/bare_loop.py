"""The bare limit: read each file, parse it with orjson, validate it with jsonschema-rs.

    python benchmarks/bare_loop.py SCHEMA FILE_OR_FOLDER...

No wrappers, no strictness, no locating, no report beyond a count: what any checker of
JSON files in Python pays at least. Exchange files are unwrapped to their `response.body`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema_rs
import orjson


def files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += sorted(path.rglob("*.json")) if path.is_dir() else [path]
    return found


def main() -> int:
    schema_path, *paths = sys.argv[1:]
    schema = Path(schema_path).resolve()  # $refs to sibling files resolve from its URI
    validator = jsonschema_rs.validator_for(orjson.loads(schema.read_bytes()),
                                            base_uri=schema.as_uri())
    invalid = 0
    for path in files(paths):
        document = orjson.loads(path.read_bytes())
        body = document["response"]["body"] if "response" in document else document
        invalid += not validator.is_valid(body)
    print(f"{invalid} invalid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
