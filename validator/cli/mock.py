"""`respcontract mock`: serve the loaded contracts as a stateful fake API."""

from __future__ import annotations

import argparse
import sys

from validator.cli.options import EXIT_OK, add_contract_options, contracts_from
from validator.errors import UsageError
from validator.model.kinds import KINDS

EXAMPLES = """examples:
  respcontract mock --port 0 --seed 7
  respcontract mock --kind edge --faults 429:0.2,slow:0.05 --record served/"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the mock command's options."""
    parser.epilog = EXAMPLES
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=8765, metavar="N",
                        help="port to listen on; 0 picks a free one (default 8765)")
    parser.add_argument("--kind", choices=KINDS, default="valid",
                        help="responses: valid (default), edge, drift (undocumented "
                             "additions) or invalid (one violation each)")
    parser.add_argument("--seed", type=int, default=0,
                        help="the same seed and requests give the same bytes (default 0)")
    parser.add_argument("--steps", type=int, default=2, metavar="N",
                        help="polls a resource spends in each lifecycle state (default 2)")
    parser.add_argument("--faults", metavar="SPEC",
                        help="STATUS_OR_KIND:PROBABILITY items, e.g. 429:0.2,503:0.1,"
                             "slow:0.05,reset:0.02")
    parser.add_argument("--slow-seconds", type=float, default=10.0, metavar="S",
                        help="how long a slow fault waits before answering (default 10)")
    parser.add_argument("--retry-after", type=int, default=1, metavar="S",
                        help="Retry-After seconds on a 429 or 503 fault (default 1)")
    parser.add_argument("--record", metavar="DIR",
                        help="write every served exchange as an exchange file into DIR")
    add_contract_options(parser)


def run(args: argparse.Namespace) -> int:
    """Serve the loaded contracts until interrupted; the exit code."""
    from validator.mock import MockServer

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: use 0 to 65535")
    contracts, _ = contracts_from(args)
    try:
        mock = MockServer(contracts, kind=args.kind, seed=args.seed, steps=args.steps,
                          faults=args.faults, host=args.host, port=args.port,
                          record=args.record, slow_seconds=args.slow_seconds,
                          retry_after=args.retry_after, log=_log)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: "
                         f"{exc.strerror or exc}") from None
    print(f"respcontract mock: serving {mock.endpoint_count} endpoints on {mock.base_url}",
          flush=True)
    try:
        mock.serve_forever()
    except KeyboardInterrupt:
        print("respcontract mock: stopped", file=sys.stderr)
    return EXIT_OK


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
