"""The portal-invite contract against the vendor's own samples (an outside oracle).

Every embedded example of the three portal-invite operations in the vendor's current
OpenAPI file (tests/mock/vendor/portal_users.yaml, unedited) is turned into an exchange
and must pass with no finding at all, warnings included. Where the spec contradicts the
job status page (data typed as an array while a job runs; no 204 for an unknown job),
an answer shaped the spec's way must fail, at the rule that carries the page's word.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml

from validator.api import load_contracts
from validator.check.checker import Checker
from validator.model.exchange import Exchange, Request, Response

SPEC = Path(__file__).parent / "vendor" / "portal_users.yaml"
BASE = "https://www.zohoapis.com/crm/v7"
RECORD = "5020928000001843001"
OPERATIONS = {"inviteUsers", "getScheduledInviteUsersInfo", "singleInviteUser"}


def _spec_examples() -> list[tuple[str, str, str, str, int, Any]]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if operation.get("operationId") not in OPERATIONS:
                continue
            for status, response in operation["responses"].items():
                for media in (response.get("content") or {}).values():
                    for name, example in (media.get("examples") or {}).items():
                        found.append((operation["operationId"], name, method.upper(), path,
                                      int(status), example["value"]))
    return found


EXAMPLES = _spec_examples()


def _url(path: str, operation: str, body: Any) -> str:
    url = BASE + path.replace("{module}", "Contacts").replace("{recordId}", RECORD)
    query: dict[str, str] = {}
    if operation == "singleInviteUser":
        query = {"user_type_id": "5020928000000300001", "type": "invite"}
    if operation == "getScheduledInviteUsersInfo" and isinstance(body, dict) \
            and len(body.get("portal_invite", [])) == 1:
        query = {"job_id": body["portal_invite"][0]["job_id"]}
    return url + (f"?{urlencode(query)}" if query else "")


def exchange(method: str, url: str, status: int, body: Any) -> Exchange:
    return Exchange(Response(status, {"content-type": "application/json;charset=UTF-8"},
                             None, body), Request(method, url), source="spec")


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_contracts(bundled=True))


def test_the_spec_holds_the_expected_samples() -> None:
    by_operation = {(op, name) for op, name, *_ in EXAMPLES}
    assert len(EXAMPLES) == 14
    assert ("singleInviteUser", "NotReviewed") in by_operation
    assert {op for op, *_ in EXAMPLES} == OPERATIONS


@pytest.mark.parametrize(("operation", "name", "method", "path", "status", "body"), EXAMPLES,
                         ids=[f"{e[0]}-{e[4]}-{e[1]}" for e in EXAMPLES])
def test_every_vendor_sample_passes_without_any_finding(
        checker: Checker, operation: str, name: str, method: str, path: str, status: int,
        body: Any) -> None:
    result = checker.check(exchange(method, _url(path, operation, body), status, body))
    assert result.endpoint is not None, "the sample's route matches an endpoint"
    assert [(f.rule, f.pointer, f.message) for f in result.findings] == []


def test_a_job_status_sample_without_job_id_passes_too(checker: Checker) -> None:
    [body] = [e[5] for e in EXAMPLES if e[0] == "getScheduledInviteUsersInfo" and e[4] == 200]
    result = checker.check(exchange("GET", f"{BASE}/Contacts/actions/portal_invite", 200, body))
    assert result.findings == []


def _running(data: Any) -> dict[str, Any]:
    return {"portal_invite": [{"data": data, "job_id": "1234567", "status": "in_progress"}]}


def test_a_running_job_typed_the_spec_way_fails_where_the_page_says_null(
        checker: Checker) -> None:
    url = f"{BASE}/Contacts/actions/portal_invite?job_id=1234567"
    spec_way = checker.check(exchange("GET", url, 200, _running([])))
    assert {(f.rule, f.pointer) for f in spec_way.findings} == {
        ("running-job-has-no-data", "/portal_invite/0/data")}
    assert checker.check(exchange("GET", url, 200, _running(None))).findings == []


def test_an_unknown_job_answered_the_spec_way_fails_and_the_page_way_passes(
        checker: Checker) -> None:
    url = f"{BASE}/Contacts/actions/portal_invite?job_id=999"
    spec_way = checker.check(exchange("GET", url, 200, {"portal_invite": []}))
    assert {f.rule for f in spec_way.findings} == {"one-job-per-job-id"}
    page_way = Exchange(Response(204, {}, b""), Request("GET", url), source="page")
    assert checker.check(page_way).findings == []


@pytest.mark.parametrize("code", ["CANNOT_PROCESS", "INVALID_DATA", "REQUIRED_PARAM_MISSING",
                                  "LICENSE_LIMIT_EXCEEDED", "NOT_REVIEWED", "NOT_APPROVED",
                                  "DUPLICATE_DATA"])
def test_every_documented_error_code_binds_the_item_to_error(checker: Checker, code: str
                                                            ) -> None:
    item = {"details": {}, "code": code, "message": "x", "status": "success"}
    body = {"portal_invite": [{"data": [item], "job_id": "1", "status": "completed"}]}
    found = checker.check(exchange("GET", f"{BASE}/Contacts/actions/portal_invite", 200, body))
    assert ("item-error-follows-code", "/portal_invite/0/data/0/status") in {
        (f.rule, f.pointer) for f in found.findings}
    item["status"] = "error"
    assert checker.check(exchange("GET", f"{BASE}/Contacts/actions/portal_invite", 200,
                                  body)).findings == []


def test_api_not_supported_without_environment_fails_on_every_operation(checker: Checker
                                                                       ) -> None:
    body = {"code": "API_NOT_SUPPORTED", "details": {}, "message": "m", "status": "error"}
    for method, path in [("GET", "/Contacts/actions/portal_invite"),
                         ("POST", "/Contacts/actions/portal_invite"),
                         ("POST", f"/Contacts/{RECORD}/actions/portal_invite")]:
        found = checker.check(exchange(method, BASE + path, 400, body))
        assert [f.rule for f in found.findings] == ["api-not-supported-names-environment"]


def test_the_401_code_the_vendor_spells_is_documented(checker: Checker) -> None:
    body = {"code": "AUTHENTICATION_FAILURE", "details": {}, "message": "m", "status": "error"}
    found = checker.check(exchange("GET", f"{BASE}/Contacts/actions/portal_invite", 401, body))
    assert found.findings == []
