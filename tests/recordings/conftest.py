"""A small HTTP server on 127.0.0.1 that real recorders (vcrpy, betamax) record against."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

BODY = {"data": [{"id": "1", "name": "Ada"}], "info": {"more_records": False}}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/empty":
            self.send_response(204)
            self.end_headers()
            return
        payload = json.dumps(BODY).encode()
        if path == "/gzip":
            payload = gzip.compress(payload)
        if path == "/binary":
            payload = bytes(range(256))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream" if path == "/binary"
                         else "application/json")
        if path == "/gzip":
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
