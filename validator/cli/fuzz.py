"""`respcontract fuzz MODULE:CALLABLE --endpoint E`: feed a consumer generated responses."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from validator.cli.options import EXIT_FAILED, EXIT_OK, add_contract_options, contracts_from
from validator.errors import UsageError
from validator.model.kinds import KINDS, check_kinds

EXAMPLES = """examples:
  respcontract fuzz myapp.client:parse_order --endpoint my-api/orders:get_order
  respcontract fuzz tests/consumer.py:read --endpoint get_order --kind drift,invalid \\
      --allow ValueError --seed 1
  respcontract fuzz myapp.client:parse_order --endpoint get_order \\
      --replay .respcontract/reproducers/parse_order-get_order-invalid-0123456789.json"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `fuzz` options."""
    parser.epilog = EXAMPLES
    parser.add_argument("target", metavar="MODULE:CALLABLE",
                        help="the consumer: package.module:function or path/to/file.py:function;"
                             " it gets one body (or exchange) per call")
    parser.add_argument("--endpoint", required=True, metavar="CONTRACT:ENDPOINT",
                        help="the endpoint whose responses the consumer reads")
    parser.add_argument("--kind", action="append", metavar="KIND[,KIND]",
                        help="kinds to run, comma-separated or repeated (default: "
                             "valid,edge,drift,invalid)")
    parser.add_argument("--max-examples", type=int, default=100, metavar="N",
                        help="examples per kind (default 100)")
    parser.add_argument("--seed", type=int, help="the same seed gives the same run")
    parser.add_argument("--allow", action="extend", nargs="+", default=[], metavar="EXCEPTION",
                        help="exception classes the consumer may raise on drift and invalid "
                             "examples and on documented error statuses (subclasses count; "
                             "e.g. ValueError mymod.BadPayload); a name that resolves to no "
                             "exception is an error")
    parser.add_argument("--expect", metavar="EXPR",
                        help="a property of what the consumer returns, as a Python expression "
                             "over `body` (the payload) and `result`; false is a failure, e.g. "
                             "\"len(result) == len(body['data'])\"")
    parser.add_argument("--input", choices=("body", "exchange", "httpx"), default="body",
                        help="what the consumer gets: the decoded JSON body (default), a "
                             "validator.Exchange, or an httpx.Response")
    parser.add_argument("--status", metavar="STATUS",
                        help="documented response to generate (200, 4XX, ...); default: the "
                             "first 2XX for bodies, every status for exchanges")
    parser.add_argument("--reproducers", type=Path, metavar="DIR",
                        help="where failing payloads are written (default "
                             ".respcontract/reproducers; existing files are never overwritten)")
    parser.add_argument("--replay", type=Path, metavar="FILE",
                        help="run the consumer once on a reproducer file instead of fuzzing")
    add_contract_options(parser)


def run(args: argparse.Namespace) -> int:
    """Fuzz (or replay) the consumer and print the report; exit 1 on a crash."""
    from validator.fuzz import runner as fuzz

    kinds = _kinds(args.kind)
    if args.max_examples < 1:
        raise UsageError("--max-examples must be at least 1")
    fuzz.keep_hypothesis_files_out_of_cwd()
    consumer = fuzz.load_callable(args.target)
    contracts, _ = contracts_from(args)
    endpoint = contracts.endpoint(args.endpoint)
    if args.replay is not None:
        return _replay(args, consumer, kinds[0])
    expect = fuzz.expect_expression(args.expect) if args.expect else None
    report = fuzz.fuzz(consumer, endpoint.full_name, kinds, allow=args.allow,
                       max_examples=args.max_examples, seed=args.seed, input=args.input,
                       status=args.status, contracts=contracts, expect=expect)
    report.consumer = args.target
    folder = args.reproducers or fuzz.DEFAULT_REPRODUCERS
    for failure in report.failures:
        failure.reproducer = fuzz.write_reproducer(failure, folder, args.target,
                                                   endpoint.full_name)
    report.replay = lambda failure: replay_command(args, failure.kind, failure.reproducer)
    sys.stdout.write(report.render())
    return EXIT_OK if report.ok else EXIT_FAILED


def _replay(args: argparse.Namespace, consumer: object, kind: str) -> int:
    from validator.fuzz import runner as fuzz

    failure = fuzz.replay(consumer, args.replay, kind, args.allow,  # type: ignore[arg-type]
                          args.input)
    if failure is None:
        print(f"replayed {args.replay} ({kind}): the consumer passed")
        return EXIT_OK
    sys.stdout.write(fuzz.render_failure(failure, shrunk=False))
    return EXIT_FAILED


def _kinds(values: list[str] | None) -> list[str]:
    if not values:
        return list(KINDS)
    return check_kinds(k.strip() for value in values for k in value.split(",") if k.strip())


def replay_command(args: argparse.Namespace, kind: str, path: Path | None) -> str:
    """The command line that replays one failure from its reproducer file."""
    words = ["respcontract", "fuzz", args.target, "--endpoint", args.endpoint, "--kind", kind]
    if args.allow:
        words += ["--allow", *args.allow]
    if args.expect:
        words += ["--expect", args.expect]
    if args.input != "body":
        words += ["--input", args.input]
    for contract in args.contracts:
        words += ["--contracts", str(contract)]
    if args.bundled is False:
        words.append("--no-bundled")
    words += ["--replay", str(path)]
    return shlex.join(words)
