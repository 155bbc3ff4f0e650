"""`respcontract live ENDPOINT`: call the real API, check the answer, optionally poll and
record. Reports, formats and exit codes are those of `check`; a network failure is one
error line and exit 2. The token never appears in anything printed or recorded."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator.cli.options import (
    add_contract_options,
    contracts_from,
    emit,
    tool_version,
    use_color,
)
from validator.errors import UsageError
from validator.report import FORMATS, render

if TYPE_CHECKING:
    from validator.live.record import Secret
    from validator.live.transport import Settings
    from validator.model.contract import Endpoint

EXAMPLES = """examples:
  respcontract live my-api/orders:get_order --dc eu --param order_id=42
  respcontract live get_export_status --base-url http://127.0.0.1:8000 --query id=7 \\
      --poll --record recordings/

Which servers (--dc names), token variable and defaults an endpoint uses is the contract's
(`servers`, `auth`, `defaults`); see `respcontract list` for the endpoints."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `live` options."""
    parser.allow_abbrev = False  # an abbreviated option must never swallow a token
    parser.epilog = EXAMPLES
    parser.add_argument("endpoint", metavar="ENDPOINT",
                        help="CONTRACT:ENDPOINT or a unique endpoint name "
                             "(see `respcontract list`)")
    where = parser.add_argument_group("request")
    where.add_argument("--dc", metavar="NAME",
                       help="a name from the contract's `servers` (a data centre or region)")
    where.add_argument("--base-url", "--domain", dest="base_url", metavar="URL",
                       help="API domain instead of --dc, e.g. a staging copy (https, or "
                            "http to loopback); a URL that already holds the start of the "
                            "endpoint's path is understood")
    where.add_argument("--version", dest="api_version", metavar="VERSION",
                       help="API version for {version} in the path (default: the contract's)")
    where.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                       help="path parameter, e.g. module=Contacts (repeatable)")
    where.add_argument("--query", action="append", default=[], metavar="NAME=VALUE",
                       help="query parameter, e.g. id=42 (repeatable)")
    where.add_argument("--body", type=Path, metavar="FILE",
                       help="JSON request body to send (endpoints that write)")
    where.add_argument("--allow-writes", action="store_true",
                       help="allow endpoints that change data at the vendor (they refuse "
                            "to run without it)")
    creds = parser.add_argument_group("credentials (never on the command line)")
    creds.add_argument("--token-env", metavar="NAME",
                       help="environment variable holding the token (default: the "
                            "contract's auth.token_env)")
    creds.add_argument("--token-file", type=Path, metavar="FILE",
                       help="file holding the token")
    creds.add_argument("--token", dest="token_refused", nargs="?", const="",
                       default=None, help=argparse.SUPPRESS)
    net = parser.add_argument_group("network")
    net.add_argument("--connect-timeout", type=float, default=10.0, metavar="SECONDS",
                     help="connect timeout (default 10)")
    net.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                     help="read timeout (default 30)")
    net.add_argument("--retries", type=int, default=3, metavar="N",
                     help="retries after a 429, a 5xx or a failed connection (default 3)")
    net.add_argument("--backoff", type=float, default=1.0, metavar="SECONDS",
                     help="first backoff step, doubled each retry, with jitter (default 1)")
    net.add_argument("--max-wait", type=float, default=120.0, metavar="SECONDS",
                     help="longest Retry-After to honour; longer ends the retries "
                          "(default 120)")
    polling = parser.add_argument_group("polling")
    polling.add_argument("--poll", action="store_true",
                         help="repeat the request until every node a state rule follows is "
                              "final, checking every response and the state rules across them")
    polling.add_argument("--poll-interval", type=float, default=5.0, metavar="SECONDS",
                         help="pause between polls (default 5)")
    polling.add_argument("--poll-timeout", type=float, default=300.0, metavar="SECONDS",
                         help="stop polling after this long (default 300)")
    polling.add_argument("--confirm", type=int, default=1, metavar="N",
                         help="polls after everything is final, to check final nodes stay "
                              "unchanged (default 1)")
    out = parser.add_argument_group("output")
    out.add_argument("--record", type=Path, metavar="DIR",
                     help="write every exchange, redacted, as a new exchange file in DIR")
    out.add_argument("--strict", action="store_true", default=None,
                     help="warnings (undocumented fields, retries given up, ...) fail too")
    out.add_argument("--format", choices=FORMATS, default=None, help="report format")
    out.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    add_contract_options(parser)


def run(args: argparse.Namespace) -> int:
    """Resolve the request, run the live session and write its report, scrubbed of the token."""
    secret: list[Secret] = []  # set once the token is read, so every message is scrubbed

    def scrub(text: str) -> str:
        return secret[0].scrub(text) if secret else text

    try:
        return _run(args, secret, scrub)
    except UsageError as exc:
        raise UsageError(scrub(str(exc))) from None
    except BrokenPipeError:
        raise
    except Exception as exc:  # a bug: scrubbed, one line unless --debug
        if getattr(args, "debug", False):
            sys.stderr.write(scrub(traceback.format_exc()))
        else:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            sys.stderr.write(scrub(
                f"respcontract: internal error: {type(exc).__name__}: {first} "
                "(run with --debug for a traceback)") + "\n")
        return 2


def _run(args: argparse.Namespace, secret: list[Secret], scrub: Callable[[str], str]) -> int:
    from validator.check.checker import Checker
    from validator.live.record import Secret
    from validator.live.request import Wanted, resolve
    from validator.live.session import LiveSession, Polling

    contracts, config = contracts_from(args)
    endpoint = contracts.endpoint(args.endpoint)
    _refuse_unsafe(args, endpoint)
    settings = _settings(args)
    version = tool_version()
    target = resolve(endpoint, Wanted(
        dc=args.dc, base_url=args.base_url, api_version=args.api_version,
        params=tuple(args.param), query=tuple(args.query), body=args.body,
        token_env=args.token_env, token_file=args.token_file,
        user_agent=f"respcontract/{version}"))
    if target.token is not None:
        secret.append(Secret(target.token))
    polling = (Polling(args.poll_interval, args.poll_timeout, args.confirm) if args.poll
               else None)
    strict = bool(args.strict if args.strict is not None else config.strict)
    console = Terminal(live_progress=bool(args.poll) and _is_tty(sys.stderr))
    session = LiveSession(Checker(contracts), endpoint, target, settings, polling=polling,
                          record=args.record, strict=strict, console=console,
                          tool=f"respcontract {version}")
    result = session.run()
    if result.report.results:
        fmt = args.format or config.format or "text"
        color = fmt == "text" and not args.output and use_color()
        emit(scrub(render(result.report, fmt, color)), args.output)
    if result.network_error is not None:
        raise UsageError(result.network_error)
    return result.report.exit_code


class Terminal:
    """The live session's console: notes on stderr, one self-overwriting progress line."""

    def __init__(self, live_progress: bool) -> None:
        self.live_progress = live_progress
        self.shown = False

    def note(self, text: str) -> None:
        """One line on stderr."""
        sys.stderr.write(text + "\n")

    def progress(self, text: str) -> None:
        """Show or replace the progress line (only on a terminal)."""
        if self.live_progress:
            sys.stderr.write("\r\033[K" + text)
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        """Remove the progress line, if shown."""
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False


def _is_tty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _refuse_unsafe(args: argparse.Namespace, endpoint: Endpoint) -> None:
    if args.token_refused is not None:
        raise UsageError("--token is not accepted: a token on the command line ends up in "
                         "shell history and process lists; use --token-env NAME or "
                         "--token-file FILE")
    if endpoint.writes and not args.allow_writes:
        warning = endpoint.contract.live.writes_warning
        raise UsageError(f"{endpoint.full_name} ({endpoint.method}) changes data at the "
                         f"vendor{f' ({warning})' if warning else ''}; refusing "
                         "to call it without --allow-writes")
    if args.poll and endpoint.writes:
        raise UsageError(f"--poll repeats the request; {endpoint.full_name} writes, so it "
                         "cannot be polled")


def _settings(args: argparse.Namespace) -> Settings:
    from validator.live.transport import Settings

    for option in ("connect_timeout", "timeout", "poll_interval", "poll_timeout"):
        if not getattr(args, option) > 0:
            raise UsageError(f"--{option.replace('_', '-')} must be more than 0")
    for option in ("backoff", "max_wait"):
        if getattr(args, option) < 0:
            raise UsageError(f"--{option.replace('_', '-')} must not be negative")
    if not 0 <= args.retries <= 20:
        raise UsageError("--retries must be from 0 to 20")
    if args.confirm < 0:
        raise UsageError("--confirm must not be negative")
    return Settings(connect_timeout=args.connect_timeout, read_timeout=args.timeout,
                    retries=args.retries, backoff=args.backoff,
                    max_backoff=max(30.0, args.backoff), max_wait=args.max_wait)
