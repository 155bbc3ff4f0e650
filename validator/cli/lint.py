"""`respcontract lint [PATHS]`: contracts, schemas, refs, examples and rule selectors."""

from __future__ import annotations

import argparse
from pathlib import Path

from validator.cli.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_contract_options


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="contract files, schema files or folders (default: every loaded "
                             "contract)")
    add_contract_options(parser)


def run(args: argparse.Namespace) -> int:
    from validator.check.lint import lint

    outcome = lint(args.paths, args.contracts, args.bundled)
    for line in outcome.problems:
        print(line)
    for line in outcome.notes:
        print(line)
    if outcome.broken:
        return EXIT_USAGE
    return EXIT_FAILED if outcome.problems else EXIT_OK
