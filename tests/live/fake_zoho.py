"""A scripted stand-in for the Zoho CRM API, on a real socket.

Tests script it reply by reply; every request it receives is kept for assertions.
Run it by hand to try `respcontract live` without a Zoho account:

    python tests/live/fake_zoho.py --port 8765

It then answers the job status endpoint like the documented samples: a job is
`in_progress` for its first two polls, then `completed`; job_id 0 is unknown (204); a
request without `Authorization: Zoho-oauthtoken ...` gets 401 INVALID_TOKEN.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

JOB_PATH = "/crm/v7/Contacts/actions/portal_invite"
JSON_TYPE = "application/json;charset=UTF-8"


@dataclass
class Reply:
    """One scripted answer. A dict or list body is sent as JSON; bytes and str as they are."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes


Responder = Callable[[Seen], Reply]


class FakeZoho:
    """An HTTP server on a loopback address that answers from a script."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.scripts: dict[tuple[str, str], list[Reply]] = {}
        self.responder: Responder | None = None
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def script(self, *replies: Reply, method: str = "GET", path: str = JOB_PATH) -> None:
        """Answer `method path` with these replies in order; the last one then repeats."""
        self.scripts[(method, path)] = list(replies)

    def start(self) -> FakeZoho:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeZoho:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def answer(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            replies = self.scripts.get((seen.method, seen.path))
            if replies:
                return replies.pop(0) if len(replies) > 1 else replies[0]
        if self.responder is not None:
            return self.responder(seen)
        return Reply(404, error("INVALID_URL_PATTERN", "Please check if the URL trying to "
                                "access is a correct one"))


def _handler(fake: FakeZoho) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = fake.answer(Seen(self.command, parts.path, query, headers, body))
            if reply.delay:
                time.sleep(reply.delay)
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            headers = dict(reply.headers)
            if isinstance(reply.body, dict | list):
                data = json.dumps(reply.body).encode("utf-8")
                headers.setdefault("Content-Type", JSON_TYPE)
            elif isinstance(reply.body, str):
                data = reply.body.encode("utf-8")
            else:
                data = reply.body or b""
            try:
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if reply.status not in (204, 304):
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if reply.status not in (204, 304):
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# ------------------------------------------------------------ documented response shapes

def item(record_id: str = "5020928000001843001") -> dict[str, Any]:
    return {"details": {"id": record_id}, "code": "SUCCESS",
            "message": "An Invite has been sent to the personality.", "status": "success"}


def job(job_id: str, status: str = "completed", data: Any = None) -> dict[str, Any]:
    if status == "completed" and data is None:
        data = [item()]
    return {"data": data, "job_id": job_id, "status": status}


def jobs(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"portal_invite": list(entries)}


def error(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


def demo_responder(polls_before_completed: int = 2) -> Responder:
    """Answers like Zoho: each job runs for a few polls, then completes."""
    counts: dict[str, int] = {}

    def respond(seen: Seen) -> Reply:
        if not seen.headers.get("authorization", "").startswith("Zoho-oauthtoken "):
            return Reply(401, error("INVALID_TOKEN", "invalid oauth token"))
        if seen.method != "GET" or not seen.path.endswith("/actions/portal_invite"):
            return Reply(404, error("INVALID_URL_PATTERN", "Please check if the URL trying to "
                                    "access is a correct one"))
        job_id = seen.query.get("job_id", "5020928000002387017")
        if job_id == "0":
            return Reply(204)
        counts[job_id] = counts.get(job_id, 0) + 1
        if counts[job_id] <= polls_before_completed:
            return Reply(200, jobs(job(job_id, "in_progress")))
        return Reply(200, jobs(job(job_id)))

    return respond


def main() -> None:
    parser = argparse.ArgumentParser(description="A scripted fake of the Zoho CRM portal "
                                     "invite job status API, on loopback.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    fake = FakeZoho("127.0.0.1", args.port)
    fake.responder = demo_responder()
    print(f"fake Zoho listening on {fake.url} (Ctrl-C stops it)", flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake._server.server_close()


if __name__ == "__main__":
    main()
