"""Strategies come from schemas and rules alone: a made-up API (acme/warehouse, under
fixtures/) gets working strategies with no new code, and its features are honoured."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import seed as fixed_seed

from validator.api import load_contracts
from validator.errors import UsageError
from validator.generate import GenerationError, bodies, exchanges
from validator.load.contracts import ContractSet
from validator.model.exchange import Exchange

SHIPMENT = "acme/warehouse:get_shipment"


def _collect(strategy: Any, count: int = 150, seed: int = 0) -> list[Any]:
    found: list[Any] = []

    @fixed_seed(seed)
    @settings(max_examples=count, database=None, deadline=None)
    @given(strategy)
    def run(value: Any) -> None:
        found.append(value)

    run()
    return found


def test_shipment_bodies_honour_every_schema_feature(contracts: ContractSet) -> None:
    seen = _collect(bodies(SHIPMENT, "valid", contracts=contracts))
    prices = [i["price"] for b in seen for i in b["items"] if "price" in i]
    assert {type(p) for p in prices} >= {str}, "the anyOf string branch never shows"
    assert any(isinstance(p, int | float) for p in prices), "the anyOf number branch never shows"
    assert all(re.fullmatch(r"[0-9]{1,6}\.[0-9]{2}", p) for p in prices if isinstance(p, str))
    dims = [b["dimensions_cm"] for b in seen if "dimensions_cm" in b]
    # prefixItems with items: false: at most three positive integers (fewer is valid too)
    assert all(len(d) <= 3 and all(isinstance(n, int) and n >= 1 for n in d) for d in dims)
    assert any(len(d) == 3 for d in dims)
    tags = [b["tags"] for b in seen if "tags" in b]
    assert tags and all(len(set(t)) == len(t) <= 5 for t in tags)  # uniqueItems, maxItems
    for body in seen:
        delivered = body["state"] == "delivered"  # if/then/else at the root
        assert isinstance(body.get("delivered_at"), str) if delivered \
            else body.get("delivered_at") is None
        if body["state"] == "shipped":  # rule shipped-has-tracking
            assert body["tracking"]["carrier"] in ("DHL", "UPS", "PostNL")
        skus = [i["sku"] for i in body["items"]]
        assert len(set(skus)) == len(skus)  # rule skus-unique
        for item in body["items"]:
            assert 1 <= item["quantity"] <= 500  # allOf member
            assert item.get("currency", "EUR") == "EUR"  # const through $ref
            if item["quantity"] >= 100:  # a warning-severity rule is met too
                assert item["bulk"] is True
    assert {b["state"] for b in seen} == {"pending", "packed", "shipped", "delivered"}


def test_exchanges_echo_path_parameters_and_honour_query_conditions(
        contracts: ContractSet) -> None:
    seen: list[Exchange] = _collect(exchanges(SHIPMENT, "valid", contracts=contracts))
    ok = [e for e in seen if e.response.status == 200]
    assert ok and {e.response.status for e in seen} - {200}
    for exchange in ok:
        assert exchange.request is not None
        url = urlsplit(exchange.request.url)
        assert url.path == "/v1/shipments/SH-000042"  # template filled from defaults/example
        assert exchange.response.parsed["id"] == "SH-000042"  # rule id-echoes-path (equals)
        if "expand" in parse_qs(url.query):  # rule expanded-items-listed (when + assert)
            assert len(exchange.response.parsed["items"]) >= 1
    assert any("expand=items" in (e.request.url if e.request else "") for e in ok)
    problems = [e for e in seen if e.response.status >= 400]
    assert all(e.response.headers == {"content-type": "application/problem+json"}
               or e.response.headers["content-type"].startswith("application/problem+json")
               for e in problems)


def test_edge_and_drift_on_the_made_up_contract(contracts: ContractSet) -> None:
    edges = _collect(bodies(SHIPMENT, "edge", contracts=contracts), count=100)
    assert any(len(b["items"]) == 0 for b in edges)
    assert any(len(b["items"]) >= 10 for b in edges)
    assert any(b.get("tracking") is None for b in edges if "tracking" in b)
    drift = _collect(bodies("acme/warehouse:list_shipments", "drift", contracts=contracts),
                     count=100)
    states = {s["state"] for b in drift for s in b["shipments"]}
    assert states - {"pending", "packed", "shipped", "delivered"}  # x-documented via $ref


def _contract(tmp_path: Path, schema: str) -> ContractSet:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "thing.schema.json").write_text(schema, encoding="utf-8")
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "thing.yaml").write_text(
        "contract: test/thing\n"
        "endpoints:\n"
        "  get_thing:\n"
        "    method: GET\n"
        "    path: /thing\n"
        "    responses:\n"
        '      "200": {schema: thing.schema.json}\n', encoding="utf-8")
    return load_contracts([tmp_path / "contracts"], bundled=False)


def test_a_keyword_the_generator_cannot_honour_is_a_clear_error(tmp_path: Path) -> None:
    contracts = _contract(tmp_path, '{"type": "object", "properties": {"a": {"type": '
                                    '"string", "pattern": "^\\\\p{L}+$"}}}')
    with pytest.raises(GenerationError, match=r"thing.schema.json#/properties/a: pattern "
                                              r".* is not a regular expression the generator"):
        bodies("test/thing:get_thing", contracts=contracts)
    assert issubclass(GenerationError, UsageError)  # exit code 2 on the command line


def test_unknown_kind_is_a_usage_error(contracts: ContractSet) -> None:
    with pytest.raises(UsageError, match="unknown kind 'broken'"):
        bodies(SHIPMENT, "broken", contracts=contracts)
