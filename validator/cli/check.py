"""`respcontract check [PATHS]`: check recordings; with no paths, the contracts' examples."""

from __future__ import annotations

import argparse
from pathlib import Path

from validator.api import check_paths, example_paths
from validator.cli.options import add_contract_options, contracts_from, emit, use_color
from validator.report import FORMATS, render
from validator.sources.files import DEFAULT_MAX_BYTES, parse_size

EXAMPLES = """examples:
  respcontract check
  respcontract check recordings/ traffic.har --format junit -o report.xml
  respcontract check body.json --endpoint my-api/orders:get_order --status 404 --strict"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `check` options."""
    parser.epilog = EXAMPLES
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="exchange files, HAR archives, cassettes, bare JSON bodies or "
                             "folders (default: [tool.respcontract] recordings, else every "
                             "contract example)")
    parser.add_argument("--endpoint", metavar="CONTRACT:ENDPOINT",
                        help="check every exchange (or bare body) against this endpoint")
    parser.add_argument("--status", type=int, default=200,
                        help="HTTP status of bare bodies (default 200)")
    parser.add_argument("--strict", action="store_true", default=None,
                        help="warnings (undocumented fields, unknown codes) fail too")
    parser.add_argument("--format", choices=FORMATS, default=None, help="report format")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    parser.add_argument("--max-size", type=parse_size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
                        help="skip (with a finding) recordings larger than SIZE, e.g. 64M or 1G; "
                             "YAML gets 1/8 of it; 0 = no limit (default 256M)")
    add_contract_options(parser)


def run(args: argparse.Namespace) -> int:
    """Check the recordings and write the report; the exit code says whether any failed."""
    contracts, config = contracts_from(args)
    paths = list(args.paths) or list(config.recordings) or example_paths(contracts)
    _refuse_overwriting_inputs(args.output, paths)
    strict = bool(args.strict if args.strict is not None else config.strict)
    report = check_paths(paths, contracts, args.endpoint, strict, args.status, args.max_size)
    fmt = args.format or config.format or "text"
    color = fmt == "text" and not args.output and use_color()
    emit(render(report, fmt, color), args.output)
    return report.exit_code


def _refuse_overwriting_inputs(output: str | None, paths: list[Path]) -> None:
    if not output or output == "-":
        return
    target = Path(output).resolve()
    if any(path.is_file() and path.resolve() == target for path in paths):
        from validator.errors import UsageError

        raise UsageError(f"--output {output} is one of the files to check; refusing to "
                         "overwrite it")
