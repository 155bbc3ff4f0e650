"""`respcontract import openapi SPEC... --contract NAME`: a contract folder from OpenAPI files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from validator.cli.options import EXIT_OK

EXAMPLES = """examples:
  respcontract import openapi spec/*.json --contract acme/orders --out .
  respcontract import openapi api.yaml --contract acme/orders --overlay curated.overlay.yaml"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the import subcommands and their options."""
    parser.epilog = EXAMPLES
    parser.description = (
        "Import OpenAPI 3.0/3.1 files (JSON or YAML) as a contract: the contract YAML under "
        "DIR/contracts/, one schema file per response shape under DIR/schemas/, and the "
        "spec's examples as exchange files. Vendor examples that contradict their own schema "
        "are reported and filed apart (see docs/guides/openapi.md).")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True,
                                  help="what to import: openapi")
    openapi = kinds.add_parser("openapi", help="import OpenAPI files",
                               description=parser.description)
    openapi.add_argument("specs", nargs="+", type=Path, metavar="SPEC",
                         help="OpenAPI files; $refs reach sibling files by the documented rule")
    openapi.add_argument("--contract", required=True, metavar="NAME",
                         help="contract name, e.g. zoho-crm-v8/records")
    openapi.add_argument("--out", type=Path, default=Path("."), metavar="DIR",
                         help="folder holding contracts/ and schemas/ (default: .)")
    openapi.add_argument("--overlay", action="append", type=Path, default=[], metavar="FILE",
                         help="OpenAPI Overlay 1.0 file applied to the specs first (repeatable)")
    openapi.add_argument("--enums", choices=("open", "closed"), default="open",
                         help="vendor enums become x-documented lists (open, default: a value "
                              "outside is an undocumented warning) or stay enums (closed)")
    openapi.add_argument("--closed-enum", action="append", default=[], metavar="PROPERTY",
                         help="keep the enum of every property of this name closed "
                              "(repeatable), e.g. a job status a poller switches on")
    openapi.add_argument("--force", action="store_true",
                         help="replace a contract (or folders) not written by an import")
    openapi.add_argument("--quiet", action="store_true", help="print only contradictions")


def run(args: argparse.Namespace) -> int:
    """Import, print contradictions and notes, and exit 0 (2 on a broken spec)."""
    from validator.openapi.api import import_openapi
    from validator.openapi.policy import Policy

    policy = Policy(args.enums, frozenset(args.closed_enum))
    result, written = import_openapi(args.specs, args.contract, args.out, args.overlay, policy,
                                     args.force)
    for line in result.contradictions:
        print(f"contradiction: {line}", file=sys.stderr)
    if not args.quiet:
        for line in result.notes:
            print(f"note: {line}", file=sys.stderr)
        endpoints = len(result.contract["endpoints"])
        print(f"imported {result.name}: {endpoints} endpoint(s), {len(result.schemas)} "
              f"schema(s), {len(result.examples)} example(s), {len(result.contradictions)} "
              f"contradiction(s); {len(written)} file(s) under {args.out}")
    return EXIT_OK
