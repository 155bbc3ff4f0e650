from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator.errors import ContractError
from validator.load.schemas import SchemaStore


def write(root: Path, name: str, doc: object) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))


def test_drift_sites_are_recorded_only_where_instances_live(tmp_path: Path
                                                                       ) -> None:
    write(tmp_path, "a.json", {
        "type": "object",
        "properties": {"code": {"type": "string", "x-documented": ["OK"]},
                       "inner": {"properties": {"x": {}}}},
        "if": {"properties": {"code": {"const": "OK"}}},
        "then": {"properties": {"extra": {"type": "string"}}},
        "anyOf": [{"properties": {"y": {}}}],
    })
    store = SchemaStore(tmp_path)
    uri = store.load("a.json", "test")
    drift = {site.split("#", 1)[1] for site in store.injected}
    assert drift == {"/unevaluatedProperties", "/properties/inner/unevaluatedProperties",
                     "/properties/code/enum"}  # not under if, then, anyOf: same instance
    assert store.is_injected(f"{uri}#/properties/code/enum")
    assert store.documents[uri].get("unevaluatedProperties") is None  # original untouched


@pytest.mark.parametrize(("ref", "words"), [
    ("https://example.com/s.json", "remote"),
    ("../outside.json", "escaping"),
    ("missing.json", "no schema file"),
    ("b.json#/$defs/nothing", "points at nothing"),
])
def test_refs_must_resolve_inside_the_schema_folder(tmp_path: Path, ref: str,
                                                    words: str) -> None:
    root = tmp_path / "schemas"
    write(root, "a.json", {"properties": {"x": {"$ref": ref}}})
    write(root, "b.json", {"$defs": {}})
    write(tmp_path, "outside.json", {})
    with pytest.raises(ContractError, match=words):
        SchemaStore(root).load("a.json", "contract.yaml")


def test_refs_are_followed_and_docs_found_from_keyword_locations(tmp_path: Path) -> None:
    write(tmp_path, "common/id.json", {"$defs": {"id": {"type": "string", "x-docs": "https://d/id"}}})
    write(tmp_path, "api/a.json", {"x-docs": "https://d/a",
                                   "properties": {"id": {"$ref": "../common/id.json#/$defs/id"}}})
    store = SchemaStore(tmp_path)
    uri = store.load("api/a.json", "test")
    assert len(store.documents) == 2
    assert store.docs_for(uri + "#/properties/id/$ref") == "https://d/a"
    id_uri = store.uri_for("common/id.json")
    assert store.docs_for(id_uri + "#/$defs/id/type") == "https://d/id"
