"""The generator and the checker keep each other honest.

- every valid and edge example passes `check` without a single finding;
- every drift example yields warnings, all of them `undocumented`, and no error;
- every invalid example fails with exactly the finding it carries: the set of
  (rule, pointer) of its errors is that one finding.

Run for bodies (each documented status with a schema) and for whole exchanges (every
documented status, requests included), on the bundled contract and on a made-up one.
"""

from __future__ import annotations

import pytest
from genhelpers import ENDPOINTS, EXAMPLES, FIXTURE_CONTRACTS
from hypothesis import HealthCheck, given, settings

from validator.api import load_contracts
from validator.check.checker import Checker
from validator.generate import KINDS, Example, as_dict, examples, exchanges, expected_of
from validator.load.contracts import ContractSet
from validator.model.exchange import Exchange, Response
from validator.model.findings import Finding, Severity

_CONTRACTS = load_contracts([FIXTURE_CONTRACTS])
BODY_TARGETS = [(e.full_name, r.status) for name in ENDPOINTS
                for e in [_CONTRACTS.endpoint(name)] for r in e.responses if r.schema]

SETTINGS = settings(max_examples=EXAMPLES, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def keeps_promise(kind: str, findings: list[Finding], item: Example | Exchange) -> str | None:
    """None when the findings are what the example's kind promises, else why not."""
    shown = [(f.severity.value, f.rule, f.pointer, f.message) for f in findings]
    if kind in ("valid", "edge"):
        return None if not findings else f"expected no findings, got {shown}"
    if kind == "drift":
        if not findings:
            return "expected undocumented warnings, got none"
        if any(f.severity is Severity.ERROR or f.rule != "undocumented" for f in findings):
            return f"expected only undocumented warnings, got {shown}"
        return None
    expected = expected_of(item)
    assert expected is not None, "an invalid example must carry its finding"
    errors = {(f.rule, f.pointer) for f in findings if f.severity is Severity.ERROR}
    if expected.several:  # every item broken: one error per item, all under the array
        if (expected.rule, expected.pointer) not in errors or len(errors) < 2 or any(
                rule != expected.rule or not (pointer == expected.parent
                                              or pointer.startswith(expected.parent + "/"))
                for rule, pointer in errors):
            return f"expected {expected} among several errors under it, got {shown}"
        return None
    if errors != {(expected.rule, expected.pointer)}:
        return f"expected exactly {expected}, got {shown}"
    return None


def check_body(checker: Checker, endpoint: str, example: Example) -> list[Finding]:
    exchange = Exchange(response=Response(example.status, None, None, example.body))
    return checker.check(exchange, endpoint).findings


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("endpoint", "status"), BODY_TARGETS)
def test_bodies_keep_their_promise(contracts: ContractSet, checker: Checker, endpoint: str,
                                   status: str, kind: str) -> None:
    @SETTINGS
    @given(examples(endpoint, kind, status=status, contracts=contracts))
    def run(example: Example) -> None:
        assert example.kind == kind
        problem = keeps_promise(kind, check_body(checker, endpoint, example), example)
        assert problem is None, f"{problem}\nbody: {example.body!r}"

    run()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_exchanges_keep_their_promise(contracts: ContractSet, checker: Checker, endpoint: str,
                                      kind: str) -> None:
    @SETTINGS
    @given(exchanges(endpoint, kind, contracts=contracts))
    def run(exchange: Exchange) -> None:
        assert exchange.extras["kind"] == kind
        problem = keeps_promise(kind, checker.check(exchange).findings, exchange)
        assert problem is None, f"{problem}\nexchange: {as_dict(exchange)}"

    run()
