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
    documented = {"SUCCESS", "CANNOT_PROCESS", "completed", "in_progress"}

    def drifts(body: Any) -> bool:  # this body itself: an unknown member or value
        own = {i["code"] for i in _items(body)} | {j["status"] for j in _jobs(body)}
        return bool(_undeclared(body) or own - documented)

    assert all(drifts(b) for b in seen), [b for b in seen if not drifts(b)][:1]


INVALID: dict[str, Callable[[Example], bool]] = {
    "missing details": lambda e: e.expected_rule == "schema"
    and "'details' removed" in e.expected.description  # type: ignore[union-attr]
    and _at_item(e.expected_pointer),
    "missing job_id": lambda e: "'job_id' removed" in e.expected.description,  # type: ignore
    "job_id of the wrong type": lambda e: e.expected_rule == "schema"
    and str(e.expected_pointer).endswith("/job_id") and "integer" in str(e.expected),
    "SUCCESS item that is not a success": lambda e: e.expected_rule
    == "item-status-follows-code",
    "CANNOT_PROCESS item that is not an error": lambda e: e.expected_rule
    == "item-error-follows-code",
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


STRUCTURAL = {
    "null in place of a value": "null in place of the value",
    "another type in place of a value": "in place of the value",
    "an empty object": "an empty object",
    "an object with only unknown keys": "an object with only unknown keys",
    "an object missing every required member": "an object missing every required member",
    "every item of an array broken": "every item is",
}


def test_default_runs_of_100_invalid_examples_reach_every_structural_surprise(
        checker: Any) -> None:
    from validator.model.exchange import Exchange, Response

    seen = _collect(examples(JOB_STATUS, "invalid"), seed=0, count=100)
    seen += _collect(examples(JOB_STATUS, "invalid"), seed=1, count=100)  # a second run
    descriptions = [e.expected.description for e in seen if e.expected is not None]
    for name, text in STRUCTURAL.items():
        hits = [e for e in seen if e.expected is not None and text in e.expected.description]
        assert hits, f"no {name} in 100 invalid examples: {sorted(set(descriptions))}"
        example = hits[0]  # and the real checker reports the finding it carries
        findings = checker.check(Exchange(response=Response(example.status, None, None,
                                                            example.body)),
                                 JOB_STATUS).findings
        assert example.expected is not None
        assert (example.expected.rule, example.expected.pointer) in {
            (f.rule, f.pointer) for f in findings}, (example, findings)


def test_a_default_run_of_invalid_examples_reaches_a_truncated_item(checker: Any) -> None:
    from validator.model.exchange import Exchange, Response

    seen = _collect(examples(JOB_STATUS, "invalid"), seed=0, count=100)
    seen += _collect(examples(JOB_STATUS, "invalid"), seed=1, count=100)
    hits = [e for e in seen if e.expected is not None
            and "truncated after its first member" in e.expected.description]
    assert hits, sorted({e.expected.description for e in seen if e.expected is not None})
    example = hits[0]
    assert example.expected is not None
    item = _at(example.body, example.expected.pointer)
    assert isinstance(item, dict) and len(item) == 1
    findings = checker.check(Exchange(response=Response(example.status, None, None,
                                                        example.body)), JOB_STATUS).findings
    assert {(f.rule, f.pointer) for f in findings if f.severity.value == "error"} == {
        (example.expected.rule, example.expected.pointer)}


def _at(body: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        body = body[int(token)] if isinstance(body, list) else body[token]
    return body


def test_edge_arrays_repeat_an_item_and_stay_valid() -> None:
    from jsonschema import Draft202012Validator

    from validator.generate.from_schema import from_schema

    schema = {"type": "array", "maxItems": 4, "items": {
        "type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}
    seen = _collect(from_schema(schema, "edge"), seed=0, count=100)
    assert all(Draft202012Validator(schema).is_valid(v) for v in seen)
    assert any(len(v) >= 2 and v[-1] == v[0] for v in seen)
    unique = {**schema, "uniqueItems": True}
    assert all(Draft202012Validator(unique).is_valid(v)
               for v in _collect(from_schema(unique, "edge"), seed=0, count=100))


def test_invalid_examples_repeat_an_item_where_items_must_be_unique(checker: Any,
                                                                   contracts: Any) -> None:
    from jsonschema import Draft202012Validator

    from validator.model.exchange import Exchange, Response

    shipment = "acme/warehouse:get_shipment"
    found = find(examples(shipment, "invalid", contracts=contracts),
                 lambda e: e.expected is not None
                 and "first item repeated" in e.expected.description,
                 settings=settings(max_examples=2000, database=None, deadline=None,
                                   phases=(Phase.generate,)))
    assert found.expected is not None
    tags = _at(found.body, found.expected.pointer)
    assert len(tags) >= 2 and tags[-1] == tags[0]
    assert not Draft202012Validator({"uniqueItems": True}).is_valid(tags)
    findings = checker.check(Exchange(response=Response(found.status, None, None, found.body)),
                             shipment).findings
    assert {(f.rule, f.pointer) for f in findings if f.severity.value == "error"} == {
        (found.expected.rule, found.expected.pointer)}
