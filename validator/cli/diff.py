"""`respcontract diff OLD NEW`: classify every contract change as breaking, risky or safe."""

from __future__ import annotations

import argparse

from validator.cli.options import emit
from validator.diff.model import FAIL_ON
from validator.report.diff import FORMATS

EXAMPLES = """examples:
  respcontract diff old/contracts/ contracts/
  respcontract diff git:origin/main:contracts/ contracts/ --fail-on risky --format markdown"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `diff` options."""
    parser.epilog = EXAMPLES
    parser.description = (
        "Compare two versions of a contract set. OLD and NEW are each a contract folder, a "
        "contract file, or git:REVISION:PATH (read from git, nothing is checked out), e.g. "
        "git:origin/main:contracts/. Exit 1 when a change at or above --fail-on is found.")
    parser.add_argument("old", metavar="OLD", help="the version before the change")
    parser.add_argument("new", metavar="NEW", help="the version after the change")
    parser.add_argument("--fail-on", choices=FAIL_ON, default="breaking",
                        help="lowest level that fails the run (default: breaking)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="report format (markdown suits a pull request comment, "
                             "sarif a code-scanning upload)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")


def run(args: argparse.Namespace) -> int:
    """Diff OLD and NEW and write the report; exit 1 at or above --fail-on."""
    from validator.diff.contracts import diff
    from validator.report.diff import render

    result = diff(args.old, args.new)
    emit(render(result, args.format, args.fail_on), args.output)
    return result.exit_code(args.fail_on)
