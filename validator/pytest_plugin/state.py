"""What the plugin keeps for one pytest run: its settings and, once needed, the contracts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from validator.pytest_plugin.settings import Settings

if TYPE_CHECKING:
    from validator.check.checker import Checker
    from validator.load.contracts import ContractSet


class PluginState:
    """What one pytest run shares: settings, contracts and the checker."""

    def __init__(self, settings: Settings, rootpath: Path) -> None:
        self.settings = settings
        self.rootpath = rootpath
        self._checker: Checker | None = None
        self._resolved_roots: list[Path] = []
        self.current_item: pytest.Item | None = None  # the test running now, for its markers

    @property
    def checker(self) -> Checker:
        """The checker over the loaded contracts; a broken contract is a pytest usage error."""
        if self._checker is None:
            from validator.check.checker import Checker
            from validator.errors import UsageError
            from validator.load.contracts import ContractSet

            try:
                contracts = ContractSet.load(self.settings.contracts,
                                             bundled=self.settings.bundled)
            except UsageError as exc:
                # name files as the user does: relative to the rootdir
                message = str(exc).replace(f"{self.rootpath}{os.sep}", "")
                raise pytest.UsageError(f"respcontract: {message}") from None
            self._checker = Checker(contracts)
        return self._checker

    @property
    def contracts(self) -> ContractSet:
        return self.checker.contracts

    def collection_roots(self) -> list[Path]:
        """Recording folders and files (plus example files, when asked) to collect."""
        roots = [p.absolute() for p in self.settings.recordings]
        if self.settings.examples:
            from validator.api import example_paths

            roots += [p.absolute() for p in example_paths(self.contracts)]
        self._resolved_roots = [p.resolve() for p in roots]
        return roots

    @staticmethod
    def is_recording_name(path: Path) -> bool:
        from validator.sources import is_attached_body
        from validator.sources import is_recording_name as recording_name

        return recording_name(path.name.lower()) and not is_attached_body(path)

    def claims(self, path: Path) -> bool:
        """Is this file under one of the configured recording roots?"""
        if not self._resolved_roots or not self.is_recording_name(path):
            return False
        real = path.resolve()
        return any(real == root or root in real.parents for root in self._resolved_roots)


STATE = pytest.StashKey[PluginState]()
