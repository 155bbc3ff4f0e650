"""The plugin's settings: command line first, then ini keys, then `[tool.respcontract]`.

Recordings: the first source that names any wins (command line, ini, pyproject table).
Contracts: every source adds its folders, like `respcontract check --contracts`.
Switches (strict, bundled, examples, disable): command line, else ini, else the table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from validator.load import config as configuration

GROUP = "respcontract"


@dataclass(frozen=True)
class Settings:
    """The plugin's settings, from options, ini keys and [tool.respcontract]."""

    recordings: tuple[Path, ...] = ()
    contracts: tuple[Path, ...] = ()
    bundled: bool = True
    strict: bool = False
    examples: bool = False
    disabled: bool = False

    @property
    def configured(self) -> bool:
        """Did the user ask for anything that needs the contracts at collection time?"""
        return bool(self.recordings or self.contracts or self.examples)


def add_options(parser: pytest.Parser) -> None:
    """Add the --respcontract-* options and ini keys."""
    group = parser.getgroup(GROUP, "respcontract: check recorded responses against contracts")
    group.addoption("--respcontract-recordings", action="append", default=[], metavar="PATH",
                    dest="respcontract_recordings",
                    help="folder or file of recordings (exchange files, HAR, VCR cassettes); "
                         "every exchange becomes a test item. Repeatable. "
                         "[ini: respcontract_recordings]")
    group.addoption("--respcontract-contracts", action="append", default=[], metavar="PATH",
                    dest="respcontract_contracts",
                    help="contract file or folder to load besides the bundled ones. Repeatable. "
                         "[ini: respcontract_contracts]")
    group.addoption("--respcontract-no-bundled", action="store_false", default=None,
                    dest="respcontract_bundled",
                    help="do not load the bundled contracts [ini: respcontract_bundled = false]")
    group.addoption("--respcontract-strict", action="store_true", default=None,
                    dest="respcontract_strict",
                    help="warnings (undocumented fields, unknown codes, unmatched requests) fail "
                         "[ini: respcontract_strict]")
    group.addoption("--respcontract-examples", action="store_true", default=None,
                    dest="respcontract_examples",
                    help="also collect the loaded contracts' own examples "
                         "[ini: respcontract_examples]")
    group.addoption("--respcontract-disable", action="store_true", default=None,
                    dest="respcontract_disable",
                    help="collect no recordings or examples (the fixture still works) "
                         "[ini: respcontract_disable]")
    parser.addini("respcontract_recordings", type="paths", default=None,
                  help="respcontract: recordings to collect, relative to this file")
    parser.addini("respcontract_contracts", type="paths", default=None,
                  help="respcontract: contract files or folders to load, relative to this file")
    parser.addini("respcontract_bundled", type="bool", default=None,
                  help="respcontract: load the bundled contracts (default true)")
    parser.addini("respcontract_strict", type="bool", default=None,
                  help="respcontract: warnings fail (default false)")
    parser.addini("respcontract_examples", type="bool", default=None,
                  help="respcontract: collect the contracts' examples too (default false)")
    parser.addini("respcontract_disable", type="bool", default=None,
                  help="respcontract: collect no recordings or examples (default false)")


def resolve(config: pytest.Config) -> Settings:
    """Merge the three sources; a bad value anywhere is a pytest usage error."""
    table = _table(config)
    here = config.invocation_params.dir
    cli_recordings = [here / p for p in config.getoption("respcontract_recordings")]
    cli_contracts = [here / p for p in config.getoption("respcontract_contracts")]
    recordings = cli_recordings or _ini(config, "respcontract_recordings") or table.recordings
    contracts = [*table.contracts, *(_ini(config, "respcontract_contracts") or []),
                 *cli_contracts]
    return Settings(
        recordings=tuple(recordings),
        contracts=tuple(contracts),
        bundled=_switch(config, "respcontract_bundled", table.bundled),
        strict=_switch(config, "respcontract_strict", table.strict),
        examples=_switch(config, "respcontract_examples", False),
        disabled=_switch(config, "respcontract_disable", False),
    )


def _table(config: pytest.Config) -> configuration.Config:
    from validator.errors import UsageError

    try:
        return configuration.load(config.rootpath)
    except UsageError as exc:
        message = str(exc).replace(f"{config.rootpath}{os.sep}", "")
        raise pytest.UsageError(f"respcontract: {message}") from None


def _ini(config: pytest.Config, name: str) -> Any:
    try:
        return config.getini(name)
    except ValueError as exc:  # pytest 8 raises ValueError for a bad value, pytest 9 UsageError
        raise pytest.UsageError(f"respcontract: {name}: {exc}") from None


def _switch(config: pytest.Config, name: str, fallback: bool) -> bool:
    option = config.getoption(name)
    if option is not None:
        return bool(option)
    value = _ini(config, name)
    return fallback if value is None else bool(value)

