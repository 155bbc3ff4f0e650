"""Hand cases, one or more per keyword: verdict (python-jsonschema as oracle) and drift.

Each row: schema documents (file name -> JSON), the entry file, a body, and the drift
the contract must report (kind:pointer, "property" or "value"). The verdict is never
written down here: it is asked of Draft202012Validator on the schema as written.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from truth_harness import Folder

ODD = ["a b", "50%", "#frag", "t~ilde", "s/lash", 'q"uote', "w?hat", "é", "日本"]
ID = "https://example.com/schemas/root.json"

ROWS: list[tuple[str, dict[str, Any], Any, set[str]]] = [
    ("properties: extra member is drift",
     {"s.json": {"properties": {"a": {}}}}, {"a": 1, "b": 2}, {"property:/b"}),
    ("properties: odd names are declared",
     {"s.json": {"properties": {n: {"type": "integer"} for n in ODD}}},
     dict.fromkeys(ODD, 1), set()),
    ("properties: odd names as drift are escaped pointers",
     {"s.json": {"properties": {"x": {}}}}, {"x": 1, "s/lash": 1, "t~ilde": 2},
     {"property:/s~1lash", "property:/t~0ilde"}),
    ("properties: odd name fails its type",
     {"s.json": {"properties": {"50%": {"type": "integer"}}}}, {"50%": "x"}, set()),
    ("patternProperties documents matching members",
     {"s.json": {"properties": {"a": {}}, "patternProperties": {"^x-": {}}}},
     {"a": 1, "x-1": 2, "y": 3}, {"property:/y"}),
    ("additionalProperties schema documents the rest",
     {"s.json": {"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}},
     {"a": 1, "b": 2}, set()),
    ("additionalProperties false stays an error",
     {"s.json": {"properties": {"a": {}}, "additionalProperties": False}},
     {"a": 1, "b": 2}, set()),
    ("unevaluatedProperties false fed by $ref stays as written",
     {"s.json": {"$defs": {"d": {"properties": {"a": {}}}}, "$ref": "#/$defs/d",
                 "unevaluatedProperties": False}}, {"a": 1}, set()),
    ("unevaluatedProperties false rejects what the $ref does not declare",
     {"s.json": {"$defs": {"d": {"properties": {"a": {}}}}, "$ref": "#/$defs/d",
                 "unevaluatedProperties": False}}, {"a": 1, "b": 1}, set()),
    ("allOf: members of every branch are documented",
     {"s.json": {"allOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]}},
     {"a": 1, "b": 2, "c": 3}, {"property:/c"}),
    ("anyOf: a failing branch documents nothing",
     {"s.json": {"anyOf": [{"properties": {"a": {"type": "string"}}},
                           {"properties": {"b": {}}}]}}, {"a": 1, "b": 2}, {"property:/a"}),
    ("anyOf: every passing branch documents",
     {"s.json": {"anyOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]}},
     {"a": 1, "b": 2}, set()),
    ("oneOf: double match is invalid, drift cannot rescue it",
     {"s.json": {"oneOf": [{"properties": {"a": {}}}, {"required": ["a"]}]}},
     {"a": 1, "z": 1}, {"property:/z"}),
    ("oneOf: single match documents its members",
     {"s.json": {"oneOf": [{"properties": {"a": {}}, "required": ["a"]},
                           {"properties": {"b": {}}, "required": ["b"]}]}}, {"a": 1}, set()),
    ("not: a $ref under not keeps its meaning",
     {"s.json": {"$defs": {"d": {"properties": {"a": {}}}}, "properties": {"b": {}},
                 "not": {"$ref": "#/$defs/d"}}}, {"b": 1}, set()),
    ("not: nothing under not documents",
     {"s.json": {"properties": {"b": {}}, "not": {"properties": {"c": {"type": "string"}},
                                                  "required": ["c"]}}},
     {"b": 1, "c": 1}, {"property:/c"}),
    ("if/then: then applies, its members documented",
     {"s.json": {"properties": {"kind": {}}, "if": {"properties": {"kind": {"const": "x"}}},
                 "then": {"properties": {"x": {}}}, "else": {"properties": {"y": {}}}}},
     {"kind": "x", "x": 1, "y": 2}, {"property:/y"}),
    ("if/else: else applies when if fails",
     {"s.json": {"properties": {"kind": {}}, "if": {"properties": {"kind": {"const": "x"}}},
                 "then": {"required": ["x"]}, "else": {"properties": {"y": {}}}}},
     {"kind": "z", "y": 2}, set()),
    ("dependentSchemas: applies only when the member is there",
     {"s.json": {"properties": {"a": {}}, "dependentSchemas": {"a": {"properties": {"b": {}}}}}},
     {"a": 1, "b": 2}, set()),
    ("dependentSchemas: absent trigger documents nothing",
     {"s.json": {"properties": {"c": {}}, "dependentSchemas": {"a": {"properties": {"b": {}}}}}},
     {"c": 1, "b": 2}, {"property:/b"}),
    ("items: members of items documented",
     {"s.json": {"items": {"properties": {"a": {}}}}}, [{"a": 1}, {"a": 1, "b": 2}],
     {"property:/1/b"}),
    # shrunk by test_differential: jsonschema-rs leaves a `true` subschema out of its output
    ("additionalProperties: true documents every other member (no witness: contains)",
     {"s.json": {"additionalProperties": True, "properties": {"a": {}},
                 "contains": {"properties": {"a": {}}}}}, {"b": None}, set()),
    ("unevaluatedProperties: true beside allOf documents every other member",
     {"s.json": {"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": True,
                 "not": {"properties": {"x": {}}}}}, {"b": None}, set()),
    ("x-documented: a value outside is drift",
     {"s.json": {"properties": {"code": {"type": "string", "x-documented": ["OK"]}}}},
     {"code": "NEW"}, {"value:/code"}),
    ("x-documented: a wrong type is an error, not drift",
     {"s.json": {"properties": {"code": {"type": "string", "x-documented": ["OK"]}}}},
     {"code": 5}, set()),
    ("x-documented: JSON equality (true is not 1)",
     {"s.json": {"x-documented": [1]}}, True, {"value:"}),
    ("x-documented: 1.0 equals 1",
     {"s.json": {"x-documented": [1]}}, 1.0, set()),
    ("absolute $id: drift stays a warning",
     {"s.json": {"$id": ID, "properties": {"code": {"x-documented": ["OK"]}}}},
     {"code": "NEW", "extra": 1}, {"value:/code", "property:/extra"}),
    ("relative $id of an embedded resource: relative $ref resolves against it",
     {"s.json": {"$id": ID, "$defs": {"e": {"$id": "nested/e.json", "$defs": {
         "n": {"type": "integer"}}, "properties": {"v": {"$ref": "#/$defs/n"}}}},
        "properties": {"e": {"$ref": "nested/e.json"}}}}, {"e": {"v": "x"}}, set()),
    ("$anchor resolves to the anchored subschema, not the root",
     {"s.json": {"$defs": {"d": {"$anchor": "num", "type": ["integer", "null"]}},
                 "properties": {"a": {"$ref": "#num"}}}}, {"a": None}, set()),
    ("percent-encoded pointer",
     {"s.json": {"$defs": {"percent%field": {"type": "integer"}},
                 "properties": {"a": {"$ref": "#/$defs/percent%25field"}}}}, {"a": "x"}, set()),
    ("pointer with ~ and / escapes",
     {"s.json": {"$defs": {"a/b~c": {"type": "integer"}},
                 "properties": {"a": {"$ref": "#/$defs/a~1b~0c"}}}}, {"a": 1}, set()),
    ("https $ref to an $id declared by another file of the folder",
     {"s.json": {"properties": {"u": {"$ref": "https://example.com/other/user.json"}}},
      "lib/user.json": {"$id": "https://example.com/other/user.json",
                        "properties": {"name": {"type": "string"}}}},
     {"u": {"name": "x", "age": 3}}, {"property:/u/age"}),
    ("urn $id declared in the folder",
     {"s.json": {"properties": {"u": {"$ref": "urn:example:user"}}},
      "user.json": {"$id": "urn:example:user", "type": "object",
                    "properties": {"n": {"type": "integer"}}}}, {"u": {"n": "x"}}, set()),
    ("split over files by relative $ref",
     {"s.json": {"properties": {"item": {"$ref": "parts/item.json"}}},
      "parts/item.json": {"properties": {"id": {"$ref": "../common/id.json#/$defs/id"}}},
      "common/id.json": {"$defs": {"id": {"type": "string", "pattern": "^[0-9]+$"}}}},
     {"item": {"id": "12", "more": 1}}, {"property:/item/more"}),
    ("a failing body still reports drift next to its errors",
     {"s.json": {"properties": {"a": {"type": "string"}, "o": {"properties": {"k": {}}}}}},
     {"a": 1, "o": {"k": 1, "j": 2}, "b": 2}, {"property:/b", "property:/o/j"}),
    ("format is an annotation unless the contract asserts it",
     {"s.json": {"format": "email"}}, "not an email", set()),
]

_counter = itertools.count()


@pytest.fixture(scope="module")
def tmp() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as path:
        yield Path(path)


@pytest.mark.parametrize(("documents", "body", "drift"), [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])
def test_row(tmp: Path, documents: dict[str, Any], body: Any, drift: set[str]) -> None:
    folder = Folder(tmp / f"row{next(_counter)}", documents)
    assert folder.verdict(body) == folder.oracle_valid(body)
    assert folder.drift(body) == drift


def test_split_schema_accepts_exactly_what_the_merged_one_accepts(tmp: Path) -> None:
    split = {"s.json": {"type": "object", "properties": {"item": {"$ref": "parts/item.json"}},
                        "required": ["item"]},
             "parts/item.json": {"properties": {"id": {"$ref": "../common/id.json#/$defs/id"},
                                                "tags": {"items": {"$ref": "tag.json"}}}},
             "parts/tag.json": {"type": "string", "minLength": 1},
             "common/id.json": {"$defs": {"id": {"type": "string", "pattern": "^[0-9]+$"}}}}
    merged = {"s.json": {"type": "object", "required": ["item"], "properties": {"item": {
        "properties": {"id": {"$ref": "#/$defs/id"}, "tags": {"items": {"$ref": "#/$defs/tag"}}}}},
        "$defs": {"id": {"type": "string", "pattern": "^[0-9]+$"},
                  "tag": {"type": "string", "minLength": 1}}}}
    one, many = Folder(tmp / "merged", merged), Folder(tmp / "split", split)
    for body in [{"item": {"id": "1", "tags": ["a"]}}, {"item": {"id": "x"}},
                 {"item": {"tags": [""]}}, {}, {"item": {"id": "2", "tags": []}}, []]:
        assert many.verdict(body) == one.verdict(body) == one.oracle_valid(body)
        assert many.drift(body) == one.drift(body)
