"""No command prints or writes a token: not from the environment, not from the inputs.

A known fake token sits in the environment (as the bundled contract's token variable and
others) and in the request headers, cookies and URLs of every recording given to the
commands. Every registered subcommand then runs in every output format and mode we know
(commands we have no recipe for still run: with --help, bare, and with the recordings),
against a real HTTP server on 127.0.0.1 for `live`. Everything printed, and every file
written anywhere under the test's folder (reports, recordings, samples, reproducers, the
parse cache, temporary files), is scanned for the token in plain, URL-quoted, base64 and
hex forms. There must be zero hits.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from validator.cli.main import COMMANDS

TOKEN = "1000.7e57f4ke70ken0f1c0ffee5ca1ab1e.d3adb33fc0de"
JOB = "5020928000002387017"
HOST_PATH = "/crm/v7/Contacts/actions/portal_invite"
URL = f"https://www.zohoapis.com{HOST_PATH}"
ENDPOINT = "zoho-crm/portal-invite:get_bulk_invite_status"
FORMATS = ("text", "json", "junit", "github")
KNOWN = {"check", "lint", "list", "diff", "live", "sample", "fuzz", "import", "export",
         "mock"}


def traces(token: str = TOKEN) -> list[bytes]:
    raw = token.encode()
    forms = [raw, quote(token, safe="").encode(), base64.b64encode(raw),
             base64.b64encode(b"Zoho-oauthtoken " + raw), raw.hex().encode()]
    return forms + [token.split(".")[1].encode()]  # the secret part alone


def leaks(data: bytes) -> list[bytes]:
    return [trace for trace in traces() if trace in data]


def body(job_id: str = JOB) -> dict[str, Any]:
    return {"portal_invite": [{"data": [{"details": {"id": "5020928000001843001"},
                                         "code": "SUCCESS", "status": "success",
                                         "message": "An Invite has been sent to the personality."}],
                               "job_id": job_id, "status": "completed"}]}


def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {TOKEN}", "Cookie": f"session={TOKEN}",
            "X-Api-Key": TOKEN, "Proxy-Authorization": f"Bearer {TOKEN}"}


def exchange(response_body: Any, url: str = f"{URL}?job_id={JOB}") -> dict[str, Any]:
    return {"request": {"method": "GET", "url": url, "headers": auth_headers()},
            "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                         "body": response_body}}


def write_inputs(folder: Path) -> list[Path]:
    """Recordings that carry the token in their requests: passing, failing and broken."""
    folder.mkdir(parents=True)
    files: dict[str, str | bytes] = {
        "pass.exchange.json": json.dumps(exchange(body())),
        "fail.exchange.json": json.dumps(exchange(body(job_id="12"))),
        "token-in-query.exchange.json": json.dumps(
            exchange(body(), f"{URL}?job_id={JOB}&access_token={TOKEN}")),
        "no-match.exchange.json": json.dumps(exchange(body(), f"https://x.test/p?key={TOKEN}")),
        "truncated.exchange.json": json.dumps(exchange(body()))[:400],
        "fail.exchange.yaml": (f"request:\n  method: GET\n  url: {URL}?job_id={JOB}\n"
                               f"  headers: {{Authorization: 'Zoho-oauthtoken {TOKEN}'}}\n"
                               "response: {status: 200, body: {portal_invite: 7}}\n"),
        "broken.exchange.yaml": (f"request:\n  headers: {{Authorization: '{TOKEN}'}}\n"
                                 "response: [unclosed\n"),
        "entries.har": json.dumps({"log": {"version": "1.2", "entries": [
            {"request": {"method": "GET", "url": f"{URL}?job_id={JOB}",
                         "headers": [{"name": k, "value": v} for k, v in auth_headers().items()],
                         "cookies": [{"name": "session", "value": TOKEN}]},
             "response": {"status": 200, "headers": [],
                          "content": {"mimeType": "application/json",
                                      "text": json.dumps(body(job_id="x"))}}},
            {"request": {"method": "GET", "headers": [{"name": "Authorization",
                                                       "value": TOKEN}]},
             "response": {"status": 200}}]}}),
        "calls.cassette.yaml": (
            "version: 1\ninteractions:\n- request:\n"
            f"    method: GET\n    uri: {URL}?job_id={JOB}\n    body: null\n"
            f"    headers: {{Authorization: ['Zoho-oauthtoken {TOKEN}'], Cookie: ['s={TOKEN}']}}\n"
            "  response:\n    status: {code: 200, message: OK}\n"
            "    headers: {Content-Type: [application/json], Content-Encoding: [gzip]}\n"
            "    body: {string: !!binary AAAA}\n"),
        "calls.cassette.json": json.dumps({"version": 1, "interactions": [{
            "request": {"method": "GET", "uri": f"{URL}?job_id={JOB}", "body": None,
                        "headers": {"Authorization": [f"Zoho-oauthtoken {TOKEN}"]}},
            "response": {"status": {"code": 401, "message": "Unauthorized"},
                         "headers": {"Content-Type": ["application/json"]},
                         "body": {"string": json.dumps({"code": "INVALID_TOKEN",
                                                        "details": {}, "status": "error",
                                                        "message": "invalid oauth token"})}}}]}),
        "bare-body.json": json.dumps({"portal_invite": "not a list"}),
        "echo.exchange.json": json.dumps(exchange({"who": "someone-else"})),
        "spec.openapi.json": json.dumps(openapi_spec()),
    }
    paths = []
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        paths.append(path)
    return paths


def openapi_spec() -> dict[str, Any]:
    """A vendor spec whose examples carry the token: a header parameter, a server URL."""
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "servers": [{"url": f"https://api.test/v1?access_token={TOKEN}"}],
            "paths": {"/jobs": {"get": {
                "operationId": "getJobs",
                "parameters": [{"name": "Authorization", "in": "header", "required": True,
                                "schema": {"type": "string"},
                                "example": f"Zoho-oauthtoken {TOKEN}"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"id": {"type": "string"}}},
                    "example": {"id": "1"}}}}}}}}}


def write_contract(folder: Path, example: Path) -> Path:
    """A contract whose rule compares a body field with the request's Authorization."""
    (folder / "contracts").mkdir(parents=True)
    (folder / "schemas").mkdir()
    (folder / "schemas" / "echo.schema.json").write_text(json.dumps(
        {"type": "object", "properties": {"who": {"type": "string", "pattern": "^[a-z]+$"}}}))
    example_copy = folder / "contracts" / "example.exchange.json"
    example_copy.write_text(example.read_text())
    (folder / "contracts" / "echo.yaml").write_text(
        "contract: secrets/echo\nendpoints:\n  get_echo:\n    method: GET\n"
        "    path: /crm/v7/Contacts/actions/portal_invite\n"
        '    responses:\n      "200": {schema: echo.schema.json}\n'
        "    rules:\n      - id: who-is-the-caller\n        at: /who\n"
        "        when: {request: {headers: {authorization: present}}}\n"
        "        equals: request.headers.authorization\n"
        "      - id: key-echo\n        at: /who\n        equals: request.headers.x-api-key\n"
        "    examples: [example.exchange.json]\n")
    return folder / "contracts"


class Server:
    """Answers the job status endpoint and echoes the caller's credentials back, hostile
    style: in a header, in a cookie and (job_id=echo) inside the body where the schema
    rejects it, so a finding would quote it."""

    def __init__(self) -> None:
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.seen: list[str] = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                auth = self.headers.get("Authorization", "")
                server.seen.append(auth)
                query = parse_qs(urlsplit(self.path).query)
                job = query.get("job_id", [JOB])[0]
                echoed = auth.split()[-1] if auth else "none"
                payload = body(job_id=echoed if job == "1" else job)
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Echo-Authorization", auth)
                self.send_header("Set-Cookie", f"session={echoed}")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.inputs = write_inputs(root / "inputs")
        self.contracts = write_contract(root / "custom", root / "inputs" / "echo.exchange.json")
        self.out = root / "out"
        self.out.mkdir()
        (root / "home").mkdir()
        (root / "tmp").mkdir()
        (root / "consumer.py").write_text(
            "def consume(body):\n    return body['portal_invite'][0]['job_id'].upper()\n")
        self.fingerprints = self._fingerprints()
        self.runs: list[list[str]] = []

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        return {**keep, "ZOHO_CRM_TOKEN": TOKEN, "RESPCONTRACT_TOKEN": TOKEN,
                "API_TOKEN": TOKEN, "GITHUB_TOKEN": TOKEN, "HOME": str(self.root / "home"),
                "XDG_CACHE_HOME": str(self.root / "home" / ".cache"),
                "RESPCONTRACT_CACHE_DIR": str(self.root / "cache"),
                "TMPDIR": str(self.root / "tmp"), "NO_COLOR": "1"}

    def _fingerprints(self) -> dict[Path, str]:
        return {p: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in self.root.rglob("*") if p.is_file()}

    def run(self, *args: str, timeout: int = 120, consumer_tracebacks: bool = False
            ) -> subprocess.CompletedProcess[bytes]:
        self.runs.append(list(args))
        proc = subprocess.run([sys.executable, "-m", "validator", *args], cwd=self.root,
                              env=self.env(), capture_output=True, timeout=timeout)
        shown = f"respcontract {' '.join(args)}"
        # fuzz reports the consumer's own traceback on stdout: that one is the product
        printed = proc.stderr if consumer_tracebacks else proc.stdout + proc.stderr
        assert b"Traceback" not in printed, (shown, proc.stderr[-2000:])
        assert leaks(proc.stdout) == [], (shown, "stdout", proc.stdout[-2000:])
        assert leaks(proc.stderr) == [], (shown, "stderr", proc.stderr[-2000:])
        self.assert_nothing_written_leaks(shown)
        return proc

    def serve(self, *args: str) -> tuple[subprocess.Popen[bytes], str]:
        """Start `respcontract ARGS` as a server; the URL it prints on its first line."""
        self.runs.append(list(args))
        process = subprocess.Popen([sys.executable, "-m", "validator", *args], cwd=self.root,
                                   env=self.env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        assert process.stdout is not None
        first = process.stdout.readline()
        if b"http://" not in first:
            process.terminate()
            raise AssertionError(first + process.communicate(timeout=60)[1])
        return process, first.strip().rsplit(b" ", 1)[1].decode()

    def stop(self, process: subprocess.Popen[bytes], shown: str) -> None:
        """Stop a server the way a user does (Ctrl-C), then scan all it printed and wrote."""
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert b"Traceback" not in out + err, (shown, err[-2000:])
        assert leaks(out + err) == [], (shown, (out + err)[-2000:])
        self.assert_nothing_written_leaks(shown)

    def assert_nothing_written_leaks(self, shown: str) -> None:
        for path in self.root.rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            data = path.read_bytes()
            if self.fingerprints.get(path) == hashlib.sha256(data).hexdigest():
                continue  # an input, untouched
            assert leaks(data) == [], (shown, "wrote the token to", str(path))
            if path.suffix == ".json" and b"body_base64" in data:
                for value in _base64_values(json.loads(data)):
                    assert leaks(value) == [], (shown, "base64 body in", str(path))


def _base64_values(value: Any) -> Iterator[bytes]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "body_base64" and isinstance(item, str):
                yield base64.b64decode(item)
            else:
                yield from _base64_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _base64_values(item)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("secrets"))


def inputs(ws: Workspace) -> list[str]:
    return [str(p.relative_to(ws.root)) for p in ws.inputs]


def test_the_scanner_sees_the_token_where_it_is(workspace: Workspace) -> None:
    """A positive control: the inputs do hold the token, so a leak could not hide."""
    assert all(leaks(p.read_bytes()) for p in workspace.inputs if "bare" not in p.name)
    assert leaks(f"x Zoho-oauthtoken {TOKEN} y".encode())


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_leaks_nothing(workspace: Workspace, fmt: str) -> None:
    ws = workspace
    proc = ws.run("check", *inputs(ws), "--format", fmt)
    assert proc.returncode == 1 and proc.stdout
    ws.run("check", *inputs(ws), "--format", fmt, "--strict", "-o", f"out/check.{fmt}")
    assert (ws.out / f"check.{fmt}").stat().st_size > 0
    custom = ws.run("check", *inputs(ws), "--format", fmt, "--contracts", "custom/contracts",
                    "--endpoint", "secrets/echo:get_echo")
    assert custom.returncode == 1 and b"who-is-the-caller" in custom.stdout + custom.stderr
    ws.run("check", "inputs/bare-body.json", "--endpoint", ENDPOINT, "--format", fmt)


def test_lint_and_list_leak_nothing(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("lint").returncode == 0
    failing = ws.run("lint", "--contracts", "custom/contracts")
    assert failing.returncode == 1 and b"example fails" in failing.stdout
    ws.run("lint", *inputs(ws))
    for fmt in ("text", "json"):
        assert ws.run("list", "--format", fmt, "--contracts", "custom/contracts").returncode == 0


def test_diff_leaks_nothing(workspace: Workspace) -> None:
    ws = workspace
    bundled = Path(__file__).resolve().parents[2] / "contracts"
    for fmt in ("text", "json", "markdown", "github"):
        ws.run("diff", str(bundled), "custom/contracts", "--format", fmt, "--fail-on", "never",
               "-o", f"out/diff.{fmt}")
        ws.run("diff", str(bundled), "inputs/broken.exchange.yaml", "--format", fmt)


def test_sample_leaks_nothing(workspace: Workspace) -> None:
    ws = workspace
    for kind in ("valid", "edge", "drift", "invalid"):
        ws.run("sample", ENDPOINT, "--kind", kind, "-n", "3", "--seed", "1")
    ws.run("sample", ENDPOINT, "--kind", "invalid", "-n", "3", "--format", "yaml")
    ws.run("sample", ENDPOINT, "--kind", "drift", "-n", "3", "--bodies")
    ws.run("sample", ENDPOINT, "--kind", "edge", "-n", "2", "--output-dir", "out/samples")
    assert list((ws.out / "samples").glob("*"))


def test_fuzz_leaks_nothing(workspace: Workspace) -> None:
    ws = workspace
    for kind in ("valid", "invalid"):
        for given in ("body", "exchange"):
            ws.run("fuzz", "consumer.py:consume", "--endpoint", ENDPOINT, "--kind", kind,
                   "--input", given, "--max-examples", "15", "--seed", "3",
                   "--reproducers", "out/reproducers", timeout=300, consumer_tracebacks=True)
    for reproducer in sorted((ws.out / "reproducers").glob("*"))[:2]:
        ws.run("fuzz", "consumer.py:consume", "--endpoint", ENDPOINT,
               "--replay", str(reproducer.relative_to(ws.root)), consumer_tracebacks=True)


def test_live_and_record_leak_nothing(workspace: Workspace) -> None:
    ws = workspace
    with Server() as server:
        for fmt in FORMATS:
            proc = ws.run("live", "get_bulk_invite_status", "--base-url", server.url,
                          "--query", f"job_id={JOB}", "--format", fmt, "--record", "out/rec",
                          "--retries", "0", "--timeout", "10")
            assert proc.returncode in (0, 1), proc.stderr
        echoed = ws.run("live", "get_bulk_invite_status", "--base-url", server.url,
                        "--query", "job_id=1", "--format", "json", "--record", "out/rec",
                        "--retries", "0", "-o", "out/live.json")
        assert echoed.returncode == 1, "the echoed token breaks the job_id pattern"
        token_file = ws.root / "home" / "token.txt"
        token_file.write_text(TOKEN + "\n")
        ws.fingerprints[token_file] = hashlib.sha256(token_file.read_bytes()).hexdigest()
        ws.run("live", "get_bulk_invite_status", "--base-url", server.url, "--query",
               f"job_id={JOB}", "--token-file", "home/token.txt", "--record", "out/rec",
               "--retries", "0")
        assert server.seen and all(TOKEN in seen for seen in server.seen), \
            "the server did get the token, so there was something to leak"
    assert list((ws.out / "rec").glob("*")), "live --record wrote recordings"
    ws.run("check", "out/rec")


def test_import_and_export_leak_nothing(workspace: Workspace) -> None:
    ws = workspace
    imported = ws.run("import", "openapi", "inputs/spec.openapi.json", "--contract",
                      "secrets/spec", "--out", "out/imported")
    assert imported.returncode == 0, imported.stderr
    assert list((ws.out / "imported" / "contracts").rglob("*.yaml"))
    ws.run("import", "openapi", "inputs/broken.exchange.yaml", "--contract", "secrets/broken",
           "--out", "out/imported-broken")
    for contract, given in (("zoho-crm/portal-invite", ()),
                            ("secrets/echo", ("--contracts", "custom/contracts")),
                            ("secrets/spec", ("--contracts", "out/imported/contracts"))):
        done = ws.run("export", "openapi", contract, *given)
        assert done.returncode == 0 and done.stdout, done.stderr
        ws.run("export", "openapi", contract, *given, "-o", f"out/{contract.replace('/', '-')}"
               ".openapi.json")


@pytest.mark.parametrize("kind", ["valid", "invalid"])
def test_mock_leaks_nothing(workspace: Workspace, kind: str) -> None:
    """Requests carry the token in headers, cookies and the query; the mock logs and
    records every one of them."""
    ws = workspace
    args = ("mock", "--port", "0", "--kind", kind, "--record", f"out/mock-{kind}",
            "--faults", "429:0.3")
    process, base = ws.serve(*args)
    try:
        with httpx.Client(base_url=base, headers=auth_headers(), timeout=60) as http:
            for _ in range(3):
                http.get(HOST_PATH, params={"job_id": JOB, "access_token": TOKEN})
            http.post(HOST_PATH, json={"portal_invite": [{"data": [{"id": JOB}]}]})
            http.get(f"/nowhere/{TOKEN}")
    finally:
        ws.stop(process, f"respcontract {' '.join(args)}")
    assert list((ws.out / f"mock-{kind}").glob("*.json")), "the mock recorded the requests"
    ws.run("check", f"out/mock-{kind}")


def test_every_registered_command_was_covered(workspace: Workspace) -> None:
    """Commands added later without a recipe above still run, in every way we can guess."""
    ws = workspace
    for name in sorted(set(COMMANDS) - KNOWN):
        ws.run(name, "--help")
        ws.run(name)
        ws.run(name, ENDPOINT)
        ws.run(name, *inputs(ws))
        ws.run(name, ENDPOINT, *inputs(ws), "-o", f"out/{name}.out")
        ws.run(name, "get_bulk_invite_status", "--record", f"out/{name}-rec")
    for name in COMMANDS:
        ws.run(name, "--help")
