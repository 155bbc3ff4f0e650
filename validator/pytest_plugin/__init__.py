"""pytest plugin `respcontract`: recordings as test items, the `respcontract` fixture, a marker.

Registered through the `pytest11` entry point, so installing the package is enough. Disable it
for one run with `-p no:respcontract`, or keep the fixture and skip collection with
`--respcontract-disable`.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from validator.pytest_plugin.failures import ContractViolation, RespcontractWarning
from validator.pytest_plugin.fixture import MARKER, MARKER_HELP, Conformance, marker_defaults
from validator.pytest_plugin.items import ExchangeItem, RecordingFile, outside_nodeid
from validator.pytest_plugin.settings import add_options, resolve
from validator.pytest_plugin.state import STATE, PluginState

__all__ = ["Conformance", "ContractViolation", "ExchangeItem", "RecordingFile",
           "RespcontractWarning"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the plugin's command-line options and ini keys."""
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker and set up the run's state."""
    config.addinivalue_line("markers", MARKER_HELP)
    config.pluginmanager.import_plugin("validator.pytest_plugin.mock")  # respcontract_mock
    state = PluginState(resolve(config), config.rootpath)
    config.stash[STATE] = state
    if state.settings.disabled or config.getoption("help", False):
        return
    if state.settings.configured:
        state.checker  # noqa: B018  (load now: a broken contract stops the run with exit 4)
    roots = state.collection_roots()
    _add_to_args(config, [r for r in roots if _exists(config, r)])


def _exists(config: pytest.Config, root: Path) -> bool:
    if root.exists():
        return True
    config.issue_config_time_warning(
        RespcontractWarning(f"respcontract: recordings path {root} does not exist"),
        stacklevel=2)
    return False


def _add_to_args(config: pytest.Config, roots: list[Path]) -> None:
    """Make a plain `pytest` run collect recordings that lie outside its testpaths.

    Only when the user named no paths and runs from the rootdir: `pytest tests/test_x.py`
    or running inside a subfolder still collects just what was asked for.
    """
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        return
    if config.invocation_params.dir != config.rootpath:
        return
    here = config.invocation_params.dir
    covered = [(here / arg.split("::")[0]).absolute() for arg in config.args]
    for root in roots:
        if not any(root == c or c in root.parents for c in covered):
            config.args.append(str(root))
            covered.append(root)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> RecordingFile | None:
    """Collect a recording file as a test file of its exchanges."""
    state = parent.config.stash.get(STATE, None)
    if state is None or state.settings.disabled:
        return None
    if state.claims(file_path) or (parent.session.isinitpath(file_path)
                                   and state.is_recording_name(file_path)):
        return RecordingFile.from_parent(parent, path=file_path,
                                         nodeid=outside_nodeid(parent.config, file_path))
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A skipped (unmatched) exchange is reported at its place in the recording."""
    report = yield
    where = getattr(item, "skip_location", None)
    if report.skipped and where is not None and isinstance(report.longrepr, tuple):
        source, line = where
        report.longrepr = (source, line or 0, report.longrepr[2])
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """Track the running item, so the fixture knows its marker."""
    state = item.config.stash.get(STATE, None)
    if state is None:
        return (yield)
    state.current_item = item
    try:
        return (yield)
    finally:
        state.current_item = None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A misspelt marker argument or endpoint is an error at setup, fixture used or not."""
    if item.get_closest_marker(MARKER) is None:
        return
    endpoint, _ = marker_defaults(item, strict=False)
    if endpoint is not None:
        from validator.errors import UsageError

        try:
            item.config.stash[STATE].contracts.endpoint(endpoint)
        except UsageError as exc:
            pytest.fail(f"@pytest.mark.respcontract: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def respcontract(request: pytest.FixtureRequest) -> Conformance:
    """Check responses against the contracts: `check(response)` returns a Report,
    `assert_conforms(response)` fails the test with every finding. Defaults come from
    `@pytest.mark.respcontract(endpoint=..., strict=...)` on the running test."""
    return Conformance(request.config.stash[STATE])
