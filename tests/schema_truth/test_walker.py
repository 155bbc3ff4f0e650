"""The one subschema walker and pointer step in validator.load.resolver.

`follow` is checked against the `referencing` library's pointer lookup (the resolver of
python-jsonschema); the instance-position walk against JSON Schema's own reading of which
keywords move to another instance location.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry, Resource
from referencing.exceptions import PointerToNowhere

from validator.load.resolver import MISSING, follow, walk_schemas
from validator.load.schemas import drift_sites
from validator.model.pointer import make_pointer

# no "%" (referencing percent-decodes fragments) and no "-" (it reads "-1" as an index)
KEYS = st.text("ab~/01", max_size=3)
JSON = st.recursive(st.none() | st.booleans() | st.integers(0, 9) | st.text("ab", max_size=2),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(KEYS, inner, max_size=3), max_leaves=12)


def _oracle(document: Any, pointer: str) -> Any:
    resolver = Registry().with_resource("urn:doc", Resource.opaque(document)).resolver()
    try:
        return resolver.lookup(f"urn:doc#{pointer}").contents
    except (PointerToNowhere, TypeError, KeyError, IndexError, ValueError):
        return MISSING


@given(document=JSON, tokens=st.lists(KEYS, max_size=4))
def test_follow_finds_what_referencing_finds(document: Any, tokens: list[str]) -> None:
    pointer = make_pointer(tokens)
    found, expected = follow(document, pointer), _oracle(document, pointer)
    assert found is expected or (found is not MISSING and found == expected)


def test_follow_of_a_present_null_is_null_not_missing() -> None:
    assert follow({"a": [None]}, "/a/0") is None
    assert follow({"a": [None]}, "/a/1") is MISSING


INSTANCE_DOC = {
    "properties": {"a": {"properties": {"x": {}}},
                   "b": {"allOf": [{"properties": {"y": {}}}]}},
    "allOf": [{"properties": {"c": {"x-documented": ["q"]}}}],
    "if": {"properties": {"d": {}}},
    "then": {"items": {"properties": {"e": {}}}},
    "anyOf": [{"properties": {"f": {}}}],
}


def test_drift_applies_at_instance_positions_only() -> None:
    sites = {(pointer, keyword) for _, pointer, keyword in drift_sites(INSTANCE_DOC)}
    # allOf and then branches apply to their parent's value: not a site themselves (so
    # /properties/b/allOf/0 is none), but their children are; if and anyOf branches are
    # not walked at all.
    assert sites == {("", "unevaluatedProperties"), ("/properties/a", "unevaluatedProperties"),
                     ("/allOf/0/properties/c", "enum"), ("/then/items", "unevaluatedProperties")}


def test_the_full_walk_visits_every_subschema_parents_first() -> None:
    pointers = [pointer for _, _, pointer in walk_schemas(INSTANCE_DOC, "")]
    assert pointers[0] == ""
    assert set(pointers) == {
        "", "/properties/a", "/properties/a/properties/x", "/properties/b",
        "/properties/b/allOf/0", "/properties/b/allOf/0/properties/y", "/allOf/0",
        "/allOf/0/properties/c", "/if", "/if/properties/d", "/then", "/then/items",
        "/then/items/properties/e", "/anyOf/0", "/anyOf/0/properties/f"}
    for i, pointer in enumerate(pointers):
        assert all(not pointer.startswith(p + "/") for p in pointers[i + 1:])
