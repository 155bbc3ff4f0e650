"""The import command end to end: refs across files, examples judged, names, lint, check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from oas_helpers import PORTAL_USERS, get_op, run, spec30, write_json

from validator.openapi.naming import snake, unique_names

PUBLISHED = "https://raw.githubusercontent.com/example/specs/refs/heads/main/v1"


def _common(folder: Path) -> Path:
    return write_json(folder / "common.json", {"openapi": "3.0.0", "info": {"title": "c",
                      "version": "1"}, "paths": {}, "components": {"schemas": {
                          "Error": {"type": "object", "required": ["code"], "properties": {
                              "code": {"type": "string", "enum": ["BAD"]}}}}}})


def test_published_urls_map_to_sibling_files_and_examples_pass(tmp_path: Path) -> None:
    _common(tmp_path)
    spec = write_json(tmp_path / "things.json", spec30({"/things/{id}": get_op(
        {"$ref": f"{PUBLISHED}/common.json#/components/schemas/Error"},
        {"ok": {"code": "BAD"}}, status="400")}))
    out = tmp_path / "out"
    done = run("import", "openapi", str(spec), "--contract", "t/things", "--out", str(out))
    assert done.returncode == 0, done.stderr
    schema = json.loads((out / "schemas/t/things/get_thing.400.schema.json").read_text())
    assert schema["$ref"] == "#/$defs/common.Error"
    assert schema["$defs"]["common.Error"]["properties"]["code"]["x-documented"] == ["BAD"]
    linted = run("lint", "--no-bundled", str(out / "contracts"))
    assert linted.returncode == 0, linted.stdout
    checked = run("check", "--no-bundled", "--contracts", str(out / "contracts"),
                  str(out / "contracts/t/examples/things"))
    assert "1 passed" in checked.stdout, checked.stdout


def test_a_missing_sibling_is_one_note_naming_the_file(tmp_path: Path) -> None:
    spec = write_json(tmp_path / "things.json", spec30({"/t": get_op(
        {"$ref": f"{PUBLISHED}/absent.json#/components/schemas/X"})}))
    done = run("import", "openapi", str(spec), "--contract", "t/x", "--out", str(tmp_path))
    assert done.returncode == 0
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "things.json" in notes[0] and "absent.json" in notes[0]
    assert "Traceback" not in done.stderr
    schema = json.loads((tmp_path / "schemas/t/x/get_thing.200.schema.json").read_text())
    assert schema["x-unresolved"].endswith("absent.json#/components/schemas/X")


def test_not_an_openapi_file_is_a_usage_error(tmp_path: Path) -> None:
    spec = write_json(tmp_path / "x.json", {"swagger": "2.0"})
    done = run("import", "openapi", str(spec), "--contract", "t/x", "--out", str(tmp_path))
    assert done.returncode == 2 and "x.json" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "contracts").exists()


def test_contradicting_examples_are_reported_with_pointer_and_filed_apart(tmp_path: Path
                                                                         ) -> None:
    spec = write_json(tmp_path / "s.json", spec30({"/t": get_op(
        {"type": "object", "properties": {"n": {"type": "integer"}}},
        {"good": {"n": 1}, "wrong": {"n": "one"}, "drift": {"n": 2, "extra": True}})}))
    out = tmp_path / "out"
    done = run("import", "openapi", str(spec), "--contract", "t/s", "--out", str(out))
    assert done.returncode == 0
    lines = [line for line in done.stderr.splitlines() if line.startswith("contradiction:")]
    assert len(lines) == 2
    assert "'wrong'" in lines[1] + lines[0] and " at /n " in " ".join(lines)
    assert any("'drift'" in line and "extra" in line for line in lines)
    contract = yaml.safe_load((out / "contracts/t/s.yaml").read_text())
    assert len(contract["x-choices"]) == 2
    assert contract["endpoints"]["get_thing"]["examples"] == ["examples/s/get_thing.200.good.json"]
    assert sorted(p.name for p in (out / "contracts/t/examples/s/contradicting").iterdir()) == [
        "get_thing.200.drift.json", "get_thing.200.wrong.json"]
    assert run("lint", "--no-bundled", str(out / "contracts")).returncode == 0


def test_yaml_specs_are_read_as_yaml_1_2(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("""openapi: 3.1.0
info: {title: t, version: 1}
paths:
  /t:
    get:
      operationId: getT
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  mode: {type: string, enum: [on, off, yes, no]}
                  day: {type: string, examples: [2024-01-02]}
""", encoding="utf-8")
    out = tmp_path / "out"
    assert run("import", "openapi", str(spec), "--contract", "t/y", "--out",
               str(out)).returncode == 0
    schema = json.loads((out / "schemas/t/y/get_t.200.schema.json").read_text())
    assert schema["properties"]["mode"]["x-documented"] == ["on", "off", "yes", "no"]
    assert schema["properties"]["day"]["examples"] == ["2024-01-02"]
    text = (out / "contracts/t/y.yaml").read_text()
    assert yaml.safe_load(text)["contract"] == "t/y"


@pytest.mark.parametrize(("written", "name"), [
    ("Get Bulk Invite Status", "get_bulk_invite_status"),
    ("getScheduledInviteUsersInfo", "get_scheduled_invite_users_info"),
    ("listHTTPServers", "list_http_servers"), ("2fa-enable", "op_2fa_enable")])
def test_operation_ids_become_snake_case_names(written: str, name: str) -> None:
    assert snake(written) == name


def test_duplicate_names_get_suffixes_that_do_not_depend_on_order() -> None:
    ops = [("GET", "/a", {"operationId": "Get Roles"}), ("GET", "/b", {"operationId":
                                                                      "Get Roles"}),
           ("POST", "/a", {"operationId": "Get Roles"}), ("GET", "/c", {})]
    names = unique_names(ops)
    assert len(set(names)) == 4 and names[2] == "get_roles_post" and names[3] == "get_c"
    again = unique_names(list(reversed(ops)))
    assert list(reversed(again)) == names


@pytest.mark.skipif(not PORTAL_USERS.is_file(), reason="vendor reference specs not present")
def test_the_vendor_portal_users_spec_imports_lint_clean(tmp_path: Path) -> None:
    done = run("import", "openapi", str(PORTAL_USERS), "--contract", "v/portal-users",
               "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    contract = yaml.safe_load((tmp_path / "contracts/v/portal-users.yaml").read_text())
    assert contract["servers"]["eu"] == "https://zohoapis.eu"
    status = contract["endpoints"]["get_scheduled_invite_users_info"]
    assert status["path"] == "/crm/v8/{module}/actions/portal_invite"
    assert status["query"]["job_id"]["required"] is False
    linted = run("lint", "--no-bundled", str(tmp_path / "contracts"))
    assert linted.returncode == 0, linted.stdout


def test_a_hand_written_contract_is_never_overwritten(tmp_path: Path) -> None:
    spec = write_json(tmp_path / "s.json", spec30({"/t": get_op({"type": "object"})}))
    mine = tmp_path / "contracts" / "t" / "s.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("contract: t/s\n", encoding="utf-8")
    done = run("import", "openapi", str(spec), "--contract", "t/s", "--out", str(tmp_path))
    assert done.returncode == 2 and "nothing written" in done.stderr
    assert mine.read_text() == "contract: t/s\n"
    assert not (tmp_path / "schemas").exists()
    forced = run("import", "openapi", str(spec), "--contract", "t/s", "--out", str(tmp_path),
                 "--force")
    assert forced.returncode == 0 and mine.read_text().startswith("# Generated")
