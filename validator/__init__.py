"""respcontract: check API responses against contracts, and fuzz the code that reads them.

Importing this package is cheap: nothing here imports hypothesis, httpx or pytest, and
the names below are loaded on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .adapters import to_exchange
    from .api import check_file, check_paths, load_contracts
    from .checks import Checker
    from .contracts import ContractSet, Endpoint
    from .errors import ContractError, UsageError
    from .exchange import Exchange, Request, Response
    from .findings import ExchangeResult, Finding, Report, Severity

_EXPORTS = {
    "Checker": "checks",
    "ContractError": "errors",
    "ContractSet": "contracts",
    "Endpoint": "contracts",
    "Exchange": "exchange",
    "ExchangeResult": "findings",
    "Finding": "findings",
    "Report": "findings",
    "Request": "exchange",
    "Response": "exchange",
    "Severity": "findings",
    "UsageError": "errors",
    "check_file": "api",
    "check_paths": "api",
    "load_contracts": "api",
    "to_exchange": "adapters",
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
