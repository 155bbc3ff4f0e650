"""One module per subcommand: `configure(parser)` adds its options, `run(args)` returns the
exit code."""

from __future__ import annotations

import argparse
import os
import sys

from .. import config as configuration
from ..api import load_contracts
from ..contracts import ContractSet


def contracts_from(args: argparse.Namespace) -> tuple[ContractSet, configuration.Config]:
    config = configuration.load()
    return load_contracts(args.contracts, args.bundled, config), config


def use_color(stream: object = sys.stdout) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def emit(text: str, output: str | None) -> None:
    if output and output != "-":
        from pathlib import Path

        try:
            Path(output).write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            from ..errors import UsageError

            raise UsageError(f"cannot write the report to {output}: "
                             f"{exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
