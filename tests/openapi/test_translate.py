"""3.0/3.1 schema translation, judged by python-jsonschema on the written schema files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from oas_helpers import get_op, imported_schema, run, spec30, write_json


def _import(tmp_path: Path, schema: Any, schemas: dict[str, Any] | None = None,
            *options: str) -> Any:
    spec = write_json(tmp_path / "spec.json", spec30({"/things": get_op(schema)}, schemas))
    done = run("import", "openapi", str(spec), "--contract", "t/things", "--out",
               str(tmp_path / "out"), *options)
    assert done.returncode == 0, done.stderr
    return imported_schema(tmp_path / "out", "t/things", "get_thing")


def _valid(schema: Any, instance: Any) -> bool:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema).is_valid(instance)


def test_nullable_adds_null_to_type_and_enum(tmp_path: Path) -> None:
    schema = _import(tmp_path, {"type": "object", "properties": {
        "a": {"type": "string", "nullable": True},
        "b": {"type": "string", "enum": ["x", "y"], "nullable": True},
        "c": {"$ref": "#/components/schemas/C", "nullable": True}}},
        {"C": {"type": "integer"}})
    assert _valid(schema, {"a": None, "b": None, "c": None})
    assert _valid(schema, {"a": "s", "c": 3})
    assert not _valid(schema, {"a": 1})
    assert not _valid(schema, {"c": "three"})


@pytest.mark.parametrize(("bound", "inside", "edge"), [("Minimum", 6, 5), ("Maximum", 4, 5)])
def test_boolean_exclusive_bounds_become_numeric(tmp_path: Path, bound: str, inside: int,
                                                 edge: int) -> None:
    schema = _import(tmp_path, {"type": "integer", bound.lower(): 5,
                                f"exclusive{bound}": True})
    assert _valid(schema, inside)
    assert not _valid(schema, edge)


def test_false_exclusive_bound_keeps_the_inclusive_one(tmp_path: Path) -> None:
    schema = _import(tmp_path, {"type": "integer", "minimum": 5, "exclusiveMinimum": False})
    assert _valid(schema, 5) and not _valid(schema, 4)


def test_example_discriminator_read_write_only(tmp_path: Path) -> None:
    schema = _import(tmp_path, {
        "type": "object", "required": ["id", "secret"], "example": {"id": "1"},
        "discriminator": {"propertyName": "kind"},
        "properties": {"id": {"type": "string", "readOnly": True},
                       "secret": {"type": "string", "writeOnly": True}}})
    assert schema["examples"] == [{"id": "1"}]
    assert "discriminator" not in schema and schema["x-discriminator"] == {"propertyName":
                                                                           "kind"}
    assert _valid(schema, {"id": "1"})  # a writeOnly member is never in a response
    assert not _valid(schema, {"secret": "s"})


def test_enums_open_by_default_closed_on_request(tmp_path: Path) -> None:
    raw = {"type": "object", "properties": {"code": {"type": "string", "enum": ["OK"]},
                                            "status": {"type": "string", "enum": ["done"]}}}
    opened = _import(tmp_path / "a", raw)
    assert opened["properties"]["code"] == {"type": "string", "x-documented": ["OK"]}
    assert _valid(opened, {"code": "NEW"})
    closed = _import(tmp_path / "b", raw, None, "--closed-enum", "status")
    assert closed["properties"]["status"]["enum"] == ["done"]
    assert not _valid(closed, {"status": "new"})
    assert "enum" not in closed["properties"]["code"]
    everything = _import(tmp_path / "c", raw, None, "--enums", "closed")
    assert not _valid(everything, {"code": "NEW"})


def test_one_of_becomes_any_of_and_one_branch_is_unwrapped(tmp_path: Path) -> None:
    schema = _import(tmp_path, {"type": "object", "properties": {
        "one": {"oneOf": [{"$ref": "#/components/schemas/A"}]},
        "two": {"oneOf": [{"$ref": "#/components/schemas/A"},
                          {"$ref": "#/components/schemas/B"}]}}},
        {"A": {"type": "object", "properties": {"code": {"type": "string", "enum": ["A"]}}},
         "B": {"type": "object", "properties": {"code": {"type": "string", "enum": ["B"]}}}})
    assert schema["properties"]["one"] == {"$ref": "#/$defs/A"}
    assert "anyOf" in schema["properties"]["two"]
    # with opened enums both branches accept any code: oneOf would now reject it
    assert _valid(schema, {"two": {"code": "C"}})
    # branch definitions live outside $defs, which the checker closes for drift
    assert schema["properties"]["two"]["anyOf"][0]["$ref"] == "#/x-open-defs/A"


def test_additional_properties_false_is_drift_unless_marked(tmp_path: Path) -> None:
    strict = {"type": "object", "additionalProperties": False, "properties": {"a": {}}}
    assert "additionalProperties" not in _import(tmp_path / "a", strict)
    marked = dict(strict, **{"x-respcontract-object": "closed"})
    assert _import(tmp_path / "b", marked)["additionalProperties"] is False


def test_recursive_components_stay_finite(tmp_path: Path) -> None:
    schema = _import(tmp_path, {"$ref": "#/components/schemas/Node"}, {
        "Node": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}})
    assert _valid(schema, {"children": [{"children": []}]})
    assert not _valid(schema, {"children": [{"children": 1}]})
