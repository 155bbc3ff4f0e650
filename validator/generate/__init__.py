"""Hypothesis strategies generated from contracts: response bodies and whole exchanges.

    from hypothesis import given
    from validator.generate import bodies, examples, exchanges

    @given(bodies("zoho-crm/portal-invite:get_bulk_invite_status", kind="edge"))
    def test_summary_survives_edges(body):
        summarize(body)

Kinds:
- ``valid``: conforming to the schema and every rule, leaning on the documented edges;
- ``edge``: only the documented edges (null where allowed, ``{}``, empty / one / many
  items, shortest and longest pattern matches, empty and non-ASCII text, documented values);
- ``drift``: conforming plus undocumented additions (extra members, values outside
  ``x-documented``): the checker warns about them, it does not fail;
- ``invalid``: exactly one violation; ``examples()`` and ``exchanges()`` carry the finding
  (rule id and JSON pointer) the checker must report for it.

Everything is derived from the contract's schemas and rules; nothing here knows an API.
Importing this module imports hypothesis (``import validator`` does not).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from validator.generate.model import EndpointModel, Example, as_dict
from validator.generate.mutate import Expected
from validator.generate.shapes import GenerationError
from validator.load.contracts import ContractSet
from validator.model.contract import Endpoint
from validator.model.exchange import Exchange
from validator.model.kinds import KINDS, check_kind

__all__ = ["KINDS", "Example", "Expected", "GenerationError", "as_dict", "bodies",
           "examples", "exchanges", "expected_of", "model_for"]

Contracts = ContractSet | Iterable[str | Path] | None

_models: dict[int, tuple[Endpoint, EndpointModel]] = {}
_default_contracts: list[ContractSet] = []


def _contract_set(contracts: Contracts) -> ContractSet:
    if isinstance(contracts, ContractSet):
        return contracts
    from validator.api import load_contracts
    from validator.load import config as configuration

    if contracts is None:
        if not _default_contracts:
            _default_contracts.append(load_contracts(config=configuration.load()))
        return _default_contracts[0]
    return load_contracts([Path(p) for p in contracts], config=configuration.load())


def model_for(endpoint: str | Endpoint, contracts: Contracts = None) -> EndpointModel:
    """The generation model of an endpoint (`CONTRACT:ENDPOINT` or an Endpoint), cached."""
    if not isinstance(endpoint, Endpoint):
        endpoint = _contract_set(contracts).endpoint(endpoint)
    cached = _models.get(id(endpoint))
    if cached is None or cached[0] is not endpoint:
        cached = (endpoint, EndpointModel(endpoint))
        _models[id(endpoint)] = cached
    return cached[1]


def examples(endpoint: str | Endpoint, kind: str = "valid", *, status: str | int | None = None,
             contracts: Contracts = None) -> st.SearchStrategy[Example]:
    """Bodies with their kind and status; invalid ones carry `.expected` (rule, pointer).

    `status` picks the documented response ("200", "4XX", 404); by default the first 2XX
    response with a JSON body.
    """
    check_kind(kind)
    return model_for(endpoint, contracts).examples(kind, status)


def bodies(endpoint: str | Endpoint, kind: str = "valid", *, status: str | int | None = None,
           contracts: Contracts = None) -> st.SearchStrategy[Any]:
    """Decoded JSON bodies (dicts, lists, ...) of one documented response."""
    return examples(endpoint, kind, status=status, contracts=contracts).map(lambda e: e.body)


def exchanges(endpoint: str | Endpoint, kind: str = "valid", *,
              status: str | int | None = None,
              contracts: Contracts = None) -> st.SearchStrategy[Exchange]:
    """Whole exchanges (request + response) across every documented status by default.

    `exchange.extras` holds the kind and, for invalid ones, the Expected finding.
    """
    check_kind(kind)
    return model_for(endpoint, contracts).exchanges(kind, status)


def expected_of(item: Example | Exchange) -> Expected | None:
    """The finding an invalid example (or exchange) must produce, if any."""
    if isinstance(item, Example):
        return item.expected
    found: Any = item.extras.get("expected")
    return found if isinstance(found, Expected) else None

