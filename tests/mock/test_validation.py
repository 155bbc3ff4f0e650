"""Requests are checked against the contract before anything is served."""

from __future__ import annotations

import httpx
import pytest
from mock_helpers import INVITE, JOBS, client, errors_of, schema_validator

from validator.check.checker import Checker
from validator.load.contracts import ContractSet
from validator.mock import MockServer

GOOD = {"user_type_id": "5020928000000300001", "type": "invite"}


@pytest.mark.parametrize(("path", "query", "finding"), [
    (INVITE, {"user_type_id": "5020928000000300001", "type": "bogus"},
     "request query type='bogus' is not one of invite, reinvite"),
    (INVITE, {"type": "invite"}, "request query parameter 'user_type_id' is required but absent"),
    (INVITE, {**GOOD, "language": "english"}, "request query language='english' does not match"),
    ("/crm/v7/Contacts/not-a-number/actions/portal_invite", GOOD,
     "request path record_id='not-a-number' does not match"),
    (JOBS, {"job_id": "abc"}, "request query job_id='abc' does not match"),
])
def test_broken_parameters_get_the_documented_400_with_a_finding(
        contracts: ContractSet, checker: Checker, path: str, query: dict[str, str],
        finding: str) -> None:
    method = "GET" if path == JOBS else "POST"
    with MockServer(contracts, seed=3) as mock, client(mock.base_url) as http:
        answer = http.request(method, path, params=query)
    assert answer.status_code == 400
    assert answer.headers["x-respcontract-finding"].startswith(finding)
    assert answer.json()["message"].startswith(finding)
    assert errors_of(checker, mock.exchanges[-1]) == set()


def test_a_missing_authorization_gets_the_documented_401(contracts: ContractSet,
                                                         checker: Checker) -> None:
    with MockServer(contracts, seed=3) as mock:
        answer = httpx.get(mock.base_url + JOBS)
        wrong = httpx.get(mock.base_url + JOBS, headers={"Authorization": "Bearer x"})
    assert answer.status_code == 401 and wrong.status_code == 401
    assert answer.json()["message"] == "request header 'Authorization' is required but absent"
    assert "Zoho-oauthtoken scheme" in wrong.json()["message"]
    errors = schema_validator("zoho-crm/common/error.schema.json")
    assert list(errors.iter_errors(answer.json())) == []
    assert all(errors_of(checker, e) == set() for e in mock.exchanges)


def test_an_unknown_route_gets_404_in_the_contracts_error_envelope(contracts: ContractSet
                                                                   ) -> None:
    with MockServer(contracts, seed=3) as mock, client(mock.base_url) as http:
        answer = http.get("/crm/v7/Contacts/actions/nothing_here")
        wrong_method = http.delete(JOBS)
    assert answer.status_code == 404 and wrong_method.status_code == 404
    errors = schema_validator("zoho-crm/common/error.schema.json")
    assert list(errors.iter_errors(answer.json())) == []
    assert "no contract endpoint matches GET /crm/v7/Contacts/actions/nothing_here" in \
        answer.json()["message"]


def test_without_auth_in_the_contract_no_header_is_needed(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "schemas").mkdir()
    (folder / "schemas" / "thing.schema.json").write_text(
        '{"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}')
    (folder / "contracts").mkdir()
    (folder / "contracts" / "things.yaml").write_text(
        "contract: acme/things\nschemas: ../schemas\nendpoints:\n  get_thing:\n"
        "    method: GET\n    path: /things/{id}\n    params: {id: {pattern: '^[0-9]+$'}}\n"
        "    responses:\n      '200': {schema: thing.schema.json}\n")
    from validator.api import load_contracts

    with MockServer(load_contracts([folder / "contracts"], bundled=False), seed=1) as mock:
        answer = httpx.get(mock.base_url + "/things/12")
        missing = httpx.get(mock.base_url + "/things/abc")
    assert answer.status_code == 200 and isinstance(answer.json()["id"], int)
    assert missing.status_code == 400  # no documented 4XX: a plain JSON message
    assert missing.json() == {"message": "request path id='abc' does not match '^[0-9]+$'"}


def test_a_response_the_strategies_cannot_draw_is_a_500_that_names_why(tmp_path: object
                                                                      ) -> None:
    from pathlib import Path

    from validator.api import load_contracts

    folder = Path(str(tmp_path))
    (folder / "schemas").mkdir()
    (folder / "schemas" / "never.schema.json").write_text(
        '{"allOf": [{"type": "string"}, {"type": "integer"}]}')  # nothing can satisfy it
    (folder / "contracts").mkdir()
    (folder / "contracts" / "never.yaml").write_text(
        "contract: acme/never\nschemas: ../schemas\nendpoints:\n  get_never:\n"
        "    method: GET\n    path: /never\n"
        "    responses:\n      '200': {schema: never.schema.json}\n")
    with MockServer(load_contracts([folder / "contracts"], bundled=False), seed=1) as mock:
        answer = httpx.get(mock.base_url + "/never", timeout=60)
        again = httpx.get(mock.base_url + "/never", timeout=60)
    assert answer.status_code == 500 and again.status_code == 500
    assert answer.json()["message"].startswith("the mock could not answer: ")
