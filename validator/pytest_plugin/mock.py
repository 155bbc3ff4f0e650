"""The `respcontract_mock` fixture: a mock server of the run's contracts for one test.

    @pytest.mark.respcontract_mock(kind="edge", seed=3, faults="429:0.2")
    def test_my_client(respcontract_mock):
        client = MyClient(base_url=respcontract_mock.base_url)
        ...
        assert respcontract_mock.exchanges  # what the mock served

It serves the contracts the plugin loaded (bundled ones, `respcontract_contracts`,
`[tool.respcontract]`), on 127.0.0.1 and a free port, and stops after the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from validator.pytest_plugin.state import STATE

if TYPE_CHECKING:
    from validator.mock import MockServer

MARKER = "respcontract_mock"
MARKER_HELP = ("respcontract_mock(kind='valid', seed=0, steps=2, faults=None, slow_seconds=10, "
               "retry_after=1, record=None): settings of the respcontract_mock fixture in this "
               "test")
OPTIONS = ("kind", "seed", "steps", "faults", "slow_seconds", "retry_after", "record")


def pytest_configure(config: pytest.Config) -> None:
    """Register the `respcontract_mock` marker."""
    config.addinivalue_line("markers", MARKER_HELP)


def marker_options(item: pytest.Item) -> dict[str, Any]:
    """The keyword arguments of the closest `respcontract_mock` marker (checked)."""
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        return {}
    if marker.args:
        pytest.fail(f"@pytest.mark.{MARKER} takes keyword arguments only "
                    f"({', '.join(OPTIONS)})", pytrace=False)
    unknown = sorted(set(marker.kwargs) - set(OPTIONS))
    if unknown:
        pytest.fail(f"@pytest.mark.{MARKER}: unknown argument(s) {', '.join(unknown)} "
                    f"(known: {', '.join(OPTIONS)})", pytrace=False)
    return dict(marker.kwargs)


@pytest.fixture
def respcontract_mock(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """A running mock server (`.base_url`, `.exchanges`); kind, seed, steps and faults come
    from `@pytest.mark.respcontract_mock(...)` on the test."""
    from validator.errors import UsageError
    from validator.mock import MockServer

    options = marker_options(request.node)
    contracts = request.config.stash[STATE].contracts
    try:
        mock = MockServer(contracts, **options)
    except UsageError as exc:
        pytest.fail(f"@pytest.mark.{MARKER}: {exc}", pytrace=False)
    with mock:
        yield mock
