"""The same seed and the same request sequence give the same bytes, on the wire."""

from __future__ import annotations

import json
import socket
from urllib.parse import quote

from mock_helpers import BULK_BODY, JOBS

from validator.load.contracts import ContractSet
from validator.mock import MockServer


def _raw(port: int, method: str, path: str, body: bytes = b"") -> bytes:
    """One request on its own connection; every byte of the answer, headers included."""
    head = (f"{method} {path} HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n"
            "Authorization: Zoho-oauthtoken t\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _session(mock: MockServer) -> list[bytes]:
    answers = [_raw(mock.port, "POST", JOBS, json.dumps(BULK_BODY).encode())]
    try:  # a fault or an invalid answer may hold no job id: poll a made-up one then
        body = json.loads(answers[0].split(b"\r\n\r\n", 1)[1])
        job_id = str(body["portal_invite"][0]["details"]["job_id"])
    except (KeyError, IndexError, TypeError, ValueError):
        job_id = "1"
    for _ in range(4):
        answers.append(_raw(mock.port, "GET", f"{JOBS}?job_id={quote(job_id)}"))
    answers.append(_raw(mock.port, "GET", JOBS))
    answers.append(_raw(mock.port, "GET", f"{JOBS}?job_id=abc"))
    answers.append(_raw(mock.port, "GET", "/elsewhere"))
    return answers


def test_two_mocks_with_the_same_seed_agree_byte_for_byte(contracts: ContractSet) -> None:
    for kind in ("valid", "edge", "drift", "invalid"):
        options = {"kind": kind, "seed": 42, "steps": 1, "faults": "429:0.2,503:0.1"}
        with MockServer(contracts, **options) as one, MockServer(contracts, **options) as two:
            first, second = _session(one), _session(two)
        assert first == second, kind
        assert all(answer.startswith(b"HTTP/1.1 ") for answer in first)


def test_another_seed_gives_other_answers(contracts: ContractSet) -> None:
    with MockServer(contracts, seed=1) as one, MockServer(contracts, seed=2) as two:
        assert _session(one) != _session(two)
