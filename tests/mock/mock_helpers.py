"""Helpers for the mock tests: an HTTP client, an integrator's bulk-invite flow, oracles."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from validator.check.checker import Checker
from validator.check.state import StateTracker
from validator.load.contracts import ContractSet
from validator.model.exchange import Exchange
from validator.model.findings import Severity

REPO = Path(__file__).resolve().parents[2]
JOBS = "/crm/v7/Contacts/actions/portal_invite"
INVITE = "/crm/v7/Contacts/5020928000001843001/actions/portal_invite"
AUTH = {"Authorization": "Zoho-oauthtoken test-token"}
BULK_BODY = {"portal_invite": [{"data": [{"id": "5020928000001843001",
                                          "user_type_id": "5020928000000300001",
                                          "type": "invite"}]}]}


def client(base_url: str, **kwargs: Any) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers=AUTH, **kwargs)


def errors_of(checker: Checker, exchange: Exchange) -> set[tuple[str, str]]:
    result = checker.check(exchange)
    return {(f.rule, f.pointer) for f in result.findings if f.severity is Severity.ERROR}


def where_said(errors: set[tuple[str, str]], rule: str, pointer: str, several: bool) -> bool:
    """The errors are the one the answer announced, or (several) one per item under its array."""
    if not several:
        return errors == {(rule, pointer)}
    parent = pointer.rsplit("/", 1)[0]
    return (rule, pointer) in errors and len(errors) >= 2 and all(
        r == rule and p.startswith(parent + "/") for r, p in errors)


def findings_of(checker: Checker, exchange: Exchange) -> list[tuple[str, str, str]]:
    return [(f.severity.value, f.rule, f.pointer) for f in checker.check(exchange).findings]


def state_errors(contracts: ContractSet, exchanges: list[Exchange]) -> list[str]:
    """Broken state rules, following each distinct request (URL) as one poll sequence."""
    problems: list[str] = []
    trackers: dict[str, StateTracker] = {}
    for index, exchange in enumerate(exchanges):
        request = exchange.request
        assert request is not None
        matched = contracts.match(request.method, request.path)
        if matched is None or exchange.response.status >= 300:
            continue
        endpoint, params = matched
        key = f"{request.method} {request.url}"
        tracker = trackers.setdefault(key, StateTracker(endpoint))
        body = json.loads(exchange.response.body) if exchange.response.body else None
        problems += [f.message for f in tracker.observe(exchange, body, params, index)]
    return problems


def schema_validator(schema_file: str) -> Draft202012Validator:
    """python-jsonschema over the project's schema folder (the outside oracle)."""
    root = REPO / "schemas"
    resources = [(p.resolve().as_uri(), Resource.from_contents(json.loads(p.read_text())))
                 for p in root.rglob("*.schema.json")]
    registry: Registry[Any] = Registry().with_resources(resources)
    target = (root / schema_file).resolve().as_uri()
    return Draft202012Validator({"$ref": target}, registry=registry)


class Integrator:
    """A client written the way a real integrator writes one: schedule a bulk invite, poll
    its job until it completes, read every item; retry 429/503 honouring Retry-After and
    survive slow answers and resets."""

    def __init__(self, base_url: str, timeout: float = 2.0, attempts: int = 8) -> None:
        self.http = client(base_url, timeout=timeout)
        self.attempts = attempts
        self.waited: list[float] = []

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for _ in range(self.attempts):
            try:
                response = self.http.request(method, path, **kwargs)
            except (httpx.TimeoutException, httpx.TransportError):
                continue
            if response.status_code in (429, 503):
                wait = float(response.headers.get("Retry-After", "1"))
                self.waited.append(wait)
                time.sleep(wait)
                continue
            return response
        raise AssertionError(f"{method} {path}: no answer after {self.attempts} attempts")

    def schedule(self) -> list[str]:
        response = self.call("POST", JOBS, json=BULK_BODY)
        assert response.status_code == 200, response.text
        return [entry["details"]["job_id"] for entry in response.json()["portal_invite"]]

    def poll(self, job_id: str, limit: int = 20) -> Iterator[dict[str, Any]]:
        for _ in range(limit):
            response = self.call("GET", JOBS, params={"job_id": job_id})
            assert response.status_code == 200, response.text
            [job] = response.json()["portal_invite"]
            yield job
            if job["status"] == "completed":
                return
        raise AssertionError(f"job {job_id} did not complete in {limit} polls")

    def close(self) -> None:
        self.http.close()
