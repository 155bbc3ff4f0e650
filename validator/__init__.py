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
    from validator.errors import (
        ContractError,
        GenerationError,
        LeakError,
        NetworkError,
        RespcontractError,
        SourceError,
        TestFailure,
        UsageError,
    )
    from validator.fuzz.runner import ConsumerReturnedFalse, FuzzFailed, PropertyFailed
    from validator.load.contracts import ContractSet
    from validator.model.contract import Endpoint
    from validator.model.exchange import Exchange, Request, Response
    from validator.model.findings import ExchangeResult, Finding, Report, Severity
    from validator.openapi.specs import ImportProblem
    from validator.pytest_plugin.failures import ContractViolation
    from validator.sources.clients import to_exchange
    from validator.sources.files import NotAFile, TooLarge

_EXPORTS = {
    "Checker": "check.checker",
    "ConsumerReturnedFalse": "fuzz.runner",
    "ContractError": "errors",
    "ContractSet": "load.contracts",
    "ContractViolation": "pytest_plugin.failures",
    "Endpoint": "model.contract",
    "Exchange": "model.exchange",
    "ExchangeResult": "model.findings",
    "Finding": "model.findings",
    "FuzzFailed": "fuzz.runner",
    "PropertyFailed": "fuzz.runner",
    "ImportProblem": "openapi.specs",
    "GenerationError": "errors",
    "LeakError": "errors",
    "NetworkError": "errors",
    "NotAFile": "sources.files",
    "Report": "model.findings",
    "Request": "model.exchange",
    "RespcontractError": "errors",
    "Response": "model.exchange",
    "Severity": "model.findings",
    "SourceError": "errors",
    "TestFailure": "errors",
    "TooLarge": "sources.files",
    "UsageError": "errors",
    "check_file": "api",
    "check_paths": "api",
    "load_contracts": "api",
    "to_exchange": "sources.clients",
}

__all__ = [
    "Checker",
    "ConsumerReturnedFalse",
    "ContractError",
    "ContractSet",
    "ContractViolation",
    "Endpoint",
    "Exchange",
    "ExchangeResult",
    "Finding",
    "FuzzFailed",
    "GenerationError",
    "ImportProblem",
    "LeakError",
    "NetworkError",
    "NotAFile",
    "PropertyFailed",
    "Report",
    "Request",
    "RespcontractError",
    "Response",
    "Severity",
    "SourceError",
    "TestFailure",
    "TooLarge",
    "UsageError",
    "check_file",
    "check_paths",
    "load_contracts",
    "to_exchange",
]


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562), so `import validator` stays cheap."""
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, loaded or not, so completion and `dir()` show them (PEP 562)."""
    return sorted(__all__)
