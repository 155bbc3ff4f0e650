"""`json_type` agrees with python-jsonschema's 2020-12 `type` keyword on every JSON value."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from validator.formats.json import json_type

TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                               allow_infinity=False) | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=8)


def _types_jsonschema_accepts(value: Any) -> set[str]:
    return {t for t in TYPES if Draft202012Validator({"type": t}).is_valid(value)}


@given(VALUES)
def test_json_type_is_the_narrowest_type_jsonschema_accepts(value: Any) -> None:
    accepted = _types_jsonschema_accepts(value)
    assert json_type(value) in accepted
    assert accepted - {json_type(value)} <= ({"number"} if json_type(value) == "integer"
                                             else set())


def test_floats_with_no_fraction_are_integers_in_2020_12() -> None:
    for value in (1.0, -0.0, 0.0, 1e20, float(2**70)):
        assert _types_jsonschema_accepts(value) == {"integer", "number"}
        assert json_type(value) == "integer"
    for value in (1.5, -0.25, math.pi):
        assert _types_jsonschema_accepts(value) == {"number"}
        assert json_type(value) == "number"
