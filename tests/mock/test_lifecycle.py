"""The whole bulk-invite lifecycle against a running mock, over sockets, with httpx."""

from __future__ import annotations

import pytest
from mock_helpers import BULK_BODY, JOBS, Integrator, client, errors_of, state_errors

from validator.check.checker import Checker
from validator.load.contracts import ContractSet
from validator.mock import MockServer


@pytest.mark.parametrize("steps", [1, 2, 3])
def test_a_job_moves_through_the_documented_states_in_order_then_freezes(
        contracts: ContractSet, checker: Checker, steps: int) -> None:
    with MockServer(contracts, seed=11, steps=steps) as mock, client(mock.base_url) as http:
        job_id = http.post(JOBS, json=BULK_BODY).json()["portal_invite"][0]["details"]["job_id"]
        jobs = [http.get(JOBS, params={"job_id": job_id}).json()["portal_invite"]
                for _ in range(3 * steps + 3)]
        assert all(len(answer) == 1 and answer[0]["job_id"] == job_id for answer in jobs)
        states = [answer[0]["status"] for answer in jobs]
        assert states == (["scheduled"] * steps + ["in_progress"] * steps
                          + ["completed"] * (steps + 3))
        running = [a[0] for a in jobs if a[0]["status"] in ("scheduled", "in_progress")]
        assert all(job["data"] is None for job in running)
        done = [a[0] for a in jobs if a[0]["status"] == "completed"]
        assert isinstance(done[0]["data"], list) and done[0]["data"]
        assert all(job == done[0] for job in done), "a completed job is frozen"
        for exchange in mock.exchanges:
            assert errors_of(checker, exchange) == set()
        assert state_errors(contracts, mock.exchanges) == []


def test_the_status_without_job_id_lists_every_job_created_so_far(contracts: ContractSet
                                                                  ) -> None:
    with MockServer(contracts, seed=2, steps=1) as mock, client(mock.base_url) as http:
        assert http.get(JOBS).json() == {"portal_invite": []}
        created: list[str] = []
        for _ in range(3):
            answer = http.post(JOBS, json=BULK_BODY).json()["portal_invite"]
            created += [entry["details"]["job_id"] for entry in answer]
            listed = [job["job_id"] for job in http.get(JOBS).json()["portal_invite"]]
            assert listed == created
        assert len(set(created)) == len(created), "every job id is new"


def test_an_unknown_job_id_gets_the_documented_204(contracts: ContractSet, checker: Checker
                                                    ) -> None:
    with MockServer(contracts, seed=4) as mock, client(mock.base_url) as http:
        http.post(JOBS, json=BULK_BODY)
        answer = http.get(JOBS, params={"job_id": "1"})
        if answer.status_code == 200:  # the mock happened to mint job id 1
            answer = http.get(JOBS, params={"job_id": "9999999999999999999"})
        assert answer.status_code == 204 and answer.content == b""
        assert errors_of(checker, mock.exchanges[-1]) == set()


def test_an_integrator_schedules_polls_and_reads_every_item(contracts: ContractSet) -> None:
    with MockServer(contracts, seed=21, steps=2) as mock:
        integrator = Integrator(mock.base_url)
        try:
            for job_id in integrator.schedule():
                seen = list(integrator.poll(job_id))
                assert [j["status"] for j in seen][-1] == "completed"
                items = seen[-1]["data"]
                assert isinstance(items, list)
                assert all(item["status"] in ("success", "error") for item in items)
                assert all("id" in item["details"] for item in items
                           if item["status"] == "success")
        finally:
            integrator.close()
        assert state_errors(contracts, mock.exchanges) == []


def test_other_endpoints_answer_as_documented(contracts: ContractSet, checker: Checker) -> None:
    with MockServer(contracts, seed=5) as mock, client(mock.base_url) as http:
        invite = http.post("/crm/v7/Contacts/5020928000001843001/actions/portal_invite",
                           params={"user_type_id": "5020928000000300001", "type": "invite"})
        assert invite.status_code == 200
        assert invite.headers["content-type"] == "application/json"
        assert errors_of(checker, mock.exchanges[-1]) == set()


def test_the_version_segment_and_module_are_free_as_check_matches(contracts: ContractSet
                                                                  ) -> None:
    with MockServer(contracts, seed=5) as mock:
        with client(mock.base_url) as http:
            for path in ["/crm/v2.1/Leads/actions/portal_invite",
                         "/crm/v7/Contacts/actions/portal_invite/"]:
                assert http.get(path).status_code == 200
        served = [e.extras["served_endpoint"] for e in mock.exchanges]
        assert served == ["zoho-crm/portal-invite:get_bulk_invite_status"] * 2
