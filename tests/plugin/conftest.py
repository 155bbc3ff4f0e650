"""Fixtures for the plugin tests: a project holding the sample recordings, and a real HTTP
server on 127.0.0.1 that answers like the job status endpoint."""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import hypothesis
import pytest
from plugin_support import DATA

from validator import api, sources
from validator import generate as strategies
from validator.check import checker as checks

# Imported once here, not left to the runs: in-process pytester runs drop the modules they
# import, and a library re-imported next to a stale copy of itself misbehaves.
PRELOADED = [hypothesis, httpx, api, checks, sources, strategies]
with contextlib.suppress(ImportError):  # in the test extra; its test fails without it
    import requests  # noqa: F401

RECORDINGS = ["jobs.har", "jobs.cassette.yaml", "job.exchange.json", "truncated.json"]
JOB_PATH = "/crm/v7/Contacts/actions/portal_invite"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A user's project: recordings/ with a HAR, a cassette, an exchange file and a broken
    file, configured in pyproject.toml."""
    (pytester.path / "recordings").mkdir()
    for name in RECORDINGS:
        shutil.copy(DATA / name, pytester.path / "recordings" / name)
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        respcontract_recordings = ["recordings"]
    """)
    return pytester


def job_body(job_id: object, item_status: str = "success", **extra: object) -> bytes:
    item = {"code": "SUCCESS", "status": item_status, "details": {"id": "5020928000001843001"},
            "message": "An Invite has been sent to the personality."}
    job = {"job_id": job_id, "status": "completed", "data": [item], **extra}
    return json.dumps({"portal_invite": [job]}).encode()


class _PortalInvite(BaseHTTPRequestHandler):
    """job_id 1: conforming; 2: job_id comes back as a number; 3: an undocumented field;
    any other path: 404 (no contract endpoint matches it)."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        job = parse_qs(url.query).get("job_id", [""])[0]
        if url.path != JOB_PATH:
            self._send(404, b'{"error": "not here"}')
        elif job == "2":
            self._send(200, job_body(2))
        elif job == "3":
            self._send(200, job_body("3", created_time="2024-05-02T10:00:00+05:30"))
        else:
            self._send(200, job_body(job))

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture(scope="session")
def portal_server() -> Iterator[str]:
    """Base URL of a real HTTP server on 127.0.0.1, serving the job status endpoint."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PortalInvite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
