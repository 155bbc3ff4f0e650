"""`respcontract lint FILE...` with the files pre-commit passes one commit at a time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from gate_helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "contracts", tmp_path / "contracts")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    return tmp_path


@pytest.mark.parametrize("changed", [
    "contracts/zoho-crm/examples/in-progress.yaml",  # a YAML example is not a contract
    "contracts/zoho-crm/examples/job-id-sent.json",  # a JSON example is not a schema
    "schemas/zoho-crm/common/ids.schema.json",
    "contracts/zoho-crm/portal-invite.yaml",
])
def test_one_changed_file_lints_its_contract(project: Path, changed: str) -> None:
    done = run_cli("lint", changed, cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "lint OK: 1 contract(s), 6 schema(s)\n"


def test_a_broken_example_alone_is_reported(project: Path) -> None:
    example = project / "contracts" / "zoho-crm" / "examples" / "job-id-sent.json"
    exchange = json.loads(example.read_text())
    exchange["response"]["body"]["portal_invite"][0]["status"] = "done"
    example.write_text(json.dumps(exchange, indent=2))
    line = next(i for i, text in enumerate(example.read_text().splitlines(), 1)
                if '"status": "done"' in text)
    done = run_cli("lint", "contracts/zoho-crm/examples/job-id-sent.json", cwd=project)
    assert done.returncode == 1
    assert f"contracts/zoho-crm/examples/job-id-sent.json:{line}:" in done.stdout
    assert "example fails [undocumented] /portal_invite/0/status undocumented value 'done'" \
        in done.stdout


def test_an_invalid_schema_alone_is_one_clear_error(project: Path) -> None:
    schema = project / "schemas" / "zoho-crm" / "common" / "ids.schema.json"
    data = json.loads(schema.read_text())
    data["$defs"]["id"]["type"] = "strin"
    schema.write_text(json.dumps(data, indent=2))
    done = run_cli("lint", "schemas/zoho-crm/common/ids.schema.json", cwd=project)
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    assert len(lines) == 1, lines
    assert "schemas/zoho-crm/common/ids.schema.json#/$defs/id/type: invalid schema: " \
        in lines[0] and "strin" in lines[0]
    assert "internal error" not in done.stderr
