"""Links and lifecycles in the contract syntax: parsed, and refused when they point at nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from validator.errors import ContractError
from validator.load.contracts import load_contract

SCHEMA = ('{"type": "object", "properties": {"jobs": {"type": "array", "items": {"type": '
          '"object", "properties": {"id": {"type": "string"}, "state": {"type": "string"}}}}, '
          '"created": {"type": "object", "properties": {"id": {"type": "string"}}}}}')

CONTRACT = """\
contract: acme/jobs
schemas: ../schemas
lifecycles:
  job:
    created_by: {created_by}
    at: {at}
    key: id
    field: {field}
    states: [queued, running, done]
    unknown: "{unknown}"
endpoints:
  create_job:
    method: POST
    path: /jobs
    responses:
      "200": {{schema: body.schema.json}}
    links:
      - id: status
        to: {to}
        parameters:
          {parameter}: "$response.body#{pointer}"
  job_status:
    method: GET
    path: /jobs
    query:
      id: {{required: false}}
    responses:
      "200": {{schema: body.schema.json}}
      "404": {{body: empty}}
"""
GOOD = {"created_by": "create_job.status", "at": "/jobs/*", "field": "state",
        "unknown": "404", "to": "job_status", "parameter": "query.id",
        "pointer": "/created/id"}


def write(tmp_path: Path, **changes: str) -> Path:
    (tmp_path / "schemas").mkdir(exist_ok=True)
    (tmp_path / "schemas" / "body.schema.json").write_text(SCHEMA)
    (tmp_path / "contracts").mkdir(exist_ok=True)
    path = tmp_path / "contracts" / "jobs.yaml"
    path.write_text(CONTRACT.format(**{**GOOD, **changes}))
    return path


def test_links_and_lifecycles_load_into_the_model(tmp_path: Path) -> None:
    contract = load_contract(write(tmp_path))
    [link] = contract.endpoints["create_job"].links
    assert (link.id, link.target) == ("status", "job_status")
    assert [(p.part, p.name, p.pointer) for p in link.parameters] == [
        ("query", "id", ("created", "id"))]
    lifecycle = contract.lifecycles["job"]
    assert lifecycle.states == ("queued", "running", "done")
    assert lifecycle.final == ("done",) and lifecycle.unknown == 404 and lifecycle.frozen


@pytest.mark.parametrize(("changes", "message"), [
    ({"to": "no_such_endpoint"}, "link 'status': no endpoint 'no_such_endpoint' in acme/jobs"),
    ({"parameter": "query.job"}, "job_status has no query parameter 'job'"),
    ({"pointer": "/created/nothing"}, "pointer /created/nothing reaches nothing"),
    ({"created_by": "create_job.other"}, "created_by names no link 'other'"),
    ({"at": "/jobs"}, "at must select the items of one array"),
    ({"field": "colour"}, "'colour' at /jobs/* reaches nothing"),
    ({"unknown": "410"}, "job_status documents no status 410"),
])
def test_a_link_or_lifecycle_pointing_at_nothing_is_a_contract_error(
        tmp_path: Path, changes: dict[str, str], message: str) -> None:
    with pytest.raises(ContractError, match=re.escape(message)):
        load_contract(write(tmp_path, **changes))


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", "lint", "--no-bundled", *args],
                          capture_output=True, text=True, check=False)


def test_lint_reports_a_broken_link_as_a_broken_contract(tmp_path: Path) -> None:
    done = _lint(str(write(tmp_path, pointer="/created/nothing")))
    assert done.returncode == 2
    assert "reaches nothing in the response schemas of create_job" in done.stdout + done.stderr


def test_lint_checks_links_to_other_contracts(tmp_path: Path) -> None:
    path = write(tmp_path, to="acme/other:job_status")
    done = _lint(str(path))
    assert done.returncode == 2
    assert "no endpoint 'acme/other:job_status' in the loaded contracts" in \
        done.stdout + done.stderr


def test_the_bundled_contract_declares_the_job_lifecycle() -> None:
    from validator.load.contracts import bundled_root

    contract = load_contract(bundled_root() / "contracts" / "zoho-crm" / "portal-invite.yaml")
    lifecycle = contract.lifecycles["bulk-invite-job"]
    assert lifecycle.states == ("scheduled", "in_progress", "completed")
    assert lifecycle.unknown == 204
    [link] = contract.endpoints["bulk_invite_users"].links
    assert link.target == "get_bulk_invite_status"
