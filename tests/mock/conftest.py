"""Mock tests share one loaded contract set (the bundled portal-invite contract)."""

from __future__ import annotations

import pytest

from validator.api import load_contracts
from validator.check.checker import Checker
from validator.load.contracts import ContractSet


@pytest.fixture(scope="session")
def contracts() -> ContractSet:
    return load_contracts(bundled=True)


@pytest.fixture(scope="session")
def checker(contracts: ContractSet) -> Checker:
    return Checker(contracts)
