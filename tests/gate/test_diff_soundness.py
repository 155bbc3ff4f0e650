"""The promise behind "safe": when diff calls every change between two schemas safe (or
finds none), every body valid under the new schema is valid under the old one.

Schema pairs are built by mutating a base schema (a keyword set, changed or dropped
somewhere in it); candidate bodies are drawn from the vocabulary those schemas use, and
python-jsonschema (Draft 2020-12) decides which are valid under each side.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from validator.diff.model import Level
from validator.diff.schema import Sub
from validator.diff.walk import SchemaDiff
from validator.load.schemas import SchemaStore

DOC = "file:///schemas/body.schema.json"
NAMES = ["a", "b", "c"]
SCHEMA_VALUED = {"additionalProperties", "propertyNames", "items", "contains", "not", "if",
                 "then", "else", "unevaluatedItems", "unevaluatedProperties"}
TYPES = ["string", "integer", "number", "null", "boolean", "array", "object"]
STRINGS = ["", "a", "ab", "abc", "x1", "A", "2020-01-01"]
NUMBERS = [-1, 0, 1, 2, 3, 5, 10, 2.5]

keyword_values = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(TYPES) | st.lists(
        st.sampled_from(TYPES), min_size=1, max_size=3, unique=True)),
    st.tuples(st.just("enum"), st.lists(st.sampled_from([*STRINGS[:3], 0, 1, None]),
                                        min_size=1, max_size=3, unique=True)),
    st.tuples(st.just("const"), st.sampled_from(["a", 1, None])),
    st.tuples(st.sampled_from(["minLength", "maxLength", "minItems", "maxItems",
                               "minProperties", "maxProperties", "minContains",
                               "maxContains"]), st.integers(0, 3)),
    st.tuples(st.sampled_from(["minimum", "maximum", "exclusiveMinimum",
                               "exclusiveMaximum"]), st.sampled_from([0, 1, 2, 5])),
    st.tuples(st.just("multipleOf"), st.sampled_from([1, 2, 4])),
    st.tuples(st.just("uniqueItems"), st.booleans()),
    st.tuples(st.just("required"), st.lists(st.sampled_from(NAMES), max_size=3, unique=True)),
    st.tuples(st.just("pattern"), st.sampled_from(["^a", "^[ab]+$", "b", "^.*$"])),
)


def leaf() -> st.SearchStrategy[Any]:
    return st.lists(keyword_values, max_size=3).map(dict) | st.booleans()


def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({}, optional={
        "type": st.sampled_from(["object", "array"]),
        "properties": st.dictionaries(st.sampled_from(NAMES), inner, max_size=3),
        "required": st.lists(st.sampled_from(NAMES), max_size=3, unique=True),
        "additionalProperties": inner,
        "patternProperties": st.dictionaries(st.sampled_from(["^a", "^b"]), inner,
                                             max_size=1),
        "propertyNames": inner,
        "dependentRequired": st.dictionaries(st.sampled_from(NAMES), st.lists(
            st.sampled_from(NAMES), max_size=2, unique=True), max_size=2),
        "dependentSchemas": st.dictionaries(st.sampled_from(NAMES), inner, max_size=1),
        "items": inner,
        "prefixItems": st.lists(inner, max_size=2),
        "contains": inner,
        "unevaluatedItems": inner,
        "unevaluatedProperties": inner,
        "oneOf": st.lists(inner, min_size=1, max_size=3),
        "anyOf": st.lists(inner, min_size=1, max_size=3),
        "allOf": st.lists(inner, min_size=1, max_size=2),
        "not": inner,
        "if": inner, "then": inner, "else": inner,
    }) | leaf()


schemas = st.recursive(leaf(), extend, max_leaves=8)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Any, Any]:
    """A base schema and a copy with one keyword set, replaced or dropped somewhere."""
    old = draw(schemas)
    new = copy.deepcopy(old)
    nodes = [n for n in _nodes(new) if isinstance(n, dict)]
    if not nodes:
        return old, draw(schemas)
    node = draw(st.sampled_from(nodes))
    action = draw(st.sampled_from(["set", "drop", "replace"]))
    if action == "drop" and node:
        del node[draw(st.sampled_from(sorted(node)))]
    elif action == "replace" and node.keys() & SCHEMA_VALUED:
        node[draw(st.sampled_from(sorted(node.keys() & SCHEMA_VALUED)))] = draw(leaf())
    else:
        key, value = draw(keyword_values)
        node[key] = value
    return old, new


def _nodes(schema: Any) -> list[Any]:
    found = [schema]
    if isinstance(schema, dict):
        for value in schema.values():
            if isinstance(value, dict | bool):
                found += _nodes(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict | bool):
                        found += _nodes(item)
    return found


scalars = st.sampled_from([*STRINGS, *NUMBERS, None, True, False])
bodies = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from([*NAMES, "x"]), inner, max_size=4), max_leaves=10)


def verdict(old: Any, new: Any) -> Level | None:
    levels: list[Level] = []

    def emit(level: Level, *_: Any) -> None:
        levels.append(level)

    SchemaDiff(_store(old), _store(new), emit).compare([Sub(old, DOC, "")],
                                                      [Sub(new, DOC, "")])
    return max(levels, key=lambda level: level.rank) if levels else None


def _store(document: Any) -> SchemaStore:
    store = SchemaStore(Path("/schemas"))
    store.documents[DOC] = document
    return store


def check_sound(old: Any, new: Any, candidates: list[Any]) -> None:
    if verdict(old, new) not in (None, Level.SAFE):
        return
    old_check, new_check = Draft202012Validator(old), Draft202012Validator(new)
    for body in candidates:
        if new_check.is_valid(body):
            assert old_check.is_valid(body), (old, new, body)


@settings(max_examples=400, deadline=None)
@given(mutated(), st.lists(bodies, min_size=20, max_size=40))
@example(({"type": "array", "items": {"type": "string"}},
          {"type": "array", "prefixItems": [{"type": "integer"}],
           "items": {"type": "string"}}), [[1], ["a"]])
@example(({"anyOf": [{"required": ["a"]}]},
          {"anyOf": [{"required": ["a"]}, {"required": ["a", "b"]}]}), [{"a": 1}, {"b": 1}])
@example(({"enum": [1], "const": "a"}, {"const": "a"}), ["a"])  # found by this test
@example(({"type": "object", "additionalProperties": {"type": "integer"}},
          {"type": "object"}), [{"x": "a"}])
def test_safe_means_every_new_body_is_an_old_body(pair: tuple[Any, Any],
                                                  candidates: list[Any]) -> None:
    check_sound(*pair, candidates)


def test_the_oracle_sees_a_real_widening() -> None:
    """The property has teeth: a widening diff calls safe would be caught."""
    old, new = {"type": "string", "maxLength": 1}, {"type": "string"}
    assert verdict(old, new) is Level.BREAKING
    assert Draft202012Validator(new).is_valid("abc")
    assert not Draft202012Validator(old).is_valid("abc")
