"""`respcontract live ENDPOINT`: call the real API, check the answer, optionally poll and
record. Reports, formats and exit codes are those of `check`; a network failure is one
error line and exit 2. The token never appears in anything printed or recorded."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator.cli.options import add_contract_options, contracts_from, emit, use_color
from validator.errors import UsageError
from validator.report import FORMATS, render

if TYPE_CHECKING:
    from validator.live.record import Recorder, Redactor, Secret
    from validator.live.transport import Call, Outcome, Settings, Step
    from validator.model.contract import Contract, Endpoint
    from validator.model.exchange import Exchange
    from validator.model.findings import ExchangeResult, Severity

EXAMPLE = ("respcontract live get_bulk_invite_status --dc eu "
           "--query job_id=5020928000002387017 --poll")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.allow_abbrev = False  # an abbreviated option must never swallow a token
    parser.epilog = f"example: {EXAMPLE}"
    parser.add_argument("endpoint", metavar="ENDPOINT",
                        help="CONTRACT:ENDPOINT or a unique endpoint name "
                             "(see `respcontract list`)")
    where = parser.add_argument_group("request")
    where.add_argument("--dc", metavar="NAME",
                       help="data centre from the contract's servers (zoho-crm: us, eu, in, "
                            "au, jp, cn, ca, sa)")
    where.add_argument("--base-url", "--domain", dest="base_url", metavar="URL",
                       help="API domain instead of --dc, e.g. a staging copy (https, or "
                            "http to loopback); a trailing /crm/v7 is understood")
    where.add_argument("--version", dest="api_version", metavar="VERSION",
                       help="API version for {version} in the path (default: the contract's)")
    where.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                       help="path parameter, e.g. personality_module=Contacts (repeatable)")
    where.add_argument("--query", action="append", default=[], metavar="NAME=VALUE",
                       help="query parameter, e.g. job_id=5020928000002387017 (repeatable)")
    where.add_argument("--body", type=Path, metavar="FILE",
                       help="JSON request body to send (endpoints that write)")
    where.add_argument("--allow-writes", action="store_true",
                       help="allow endpoints that change data at the vendor (they refuse "
                            "to run without it)")
    creds = parser.add_argument_group("credentials (never on the command line)")
    creds.add_argument("--token-env", metavar="NAME",
                       help="environment variable holding the token (default: the "
                            "contract's, ZOHO_CRM_TOKEN for zoho-crm)")
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
                         help="repeat the request until every job is final, checking every "
                              "response and the state rules across them")
    polling.add_argument("--poll-interval", type=float, default=5.0, metavar="SECONDS",
                         help="pause between polls (default 5)")
    polling.add_argument("--poll-timeout", type=float, default=300.0, metavar="SECONDS",
                         help="stop polling after this long (default 300)")
    polling.add_argument("--confirm", type=int, default=1, metavar="N",
                         help="polls after every job is final, to check final jobs stay "
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
    session = LiveSession(args)
    try:
        return session.run()
    except UsageError as exc:
        raise UsageError(session.scrub(str(exc))) from None
    except BrokenPipeError:
        raise
    except Exception as exc:  # a bug: scrubbed, one line unless --debug
        if getattr(args, "debug", False):
            sys.stderr.write(session.scrub(traceback.format_exc()))
        else:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            sys.stderr.write(session.scrub(
                f"respcontract: internal error: {type(exc).__name__}: {first} "
                "(run with --debug for a traceback)") + "\n")
        return 2


class LiveSession:
    """One `live` run: resolve the call, send (and poll), check, record, report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.secret: Secret | None = None
        self.progress = Progress(enabled=bool(args.poll) and _is_tty(sys.stderr))

    def scrub(self, text: str) -> str:
        return self.secret.scrub(text) if self.secret is not None else text

    def note(self, text: str) -> None:
        self.progress.clear()
        sys.stderr.write(self.scrub(f"respcontract: {text}") + "\n")

    def run(self) -> int:
        from validator.check.checker import Checker
        from validator.check.state import StateTracker
        from validator.live.transport import NetworkError, open_client
        from validator.model.findings import Report

        args = self.args
        contracts, config = contracts_from(args)
        endpoint = contracts.endpoint(args.endpoint)
        self.endpoint = endpoint
        _refuse_unsafe(args, endpoint)
        settings = _settings(args)
        self.call, self.base, self.dc, self.values, token = _call(args, endpoint)
        if token is not None:
            from validator.live.record import Secret

            self.secret = Secret(token)
        self.tracker = StateTracker(endpoint)
        if args.poll and not self.tracker.can_poll:
            raise UsageError(f"--poll: {endpoint.full_name} has no state rule with `final` "
                             "values, so there is nothing to wait for")
        self.recording = self._recording(endpoint)
        strict = bool(args.strict if args.strict is not None else config.strict)
        self.report = Report(strict=strict)
        self.checker = Checker(contracts)
        error: str | None = None
        with open_client(settings, self.call.url) as client:
            self.client, self.settings = client, settings
            try:
                self._send_all()
            except NetworkError as exc:
                error = str(exc)
        self.progress.clear()
        if self.report.results:
            fmt = args.format or config.format or "text"
            color = fmt == "text" and not args.output and use_color()
            emit(self.scrub(render(self.report, fmt, color)), args.output)
        if error is not None:
            raise UsageError(error)
        return self.report.exit_code

    def _recording(self, endpoint: Endpoint) -> tuple[Recorder, Redactor, str, str] | None:
        if self.args.record is None:
            return None
        from validator.live.record import Recorder, Redactor, Sensitive, contract_hash

        auth_header = self.call.auth_header
        redactor = Redactor(Sensitive.from_contract(endpoint.contract), self.secret,
                            auth_header)
        recorder = Recorder(self.args.record, self.secret)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return recorder, redactor, contract_hash(endpoint.contract), stamp

    def _send_all(self) -> None:
        from validator.live.transport import poll

        if not self.args.poll:
            self._step(None)
            return
        started = time.monotonic()
        end = poll(self._step, self.args.poll_interval, self.args.poll_timeout,
                   self.args.confirm, self._show_progress)
        elapsed = time.monotonic() - started
        if end.reason == "timeout":
            self._poll_timeout(end.last, elapsed)
        else:
            why = "every job final" if end.reason == "final" else end.reason
            self.note(f"polling stopped after {end.polls} response(s) in {elapsed:.1f}s: "
                      f"{why}")

    def _show_progress(self, polls: int, step: Step, elapsed: float) -> None:
        self.progress.show(f"polling {self.endpoint.name}: {polls} response(s), "
                           f"{step.progress or 'waiting'}, {elapsed:.0f}s")

    def _poll_timeout(self, last: Step, elapsed: float) -> None:
        from validator.model.findings import Severity

        pending = last.pending
        shown = ", ".join(pending[:5]) + (" ..." if len(pending) > 5 else "")
        detail = f"not final yet: {shown}" if pending else "before the confirming poll"
        self._add(self.report.results[-1], Severity.WARNING, "live-poll-timeout",
                   f"stopped polling after {elapsed:.1f}s (--poll-timeout "
                   f"{self.args.poll_timeout:g}), {detail}")

    def _step(self, index: int | None) -> Step:
        from validator.live.transport import Step, send

        outcome = send(self.client, self.call, self.settings)
        exchange = self._exchange(outcome, index)
        result = self.checker.check(exchange, self.endpoint.full_name)
        body = _parsed(outcome.body)
        position = 0 if index is None else index
        broken = self.tracker.observe(exchange, body, self.values, position)
        result.findings.extend(broken)
        self._operational(result, outcome)
        self.report.add(result)
        if not self.progress.enabled:
            self.note(f"{self.call.method} {exchange.source} -> {outcome.status}"
                      + _retries_text(outcome))
        self._record(outcome, position)
        state = self.tracker.progress(exchange, body, self.values)
        if state is None:
            return Step(False, stop=f"the answer ({outcome.status}) holds no job state")
        text = f"{state.done}/{state.total} final"
        stop = f"state rule {broken[0].rule} broke" if broken else None
        return Step(state.finished, text, state.pending, stop)

    def _exchange(self, outcome: Outcome, index: int | None) -> Exchange:
        from validator.live.record import REDACTED, Redactor, Sensitive
        from validator.model.exchange import (
            CREDENTIAL_HEADERS,
            Exchange,
            Request,
            Response,
            normalize_headers,
        )

        call = self.call
        hidden = CREDENTIAL_HEADERS | {call.auth_header.lower()}
        headers = {k: REDACTED if k.lower() in hidden else v for k, v in call.headers.items()}
        label = Redactor(Sensitive.from_contract(self.endpoint.contract), self.secret).url(
            call.url)
        return Exchange(
            response=Response(outcome.status, normalize_headers(outcome.headers), outcome.body),
            request=Request(call.method, call.url, normalize_headers(headers), call.body),
            source=label, index=index, endpoint=self.endpoint.full_name)

    def _operational(self, result: ExchangeResult, outcome: Outcome) -> None:
        from validator.model.findings import Severity

        code = _error_code(outcome.body)
        shown = f"{outcome.status}{' ' + code if code else ''}"
        if 500 <= outcome.status <= 599:  # the API failed: an error, as in Schemathesis
            self._add(result, Severity.ERROR, "live-server-error",
                       f"the API answered {shown}: {outcome.gave_up}")
        elif outcome.gave_up:
            self._add(result, Severity.WARNING, "live-retries",
                       f"the API answered {shown}: {outcome.gave_up}")
        if outcome.status in (401, 403):
            self._add(result, Severity.WARNING, "live-auth",
                       f"the API refused the request ({shown}): check the token, its scopes "
                       "and the data centre")

    def _add(self, result: ExchangeResult, severity: Severity, rule: str, message: str) -> None:
        from validator.model.findings import Finding

        result.findings.append(Finding(severity, rule, message, result.source, result.index,
                                       result.endpoint))

    def _record(self, outcome: Outcome, index: int) -> None:
        if self.recording is None:
            return
        from validator.live.record import LeakError, exchange_document
        from validator.model.findings import Severity

        recorder, redactor, digest, stamp = self.recording
        call = self.call
        provenance = {
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tool": f"respcontract {_tool_version()}",
            "contract": self.endpoint.contract.name,
            "contract_sha256": digest,
            "api_domain": redactor.string(self.base, "provenance"),
            **({"data_centre": self.dc} if self.dc else {}),
            **({"api_version": self.values["version"]} if "version" in self.values else {}),
            "exchange": index,
            "attempts": len(outcome.retried) + 1,
            **({"retried": [a.as_dict() for a in outcome.retried]} if outcome.retried else {}),
            **({"redirects": [redactor.string(h, "provenance") for h in outcome.redirects]}
               if outcome.redirects else {}),
        }
        document = exchange_document(
            call.method, call.url, call.headers, call.body, outcome.status, dict(outcome.headers),
            outcome.body, self.endpoint.full_name, provenance, redactor)
        result = self.report.results[-1]
        try:
            path = recorder.write(document, f"{self.endpoint.name}-{stamp}-{index:03d}")
        except LeakError as exc:
            self._add(result, Severity.ERROR, "record-leak", str(exc))
            return
        except OSError as exc:
            self._add(result, Severity.ERROR, "record",
                       f"cannot write the recording: {exc.strerror or exc}")
            return
        self.note(f"recorded {path}")


class Progress:
    """A single self-overwriting status line on a terminal's stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def show(self, text: str) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K" + text)
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
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
        raise UsageError(f"{endpoint.full_name} ({endpoint.method}) changes data at the "
                         "vendor (for Zoho portal invites it sends real e-mails); refusing "
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


def _call(args: argparse.Namespace, endpoint: Endpoint
          ) -> tuple[Call, str, str | None, dict[str, str], str | None]:
    from validator.live.transport import (
        Call,
        auth_headers,
        build_url,
        parse_assignments,
        path_values,
        query_pairs,
        require_safe_url,
        resolve_base,
        split_base,
    )

    base, dc = resolve_base(endpoint.contract, args.dc, args.base_url)
    base, from_base = split_base(base, endpoint)
    values = path_values(endpoint, args.api_version, parse_assignments(args.param, "--param"),
                         from_base)
    query = query_pairs(endpoint, parse_assignments(args.query, "--query"))
    url = build_url(base, endpoint, values, query)
    require_safe_url(url, "the request URL")
    body = _body(args, endpoint)
    token = _token(args, endpoint.contract)
    header, credentials = auth_headers(endpoint.contract, token)
    headers = {"Accept": "application/json", "User-Agent": f"respcontract/{_tool_version()}",
               **credentials}
    if body is not None:
        headers["Content-Type"] = "application/json"
    call = Call(endpoint.method, url, headers, body, endpoint.writes, header)
    return call, base, dc, values, token


def _body(args: argparse.Namespace, endpoint: Endpoint) -> bytes | None:
    if args.body is None:
        return None
    if endpoint.method in ("GET", "HEAD"):
        raise UsageError(f"--body: {endpoint.full_name} is a {endpoint.method}; it takes no body")
    from validator.formats.json import loads_bytes_strict

    try:
        data: bytes = args.body.read_bytes()
    except OSError as exc:
        raise UsageError(f"--body {args.body}: cannot read: {exc.strerror or exc}") from None
    _, problem = loads_bytes_strict(data)
    if problem is not None:
        raise UsageError(f"--body {args.body}: not strict JSON: {problem.message}")
    return data


def _token(args: argparse.Namespace, contract: Contract) -> str | None:
    """The token from --token-file or the environment; None when the contract needs none."""
    auth = contract.raw.get("auth") or {}
    if args.token_file and args.token_env:
        raise UsageError("give --token-env or --token-file, not both")
    if args.token_file:
        source = f"--token-file {args.token_file}"
        try:
            value = args.token_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise UsageError(f"{source}: cannot read: {reason}") from None
    else:
        name = args.token_env or auth.get("token_env")
        if not name:
            return None
        source = f"environment variable {name}"
        value = os.environ.get(name, "")
        if not value.strip():
            raise UsageError(f"no token: set the environment variable {name} "
                             "(or give --token-env NAME or --token-file FILE)")
    token: str = value.strip()
    scheme = auth.get("scheme")
    if scheme and token.startswith(scheme + " "):
        token = token[len(scheme) + 1:].strip()
    if not token:
        raise UsageError(f"no token in {source}")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in token):
        raise UsageError(f"the token in {source} contains spaces, line breaks or control "
                         "characters; expected a single token")
    return token


def _parsed(body: bytes) -> Any:
    from validator.formats.json import loads_bytes_strict

    if not body:
        return None
    value, problem = loads_bytes_strict(body)
    return None if problem is not None else value


def _error_code(body: bytes) -> str | None:
    value = _parsed(body)
    code = value.get("code") if isinstance(value, dict) else None
    return code if isinstance(code, str) else None


def _retries_text(outcome: Outcome) -> str:
    parts = []
    if outcome.retried:
        seen = ", ".join(str(a.status) if a.status is not None else "network error"
                         for a in outcome.retried)
        count = len(outcome.retried)
        parts.append(f"after {count} retr{'y' if count == 1 else 'ies'} ({seen})")
    if outcome.redirects:
        parts.append(f"via {len(outcome.redirects)} redirect(s)")
    return (" " + "; ".join(parts)) if parts else ""


def _tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("respcontract")
    except PackageNotFoundError:
        return "unknown"
