"""Fixtures of the generation tests: the contracts (bundled + the made-up acme/warehouse
one under fixtures/) and a checker over them."""

from __future__ import annotations

import pytest
from genhelpers import FIXTURE_CONTRACTS

from validator.api import load_contracts
from validator.check.checker import Checker
from validator.load.contracts import ContractSet


@pytest.fixture(scope="session")
def contracts() -> ContractSet:
    return load_contracts([FIXTURE_CONTRACTS], bundled=True)


@pytest.fixture(scope="session")
def checker(contracts: ContractSet) -> Checker:
    return Checker(contracts)
