"""`respcontract sample ENDPOINT`: print generated exchanges (or bodies) to look at."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any

from validator.cli.options import EXIT_OK, EXIT_USAGE, add_contract_options, contracts_from
from validator.errors import UsageError
from validator.formats.files import write_new
from validator.model.kinds import KINDS

EXAMPLES = """examples:
  respcontract sample my-api/orders:get_order --kind edge -n 3 --bodies
  respcontract sample get_order --kind invalid --seed 7 --output-dir samples/"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `sample` options."""
    parser.epilog = EXAMPLES
    parser.add_argument("endpoint", metavar="CONTRACT:ENDPOINT",
                        help="the endpoint to generate for (see `respcontract list`)")
    parser.add_argument("--kind", choices=KINDS, default="valid",
                        help="valid (default), edge, drift or invalid")
    parser.add_argument("-n", "--count", type=int, default=5, metavar="N",
                        help="how many examples (default 5)")
    parser.add_argument("--seed", type=int, help="the same seed prints the same examples")
    parser.add_argument("--format", choices=("json", "yaml"), default="json",
                        help="json (an array, default) or yaml (one document each)")
    parser.add_argument("--bodies", action="store_true",
                        help="print response bodies only, not whole exchanges")
    parser.add_argument("--status", metavar="STATUS",
                        help="documented response to generate (200, 4XX, ...); default: "
                             "every status for exchanges, the first 2XX for bodies")
    parser.add_argument("--output-dir", type=Path, metavar="DIR",
                        help="write one exchange file per example into DIR (existing files "
                             "are kept; new names are picked) instead of printing")
    add_contract_options(parser)


def run(args: argparse.Namespace) -> int:
    """Generate the examples and print them or write them as files."""
    if args.count < 1:
        raise UsageError("-n must be at least 1")
    contracts, _ = contracts_from(args)
    endpoint = contracts.endpoint(args.endpoint)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    items = generate(endpoint, args.kind, args.count, seed, args.bodies, args.status)
    print(f"respcontract sample: {len(items)} {args.kind} example(s) for "
          f"{endpoint.full_name}, seed {seed}", file=sys.stderr)
    if args.output_dir:
        for path in write_files(items, args.output_dir, endpoint.name, args.kind):
            print(path)
        return EXIT_OK
    sys.stdout.write(render(items, args.format))
    return EXIT_OK if items else EXIT_USAGE


def generate(endpoint: Any, kind: str, count: int, seed: int, bodies: bool,
             status: str | None) -> list[Any]:
    """`count` examples of `kind` for the endpoint, from a fixed seed."""
    from validator.fuzz.harness import run_examples
    from validator.fuzz.runner import keep_hypothesis_files_out_of_cwd
    from validator.generate import as_dict, examples, exchanges

    keep_hypothesis_files_out_of_cwd()

    strategy = (examples(endpoint, kind, status=status) if bodies
                else exchanges(endpoint, kind, status=status))
    found: list[Any] = []

    def collect(example: Any) -> None:
        if len(found) < count:
            found.append(example.body if bodies else as_dict(example))

    run_examples(strategy, collect, count, seed)
    return found


def render(items: list[Any], fmt: str) -> str:
    """The examples as a JSON array or a YAML document stream."""
    if fmt == "json":
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    import yaml

    return yaml.safe_dump_all(items, sort_keys=False, allow_unicode=True,
                              explicit_start=True)


def write_files(items: list[Any], folder: Path, name: str, kind: str) -> list[Path]:
    """Write each example to a new file in `folder`; existing files are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    names = (f"{name}-{kind}-{number:03d}.json" for number in itertools.count(1))
    for item in items:  # one name sequence for all items: each takes the next free number
        path = write_new(folder, names, json.dumps(item, indent=2, ensure_ascii=False) + "\n")
        assert path is not None  # the names never run out
        written.append(path)
    return written
