"""Strategies straight from one JSON Schema document (no contract): `from_schema`.

    from validator.generate.from_schema import from_schema
    strategy = from_schema({"type": "array", "contains": {"const": 1}}, kind="edge")

Every value drawn is valid under the schema as written (the schema's own predicate is the
last filter); a schema the generator cannot honour raises GenerationError naming the
schema location and the keyword.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from hypothesis import strategies as st

from validator.generate.compiler import Compiler
from validator.generate.shapes import GenerationError
from validator.generate.values import Values
from validator.load.schemas import SchemaStore

SCHEMA_URI = "urn:respcontract:schema"
MODES = ("valid", "edge", "drift")


def from_schema(schema: Any, kind: str = "valid") -> st.SearchStrategy[Any]:
    """Values valid under `schema` (a JSON Schema 2020-12 document): valid, edge or drift."""
    if kind not in MODES:
        raise GenerationError(f"from_schema makes {', '.join(MODES)} values, not {kind!r}")
    store = SchemaStore(root=Path("."))
    uri = SCHEMA_URI
    if isinstance(schema, dict) and isinstance(schema.get("$id"), str) and \
            ":" in schema["$id"]:
        uri = urldefrag(schema["$id"])[0]
    store.add_document(uri, schema)
    compiler = Compiler(store)
    node = compiler.refuse_never(compiler.ref(uri, ""))
    valid = compiler.predicate(schema, uri)
    strategy = Values(kind).of(node).filter(valid)
    if kind != "valid" and not _finds_one(strategy):
        strategy = Values("valid").of(node).filter(valid)  # edges this schema forbids
    if not _finds_one(strategy):
        raise GenerationError(f"{node.where or '#'}: no valid value found in "
                              f"{PROBES} tries (the schema may be unsatisfiable)")
    return strategy


PROBES = 200


def _finds_one(strategy: st.SearchStrategy[Any]) -> bool:
    """Whether hypothesis draws at least one value within PROBES tries.

    Derandomized: the same schema gets the same answer on every call. A random probe made
    `from_schema` raise on one call and not on the next, which a hypothesis test that
    draws schemas sees as flaky data generation (FlakyStrategyDefinition)."""
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis.errors import Unsatisfiable as NoExample

    found: list[Any] = []

    @settings(max_examples=1, database=None, deadline=None, phases=[Phase.generate],
              verbosity=Verbosity.quiet, suppress_health_check=list(HealthCheck),
              derandomize=True)
    @given(strategy)
    def probe(value: Any) -> None:
        found.append(value)

    try:
        probe()
    except NoExample:
        return False
    return bool(found)
