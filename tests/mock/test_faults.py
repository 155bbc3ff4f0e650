"""Faults: forced by header or drawn from --faults, each as a client meets it."""

from __future__ import annotations

import time

import httpx
import pytest
from mock_helpers import BULK_BODY, JOBS, Integrator, client, errors_of, state_errors

from validator.check.checker import Checker
from validator.errors import UsageError
from validator.load.contracts import ContractSet
from validator.mock import MockServer, parse_faults

FAULT = "X-Respcontract-Fault"


@pytest.mark.parametrize("status", [429, 503, 500])
def test_a_forced_status_comes_in_the_documented_envelope(contracts: ContractSet,
                                                          checker: Checker, status: int) -> None:
    with MockServer(contracts, seed=1, retry_after=2) as mock, client(mock.base_url) as http:
        answer = http.get(JOBS, headers={FAULT: str(status)})
        assert answer.status_code == status
        assert answer.headers.get("Retry-After") == ("2" if status != 500 else None)
        assert answer.json()["status"] == "error"
        assert errors_of(checker, mock.exchanges[-1]) == set()
        assert mock.exchanges[-1].extras["fault"] == str(status)


def test_a_client_retrying_on_429_honours_retry_after(contracts: ContractSet) -> None:
    with MockServer(contracts, seed=1, retry_after=1) as mock, client(mock.base_url) as http:
        first = http.post(JOBS, json=BULK_BODY, headers={FAULT: "429"})
        assert first.status_code == 429
        started = time.monotonic()
        time.sleep(float(first.headers["Retry-After"]))
        second = http.post(JOBS, json=BULK_BODY)
        assert time.monotonic() - started >= 1.0
        assert second.status_code == 200
        # the 429 created nothing: only the retried call's jobs exist
        created = [e["details"]["job_id"] for e in second.json()["portal_invite"]]
        assert [j["job_id"] for j in http.get(JOBS).json()["portal_invite"]] == created


def test_slow_waits_past_the_client_read_timeout_then_still_answers(contracts: ContractSet
                                                                   ) -> None:
    with MockServer(contracts, seed=1, slow_seconds=1.0) as mock:
        with client(mock.base_url, timeout=0.3) as http, pytest.raises(httpx.ReadTimeout):
            http.get(JOBS, headers={FAULT: "slow"})
        with client(mock.base_url, timeout=3.0) as http:
            started = time.monotonic()
            assert http.get(JOBS, headers={FAULT: "slow"}).status_code == 200
            assert time.monotonic() - started >= 1.0


def test_reset_closes_the_connection_without_an_answer(contracts: ContractSet) -> None:
    with MockServer(contracts, seed=1) as mock, client(mock.base_url) as http:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError, httpx.ConnectError)):
            http.get(JOBS, headers={FAULT: "reset"})
        assert http.get(JOBS).status_code == 200, "the next connection works"
        assert len(mock.exchanges) == 1, "a reset serves no exchange"


def test_drawn_faults_follow_the_seed_and_the_spec(contracts: ContractSet) -> None:
    def statuses(seed: int) -> list[int]:
        with MockServer(contracts, seed=seed, faults="429:0.3,503:0.2") as mock, \
                client(mock.base_url) as http:
            return [http.get(JOBS).status_code for _ in range(30)]

    first = statuses(3)
    assert first == statuses(3)
    assert {429, 503, 200} <= set(first)
    assert 3 <= first.count(429) <= 18


def test_an_integrator_survives_every_fault_and_sees_lawful_states(contracts: ContractSet
                                                                   ) -> None:
    faults = "429:0.15,503:0.1,slow:0.1,reset:0.1"
    with MockServer(contracts, seed=6, steps=1, faults=faults, slow_seconds=3.0,
                    retry_after=0) as mock:
        integrator = Integrator(mock.base_url, timeout=2.0, attempts=20)
        try:
            jobs = integrator.schedule()
            finals = [list(integrator.poll(job_id))[-1] for job_id in jobs]
        finally:
            integrator.close()
    assert all(job["status"] == "completed" and isinstance(job["data"], list) for job in finals)
    served_faults = {e.extras["fault"] for e in mock.exchanges} - {None}
    assert served_faults, "the run met faults"
    assert state_errors(contracts, [e for e in mock.exchanges if not e.extras["fault"]]) == []


@pytest.mark.parametrize(("spec", "message"), [
    ("429", "needs STATUS_OR_KIND:PROBABILITY"),
    ("teapot:0.1", "unknown fault 'teapot'"),
    ("429:2", "from 0 to 1"),
    ("429:0.6,503:0.6", "more than 1"),
])
def test_bad_fault_specs_are_one_line_usage_errors(spec: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_faults(spec)
