from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.api import load_contracts
from validator.check.checker import Checker
from validator.model.findings import Severity
from validator.sources.clients import from_dict

URL = "https://www.zohoapis.com/crm/v7/Contacts/actions/portal_invite"
JOB = "5020928000002387017"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_contracts())


def item(**changes: Any) -> dict[str, Any]:
    base = {"details": {"id": "5020928000001843001"}, "code": "SUCCESS",
            "message": "An Invite has been sent to the personality.", "status": "success"}
    base.update(changes)
    return base


def exchange(body: Any = None, status: int = 200, query: str = f"?job_id={JOB}",
             content_type: str = "application/json;charset=UTF-8", text: str | None = None
             ) -> dict[str, Any]:
    response: dict[str, Any] = {"status": status, "headers": {"Content-Type": content_type}}
    if text is not None:
        response["body_text"] = text
    elif body is not None:
        response["body"] = body
    return {"request": {"method": "GET", "url": URL + query}, "response": response}


def job(**changes: Any) -> dict[str, Any]:
    base = {"data": [item()], "job_id": JOB, "status": "completed"}
    base.update(changes)
    return {"portal_invite": [base]}


def found(checker: Checker, data: dict[str, Any]) -> set[tuple[str, str, str]]:
    result = checker.check(from_dict(data))
    return {(f.severity.value, f.rule, f.pointer) for f in result.findings}


def test_documented_shapes_pass(checker: Checker) -> None:
    assert found(checker, exchange(job())) == set()
    assert found(checker, exchange(job(status="in_progress", data=None))) == set()
    assert found(checker, exchange(status=204)) == set()


def test_drift_is_a_warning_and_breakage_an_error(checker: Checker) -> None:
    drift = job(data=[item(code="NEW_CODE", extra="x")], created="now")
    assert found(checker, exchange(drift)) == {
        ("warning", "undocumented", "/portal_invite/0/created"),
        ("warning", "undocumented", "/portal_invite/0/data/0/extra"),
        ("warning", "undocumented", "/portal_invite/0/data/0/code"),
    }
    broken = job(job_id=int(JOB))
    assert found(checker, exchange(broken)) == {("error", "schema", "/portal_invite/0/job_id")}


def test_request_correlation_rules_apply_only_when_job_id_was_sent(checker: Checker) -> None:
    two = {"portal_invite": job()["portal_invite"] + job(job_id="5020928000002387018")[
        "portal_invite"]}
    assert found(checker, exchange(two)) == {
        ("error", "one-job-per-job-id", "/portal_invite"),
        ("error", "job-id-echoes-request", "/portal_invite/1/job_id")}
    assert found(checker, exchange(two, query="")) == set()


def test_every_violation_is_reported_once(checker: Checker) -> None:
    body = job(data=[item(status="error"), item(details={"id": 5}), item(message=None)])
    findings = checker.check(from_dict(exchange(body))).findings
    assert sorted((f.rule, f.pointer) for f in findings) == [
        ("item-status-follows-code", "/portal_invite/0/data/0/status"),
        ("schema", "/portal_invite/0/data/1/details/id"),
        ("schema", "/portal_invite/0/data/2/message"),
    ]
    assert all(f.docs and f.docs.startswith("https://www.zoho.com/") for f in findings)


def test_status_content_type_and_empty_body_checks(checker: Checker) -> None:
    assert found(checker, exchange(job(), status=302)) == {("error", "status", "")}
    assert found(checker, exchange(job(), content_type="text/plain")) == {
        ("error", "content-type", "")}
    assert found(checker, exchange(text="")) == {("error", "body-empty", "")}
    assert found(checker, exchange(text="{}", status=204)) == {("error", "body-not-empty", "")}


def test_messages_say_what_was_expected_and_found(checker: Checker) -> None:
    result = checker.check(from_dict(exchange(job(status="in_progress"))))
    [finding] = result.findings
    assert finding.rule == "running-job-has-no-data"
    assert finding.message.endswith("expected null, found array")
    assert finding.severity is Severity.ERROR


def test_unmatched_request_is_a_warning_and_pinning_overrides(checker: Checker) -> None:
    other = {"request": {"method": "GET", "url": "https://x/other"},
             "response": {"status": 200, "body": job()}}
    [finding] = checker.check(from_dict(other)).findings
    assert (finding.severity, finding.rule) == (Severity.WARNING, "unmatched")
    pinned = checker.check(from_dict(other), "get_bulk_invite_status")
    assert pinned.findings == [] and pinned.endpoint is not None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["1", "2", "10"]), st.integers(0, 2), st.booleans(),
                          st.sampled_from([1.0, 0.0]), st.none(),
                          st.lists(st.integers(0, 1), max_size=1)), min_size=1, max_size=5))
def test_every_repeated_job_id_is_reported_once_per_repeat(checker: Checker,
                                                           ids: list[Any]) -> None:
    # the rule's own definition (values that repeat as written, by repr) is the oracle
    jobs = [job(job_id=value)["portal_invite"][0] for value in ids]
    result = checker.check(from_dict(exchange({"portal_invite": jobs}, query="")))
    repeats = [f.pointer for f in result.findings if f.rule == "job-ids-unique"]
    expected = [f"/portal_invite/{i}/job_id" for i, value in enumerate(ids)
                if repr(value) in map(repr, ids[:i])]
    assert repeats == expected
