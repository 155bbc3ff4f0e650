"""Every kind, and the claim that valid and edge answers pass `check` whatever the seed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mock_helpers import (
    BULK_BODY,
    INVITE,
    JOBS,
    client,
    errors_of,
    findings_of,
    schema_validator,
    where_said,
)

from validator.check.checker import Checker
from validator.load.contracts import ContractSet
from validator.mock import MockServer
from validator.model.exchange import Exchange

INVITE_QUERY = {"user_type_id": "5020928000000300001", "type": "invite"}


def _session(mock: MockServer, steps: int = 1) -> list[Exchange]:
    """A short integrator session: schedule, poll, list, invite one user."""
    with client(mock.base_url) as http:
        answer = http.post(JOBS, json=BULK_BODY)
        try:
            job_id = answer.json()["portal_invite"][0]["details"]["job_id"]
        except (KeyError, IndexError, TypeError, ValueError):
            job_id = "1"
        for _ in range(3 * steps):
            http.get(JOBS, params={"job_id": job_id})
        http.get(JOBS)
        http.post(INVITE, params=INVITE_QUERY)
    return mock.exchanges


@pytest.mark.parametrize("kind", ["valid", "edge"])
def test_valid_and_edge_answers_pass_check_and_the_schema_oracle(
        contracts: ContractSet, checker: Checker, kind: str) -> None:
    jobs = schema_validator("zoho-crm/portal-invite/job-status.schema.json")
    with MockServer(contracts, kind=kind, seed=8, steps=1) as mock:
        exchanges = _session(mock)
    for exchange in exchanges:
        assert errors_of(checker, exchange) == set(), exchange.response.body
        assert exchange.response.headers["x-respcontract-kind"] == kind
    for exchange in exchanges[1:-1]:
        if exchange.response.status == 200:
            assert list(jobs.iter_errors(_json(exchange))) == []


def test_drift_answers_only_warn(contracts: ContractSet, checker: Checker) -> None:
    with MockServer(contracts, kind="drift", seed=8, steps=1) as mock:
        exchanges = _session(mock)
    found = [findings_of(checker, e) for e in exchanges]
    assert all(severity == "warning" and rule == "undocumented"
               for findings in found for severity, rule, _ in findings)
    assert sum(1 for findings in found if findings) >= len(exchanges) // 2


def test_invalid_answers_fail_exactly_where_they_say(contracts: ContractSet, checker: Checker
                                                     ) -> None:
    with MockServer(contracts, kind="invalid", seed=8, steps=1) as mock:
        exchanges = _session(mock)
    said = 0
    for exchange in exchanges:
        header = exchange.response.headers.get("x-respcontract-expected")
        expected = exchange.extras["expected"]
        if header is None:  # a poll for a job the broken schedule answer never named
            assert expected is None and exchange.response.status == 204
            assert exchange.request.method == "GET" and "job_id" in exchange.request.query
            continue
        said += 1
        assert header == f"{expected.rule} {expected.pointer}"
        assert where_said(errors_of(checker, exchange), expected.rule, expected.pointer,
                          expected.several), expected
    assert said >= 3  # schedule, list and invite always answer with a body


@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), kind=st.sampled_from(["valid", "edge"]),
       steps=st.integers(1, 2))
def test_every_answer_served_in_valid_and_edge_kinds_passes_check(
        contracts: ContractSet, checker: Checker, seed: int, kind: str, steps: int) -> None:
    with MockServer(contracts, kind=kind, seed=seed, steps=steps) as mock:
        exchanges = _session(mock, steps)
    for exchange in exchanges:
        assert errors_of(checker, exchange) == set(), (seed, kind, exchange.response.body)


def _json(exchange: Exchange) -> Any:
    import json

    return json.loads(exchange.response.body or b"null")
