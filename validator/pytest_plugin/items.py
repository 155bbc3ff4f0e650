"""Recordings as pytest items: one item per recorded exchange, named after its place in the file.

HAR entries are `file.har::entry[3]`, cassette interactions `file.yaml::interaction[2]`, an
exchange file holds one `::exchange`, and a file that cannot be read at all is one `::file`
item that fails with the reason (so the run goes on with the other files).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from validator.model.exchange import Exchange
from validator.model.findings import Finding
from validator.model.record import replace
from validator.pytest_plugin import failures
from validator.pytest_plugin.state import STATE

ITEM_PREFIX = {"har": "entry", "cassette": "interaction"}
WHOLE_FILE = {"exchange": "exchange", "body": "body"}


class RecordingFile(pytest.File):
    """A recording file collected by pytest: one item per exchange."""

    def collect(self) -> Iterator[ExchangeItem]:
        from validator.sources import read

        loaded = read(self.path)
        exchanges: dict[int | None, Exchange] = {e.index: e for e in loaded.exchanges}
        problems: dict[int | None, list[Finding]] = {}
        for problem in loaded.problems:
            problems.setdefault(problem.exchange, []).append(problem)
        indices = sorted({*exchanges, *problems}, key=lambda i: -1 if i is None else i)
        for index in indices:
            name = item_name(loaded.kind, index)
            # The id given as text, so that pytest reads `entry[3]` back the same way from its
            # cache (--lf, --ff) as when it built it.
            yield ExchangeItem.from_parent(
                self, name=name, nodeid=f"{self.nodeid}::{name}", exchange=exchanges.get(index),
                problems=problems.get(index, []))


def outside_nodeid(config: pytest.Config, path: Path) -> str | None:
    """A readable id for a file outside the rootdir (pytest would give it an empty one):
    bundled contract examples as `bundled-contracts/...`, anything else relative to the
    rootdir. None (pytest's own id) for files inside the rootdir."""
    if config.rootpath in path.parents:
        return None
    from validator.load.contracts import bundled_root

    contracts = bundled_root() / "contracts"
    if contracts in path.parents:
        return f"bundled-contracts/{path.relative_to(contracts).as_posix()}"
    return Path(os.path.relpath(path, config.rootpath)).as_posix()


def item_name(kind: str, index: int | None) -> str:
    """The test name of one exchange of a recording (or of the whole file)."""
    if index is None:
        return WHOLE_FILE.get(kind, "file")
    return f"{ITEM_PREFIX.get(kind, 'exchange')}[{index}]"


class ExchangeItem(pytest.Item):
    """One recorded exchange as a pytest test: it fails on its findings."""

    def __init__(self, *, exchange: Exchange | None, problems: list[Finding],
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.exchange = exchange
        self.problems = problems
        self.skip_location: tuple[str, int | None] | None = None

    def runtest(self) -> None:
        state = self.config.stash[STATE]
        strict = state.settings.strict
        findings = list(self.problems)
        endpoint = None
        if self.exchange is not None:
            result = state.checker.check(self.exchange)
            findings += result.findings
            endpoint = result.endpoint
        findings = [self._shown(f) for f in findings]
        unmatched = failures.only_unmatched(findings)
        if unmatched is not None and not strict:
            self.skip_location = (unmatched.source, unmatched.line)
            pytest.skip(f"not checked: {unmatched.message.removesuffix('; not checked')}")
        if self.exchange is None and findings and not strict \
                and not any(f.fails(strict) for f in findings):
            # read, with nothing in it to check (no interactions, no response): as the CLI
            # counts it, skipped rather than passed
            self.skip_location = (findings[0].source, findings[0].line)
            pytest.skip(f"nothing to check: {findings[0].message}")
        failures.enforce(findings, strict, failures.subject(self.exchange, self.file_id),
                         endpoint)

    def _shown(self, finding: Finding) -> Finding:
        """The finding with its file named relative to the rootdir, as in the item's id."""
        return replace(finding, source=self.file_id)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        if isinstance(excinfo.value, failures.ContractViolation):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        # Exchange positions are found lazily (costly in big files); only reuse known ones.
        known = self.exchange.locate_exchange if self.exchange is not None else None
        if known is None and self.problems and self.problems[0].line is not None:
            known = (self.problems[0].line, 0)
        # Not the node id itself: pytest -v would rewrite the dots of a suffix-matching one.
        return self.path, known[0] - 1 if known else None, f"{self.name} in {self.file_id}"

    @property
    def file_id(self) -> str:
        """The recording as its node id names it, e.g. `recordings/jobs.har`."""
        return self.nodeid.rsplit("::", 1)[0]
