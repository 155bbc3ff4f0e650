"""`respcontract list`: the endpoints of every loaded contract."""

from __future__ import annotations

import argparse
import json
from typing import Any

from validator.cli.options import add_contract_options, contracts_from

EXAMPLES = """examples:
  respcontract list
  respcontract list --contracts contracts/ --no-bundled --format json"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `list` options."""
    parser.epilog = EXAMPLES
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (one line per endpoint, default) or json (an array with "
                             "responses, rules, writes, summary and contract file)")
    add_contract_options(parser)


def run(args: argparse.Namespace) -> int:
    """Print the endpoints; exit 0."""
    contracts, _ = contracts_from(args)
    rows: list[dict[str, Any]] = [
        {
            "endpoint": e.full_name,
            "method": e.method,
            "path": e.path,
            "responses": [r.status for r in e.responses],
            "rules": [r.id for r in e.rules],
            "writes": e.writes,
            "summary": e.summary,
            "contract_file": str(e.contract.path),
        }
        for e in contracts.endpoints()
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(r["endpoint"]) for r in rows), default=0)
    for row in rows:
        statuses = ",".join(row["responses"])
        print(f"{row['endpoint']:<{width}}  {row['method']:<6} {row['path']}  [{statuses}]")
    return 0
