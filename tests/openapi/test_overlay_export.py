"""Overlays (Overlay 1.0 before import), the drift policy in check, and the OpenAPI export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from oas_helpers import ROOT, get_op, run, spec30, write_json

from validator.openapi import jsonpath
from validator.openapi.overlay import merge

JOB = {"type": "object", "properties": {"status": {"type": "string", "enum": ["done",
                                                                               "running"]},
                                        "code": {"type": "string", "enum": ["OK"]}}}


def _overlay(path: Path, actions: list[dict[str, Any]]) -> Path:
    return write_json(path, {"overlay": "1.0.0", "info": {"title": "o", "version": "1"},
                             "actions": actions})


def _exchange(folder: Path, body: Any) -> Path:
    return write_json(folder / "x.json", {"request": {"method": "GET",
                                                      "url": "https://api.example.test/jobs"},
                                          "response": {"status": 200, "headers": {
                                              "Content-Type": "application/json"},
                                              "body": body}})


def test_overlay_closes_an_enum_adds_rules_and_survives_a_newer_spec(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path / "o.json", [
        {"target": "$.paths['/jobs'].get.responses['200'].content['application/json']"
                   ".schema.properties.status", "update": {"x-respcontract-enum": "closed"}},
        {"target": "$.paths['/jobs'].get", "update": {"x-respcontract-rules": [
            {"id": "ok-when-done", "at": "", "if": {"properties": {"status": {"const":
                                                                              "done"}}},
             "then": {"properties": {"code": {"const": "OK"}}}}]}},
        {"target": "$", "update": {"x-respcontract-choices": ["status is closed: a poller "
                                                              "switches on it"]}}])
    out = tmp_path / "out"
    for version in ("1", "2"):  # the vendor publishes a newer spec: curation stays
        spec = write_json(tmp_path / f"v{version}" / "s.json", spec30(
            {"/jobs": get_op(JOB, {"done": {"status": "done", "code": "OK"}})},
            info={"title": "t", "version": version}))
        done = run("import", "openapi", str(spec), "--contract", "t/jobs", "--out", str(out),
                   "--overlay", str(overlay))
        assert done.returncode == 0, done.stderr
    contract = yaml.safe_load((out / "contracts/t/jobs.yaml").read_text())
    assert contract["x-openapi"]["version"] == "2"
    assert contract["x-choices"] == ["status is closed: a poller switches on it"]
    assert contract["endpoints"]["get_thing"]["rules"][0]["id"] == "ok-when-done"
    args = ["check", "--no-bundled", "--contracts", str(out / "contracts")]
    drift = run(*args, str(_exchange(tmp_path / "a", {"status": "done", "code": "NEW"})))
    assert drift.returncode == 1 and "ok-when-done" in drift.stdout  # the rule
    unknown_code = run(*args, str(_exchange(tmp_path / "b", {"status": "running",
                                                              "code": "NEW"})))
    assert unknown_code.returncode == 0 and "undocumented" in unknown_code.stdout
    new_status = run(*args, str(_exchange(tmp_path / "c", {"status": "paused"})))
    assert new_status.returncode == 1 and "[schema]" in new_status.stdout


def test_an_overlay_target_that_vanished_fails_the_import(tmp_path: Path) -> None:
    spec = write_json(tmp_path / "s.json", spec30({"/jobs": get_op(JOB)}))
    overlay = _overlay(tmp_path / "o.json", [{"target": "$.paths['/gone'].get",
                                              "update": {"summary": "x"}}])
    done = run("import", "openapi", str(spec), "--contract", "t/j", "--out",
               str(tmp_path / "out"), "--overlay", str(overlay))
    assert done.returncode == 2 and "selects nothing" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("path", "expected"), [
    ("$.a.b", [1]), ("$['a']['b']", [1]), ("$.list[*].n", [1, 2]), ("$.list[-1].n", [2]),
    ("$..n", [1, 2]), ("$.list[?@.n == 2].n", [2]), ("$.list[?(@.n != 2)].n", [1]),
    ("$.list[?@.tag].n", [2])])
def test_jsonpath_subset(path: str, expected: list[Any]) -> None:
    document = {"a": {"b": 1}, "list": [{"n": 1}, {"n": 2, "tag": "x"}]}
    assert [parent[key] for parent, key in jsonpath.select(document, path)] == expected


def test_overlay_merge_rules() -> None:
    assert merge({"a": {"b": 1, "c": 2}}, {"a": {"b": 3}}) == {"a": {"b": 3, "c": 2}}
    assert merge([1], 2) == [1, 2]
    assert merge({"a": [1]}, {"a": [2]}) == {"a": [2]}


def _export(tmp_path: Path, contract: str) -> dict[str, Any]:
    target = tmp_path / "export.json"
    done = run("export", "openapi", contract, "-o", str(target))
    assert done.returncode == 0, done.stderr
    return json.loads(target.read_text())


@pytest.mark.parametrize("contract", ["zoho-crm/portal-invite", "zoho-crm-v8/portal-users",
                                      "zoho-crm-v8/record"])
def test_export_is_a_valid_openapi_3_1_document(tmp_path: Path, contract: str) -> None:
    from openapi_spec_validator import validate

    document = _export(tmp_path, contract)
    validate(document)
    assert document["openapi"] == "3.1.0"


def test_rules_are_exported_as_extensions_and_in_words(tmp_path: Path) -> None:
    document = _export(tmp_path, "zoho-crm/portal-invite")
    operation = document["paths"]["/crm/{version}/{personality_module}/actions/portal_invite"][
        "get"]
    ids = [r["id"] for r in operation["x-respcontract-rules"]]
    assert "job-ids-unique" in ids and "`job-ids-unique`" in operation["description"]


def _deref(node: Any, root: Any, seen: tuple[str, ...] = ()) -> Any:
    """A schema with every local $ref replaced by its target (loops cut at a marker)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            if ref in seen:
                return {"loop": True}
            target: Any = root
            for token in ref[2:].split("/") if ref != "#" else []:
                target = target[token.replace("~1", "/").replace("~0", "~")]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**_deref(target, root, (*seen, ref)), **_deref(rest, root, seen)}
        return {k: _deref(v, root, seen) for k, v in node.items()
                if k not in ("$schema", "title", "$defs", "x-open-defs", "$id")}
    if isinstance(node, list):
        return [_deref(v, root, seen) for v in node]
    return node


def test_importing_an_export_gives_back_the_same_schemas(tmp_path: Path) -> None:
    document = _export(tmp_path, "zoho-crm/portal-invite")
    out = tmp_path / "out"
    done = run("import", "openapi", str(tmp_path / "export.json"), "--contract", "rt/pi",
               "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert run("lint", "--no-bundled", str(out / "contracts")).returncode == 0
    original = yaml.safe_load((ROOT / "contracts/zoho-crm/portal-invite.yaml").read_text())
    again = yaml.safe_load((out / "contracts/rt/pi.yaml").read_text())
    compared = 0
    for name, endpoint in original["endpoints"].items():
        for status, response in endpoint["responses"].items():
            if "schema" not in response:
                continue
            back = again["endpoints"][name]["responses"][status]
            mine = _file_schema(ROOT / "schemas", response["schema"])
            theirs = json.loads((out / "schemas" / "rt" / back["schema"]).read_text())
            assert _deref(theirs, theirs) == mine, (name, status)
            compared += 1
    assert compared == 9 and document["paths"]


def _file_schema(root: Path, rel: str) -> Any:
    """A schema file dereferenced across files (the originals use relative file refs)."""
    def load(path: Path, node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                file_part, _, fragment = ref.partition("#")
                target_path = (path.parent / file_part).resolve() if file_part else path
                key = f"{target_path}#{fragment}"
                if key in seen:
                    return {"loop": True}
                target: Any = json.loads(target_path.read_text())
                for token in [t for t in fragment.split("/") if t]:
                    target = target[token]
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return {**load(target_path, target, (*seen, key)), **load(path, rest, seen)}
            return {k: load(path, v, seen) for k, v in node.items()
                    if k not in ("$schema", "title", "$defs", "$id")}
        if isinstance(node, list):
            return [load(path, v, seen) for v in node]
        return node
    file = root / rel
    return load(file, json.loads(file.read_text()), ())


def test_a_bodiless_response_keeps_its_headers_through_export_and_import(tmp_path: Path
                                                                        ) -> None:
    from openapi_spec_validator import validate

    folder = tmp_path / "api"
    (folder / "contracts").mkdir(parents=True)
    (folder / "schemas").mkdir()
    (folder / "contracts" / "things.yaml").write_text(yaml.safe_dump({
        "contract": "t/things", "endpoints": {"create": {
            "method": "POST", "path": "/things",
            "responses": {"201": {"body": "empty", "description": "created", "headers": {
                "Location": {"required": True, "schema": {"type": "string"},
                             "description": "where the new thing lives"}}}}}}}))
    target = tmp_path / "export.json"
    done = run("export", "openapi", "t/things", "--no-bundled", "--contracts",
               str(folder / "contracts"), "-o", str(target))
    assert done.returncode == 0, done.stderr
    document = json.loads(target.read_text())
    validate(document)
    created = document["paths"]["/things"]["post"]["responses"]["201"]
    assert created["headers"] == {"Location": {"required": True, "schema": {"type": "string"},
                                               "description": "where the new thing lives"}}
    assert "content" not in created
    out = tmp_path / "out"
    done = run("import", "openapi", str(target), "--contract", "t/again", "--out", str(out))
    assert done.returncode == 0, done.stderr
    again = yaml.safe_load((out / "contracts" / "t" / "again.yaml").read_text())
    [response] = [r for e in again["endpoints"].values() for r in e["responses"].values()]
    assert response["headers"]["Location"]["required"] is True
