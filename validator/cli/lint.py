"""`respcontract lint [PATHS]`: contracts, schemas, refs, examples and rule selectors."""

from __future__ import annotations

import argparse
from pathlib import Path

from validator.cli.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_contract_options

EXAMPLES = """examples:
  respcontract lint
  respcontract lint contracts/my-api/orders.yaml --no-bundled

Exit 0 when everything is sound, 1 when an example fails its contract, 2 when a contract or
schema is broken."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `lint` options."""
    parser.epilog = EXAMPLES
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="contract files, schema files or folders (default: every loaded "
                             "contract)")
    add_contract_options(parser)


def run(args: argparse.Namespace) -> int:
    """Lint and print every problem; the exit code says how bad the worst one is."""
    from validator.check.lint import lint

    outcome = lint(args.paths, args.contracts, args.bundled)
    for line in outcome.problems:
        print(line)
    for line in outcome.notes:
        print(line)
    if outcome.broken:
        return EXIT_USAGE
    return EXIT_FAILED if outcome.problems else EXIT_OK
