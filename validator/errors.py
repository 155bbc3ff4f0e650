"""Every exception respcontract raises, under one root.

    RespcontractError                  anything this package raises on purpose
    ├── UsageError                     exit code 2: the command line or configuration is impossible
    │   ├── ContractError              a contract or schema is broken (load, lint, $ref)
    │   ├── GenerationError            a schema the generator cannot produce examples for
    │   └── ImportProblem              openapi: a spec that cannot be imported
    ├── SourceError                    a recording cannot be read: a finding for that file
    ├── TooLarge                       sources.files: a file over the size limit
    ├── NotAFile                       sources.files: a device, socket or other special file
    ├── NetworkError                   live: the request could not be completed
    ├── LeakError                      live: a recording still holds the token
    └── TestFailure                    also an AssertionError, so pytest and hypothesis treat
        │                              it as a failing test, not as a crash
        ├── ContractViolation          pytest_plugin: a response breaks its contract
        ├── FuzzFailed                 fuzz: fuzz_consumer() found crashes; the full report
        ├── PropertyFailed             fuzz: the user's `expect` property does not hold
        └── ConsumerReturnedFalse      fuzz: the consumer returned False

The leaves whose payload belongs to one stage (`ContractViolation`, `FuzzFailed`,
`ConsumerReturnedFalse`, `NotAFile`, `TooLarge`) are defined in that stage's module;
`validator` exports them all. Private signals used inside one module (a duplicate key while
decoding JSON, an unsatisfiable branch while generating) derive from RespcontractError too and
never escape their module.
"""

from __future__ import annotations


class RespcontractError(Exception):
    """The root of every exception respcontract raises on purpose."""


class UsageError(RespcontractError):
    """The command line or configuration asks for something impossible."""


class ContractError(UsageError):
    """A contract or schema is broken; nothing can be checked against it."""

    def __init__(self, source: str, message: str, pointer: str = "") -> None:
        self.source = source
        self.pointer = pointer
        self.detail = message
        where = f"{source}{'#' + pointer if pointer else ''}"
        super().__init__(f"{where}: {message}")


class GenerationError(UsageError):
    """A schema the generator cannot produce examples for."""


class SourceError(RespcontractError):
    """A recording cannot be read; reported as a finding for that file."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 rule: str = "source") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.rule = rule


class NetworkError(RespcontractError):
    """The request could not be completed; the message is one line for the user."""


class LeakError(RespcontractError):
    """A recording still holds the token; it must not be written."""


class TestFailure(RespcontractError, AssertionError):
    """A failing test, not a crash: pytest and hypothesis see an AssertionError."""

    __test__ = False  # not a test class, whatever its name says to pytest's collector
