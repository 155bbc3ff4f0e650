"""Cassettes written by vcrpy, Betamax and Ruby VCR are read as their own tools read them.

The reference for every file is the tool's own reader (vcrpy's `deserialize`, betamax's
`deserialize_response`; Ruby does not run here, so Ruby VCR files are compared with what
PyYAML's safe loader gives). Each file must be read completely (same number of exchanges,
same status, same body bytes), and `respcontract check` must exit 0 on it: nothing in
these files matches a contract, so every exchange is `unmatched`. Files their own readers
refuse are refused here too, in one line, without a traceback.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from validator.sources import read

HERE = Path(__file__).parent
VCRPY = sorted((HERE / "vcrpy").iterdir())
BETAMAX = sorted((HERE / "betamax").iterdir())
RUBY = sorted(p for p in (HERE / "ruby-vcr").iterdir() if p.stat().st_size)
REFUSED = sorted((HERE / "refused").iterdir())


def check(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", "check", "--no-bundled",
                           "--format", "json", *map(str, args)], capture_output=True,
                          text=True, timeout=120)


def assert_all_unmatched(path: Path, exchanges: int) -> None:
    done = check(path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert not [f for f in report["findings"] if f["severity"] == "error"], report
    if exchanges:
        assert report["summary"]["unmatched"] == exchanges, report["summary"]
        assert report["summary"]["passed"] == 0


def bodies(path: Path) -> list[tuple[int, bytes]]:
    loaded = read(path)
    assert not [p for p in loaded.problems if p.severity.value == "error"], loaded.problems
    return [(e.response.status, e.response.body or b"") for e in loaded.exchanges]


def _inflate(data: bytes, headers: dict[str, Any]) -> bytes:
    codings = {k.lower(): v for k, v in headers.items()}.get("content-encoding", [""])
    coding = (codings[0] if isinstance(codings, list) else codings).lower()
    if not data or coding not in ("gzip", "deflate"):
        return data
    try:
        return zlib.decompress(data, 16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS)
    except zlib.error:  # vcrpy's own filters assume such a body was stored decoded
        return data


def vcrpy_reference(path: Path) -> list[tuple[int, bytes]]:
    """What vcrpy replays: its own deserialize, bodies inflated as vcrpy's filters do."""
    from vcr.serialize import deserialize
    from vcr.serializers import jsonserializer, yamlserializer

    serializer = jsonserializer if path.suffix == ".json" else yamlserializer
    _, responses, *_ = deserialize(path.read_text(), serializer)
    out = []
    for response in responses:
        if "status_code" in response:  # the old httpx layout, as vcr/stubs/httpx_stubs reads it
            out.append((response["status_code"], response["content"].encode()))
            continue
        data = response["body"]["string"]
        data = data.encode() if isinstance(data, str) else data or b""
        out.append((response["status"]["code"], _inflate(data, response["headers"])))
    return out


def betamax_reference(path: Path) -> list[tuple[int, bytes]]:
    """What betamax replays: `deserialize_response` and the body requests would give."""
    from betamax.util import deserialize_response

    out = []
    for interaction in json.loads(path.read_text())["http_interactions"]:
        response = deserialize_response(interaction["response"])
        out.append((response.status_code, response.raw.read(decode_content=True)))
    return out


@pytest.mark.parametrize("path", VCRPY, ids=[p.name for p in VCRPY])
def test_vcrpy_cassettes_read_as_vcrpy_reads_them(path: Path) -> None:
    expected = vcrpy_reference(path)
    assert bodies(path) == expected
    assert_all_unmatched(path, len(expected))


@pytest.mark.parametrize("path", BETAMAX, ids=[p.name for p in BETAMAX])
def test_betamax_cassettes_read_as_betamax_reads_them(path: Path) -> None:
    expected = betamax_reference(path)
    assert bodies(path) == expected
    assert_all_unmatched(path, len(expected))


@pytest.mark.parametrize("path", RUBY, ids=[p.name for p in RUBY])
def test_ruby_vcr_cassettes_are_read(path: Path) -> None:
    document = yaml.safe_load(path.read_text())
    expected = []
    for interaction in document["http_interactions"]:
        body = interaction["response"]["body"]
        text = body["string"] if isinstance(body, dict) else body
        expected.append((interaction["response"]["status"]["code"], text.encode()))
    assert bodies(path) == expected
    assert_all_unmatched(path, len(expected))


def test_an_empty_ruby_vcr_cassette_is_one_with_no_interactions(tmp_path: Path) -> None:
    # Ruby VCR's cassette_spec: an empty file reads as no interactions (lib/vcr/cassette.rb)
    empty = HERE / "ruby-vcr" / "empty.yml"
    assert empty.read_bytes() == b""
    done = check(empty)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert [f["rule"] for f in report["findings"]] == ["source-empty"]
    assert (report["summary"]["skipped"], report["summary"]["passed"]) == (1, 0)
    named = tmp_path / "job.exchange.yaml"  # but an exchange file must hold an exchange
    named.write_bytes(b"")
    assert check(named).returncode == 1


@pytest.mark.parametrize("path", REFUSED, ids=[p.name for p in REFUSED])
def test_formats_their_own_tools_refuse_are_refused_in_one_line(path: Path) -> None:
    if path.name.startswith("vcrpy"):
        from vcr.serialize import deserialize
        from vcr.serializers import jsonserializer, yamlserializer

        serializer = jsonserializer if path.suffix == ".json" else yamlserializer
        with pytest.raises(ValueError):
            deserialize(path.read_text(), serializer)
    done = check(path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [f["rule"] for f in findings] == ["source"]
    message = findings[0]["message"]
    assert ("is not allowed" in message) != path.suffix.endswith("json")
    if path.name.startswith("vcrpy"):  # as vcrpy says, with how to migrate
        assert "before vcrpy 1.0" in message and "python -m vcr.migration" in message


def test_a_truncated_cassette_still_fails(tmp_path: Path) -> None:
    text = (HERE / "ruby-vcr" / "example.yml").read_text()
    cut = tmp_path / "cut.yml"
    cut.write_text(text[: len(text) // 2] + '\n    body: "unterminated\n')
    done = check(cut)
    assert done.returncode == 1 and "Traceback" not in done.stderr


# --- recorded here, now, by the tools themselves -----------------------------------------

ROUTES = ("/json?page=1", "/gzip", "/empty", "/binary")


def routes(serializer: str, decode: bool) -> tuple[str, ...]:
    """vcrpy's JSON serializer cannot hold bytes: no binary (nor gzip unless decoded)."""
    if serializer == "yaml":
        return ROUTES
    return ("/json?page=1", "/empty", *(("/gzip",) if decode else ()))


def record_vcrpy(tmp_path: Path, server: str, serializer: str, decode: bool,
                 client: str) -> Path:
    import vcr

    recorder = vcr.VCR(serializer=serializer, decode_compressed_response=decode,
                       record_mode="all")
    path = tmp_path / f"{client}-{serializer}-{decode}.{serializer}"
    with recorder.use_cassette(str(path)):
        if client == "httpx":
            import httpx

            with httpx.Client() as session:
                for route in routes(serializer, decode):
                    session.get(server + route)
        else:
            import requests

            for route in routes(serializer, decode):
                requests.get(server + route, timeout=10)
    return path


@pytest.mark.parametrize("client", ["requests", "httpx"])
@pytest.mark.parametrize("serializer", ["yaml", "json"])
@pytest.mark.parametrize("decode", [False, True])
def test_cassettes_vcrpy_writes_now_are_read(tmp_path: Path, server: str, client: str,
                                             serializer: str, decode: bool) -> None:
    path = record_vcrpy(tmp_path, server, serializer, decode, client)
    expected = vcrpy_reference(path)
    assert len(expected) == len(routes(serializer, decode))
    assert bodies(path) == expected
    assert_all_unmatched(path, len(expected))


@pytest.mark.parametrize("exact", [False, True])
def test_cassettes_betamax_writes_now_are_read(tmp_path: Path, server: str,
                                               exact: bool) -> None:
    import requests
    from betamax import Betamax

    session = requests.Session()
    recorder = Betamax(session, cassette_library_dir=str(tmp_path))
    # without exact bytes betamax stores text, which breaks binary bodies in betamax itself
    wanted = ROUTES if exact else tuple(r for r in ROUTES if r != "/binary")
    with recorder.use_cassette("recorded", record="all", preserve_exact_body_bytes=exact):
        for route in wanted:
            session.get(server + route, timeout=10)
    path = tmp_path / "recorded.json"
    expected = betamax_reference(path)
    assert len(expected) == len(wanted)
    assert bodies(path) == expected
    assert_all_unmatched(path, len(wanted))


def test_a_gzip_compressed_cassette_file_is_read(tmp_path: Path, server: str) -> None:
    path = record_vcrpy(tmp_path, server, "yaml", False, "requests")
    packed = tmp_path / "packed.yaml.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    assert bodies(packed) == vcrpy_reference(path)
    assert_all_unmatched(packed, len(ROUTES))



# --- cassettes Ruby VCR wrote, with every serializer it ships ---------------------------

RUBY_RECORDED = HERE / "ruby-vcr-recorded"  # written by record.py there, see its README.md
RUBY_SERIALIZERS = ["yaml.yml", "json.json", "compressed.zz", "decoded.yml"]


def ruby_vcr_reference(name: str) -> dict[str, tuple[int, bytes]]:
    """What Ruby VCR replayed of the cassette, per route (`expected.json`), inflated where
    the recorded response says gzip, as the client reading it would."""
    import base64

    class RubyYaml(yaml.SafeLoader):  # Psych's `!binary` strings, as Ruby reads them
        pass

    RubyYaml.add_constructor("!binary", lambda loader, node: base64.b64decode(
        loader.construct_scalar(node)))
    served = json.loads((RUBY_RECORDED / "expected.json").read_text())[name]
    data = (RUBY_RECORDED / name).read_bytes()
    document = yaml.load(zlib.decompress(data) if name.endswith(".zz") else data,
                         Loader=RubyYaml)  # a safe loader, plus one tag
    headers = {i["request"]["uri"].split("/", 3)[3]: i["response"]["headers"]
               for i in document["http_interactions"]}
    return {s["route"]: (s["status"], _inflate(base64.b64decode(s["body"]),
                                               headers[s["route"].lstrip("/")]))
            for s in served}


@pytest.mark.parametrize("name", RUBY_SERIALIZERS)
def test_cassettes_ruby_vcr_wrote_read_as_ruby_vcr_replays_them(name: str) -> None:
    assert read_by_route(RUBY_RECORDED / name) == ruby_vcr_reference(name)
    assert_all_unmatched(RUBY_RECORDED / name, 4)


def test_a_corrupt_compressed_cassette_fails_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.zz"
    path.write_bytes((RUBY_RECORDED / "compressed.zz").read_bytes()[:200])
    done = check(path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["source"]

# --- HAR -------------------------------------------------------------------------------

HAR = HERE / "har" / "mitmdump.har"  # `mitmdump --set hardump=...`, see har/README.md


def mitmproxy_reference() -> list[tuple[int, bytes]]:
    """What mitmproxy's own HAR import (`mitmproxy.io.har`) made of the file."""
    import base64

    done = json.loads((HERE / "har" / "mitmdump.expected.json").read_text())
    return [(e["status"], base64.b64decode(e["body_base64"])) for e in done["exchanges"]]


def test_a_har_mitmproxy_wrote_reads_as_mitmproxy_reads_it() -> None:
    assert bodies(HAR) == mitmproxy_reference()
    assert_all_unmatched(HAR, 4)


def test_a_har_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    bom = tmp_path / "fiddler.har"  # Fiddler writes HAR with a UTF-8 BOM
    bom.write_bytes(b"\xef\xbb\xbf" + HAR.read_bytes())
    assert bodies(bom) == mitmproxy_reference()
    assert_all_unmatched(bom, 4)


def attach(tmp_path: Path, name: str) -> Path:
    """The HAR as Playwright's `recordHar: {content: "attach"}` lays it out: bodies in files."""
    document = json.loads(HAR.read_text())
    content = document["log"]["entries"][0]["response"]["content"]
    (tmp_path / "body.json").write_text(content.pop("text"))
    content["_file"] = name
    path = tmp_path / "attached.har"
    path.write_text(json.dumps(document))
    return path


def test_har_bodies_in_sibling_files_are_read(tmp_path: Path) -> None:
    path = attach(tmp_path, "body.json")
    assert bodies(path) == mitmproxy_reference()
    assert_all_unmatched(path, 4)


@pytest.mark.parametrize("name", ["../body.json", "/etc/passwd", "link.json"])
def test_har_sibling_files_outside_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "link.json").symlink_to(tmp_path / "secret.json")
    (tmp_path / "secret.json").write_text('{"secret": 1}')
    path = attach(inner, name)
    done = check(path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    problems = [f for f in json.loads(done.stdout)["findings"] if f["severity"] == "error"]
    assert len(problems) == 1 and "outside the HAR's folder" in problems[0]["message"]
    assert "secret" not in done.stdout


# --- HAR written by Playwright ---------------------------------------------------------

PLAYWRIGHT = HERE / "playwright"  # written by record.py there, see playwright/README.md
PLAYWRIGHT_HARS = ["embed.har", "attach.har", "attach.har.zip"]


def playwright_reference(name: str) -> dict[str, tuple[int, bytes]]:
    """What Playwright's own HAR reader (`route_from_har`) served back, per route."""
    import base64

    served = json.loads((PLAYWRIGHT / "expected.json").read_text())[name]
    return {s["route"]: (s["status"], base64.b64decode(s["body"])) for s in served}


def read_by_route(path: Path) -> dict[str, tuple[int, bytes]]:
    """Status and body of the first exchange per route (path and query) of a recording."""
    from urllib.parse import urlsplit

    loaded = read(path)
    assert not [p for p in loaded.problems if p.severity.value == "error"], loaded.problems
    found: dict[str, tuple[int, bytes]] = {}
    for exchange in loaded.exchanges:
        assert exchange.request is not None
        url = urlsplit(exchange.request.url)
        route = url.path + (f"?{url.query}" if url.query else "")
        found.setdefault(route, (exchange.response.status, exchange.response.body or b""))
    return found


@pytest.mark.parametrize("name", PLAYWRIGHT_HARS)
def test_hars_playwright_wrote_read_as_playwright_replays_them(name: str) -> None:
    expected = playwright_reference(name)
    found = read_by_route(PLAYWRIGHT / name)
    assert {route: found[route] for route in expected} == expected
    assert_all_unmatched(PLAYWRIGHT / name, 5)  # the four routes and the page fetching them


def test_a_har_playwright_kept_no_bodies_of_is_read_as_not_recorded() -> None:
    loaded = read(PLAYWRIGHT / "omit.har")
    assert not loaded.problems
    recorded = {e.response.status: e.response.recorded for e in loaded.exchanges}
    assert recorded == {200: False, 204: True}  # a 204 has nothing to keep
    assert_all_unmatched(PLAYWRIGHT / "omit.har", 5)


def test_a_folder_of_playwright_recordings_skips_the_attached_bodies(tmp_path: Path) -> None:
    recordings = ("record.py", "README.md", "expected.json")
    for made in PLAYWRIGHT.iterdir():
        if made.name not in recordings:
            (tmp_path / made.name).write_bytes(made.read_bytes())
    attached = [p.name for p in tmp_path.iterdir() if not p.name.endswith((".har", ".zip"))]
    assert len(attached) == 3 and any(name.endswith(".json") for name in attached)
    done = check(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads(done.stdout)["summary"]
    assert summary["unmatched"] == 20 and summary["failed"] == 0, summary
    (tmp_path / "mine.json").write_text("{}")  # any other file is still read, and refused
    assert check(tmp_path).returncode == 1


def zipped(tmp_path: Path, members: dict[str, bytes], name: str = "made.har.zip") -> Path:
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_a_zipped_har_that_breaks_its_contract_still_fails(tmp_path: Path) -> None:
    broken = HERE.parent / "acceptance" / "negative" / "03-details-missing.har"
    plain = subprocess.run([sys.executable, "-m", "validator", "check", "--format", "json",
                            str(broken)], capture_output=True, text=True, timeout=120)
    path = zipped(tmp_path, {"har.har": broken.read_bytes()})
    done = subprocess.run([sys.executable, "-m", "validator", "check", "--format", "json",
                           str(path)], capture_output=True, text=True, timeout=120)
    assert plain.returncode == done.returncode == 1
    rules = [[f["rule"], f["pointer"]] for f in json.loads(plain.stdout)["findings"]]
    assert rules and [[f["rule"], f["pointer"]]
                      for f in json.loads(done.stdout)["findings"]] == rules


@pytest.mark.parametrize(("members", "message"), [
    ({"notes.txt": b"hello"}, "holds no .har file"),
    ({"har.har": b'{"log": {"entries": [{"request": {"url": "http://h/x"}, "response": '
                 b'{"status": 200, "content": {"_file": "gone.json"}}}]}}'},
     "'gone.json' is not in the zip archive"),
], ids=["no-har", "attachment-missing"])
def test_zips_without_what_a_har_needs_fail_in_one_line(tmp_path: Path, members: dict[str, bytes],
                                                         message: str) -> None:
    done = check(zipped(tmp_path, members))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [f for f in json.loads(done.stdout)["findings"] if f["severity"] == "error"]
    assert len(errors) == 1 and message in errors[0]["message"], errors


def test_a_corrupt_zip_fails_in_one_line(tmp_path: Path) -> None:
    path = zipped(tmp_path, {"har.har": (PLAYWRIGHT / "embed.har").read_bytes()})
    data = bytearray(path.read_bytes())
    data[60:90] = b"\0" * 30  # inside the deflated HAR member
    path.write_bytes(bytes(data))
    done = check(path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len([f for f in json.loads(done.stdout)["findings"] if f["severity"] == "error"]) == 1


def test_a_zip_member_larger_than_the_limit_is_not_inflated(tmp_path: Path) -> None:
    path = zipped(tmp_path, {"har.har": b" " * 5_000_000 + b'{"log": {"entries": []}}'})
    assert path.stat().st_size < 50_000  # a small file that would inflate to 5 MB
    loaded = read(path, max_bytes=1_000_000)
    assert [p.rule for p in loaded.problems] == ["source"]
    assert "too large" in loaded.problems[0].message
