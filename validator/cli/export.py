"""`respcontract export openapi CONTRACT`: a contract as an OpenAPI 3.1 document."""

from __future__ import annotations

import argparse

from validator.cli.options import EXIT_OK, add_contract_options, contracts_from, emit

EXAMPLES = """examples:
  respcontract export openapi acme/orders > orders.openapi.json"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the export subcommands and their options."""
    parser.epilog = EXAMPLES
    parser.description = ("Write a contract as an OpenAPI 3.1 document: schemas under "
                          "components, rules as x-respcontract-rules and in descriptions.")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True,
                                  help="what to export as: openapi")
    openapi = kinds.add_parser("openapi", help="export as OpenAPI 3.1",
                               description=parser.description)
    openapi.add_argument("contract", metavar="CONTRACT",
                         help="contract name (e.g. zoho-crm/portal-invite)")
    openapi.add_argument("--output", "-o", metavar="FILE",
                         help="write to FILE (.json gives JSON, else YAML; default: stdout)")
    openapi.add_argument("--format", choices=("yaml", "json"),
                         help="output format (default: from the file name, else YAML)")
    add_contract_options(openapi)


def run(args: argparse.Namespace) -> int:
    """Write the chosen contract as OpenAPI 3.1."""
    from validator.errors import UsageError
    from validator.load.contracts import suggestions
    from validator.openapi.export import export_contract
    from validator.openapi.write import dump_json, dump_yaml

    contracts, _ = contracts_from(args)
    if args.contract not in contracts.names():
        hint = suggestions(args.contract, list(contracts.names()), "/")
        raise UsageError(f"unknown contract {args.contract!r}{hint}")
    document = export_contract(contracts.contract(args.contract))
    chosen = args.format or ("json" if (args.output or "").endswith(".json") else "yaml")
    emit(dump_json(document) if chosen == "json" else dump_yaml(document), args.output)
    return EXIT_OK
