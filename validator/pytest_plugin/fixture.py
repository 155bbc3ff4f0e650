"""The `respcontract` fixture: check responses your tests get against the loaded contracts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from validator.pytest_plugin import failures
from validator.pytest_plugin.state import PluginState

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from validator.load.contracts import ContractSet
    from validator.model.contract import Endpoint
    from validator.model.exchange import Exchange
    from validator.model.findings import Report

MARKER = "respcontract"
MARKER_HELP = ("respcontract(endpoint=None, strict=None): defaults for the respcontract fixture "
               "in this test (endpoint 'CONTRACT:ENDPOINT' to check against; strict: warnings "
               "fail)")


class Conformance:
    """Checks httpx / requests responses, Exchanges or dicts against the plugin's contracts.

    One object serves the whole run (so hypothesis' @given accepts the fixture); its
    `endpoint` and `strict` defaults follow the running test's `@pytest.mark.respcontract`,
    else no pinned endpoint (matched by method and path) and the run's strict setting.
    """

    def __init__(self, state: PluginState) -> None:
        self._state = state

    def __repr__(self) -> str:  # pytest prints it among a failed test's arguments
        return "<respcontract fixture>"

    @property
    def endpoint(self) -> str | None:
        return self._defaults()[0]

    @property
    def strict(self) -> bool:
        return self._defaults()[1]

    def _defaults(self) -> tuple[str | None, bool]:
        item = self._state.current_item
        if item is None:
            return None, self._state.settings.strict
        return marker_defaults(item, self._state.settings.strict)

    @property
    def contracts(self) -> ContractSet:
        return self._state.contracts

    def check(self, response: Any, endpoint: str | None = None) -> Report:
        """Every finding for one response, as a Report (it never raises for a bad response)."""
        return self._check(response, endpoint)[1]

    def assert_conforms(self, response: Any, endpoint: str | None = None,
                        strict: bool | None = None) -> Report:
        """Fail the test with every finding unless the response conforms.

        Unlike recorded items, a response no contract endpoint matches fails here: an
        assertion that checked nothing must not pass. Warnings that do not fail are
        reported as pytest warnings.
        """
        __tracebackhide__ = True
        exchange, report = self._check(response, endpoint)
        if strict is not None:
            report.strict = strict
        result = report.results[0]
        findings = [failures.for_an_assertion(f) for f in result.findings]
        failures.enforce(findings, report.strict, failures.subject(exchange, "response"),
                         result.endpoint, prefix="response does not conform: ", stacklevel=2)
        return report

    def _check(self, response: Any, endpoint: str | None) -> tuple[Exchange, Report]:
        from validator.model.findings import Report
        from validator.sources.clients import to_exchange

        exchange = to_exchange(response)
        default_endpoint, strict = self._defaults()
        result = self._state.checker.check(exchange, endpoint or default_endpoint)
        return exchange, Report([result], strict=strict)

    # Hypothesis strategies over the same contracts (this run's, with user folders), for
    # the endpoint given or the marker's. Draw them in a test with `st.data()`, or pass
    # them to @given straight from `validator.generate` (bundled + [tool.respcontract]).
    def bodies(self, endpoint: str | None = None, kind: str = "valid", *,
               status: str | int | None = None) -> SearchStrategy[Any]:
        """Generated response bodies: kind is valid, edge, drift or invalid."""
        from validator.generate import bodies  # imports hypothesis: only on use

        return bodies(self._endpoint_for(endpoint), kind, status=status)

    def examples(self, endpoint: str | None = None, kind: str = "valid", *,
                 status: str | int | None = None) -> SearchStrategy[Any]:
        """Generated bodies with their kind; invalid ones carry the finding they must give."""
        from validator.generate import examples

        return examples(self._endpoint_for(endpoint), kind, status=status)

    def exchanges(self, endpoint: str | None = None, kind: str = "valid", *,
                  status: str | int | None = None) -> SearchStrategy[Exchange]:
        """Generated request + response pairs, ready for `check` / `assert_conforms`."""
        from validator.generate import exchanges

        return exchanges(self._endpoint_for(endpoint), kind, status=status)

    def _endpoint_for(self, endpoint: str | None) -> Endpoint:
        from validator.errors import UsageError

        name = endpoint or self.endpoint
        if name is None:
            raise UsageError("which endpoint? pass endpoint='CONTRACT:ENDPOINT' or mark the "
                             "test with @pytest.mark.respcontract(endpoint=...)")
        return self.contracts.endpoint(name)


def marker_defaults(node: pytest.Item, strict: bool) -> tuple[str | None, bool]:
    """(endpoint, strict) from the closest `@pytest.mark.respcontract`, checked for typos."""
    marker = node.get_closest_marker(MARKER)
    if marker is None:
        return None, strict
    unknown = sorted(set(marker.kwargs) - {"endpoint", "strict"})
    if unknown or len(marker.args) > 1:
        bad = repr(unknown[0]) if unknown else "a second positional argument"
        pytest.fail(f"@pytest.mark.respcontract: unexpected {bad} (it takes endpoint= and "
                    "strict=)", pytrace=False)
    endpoint = marker.kwargs.get("endpoint", marker.args[0] if marker.args else None)
    if endpoint is not None and not isinstance(endpoint, str):
        pytest.fail("@pytest.mark.respcontract: endpoint must be a string like "
                    f"'CONTRACT:ENDPOINT', found {endpoint!r}", pytrace=False)
    marked_strict = marker.kwargs.get("strict")
    if marked_strict is not None and not isinstance(marked_strict, bool):
        pytest.fail(f"@pytest.mark.respcontract: strict must be True or False, found "
                    f"{marked_strict!r}", pytrace=False)
    return endpoint, strict if marked_strict is None else marked_strict
