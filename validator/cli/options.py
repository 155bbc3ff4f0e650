"""What every subcommand shares: exit codes, the argument parser, contract options, output.

One module per subcommand: `configure(parser)` adds its options, `run(args)` returns the
exit code."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

from validator.api import load_contracts
from validator.load import config as configuration
from validator.load.contracts import ContractSet

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # `--tok=...` must not pass for --token-env
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:  # argparse exits 2 with usage; keep it one line
        # an unknown option may carry a secret (`--token=...`): never echo option values
        message = re.sub(r"(--?[\w-]+)=\S+", r"\1=<hidden>", message)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class HelpFormatter(argparse.HelpFormatter):
    """Wraps a one-paragraph description; text with its own line breaks (the examples in
    every subcommand's epilog) is printed as written, as RawDescriptionHelpFormatter does."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         width if width is not None else terminal_columns() - 2)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def terminal_columns() -> int:
    """The terminal's width as shutil.get_terminal_size finds it ($COLUMNS, then the
    terminal, then 80), without importing shutil: argparse would, on every run, for each
    option it adds."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def add_contract_options(parser: argparse.ArgumentParser) -> None:
    """Add --contracts and --no-bundled, shared by every command that loads contracts."""
    group = parser.add_argument_group("contracts")
    group.add_argument("--contracts", action="append", type=Path, default=[], metavar="PATH",
                       help="contract file or folder to load (repeatable; adds to the bundled "
                            "ones and [tool.respcontract] contracts)")
    group.add_argument("--no-bundled", dest="bundled", action="store_false", default=None,
                       help="do not load the bundled contracts")


def contracts_from(args: argparse.Namespace) -> tuple[ContractSet, configuration.Config]:
    """The contracts the options and [tool.respcontract] ask for, and that config."""
    config = configuration.load()
    return load_contracts(args.contracts, args.bundled, config), config


def use_color(stream: object = sys.stdout) -> bool:
    """Whether to color output: a terminal, and NO_COLOR unset."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def emit(text: str, output: str | None) -> None:
    """Write a report to `output` (a file), or to stdout when it is None or '-'."""
    if output and output != "-":
        from pathlib import Path

        try:
            Path(output).write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            from validator.errors import UsageError

            raise UsageError(f"cannot write the report to {output}: "
                             f"{exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)


def tool_version() -> str:
    """The installed respcontract version, or "unknown" when it runs from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("respcontract")
    except PackageNotFoundError:
        return "unknown"
