"""respcontract: check API responses against contracts, and fuzz the code that reads them.

Importing this package is cheap: nothing here imports hypothesis, httpx or pytest, and
the names below are loaded on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from validator.api import check_file, check_paths, load_contracts
    from validator.check.checker import Checker
    from validator.errors import ContractError, UsageError
    from validator.load.contracts import ContractSet
    from validator.model.contract import Endpoint
    from validator.model.exchange import Exchange, Request, Response
    from validator.model.findings import ExchangeResult, Finding, Report, Severity
    from validator.sources.clients import to_exchange

_EXPORTS = {
    "Checker": "check.checker",
    "ContractError": "errors",
    "ContractSet": "load.contracts",
    "Endpoint": "model.contract",
    "Exchange": "model.exchange",
    "ExchangeResult": "model.findings",
    "Finding": "model.findings",
    "Report": "model.findings",
    "Request": "model.exchange",
    "Response": "model.exchange",
    "Severity": "model.findings",
    "UsageError": "errors",
    "check_file": "api",
    "check_paths": "api",
    "load_contracts": "api",
    "to_exchange": "sources.clients",
}

__all__ = [
    "Checker",
    "ContractError",
    "ContractSet",
    "Endpoint",
    "Exchange",
    "ExchangeResult",
    "Finding",
    "Report",
    "Request",
    "Response",
    "Severity",
    "UsageError",
    "check_file",
    "check_paths",
    "load_contracts",
    "to_exchange",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
