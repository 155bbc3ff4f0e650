"""Errors that stop a run with exit code 2: usage mistakes and broken contracts."""

from __future__ import annotations


class UsageError(Exception):
    """The command line or configuration asks for something impossible."""


class ContractError(UsageError):
    """A contract or schema is broken; nothing can be checked against it."""

    def __init__(self, source: str, message: str, pointer: str = "") -> None:
        self.source = source
        self.pointer = pointer
        self.detail = message
        where = f"{source}{'#' + pointer if pointer else ''}"
        super().__init__(f"{where}: {message}")


class SourceError(Exception):
    """A recording cannot be read; reported as a finding for that file."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 rule: str = "source") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.rule = rule
