"""Schemathesis loads an exported contract and runs it against a server on 127.0.0.1.

Schemathesis cannot share respcontract's venv (it caps jsonschema-rs below the release
respcontract needs): `.ci/run` installs it apart and names its `st` in
RESPCONTRACT_SCHEMATHESIS; elsewhere an `st` on PATH is used, or the test is skipped.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from oas_helpers import run

SCHEMATHESIS = os.environ.get("RESPCONTRACT_SCHEMATHESIS") or shutil.which("st")
pytestmark = pytest.mark.skipif(SCHEMATHESIS is None, reason="no Schemathesis `st` found: set "
                                "RESPCONTRACT_SCHEMATHESIS or put it on PATH")


class _Stub(http.server.BaseHTTPRequestHandler):
    """Answers every request without a server error; Schemathesis does the rest."""

    def _reply(self) -> None:
        known = self.command in ("GET", "POST")
        body = b"{}" if known else b""
        self.send_response(200 if known else 405)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_TRACE = _reply

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_schemathesis_runs_the_export(tmp_path: Path, server: str) -> None:
    export = tmp_path / "portal-invite.yaml"
    assert run("export", "openapi", "zoho-crm/portal-invite", "-o", str(export)).returncode == 0
    assert SCHEMATHESIS is not None
    done = subprocess.run([SCHEMATHESIS, "run", str(export), "--url", server, "--max-examples", "3",
                           "--checks", "not_a_server_error", "--phases", "examples,fuzzing"],
                          capture_output=True, text=True, timeout=300, check=False,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Selected: 3/3" in done.stdout
