from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import yaml

from validator.api import check_file, load_contracts
from validator.check.checker import Checker
from validator.sources import read
from validator.sources.document import RELEASE_FROM

URL = "https://www.zohoapis.com/crm/v7/Contacts/actions/portal_invite"
BODY = {"portal_invite": [{"data": None, "job_id": "1", "status": "in_progress"}]}


def har_entry(url: str, status: int, text: str, **content: str) -> dict[str, object]:
    return {"request": {"method": "GET", "url": url, "headers": []},
            "response": {"status": status, "headers": [],
                         "content": {"mimeType": "application/json", "text": text,
                                     **content}}}


def test_har_reads_every_entry_and_reports_bad_ones(tmp_path: Path) -> None:
    entries = [
        har_entry(URL, 200, json.dumps(BODY)),
        har_entry("https://accounts.example/oauth/token", 200, "{}"),
        har_entry(URL, 200, base64.b64encode(json.dumps(BODY).encode()).decode(),
                  encoding="base64"),
        {"request": {"method": "GET", "url": URL}},
    ]
    path = tmp_path / "session.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}, indent=1))
    loaded = read(path)
    assert [e.index for e in loaded.exchanges] == [0, 1, 2]
    assert loaded.exchanges[2].response.body == json.dumps(BODY).encode()
    [problem] = loaded.problems
    assert problem.exchange == 3 and "no response" in problem.message and problem.line
    results = check_file(Checker(load_contracts()), path)
    assert [(r.index, [f.rule for f in r.findings]) for r in results] == [
        (0, []), (1, ["unmatched"]), (2, []), (3, ["source"])]


def test_har_headers_as_name_value_pairs_are_read(tmp_path: Path) -> None:
    # Slack writes HAR headers as [name, value] lists; mitmproxy's HAR import reads them
    entry = har_entry(URL + "?job_id=1", 200, json.dumps(BODY), mimeType="")
    entry["response"]["headers"] = [["Content-Type", "text/html"], ["X-Id", "7"]]  # type: ignore[index]
    entry["request"]["headers"] = [["Accept", "application/json"]]  # type: ignore[index]
    path = tmp_path / "slack.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry]}}))
    [exchange] = read(path).exchanges
    assert exchange.response.content_type == "text/html"
    assert exchange.response.headers == {"content-type": "text/html", "x-id": "7"}
    assert exchange.request is not None and exchange.request.headers == {
        "accept": "application/json"}
    assert ("error", "content-type") in _check(path)  # the recorded type is the one checked


def test_r_vcr_status_code_layout_is_read(tmp_path: Path) -> None:
    # R's vcr before 1.0 (R/serialize-interaction.R) wrote the status as below
    path = tmp_path / "r.yml"
    path.write_text(yaml.dump({"http_interactions": [{
        "request": {"method": "get", "uri": URL + "?job_id=1", "headers": {}},
        "response": {"status": {"status_code": "200", "message": "OK",
                                "explanation": "Request fulfilled, document follows"},
                     "headers": {"content-type": "application/json"},
                     "body": {"encoding": "", "string": json.dumps(BODY)}}}],
        "recorded_with": "vcr/0.5.4, webmockr/0.7.0"}))
    loaded = read(path)
    assert not loaded.problems
    assert [e.response.status for e in loaded.exchanges] == [200]
    assert _check(path) == []


def test_cassette_gzip_body_is_decompressed(tmp_path: Path) -> None:
    cassette = {"version": 1, "interactions": [{
        "request": {"method": "GET", "uri": URL, "body": None, "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"},
                     "headers": {"Content-Type": ["application/json"],
                                 "Content-Encoding": ["gzip"]},
                     "body": {"string": gzip.compress(json.dumps(BODY).encode())}}}]}
    path = tmp_path / "cassette.yaml"
    path.write_text(yaml.dump(cassette))
    [exchange] = read(path).exchanges
    assert json.loads(exchange.response.body or b"") == BODY
    assert exchange.response.content_type == "application/json"


def test_literal_block_bodies_map_pointer_lines_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "interactions:\n- request: {method: GET, uri: '" + URL + "'}\n"
        "  response:\n    status: {code: 200}\n    headers: {Content-Type: [application/json]}\n"
        "    body:\n      string: |\n        {\"portal_invite\": [\n"
        "          {\"data\": null, \"job_id\": 17, \"status\": \"in_progress\"}\n"
        "        ]}\nversion: 1\n")
    results = check_file(Checker(load_contracts()), path)
    [finding] = results[0].findings
    assert finding.pointer == "/portal_invite/0/job_id"
    assert (finding.line, finding.column) == (9, 36)


def test_unknown_structure_without_endpoint_is_a_clear_finding(tmp_path: Path) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(BODY))
    [problem] = read(path).problems
    assert "--endpoint" in problem.message
    [exchange] = read(path, "get_bulk_invite_status").exchanges
    assert exchange.endpoint == "get_bulk_invite_status"


def test_every_entry_of_a_big_har_is_located_at_its_own_line(tmp_path: Path) -> None:
    entries = [har_entry(f"https://x.example/other/{i}", 200, "{}") for i in range(300)]
    path = tmp_path / "big.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}, indent=1))
    results = check_file(Checker(load_contracts()), path)
    lines = path.read_text().splitlines()
    for result in (results[0], results[150], results[299]):
        [finding] = result.findings
        assert finding.rule == "unmatched"
        assert lines[(finding.line or 0) - 1].strip().startswith('"status": 200')
        assert f"/other/{result.index}" in finding.message


def _large_har(path: Path) -> Path:
    """A HAR over RELEASE_FROM, whose text is dropped once read: one invalid entry."""
    bad = {"portal_invite": [{"data": None, "job_id": "1", "status": 5}]}
    padding = " " * 4000
    entries = [har_entry(URL, 200, json.dumps(BODY) + padding) for _ in range(300)]
    entries[200] = har_entry(URL, 200, json.dumps(bad) + padding)
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}, indent=1))
    assert path.stat().st_size > RELEASE_FROM
    return path


def test_a_large_har_is_read_again_to_locate_its_findings(tmp_path: Path) -> None:
    path = _large_har(tmp_path / "large.har")
    results = check_file(Checker(load_contracts()), path)
    [finding] = [f for r in results for f in r.findings]
    assert finding.exchange == 200 and finding.rule == "schema"
    texts = [number for number, line in enumerate(path.read_text().splitlines(), 1)
             if line.strip().startswith('"text": ')]
    assert finding.line == texts[200]  # the line of entry 200's body


def test_a_large_har_changed_while_checked_keeps_its_findings_without_lines(
        tmp_path: Path) -> None:
    path = _large_har(tmp_path / "large.har")
    loaded = read(path)
    with path.open("a") as file:
        file.write("\n")  # another file now: its lines would not be this one's
    checker = Checker(load_contracts())
    [finding] = [f for e in loaded.exchanges for f in checker.check(e).findings]
    assert finding.exchange == 200 and finding.rule == "schema" and finding.line is None


def test_a_large_exchange_file_locates_its_findings_once_its_text_is_dropped(
        tmp_path: Path) -> None:
    jobs = [{"data": None, "job_id": str(n), "status": "in_progress"} for n in range(20000)]
    jobs[-1]["status"] = 5
    for status, rule in ((200, "schema"), (302, "status")):
        path = tmp_path / f"large-{status}.json"
        exchange = {"request": {"method": "GET", "url": URL},
                    "response": {"status": status, "body_text": json.dumps(
                        {"portal_invite": jobs})}}
        path.write_text(json.dumps(exchange, indent=1))
        assert path.stat().st_size > RELEASE_FROM
        [finding] = [f for r in check_file(Checker(load_contracts()), path) for f in r.findings]
        key = '"body_text": ' if rule == "schema" else '"status": '
        lines = path.read_text().splitlines()
        assert finding.rule == rule
        assert lines[(finding.line or 0) - 1].strip().startswith(key)


# --- issue 13: inputs other tools write ---------------------------------------------------

def _check(path: Path) -> list[tuple[str, str]]:
    results = check_file(Checker(load_contracts()), path)
    return [(f.severity.value, f.rule) for r in results for f in r.findings]


def test_a_har_entry_without_text_is_no_body_recorded_not_an_empty_body(tmp_path: Path) -> None:
    entry = har_entry(URL + "?job_id=1", 200, "")
    del entry["response"]["content"]["text"]  # type: ignore[index]
    path = tmp_path / "no-text.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry]}}))
    assert _check(path) == [("warning", "body-not-recorded")]


def test_any_body_on_a_bodiless_response_is_reported_whatever_its_form(tmp_path: Path) -> None:
    for member in ({"body": {"data": []}}, {"body": []}, {"body_text": "{}"},
                   {"body_base64": base64.b64encode(b"{}").decode()}):
        path = tmp_path / "gone.exchange.json"
        path.write_text(json.dumps({"request": {"method": "GET", "url": URL + "?job_id=9"},
                                    "response": {"status": 204, **member}}))
        assert _check(path) == [("error", "body-not-empty")], member


VCRPY_TAGS = """\
interactions:
- request:
    body: !!python/object/new:_io.BytesIO
      state: !!python/tuple [!!binary "e30=", 0, null]
    headers: {Accept: [!!python/unicode '*/*']}
    method: GET
    uri: !!python/str URL
  response:
    body: {string: !!python/unicode '{"portal_invite": []}'}
    headers: !!python/object/apply:builtins.iter {args: [[]]}
    status: {code: 200, message: OK}
version: 1
"""


def test_vcrpys_safe_python_tags_are_read_and_nothing_is_constructed(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(VCRPY_TAGS.replace("URL", URL + "?job_id=1"))
    loaded = read(path)
    assert loaded.problems == []
    [exchange] = loaded.exchanges
    assert exchange.request is not None and exchange.request.body == b"{}"
    assert exchange.response.body == b'{"portal_invite": []}'


def test_every_other_python_tag_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    for tag in (f"!!python/object/apply:os.system ['touch {marker}']",
                "!!python/object:vcr.request.Request {}", "!!python/name:os.system",
                "!!python/object/new:_io.BytesIO.__class__ []", "!ruby/object:Foo {}"):
        path = tmp_path / "evil.yaml"
        path.write_text(f"interactions:\n- request: {tag}\n  response: {{}}\nversion: 1\n")
        [problem] = read(path).problems
        assert problem.rule == "source" and "is not allowed" in problem.message, tag
    assert not marker.exists()


def test_ruby_vcr_binary_strings_and_lower_case_methods(tmp_path: Path) -> None:
    body = base64.b64encode(json.dumps(BODY).encode()).decode()
    path = tmp_path / "ruby.yml"
    path.write_text(
        "---\nhttp_interactions:\n- request:\n    method: get\n    uri: " + URL +
        "?job_id=1\n    body:\n      encoding: US-ASCII\n      string: ''\n"
        "    headers: {}\n  response:\n    status:\n      code: 200\n      message: OK\n"
        "    headers:\n      !binary Q29udGVudC1UeXBl:\n      - application/json\n"
        "    body:\n      encoding: ASCII-8BIT\n      string: !binary |-\n        " + body +
        "\n    http_version: \n  recorded_at: Tue, 01 Nov 2011 04:49:54 GMT\n"
        "recorded_with: VCR 6.0.0\n")
    [exchange] = read(path).exchanges
    assert exchange.request is not None and exchange.request.method == "GET"
    assert exchange.response.headers == {"content-type": "application/json"}
    assert exchange.response.body == json.dumps(BODY).encode()
    assert _check(path) == []


def test_gzip_named_on_a_body_stored_decoded_is_read_with_a_warning(tmp_path: Path) -> None:
    cassette = {"version": 1, "interactions": [{
        "request": {"method": "GET", "uri": URL + "?job_id=1", "body": None, "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"},
                     "headers": {"Content-Type": ["application/json"],
                                 "Content-Encoding": ["gzip"]},
                     "body": {"string": json.dumps(BODY)}}}]}
    path = tmp_path / "aiohttp.yaml"
    path.write_text(yaml.safe_dump(cassette))
    assert _check(path) == [("warning", "body-encoding")]
    cassette["interactions"][0]["response"]["body"]["string"] = \
        gzip.compress(json.dumps(BODY).encode())[:20]  # a gzip stream cut short: an error
    path.write_text(yaml.safe_dump(cassette))
    assert ("error", "body-encoding") in _check(path)


def test_empty_har_and_cassette_say_so(tmp_path: Path) -> None:
    har = tmp_path / "empty.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": []}}))
    cassette = tmp_path / "empty.yaml"
    cassette.write_text("interactions: []\nversion: 1\n")
    for path in (har, cassette):
        [problem] = read(path).problems
        assert (problem.severity.value, problem.rule) == ("warning", "source-empty")
