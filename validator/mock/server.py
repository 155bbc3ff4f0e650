"""The mock server: an HTTP server on a socket that answers from the contracts.

    from validator.mock import MockServer

    with MockServer(kind="edge", seed=7, faults="429:0.2") as mock:
        httpx.get(mock.base_url + "/crm/v7/Contacts/actions/portal_invite")
        mock.exchanges  # every exchange served, as validator Exchange objects

Requests are answered one at a time, in arrival order (a `slow` fault waits outside that
order), so the same seed and the same request sequence give the same bytes.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from validator.errors import UsageError
from validator.load.contracts import ContractSet
from validator.mock.answer import Answer, Options, Responder
from validator.mock.faults import Fault, parse_faults
from validator.mock.world import World
from validator.model.exchange import Exchange, Request, Response
from validator.model.kinds import check_kind
from validator.report.redact import redact

Log = Callable[[str], None]


def _contract_set(contracts: ContractSet | Iterable[str | Path] | None) -> ContractSet:
    if isinstance(contracts, ContractSet):
        return contracts
    from validator.api import load_contracts
    from validator.load import config as configuration

    paths = [Path(p) for p in contracts] if contracts is not None else []
    return load_contracts(paths, config=configuration.load())


class MockServer:
    """Serves every endpoint of a contract set; use as a context manager (or start/stop)."""

    def __init__(self, contracts: ContractSet | Iterable[str | Path] | None = None, *,
                 kind: str = "valid", seed: int = 0, steps: int = 2,
                 faults: str | tuple[tuple[Fault, float], ...] | None = None,
                 host: str = "127.0.0.1", port: int = 0, record: str | Path | None = None,
                 slow_seconds: float = 10.0, retry_after: int = 1,
                 log: Log | None = None) -> None:
        check_kind(kind)
        if steps < 1:
            raise UsageError("steps must be at least 1")
        self.contracts = _contract_set(contracts)
        parsed = parse_faults(faults) if isinstance(faults, str) or faults is None else faults
        self.options = Options(kind, seed, parsed, slow_seconds, retry_after)
        self.steps = steps
        self.world = World(self.contracts, steps)
        self.responder = Responder(self.contracts, self.world, self.options)
        self.exchanges: list[Exchange] = []
        self.log = log
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._index = 0
        self._recorder = _recorder(Path(record)) if record is not None else None
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="respcontract-mock", daemon=True)
        self._started = False

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def endpoint_count(self) -> int:
        return sum(1 for _ in self.contracts.endpoints())

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def start(self) -> MockServer:
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._started:
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (the CLI's loop)."""
        self._started = True
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()

    # ------------------------------------------------------------ handling

    def handle(self, request: Request) -> Answer:
        """Answer one request in order; its effects and its exchange are kept at once."""
        with self._lock:
            index = self._index
            self._index += 1
            try:
                answer = self.responder.answer(request, index)
            except Exception as exc:  # a contract the strategies cannot serve: say so, go on
                answer = _internal_error(exc)
            for effect in answer.effects:
                effect()
            if not answer.reset:
                self._keep(request, answer, index)
        if self.log is not None:
            self.log(_log_line(request, answer))
        if answer.delay:
            self._stopping.wait(answer.delay)
        return answer

    def _keep(self, request: Request, answer: Answer, index: int) -> None:
        endpoint = answer.endpoint.full_name if answer.endpoint else None
        exchange = Exchange(Response(answer.status, {k.lower(): v for k, v in
                                                     answer.headers.items()}, answer.body),
                            request, source=f"<mock #{index}>", index=index, endpoint=None)
        exchange.extras.update(kind=self.options.kind, expected=answer.expected,
                               fault=answer.fault.name if answer.fault else None,
                               served_endpoint=endpoint)
        self.exchanges.append(exchange)
        if self._recorder is not None:
            from validator.mock.record import record

            record(self._recorder, exchange, answer, self.options, index)


def _internal_error(exc: Exception) -> Answer:
    import json

    from validator.mock.answer import FINDING_HEADER

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    message = f"the mock could not answer: {type(exc).__name__}: {text}"[:300]
    return Answer(500, {"Content-Type": "application/json", FINDING_HEADER: message.encode(
        "ascii", "replace").decode("ascii")}, json.dumps({"message": message}).encode("utf-8"))


def _recorder(folder: Path) -> Any:
    from validator.live.record import Recorder

    return Recorder(folder, None)


def _log_line(request: Request, answer: Answer) -> str:
    where = answer.endpoint.full_name if answer.endpoint else "no endpoint"
    outcome = "connection reset" if answer.reset else str(answer.status)
    fault = f" [fault {answer.fault.name}]" if answer.fault else ""
    return (f"respcontract mock: {request.method} {redact(request.url)} -> {outcome} "
            f"({where}){fault}")


def _handler(mock: MockServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "respcontract-mock"
        sys_version = ""

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            host = headers.get("host") or f"{mock.host}:{mock.port}"
            request = Request(self.command, f"http://{host}{self.path}", headers, body or None)
            answer = mock.handle(request)
            if answer.reset:
                self._reset()
                return
            try:
                self.send_response_only(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.status not in (204, 304) and self.command != "HEAD":
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if answer.status not in (204, 304) and self.command != "HEAD":
                    self.wfile.write(answer.body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a read timeout)

        def _reset(self) -> None:
            """Close with RST: the client sees the connection reset, with no answer."""
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass

        def finish(self) -> None:
            with contextlib.suppress(OSError):
                super().finish()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


__all__ = ["MockServer"]
