"""A live run as one object: send (and poll), check every answer, record it redacted, and
build the report. The `live` command only wires it, as check-jsonschema's
`SchemaChecker(loader, instance_loader, reporter).run()`; tests drive it in process."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from validator.check.checker import Checker
from validator.check.state import StateTracker
from validator.errors import LeakError, NetworkError, UsageError
from validator.formats.json import loads_bytes_strict
from validator.live.poll import Step, poll
from validator.live.record import (
    REDACTED,
    Recorder,
    Redactor,
    Secret,
    Sensitive,
    contract_hash,
    exchange_document,
)
from validator.live.request import Target
from validator.live.transport import Outcome, Settings, open_client, send
from validator.model.contract import Endpoint
from validator.model.exchange import (
    CREDENTIAL_HEADERS,
    Exchange,
    Request,
    Response,
    normalize_headers,
)
from validator.model.findings import ExchangeResult, Finding, Report, Severity
from validator.model.pointer import pointer_tokens


class Console(Protocol):
    """Where a session tells the user what it does: one line per note, a progress line."""

    live_progress: bool  # True: progress() replaces the per-request notes

    def note(self, text: str) -> None:
        """Print one line."""

    def progress(self, text: str) -> None:
        """Show (or replace) the progress line."""

    def clear(self) -> None:
        """Remove the progress line, if shown."""


@dataclass
class Lines:
    """A Console that keeps the lines: for tests and for library callers."""

    live_progress: bool = False
    lines: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Keep one line."""
        self.lines.append(text)

    def progress(self, text: str) -> None:
        """Progress is not kept."""

    def clear(self) -> None:
        """Nothing to clear."""


@dataclass(frozen=True)
class Polling:
    """How a session polls: the pause between polls, when it gives up, confirming polls."""

    interval: float = 5.0
    timeout: float = 300.0
    confirm: int = 1


@dataclass
class SessionResult:
    """What a live run produced: the report and, when the network failed, that one line."""

    report: Report
    network_error: str | None = None


class LiveSession:
    """One live run of an endpoint's resolved request: `run()` sends, checks, records."""

    def __init__(self, checker: Checker, endpoint: Endpoint, target: Target,
                 settings: Settings, *, polling: Polling | None = None,
                 record: Path | None = None, strict: bool = False,
                 console: Console | None = None, tool: str = "respcontract") -> None:
        self.checker = checker
        self.endpoint = endpoint
        self.target = target
        self.call = target.call
        self.settings = settings
        self.polling = polling
        self.console: Console = console or Lines()
        self.tool = tool
        self.secret = Secret(target.token) if target.token is not None else None
        self.tracker = StateTracker(endpoint)
        if polling is not None and not self.tracker.can_poll:
            raise UsageError(f"--poll: {endpoint.full_name} has no state rule with `final` "
                             "values, so there is nothing to wait for")
        self.sensitive = Sensitive.from_contract(endpoint.contract)
        self.recording = self._recording(record)
        self.report = Report(strict=strict)
        self.item_name = endpoint.contract.live.item_name

    def scrub(self, text: str) -> str:
        """`text` with every form of the token replaced."""
        return self.secret.scrub(text) if self.secret is not None else text

    def note(self, text: str) -> None:
        """Tell the user one line, scrubbed."""
        self.console.clear()
        self.console.note(self.scrub(f"respcontract: {text}"))

    def run(self) -> SessionResult:
        """Send (and poll), check and record; the report holds every exchange sent."""
        error: str | None = None
        with open_client(self.settings, self.call.url) as client:
            self.client = client
            try:
                self._send_all()
            except NetworkError as exc:
                error = str(exc)
        self.console.clear()
        return SessionResult(self.report, error)

    def _recording(self, folder: Path | None) -> tuple[Recorder, Redactor, str, str] | None:
        if folder is None:
            return None
        redactor = Redactor(self.sensitive, self.secret, self.call.auth_header)
        recorder = Recorder(folder, self.secret)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return recorder, redactor, contract_hash(self.endpoint.contract), stamp

    def _send_all(self) -> None:
        import time

        if self.polling is None:
            self._step(None)
            return
        started = time.monotonic()
        end = poll(self._step, self.polling.interval, self.polling.timeout,
                   self.polling.confirm, self._show_progress)
        elapsed = time.monotonic() - started
        if end.reason == "timeout":
            self._poll_timeout(end.last, elapsed)
        else:
            why = f"every {self.item_name} final" if end.reason == "final" else end.reason
            self.note(f"polling stopped after {end.polls} response(s) in {elapsed:.1f}s: "
                      f"{why}")

    def _show_progress(self, polls: int, step: Step, elapsed: float) -> None:
        self.console.progress(self.scrub(
            f"polling {self.endpoint.name}: {polls} response(s), "
            f"{step.progress or 'waiting'}, {elapsed:.0f}s"))

    def _poll_timeout(self, last: Step, elapsed: float) -> None:
        assert self.polling is not None
        pending = last.pending
        shown = ", ".join(pending[:5]) + (" ..." if len(pending) > 5 else "")
        detail = f"not final yet: {shown}" if pending else "before the confirming poll"
        _add(self.report.results[-1], Severity.WARNING, "live-poll-timeout",
             f"stopped polling after {elapsed:.1f}s (--poll-timeout "
             f"{self.polling.timeout:g}), {detail}")

    def _step(self, index: int | None) -> Step:
        outcome = send(self.client, self.call, self.settings)
        exchange = self._exchange(outcome, index)
        result = self.checker.check(exchange, self.endpoint.full_name)
        body = _parsed(outcome.body)
        position = 0 if index is None else index
        values = self.target.values
        broken = self.tracker.observe(exchange, body, values, position)
        result.findings.extend(broken)
        self._operational(result, outcome)
        self.report.add(result)
        if not self.console.live_progress:
            self.note(f"{self.call.method} {exchange.source} -> {outcome.status}"
                      + _retries_text(outcome))
        self._record(outcome, position)
        state = self.tracker.progress(exchange, body, values)
        if state is None:
            return Step(False, stop=f"the answer ({outcome.status}) holds no {self.item_name} "
                        "state")
        text = f"{state.done}/{state.total} final"
        stop = f"state rule {broken[0].rule} broke" if broken else None
        return Step(state.finished, text, state.pending, stop)

    def _exchange(self, outcome: Outcome, index: int | None) -> Exchange:
        call = self.call
        hidden = CREDENTIAL_HEADERS | {call.auth_header.lower()}
        headers = {k: REDACTED if k.lower() in hidden else v
                   for k, v in call.headers.items()}
        label = Redactor(self.sensitive, self.secret).url(call.url)
        return Exchange(
            response=Response(outcome.status, normalize_headers(outcome.headers), outcome.body),
            request=Request(call.method, call.url, normalize_headers(headers), call.body),
            source=label, index=index, endpoint=self.endpoint.full_name)

    def _operational(self, result: ExchangeResult, outcome: Outcome) -> None:
        code = _error_code(outcome.body, self.endpoint.contract.live.error_code)
        shown = f"{outcome.status}{' ' + code if code else ''}"
        if 500 <= outcome.status <= 599:  # the API failed: an error, as in Schemathesis
            _add(result, Severity.ERROR, "live-server-error",
                 f"the API answered {shown}: {outcome.gave_up}")
        elif outcome.gave_up:
            _add(result, Severity.WARNING, "live-retries",
                 f"the API answered {shown}: {outcome.gave_up}")
        if outcome.status in (401, 403):
            _add(result, Severity.WARNING, "live-auth",
                 f"the API refused the request ({shown}): check the token, its scopes "
                 "and the data centre")

    def _record(self, outcome: Outcome, index: int) -> None:
        if self.recording is None:
            return
        recorder, redactor, digest, stamp = self.recording
        call, target = self.call, self.target
        provenance = {
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tool": self.tool,
            "contract": self.endpoint.contract.name,
            "contract_sha256": digest,
            "api_domain": redactor.string(target.base, "provenance"),
            **({"data_centre": target.dc} if target.dc else {}),
            **({"api_version": target.values["version"]} if "version" in target.values
               else {}),
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
            _add(result, Severity.ERROR, "record-leak", str(exc))
            return
        except OSError as exc:
            _add(result, Severity.ERROR, "record",
                 f"cannot write the recording: {exc.strerror or exc}")
            return
        self.note(f"recorded {path}")


def _add(result: ExchangeResult, severity: Severity, rule: str, message: str) -> None:
    result.findings.append(Finding(severity, rule, message, result.source, result.index,
                                   result.endpoint))


def _parsed(body: bytes) -> Any:
    if not body:
        return None
    value, problem = loads_bytes_strict(body)
    return None if problem is not None else value


def _error_code(body: bytes, pointer: str | None) -> str | None:
    """The code an error answer carries where the contract's `live.error_code` points."""
    if pointer is None:
        return None
    value = _parsed(body)
    for token in pointer_tokens(pointer):
        value = value.get(token) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


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

