"""The schema walk on arbitrary schemas: it never crashes, a schema compared with itself
shows no change, and every change it reports is one of the documented kinds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gate_helpers import docs_page
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.diff.model import Level
from validator.diff.schema import Sub
from validator.diff.walk import SchemaDiff
from validator.load.schemas import SchemaStore

DOC = "file:///schemas/doc.schema.json"

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["a", "b"]))
types = st.sampled_from(["string", "integer", "number", "null", "object", "array", "boolean"])


def schemas() -> st.SearchStrategy[Any]:
    leaf = st.fixed_dictionaries({}, optional={
        "type": st.one_of(types, st.lists(types, min_size=1, max_size=3, unique=True)),
        "enum": st.lists(scalars, min_size=1, max_size=3),
        "const": scalars,
        "x-documented": st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3),
        "pattern": st.sampled_from(["^a+$", "^[ab]*$", "b", "^\\p{L}$"]),
        "maxLength": st.integers(0, 5),
        "minimum": st.integers(-2, 2),
        "format": st.sampled_from(["date", "email"]),
        "description": st.sampled_from(["x", "y"]),
        "deprecated": st.booleans(),
        "$ref": st.sampled_from(["#", "#/$defs/d", "#/nowhere"]),
    })

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        names = st.sampled_from(["p", "q", "r"])
        return st.fixed_dictionaries({}, optional={
            "properties": st.dictionaries(names, inner, max_size=3),
            "required": st.lists(names, max_size=3, unique=True),
            "items": st.one_of(inner, st.booleans()),
            "prefixItems": st.lists(inner, max_size=2),
            "additionalProperties": st.one_of(inner, st.booleans()),
            "patternProperties": st.dictionaries(st.sampled_from(["^x", "^y"]), inner,
                                                 max_size=2),
            "oneOf": st.lists(inner, min_size=1, max_size=3),
            "anyOf": st.lists(inner, min_size=1, max_size=3),
            "allOf": st.lists(inner, min_size=1, max_size=2),
            "if": inner, "then": inner, "else": inner,
            "not": inner,
        }) | leaf

    return st.recursive(leaf | st.booleans(), extend, max_leaves=12)


def store(document: Any) -> SchemaStore:
    found = SchemaStore(Path("/schemas"))
    found.documents[DOC] = document
    return found


def walk(old: Any, new: Any) -> list[tuple[Level, str, str, str]]:
    changes: list[tuple[Level, str, str, str]] = []

    def emit(level: Level, kind: str, pointer: str, message: str, *_: Any) -> None:
        changes.append((level, kind, pointer, message))

    old_doc = {"$defs": {"d": {"type": "string"}}, "allOf": [old]}
    new_doc = {"$defs": {"d": {"type": "string"}}, "allOf": [new]}
    SchemaDiff(store(old_doc), store(new_doc), emit).compare(
        [Sub(old_doc, DOC, "")], [Sub(new_doc, DOC, "")])
    return changes


def documented_kinds() -> set[str]:
    """The kinds in the third column of the diff guide's classification table."""
    kinds = set()
    for line in docs_page("guides/diff.md").splitlines():
        cells = [c.strip() for c in line.split(" | ")]
        if len(cells) == 4 and cells[1] in ("breaking", "risky", "safe"):
            kinds.update(re.findall(r"`([a-z-]+)`", cells[2]))
    return kinds


DOCUMENTED_KINDS = documented_kinds()


@settings(max_examples=150, deadline=None)
@given(schemas(), schemas())
def test_walk_never_crashes_and_reports_documented_kinds(old: Any, new: Any) -> None:
    for level, kind, pointer, message in walk(old, new):
        assert isinstance(level, Level) and message
        assert kind in DOCUMENTED_KINDS, kind
        assert pointer == "" or pointer.startswith("/")


@settings(max_examples=100, deadline=None)
@given(schemas())
def test_a_schema_compared_with_itself_has_no_change(schema: Any) -> None:
    assert walk(schema, schema) == []
    # and the same walk does see a real change: a limit the generated schemas never use
    tightened = {"allOf": [schema], "maxProperties": 7}
    # (a `$ref: "#"` reaches the root again, so the change may show at several places)
    assert {c[:2] for c in walk(schema, tightened)} == {(Level.SAFE, "limit-tightened")}
    assert {c[:2] for c in walk(tightened, schema)} == {(Level.BREAKING, "limit-loosened")}
