"""Where a change is shown: recording changes with their file, pointer and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from validator.diff.model import Change, Level
from validator.diff.schema import Sub
from validator.diff.sides import Side
from validator.diff.walk import SchemaDiff
from validator.errors import SourceError
from validator.formats import yaml as yamltext
from validator.formats.json import line_column, locate
from validator.model.contract import Contract, Endpoint
from validator.model.pointer import pointer_tokens


class Recorder:
    """Collects changes once each, located in the contract or schema file that shows them."""

    def __init__(self, old: Side, new: Side) -> None:
        self.sides = (old, new)
        self.changes: list[Change] = []
        self._seen: set[tuple[str, ...]] = set()
        self._texts: dict[Path, str | None] = {}
        self._yaml: dict[Path, Any] = {}

    def add(self, level: Level, kind: str, endpoint: str, status: str, pointer: str,
            message: str, old: tuple[Contract, str] | None = None,
            new: tuple[Contract, str] | None = None) -> None:
        """Record a change located in a contract file (new side preferred)."""
        side, place = (1, new) if new is not None else (0, old)
        source, line = "", None
        if place is not None:
            contract, at = place
            source = self.sides[side].show(contract.path)
            line = self.line_in_yaml(contract.path, at) if at else None
        self.record(Change(level, kind, endpoint, status, pointer, message, source,
                           place[1] if place else "", line,
                           self.sides[side].in_worktree and place is not None))

    def record(self, change: Change) -> None:
        key = (change.endpoint, change.status, change.pointer, change.kind, change.message)
        if key not in self._seen:
            self._seen.add(key)
            self.changes.append(change)

    def schema_change(self, endpoint: str, status: str, contracts: tuple[Contract, Contract],
                      level: Level, kind: str, pointer: str, message: str,
                      old: Sub | None, new: Sub | None) -> None:
        side, sub = (1, new) if new is not None else (0, old)
        source, location, line = "", "", None
        if sub is not None and sub.doc == contracts[side].store.base_uri:
            # a rule's schema: it sits in the contract file itself
            source, location = self.sides[side].show(contracts[side].path), sub.pointer
            line = self.line_in_yaml(contracts[side].path, sub.pointer)
        elif sub is not None:
            path = _document_path(contracts[side].store, sub.doc)
            source, location = self.sides[side].show(path), sub.pointer
            line = self.line_in_json(path, sub.pointer)
        self.record(Change(level, kind, endpoint, status, pointer, message, source, location,
                           line, self.sides[side].in_worktree and sub is not None))

    def line_in_yaml(self, path: Path, pointer: str) -> int | None:
        if path not in self._yaml:
            try:
                self._yaml[path] = yamltext.load(path.read_bytes())[1]
            except (OSError, SourceError):
                self._yaml[path] = None
        node = yamltext.locate(self._yaml[path], pointer_tokens(pointer))
        return yamltext.position(node)[0] if node is not None else None

    def line_in_json(self, path: Path, pointer: str) -> int | None:
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._texts[path] = None
        text = self._texts[path]
        if text is None:
            return None
        position = locate(text, pointer_tokens(pointer))
        return line_column(text, position)[0] if position is not None else None

    def walker(self, old: Endpoint, new: Endpoint, status: str) -> SchemaDiff:
        contracts = (old.contract, new.contract)

        def emit(level: Level, kind: str, pointer: str, message: str, old_sub: Sub | None,
                 new_sub: Sub | None) -> None:
            self.schema_change(new.full_name, status, contracts, level, kind, pointer,
                               message, old_sub, new_sub)
        return SchemaDiff(old.contract.store, new.contract.store, emit)



def _document_path(store: Any, doc_uri: str) -> Path:
    return Path(store.root) / str(store.relative(doc_uri))
