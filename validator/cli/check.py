"""`respcontract check [PATHS]`: check recordings; with no paths, the contracts' examples."""

from __future__ import annotations

import argparse
from pathlib import Path

from validator.api import check_paths, example_paths
from validator.cli.options import add_contract_options, contracts_from, emit, use_color
from validator.report import FORMATS, render
from validator.report.caps import DEFAULT_MAX_FINDINGS
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
                             "folders; - reads NDJSON exchanges from stdin (default: "
                             "[tool.respcontract] recordings, else every contract example)")
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
    parser.add_argument("--max-findings", type=_count, default=DEFAULT_MAX_FINDINGS,
                        metavar="N", help="per exchange, report at most N findings of one kind "
                        "in one place, then one that counts the rest; 0 = all (default "
                        f"{DEFAULT_MAX_FINDINGS})")
    parser.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N|auto",
                        help="check files in N worker processes (auto: one per idle CPU, when "
                             "there are 2,000 files or more for each); the report is the same, "
                             "in the same order (default 1)")
    add_contract_options(parser)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError("expected a whole number (0 = no limit)")
    return int(text)


def _jobs(text: str) -> int | str:
    if text == "auto":
        return text
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("expected a number of processes or auto")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Check the recordings and write the report; the exit code says whether any failed."""
    contracts, config = contracts_from(args)
    paths = list(args.paths) or list(config.recordings) or example_paths(contracts)
    _refuse_overwriting_inputs(args.output, paths)
    strict = bool(args.strict if args.strict is not None else config.strict)
    import sys

    jobs = _auto_jobs(paths) if args.jobs == "auto" else args.jobs
    report = check_paths(paths, contracts, args.endpoint, strict, args.status, args.max_size,
                         args.max_findings, jobs, stdin=sys.stdin.buffer)
    fmt = args.format or config.format or "text"
    color = fmt == "text" and not args.output and use_color()
    emit(render(report, fmt, color), args.output)
    return report.exit_code


def _auto_jobs(paths: list[Path]) -> int:
    """`--jobs auto`: one process per CPU when there are files enough to pay for them, else 1
    (the files are counted only as far as that decision needs)."""
    from itertools import islice

    from validator.parallel import MIN_FILES_PER_WORKER, auto_workers
    from validator.sources import iter_files

    most = auto_workers(1 << 62)
    if most == 1:
        return 1
    found = [p for p in paths if str(p) != "-" and (p.exists() or p.is_symlink())]
    count = sum(1 for item in islice(iter_files(found), most * MIN_FILES_PER_WORKER)
                if isinstance(item, Path))
    return auto_workers(count)


def _refuse_overwriting_inputs(output: str | None, paths: list[Path]) -> None:
    if not output or output == "-":
        return
    target = Path(output).resolve()
    if any(path.is_file() and path.resolve() == target for path in paths):
        from validator.errors import UsageError

        raise UsageError(f"--output {output} is one of the files to check; refusing to "
                         "overwrite it")
