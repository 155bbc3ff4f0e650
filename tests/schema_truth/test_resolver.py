"""The resolver API: what `SchemaStore.resolve` returns for each kind of `$ref`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator.errors import ContractError
from validator.load.resolver import walk_schemas
from validator.load.schemas import SchemaStore

ROOT_ID = "https://example.com/s/root.json"
DOC = {"$id": ROOT_ID, "$defs": {
    "percent%field": {"type": "integer"},
    "a/b~c": {"type": "null"},
    "anchored": {"$anchor": "here", "type": "boolean"},
    "embedded": {"$id": "sub/e.json", "$defs": {"n": {"type": "number"}},
                 "$ref": "#/$defs/n"},
}, "properties": {"$id": {"type": "string"}}}


@pytest.fixture
def store(tmp_path: Path) -> SchemaStore:
    (tmp_path / "root.json").write_text(json.dumps(DOC), encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps({"$ref": ROOT_ID}), encoding="utf-8")
    found = SchemaStore(tmp_path)
    found.load("root.json", "test")
    return found


@pytest.mark.parametrize(("ref", "pointer", "base"), [
    ("root.json#/$defs/percent%25field", "/$defs/percent%field", ROOT_ID),
    (f"{ROOT_ID}#/$defs/a~1b~0c", "/$defs/a~1b~0c", ROOT_ID),
    ("root.json#here", "/$defs/anchored", ROOT_ID),
    (f"{ROOT_ID}#here", "/$defs/anchored", ROOT_ID),
    ("https://example.com/s/sub/e.json", "/$defs/embedded", "https://example.com/s/sub/e.json"),
    ("https://example.com/s/sub/e.json#/$defs/n", "/$defs/embedded/$defs/n",
     "https://example.com/s/sub/e.json"),
    (f"{ROOT_ID}#/$defs/embedded/$defs/n", "/$defs/embedded/$defs/n",
     "https://example.com/s/sub/e.json"),
    ("root.json", "", ROOT_ID),
])
def test_resolve_returns_the_node_its_home_and_its_base(store: SchemaStore, ref: str,
                                                        pointer: str, base: str) -> None:
    target = store.resolve(store.base_uri, ref)
    assert (target.doc, target.pointer, target.base) == (store.uri_for("root.json"), pointer,
                                                         base)
    assert target.key == f"{target.doc}#{pointer}"
    assert store.node_at(target.doc, pointer) is target.node


def test_refs_inside_an_embedded_resource_resolve_against_its_id(store: SchemaStore) -> None:
    embedded = store.resolve(store.base_uri, "https://example.com/s/sub/e.json")
    inner = store.resolve(embedded.base, embedded.node["$ref"])
    assert inner.node == {"type": "number"}


def test_id_declared_by_another_file_is_found(store: SchemaStore) -> None:
    other = store.resolve(store.base_uri, "other.json")
    assert store.resolve(other.base, other.node["$ref"]).doc == store.uri_for("root.json")


def test_node_at_and_document_at_accept_encoded_pointers_and_anchors(store: SchemaStore
                                                                     ) -> None:
    doc = store.uri_for("root.json")
    assert store.node_at(doc, "/$defs/percent%25field") == {"type": "integer"}
    assert store.node_at(doc, "here") == DOC["$defs"]["anchored"]
    assert store.node_at(doc, "/$defs/nothing") is None
    assert store.document_at(f"{ROOT_ID}#here") == DOC["$defs"]["anchored"]
    with pytest.raises(KeyError):
        store.document_at("https://elsewhere.example/x.json")


def test_unknown_uri_is_refused_with_one_line(store: SchemaStore) -> None:
    with pytest.raises(ContractError) as caught:
        store.resolve(store.base_uri, "https://elsewhere.example/x.json")
    assert "\n" not in str(caught.value) and "is remote" in str(caught.value)


def test_a_property_named_id_is_not_an_identifier() -> None:
    ids = [base for node, base, _ in walk_schemas(DOC, "file:///r.json") if node.get("type")
           == "string"]
    assert ids == [ROOT_ID]
