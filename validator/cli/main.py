"""The `respcontract` command: subcommands, common options, exit codes.

Exit codes, the same for every subcommand: 0 no failures, 1 failures,
2 usage error or a broken contract/schema. Errors are one line; --debug shows tracebacks.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from validator.cli.options import EXIT_FAILED, EXIT_USAGE, HelpFormatter, _Parser, tool_version
from validator.errors import UsageError

# name -> (module under validator.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "check recorded exchanges (files, HAR, cassettes) against contracts"),
    "lint": ("lint", "validate contracts, schemas, refs, examples and rule selectors"),
    "list": ("list", "list the endpoints of the loaded contracts"),
    "sample": ("sample", "print generated exchanges or bodies of an endpoint (valid, edge, ...)"),
    "fuzz": ("fuzz", "feed a consumer function generated responses and report its crashes"),
    "diff": ("diff", "compare two contract versions: breaking, risky and safe changes"),
    "import": ("import_openapi", "import OpenAPI 3.0/3.1 files as a contract (schemas, examples)"),
    "export": ("export", "export a contract as an OpenAPI 3.1 document"),
    "live": ("live", "call the live API, check its answers, poll until final, record redacted "
             "exchanges"),
    "mock": ("mock", "serve the contracts as a stateful fake API, with edge cases and faults"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with `only`, just that subcommand's options are loaded (start-up time:
    each command module imports what it needs)."""
    parser = _Parser(prog="respcontract", description="Response contract tester.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text,
                                 formatter_class=HelpFormatter)
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show tracebacks on errors")
        if only is None or only == name:
            import_module(f"validator.cli.{module}").configure(command)
        command.set_defaults(_module=module)
    return parser


class _VersionAction(argparse.Action):
    """--version without importing importlib.metadata on every run (it costs ~40 ms)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        parser.exit(0, f"respcontract {tool_version()}\n")


def _chosen_command(argv: Sequence[str]) -> str:
    return next((arg for arg in argv if arg in COMMANDS), "")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv`; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    for stream in (sys.stdout, sys.stderr):  # an odd byte in a report must not lose the report
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    parser = build_parser(_chosen_command(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = import_module(f"validator.cli.{args._module}").run(args)
        return code
    except UsageError as exc:
        if args.debug:
            raise
        print(f"respcontract: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("respcontract: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_FAILED
    except Exception as exc:  # a bug, not a user mistake: still one line unless --debug
        if args.debug:
            raise
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"respcontract: internal error: {type(exc).__name__}: {first_line} "
              "(run with --debug for a traceback)", file=sys.stderr)
        return EXIT_USAGE


def entry() -> None:
    """The console-script entry point: run and exit with the code."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
