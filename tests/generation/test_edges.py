"""The documented edges of the portal-invite job status show up in a default run of 100
examples; drift and invalid examples include the additions and breakages the issue names.

Each run uses a fixed seed so the test cannot flake; several seeds show the coverage is
not luck of one seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from genhelpers import JOB_STATUS
from hypothesis import Phase, find, given, settings
from hypothesis import seed as fixed_seed

from validator.generate import Example, bodies, examples

Body = dict[str, Any]


def _jobs(body: Body) -> list[Body]:
    return list(body["portal_invite"])


def _items(body: Body) -> list[Body]:
    return [item for job in _jobs(body) for item in (job["data"] or [])]


EDGES: dict[str, Callable[[Body], bool]] = {
    "data null while in progress": lambda b: any(
        j["status"] == "in_progress" and j["data"] is None for j in _jobs(b)),
    "details {} on an error item": lambda b: any(
        i["status"] == "error" and i["details"] == {} for i in _items(b)),
    "success and error items in one job": lambda b: any(
        {"success", "error"} <= {i["status"] for i in (j["data"] or [])} for j in _jobs(b)),
    "completed and running jobs together": lambda b: {"completed", "in_progress"} <= {
        j["status"] for j in _jobs(b)},
    "19-digit job id": lambda b: any(len(j["job_id"]) == 19 for j in _jobs(b)),
    "19-digit record id": lambda b: any(len(i["details"].get("id", "")) == 19
                                        for i in _items(b)),
    "empty message": lambda b: any(i["message"] == "" for i in _items(b)),
    "non-ASCII message": lambda b: any(not i["message"].isascii() for i in _items(b)),
    "many jobs": lambda b: len(_jobs(b)) >= 10,
    "many items in a job": lambda b: any(len(j["data"] or []) >= 10 for j in _jobs(b)),
}


def _collect(strategy: Any, seed: int, count: int = 100) -> list[Any]:
    found: list[Any] = []

    @fixed_seed(seed)
    @settings(max_examples=count, database=None, deadline=None)
    @given(strategy)
    def run(value: Any) -> None:
        found.append(value)

    run()
    return found


@pytest.mark.parametrize("kind", ["valid", "edge"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_documented_edges_show_up_in_100_examples(kind: str, seed: int) -> None:
    seen = _collect(bodies(JOB_STATUS, kind), seed)
    assert len(seen) == 100
    missing = [name for name, present in EDGES.items() if not any(map(present, seen))]
    assert missing == []


def _undeclared(body: Body) -> set[str]:
    """Levels of the job status body that carry a member the schema does not declare."""
    levels = set()
    if set(body) - {"portal_invite"}:
        levels.add("root")
    for job in _jobs(body):
        if set(job) - {"job_id", "status", "data"}:
            levels.add("job")
    for item in _items(body):
        if set(item) - {"code", "details", "message", "status"}:
            levels.add("item")
        if set(item["details"]) - {"id"}:
            levels.add("details")
    return levels


def test_drift_adds_unknown_codes_statuses_and_fields_at_every_level() -> None:
    seen = _collect(bodies(JOB_STATUS, "drift"), seed=3, count=150)
    levels = set().union(*map(_undeclared, seen))
    assert levels == {"root", "job", "item", "details"}
    codes = {i["code"] for b in seen for i in _items(b)}
    statuses = {j["status"] for b in seen for j in _jobs(b)}
    assert codes - {"SUCCESS", "CANNOT_PROCESS"}, "no unknown item code"
    assert statuses - {"completed", "in_progress"}, "no new job status"
    assert all(_undeclared(b) or (codes | statuses) for b in seen)


INVALID: dict[str, Callable[[Example], bool]] = {
    "missing details": lambda e: e.expected_rule == "schema"
    and "'details' removed" in e.expected.description  # type: ignore[union-attr]
    and _at_item(e.expected_pointer),
    "missing job_id": lambda e: "'job_id' removed" in e.expected.description,  # type: ignore
    "job_id of the wrong type": lambda e: e.expected_rule == "schema"
    and str(e.expected_pointer).endswith("/job_id") and "integer" in str(e.expected),
    "status and code disagree": lambda e: e.expected_rule in (
        "item-status-follows-code", "item-error-follows-code"),
    "data null on a completed job": lambda e: e.expected_rule == "completed-job-has-data",
}


def _at_item(pointer: str | None) -> bool:
    parts = (pointer or "").split("/")
    return len(parts) == 5 and parts[3] == "data"


@pytest.mark.parametrize("name", list(INVALID))
def test_invalid_examples_include_the_classic_breakages(name: str) -> None:
    found = find(examples(JOB_STATUS, "invalid"), INVALID[name],
                 settings=settings(max_examples=2000, database=None, deadline=None,
                                   phases=(Phase.generate,)))
    assert found.expected is not None and INVALID[name](found)
