"""Run the generator over the JSON-Schema-Test-Suite's draft2020-12 schemas.

Each schema is either refused (GenerationError, one line naming location and keyword),
or every example drawn (valid and edge kinds) is validated by python-jsonschema's
Draft202012Validator with format checking: an example it rejects is "wrong", any other
exception is a "crash". Used by test_suite_schemas.py and, for the counts recorded in
benchmarks/results/generation.md, as a script:

    python tests/generation/suite_schemas.py PATH-TO-SUITE [EXAMPLES]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as fixed_seed
from hypothesis.errors import Unsatisfiable as NoExample

from validator.generate.from_schema import from_schema
from validator.generate.shapes import GenerationError

KINDS = ("valid", "edge")


@dataclass
class Outcome:
    """What happened to one suite schema."""

    name: str
    status: str  # supported | refused | wrong | crash | no-example
    detail: str = ""
    wrong: list[Any] = field(default_factory=list)


def suite_schemas(suite: Path) -> list[tuple[str, Any]]:
    """(file: description, schema) of every top-level draft2020-12 test group."""
    found = []
    for path in sorted((suite / "tests" / "draft2020-12").glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            found.append((f"{path.stem}: {group['description']}", group["schema"]))
    return found


def run_one(name: str, schema: Any, examples: int) -> Outcome:
    """Generate from one schema and judge every example with python-jsonschema."""
    oracle = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    wrong: list[Any] = []
    for kind in KINDS:
        try:
            strategy = from_schema(schema, kind)
        except GenerationError as exc:
            return Outcome(name, "refused", str(exc))
        except BaseException as exc:  # a crash while compiling (jsonschema-rs can panic)
            if isinstance(exc, KeyboardInterrupt):
                raise
            return Outcome(name, "crash", f"{kind}: {type(exc).__name__}: {exc}"[:300])

        @fixed_seed(0)
        @settings(max_examples=examples, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def judge(value: Any) -> None:
            if not oracle.is_valid(value):
                wrong.append(value)

        try:
            judge()
        except NoExample:
            return Outcome(name, "no-example", kind)
        except Exception as exc:  # a crash is what this harness exists to find
            return Outcome(name, "crash", f"{kind}: {type(exc).__name__}: {exc}"[:300])
        if wrong:
            return Outcome(name, "wrong", kind, wrong[:3])
    return Outcome(name, "supported")


def refusal_keyword(detail: str) -> str:
    """The keyword (or reason) a refusal names, for counting."""
    for pattern in (r"\(([^)]*)\)$", r"keyword '([^']+)'", r"(\$ref) "):
        match = re.search(pattern, detail)
        if match:
            return match.group(1)
    return detail[:60]


def summary(outcomes: list[Outcome]) -> str:
    """Counts by status, refusals by keyword."""
    counts = Counter(o.status for o in outcomes)
    lines = [f"{len(outcomes)} schemas: " + ", ".join(f"{counts[s]} {s}" for s in
             ("supported", "refused", "wrong", "crash", "no-example"))]
    reasons = Counter(refusal_keyword(o.detail) for o in outcomes if o.status == "refused")
    lines += [f"  refused ({n}): {why}" for why, n in reasons.most_common()]
    lines += [f"  {o.status}: {o.name}: {o.detail} {o.wrong!r}"[:400] for o in outcomes
              if o.status in ("wrong", "crash", "no-example")]
    return "\n".join(lines)


if __name__ == "__main__":
    root = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    results = [run_one(n, s, count) for n, s in suite_schemas(root)]
    print(summary(results))
