"""The fuzz helper from Python and pytest: fuzz_consumer() raises with the report."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from genhelpers import CONSUMERS, JOB_STATUS

from validator.fuzz.runner import FuzzFailed, accepted, compact_json, fuzz, fuzz_consumer


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"consumer_{name}", CONSUMERS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


NAIVE = _load("naive")
CAREFUL = _load("careful")


def test_fuzz_consumer_raises_an_assertion_with_the_shrunk_payloads(tmp_path: Path) -> None:
    with pytest.raises(FuzzFailed, match=r"FAIL valid: the consumer raised ") as caught:
        fuzz_consumer(NAIVE.summarize, JOB_STATUS, kinds=["valid"], seed=3,
                      reproducers=tmp_path)
    assert isinstance(caught.value, AssertionError)
    text = str(caught.value)
    assert "KeyError: 'id'" in text and "TypeError" in text
    assert '"details": {}' in text and '"data": null' in text
    report = caught.value.report
    assert {type(f.error).__name__ for f in report.failures} == {"KeyError", "TypeError"}
    for failure in report.failures:
        assert failure.reproducer is not None
        assert json.loads(failure.reproducer.read_text(encoding="utf-8")) == failure.payload


def test_fuzz_consumer_passes_the_careful_consumer_through_every_kind() -> None:
    report = fuzz_consumer(CAREFUL.summarize, JOB_STATUS, allow=[CAREFUL.PayloadError],
                           max_examples=40, seed=5)
    assert report.ok and list(report.calls) == ["valid", "edge", "drift", "invalid"]
    assert all(calls >= 40 for calls in report.calls.values())


def test_a_crash_found_once_is_not_reported_again_on_later_kinds() -> None:
    report = fuzz(NAIVE.summarize, JOB_STATUS, ["valid", "edge", "drift"], max_examples=30,
                  seed=2)
    assert [f.kind for f in report.failures] == ["valid", "valid"]
    assert "  valid: " in report.render() and ", 2 failures\n" in report.render()
    assert "  edge: 30 calls, no new crash (2 found earlier are not reported again)" \
        in report.render()


def test_allowed_exceptions_apply_to_drift_and_invalid_only() -> None:
    error = ValueError("bad")
    assert not accepted("valid", error, ["ValueError"])
    assert not accepted("edge", error, [ValueError])
    # a documented error status: raise_for_status() on it is the consumer doing its job
    assert accepted("valid", error, [ValueError], {"response": {"status": 404}})
    assert not accepted("valid", error, [ValueError], {"response": {"status": 200}})
    assert accepted("drift", error, ["ValueError"])
    assert accepted("invalid", json.JSONDecodeError("x", "", 0), ["ValueError"])  # subclass
    assert accepted("invalid", error, ["builtins.ValueError"])
    assert not accepted("invalid", KeyError("k"), ["ValueError"])


def test_a_consumer_that_mutates_its_input_does_not_change_the_report() -> None:
    def destructive(body: Any) -> None:
        jobs = body["portal_invite"]
        jobs.clear()
        raise RuntimeError("boom")

    report = fuzz(destructive, JOB_STATUS, ["valid"], max_examples=5, seed=1)
    assert report.failures[0].payload == {"portal_invite": []}  # the example as generated
    assert "RuntimeError: boom" in report.failures[0].traceback


def test_compact_json_keeps_small_containers_on_one_line() -> None:
    body = {"portal_invite": [{"job_id": "0", "status": "in_progress", "data": None}]}
    assert compact_json(body) == json.dumps(body)
    long = {"a": [{"b": "x" * 50, "c": "y" * 50}]}
    lines = compact_json(long).splitlines()
    assert lines[0] == "{" and lines[-1] == "}" and len(lines) == 8
    assert json.loads(compact_json(long)) == long


def test_unknown_kind_and_input_are_usage_errors() -> None:
    from validator.errors import UsageError

    with pytest.raises(UsageError, match="unknown kind 'nope'"):
        fuzz(NAIVE.summarize, JOB_STATUS, ["nope"])
    with pytest.raises(UsageError, match="unknown input"):
        fuzz(NAIVE.summarize, JOB_STATUS, ["valid"], input="xml")
