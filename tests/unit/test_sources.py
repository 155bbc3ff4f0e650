from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import yaml

from validator.api import check_file, load_contracts
from validator.check.checker import Checker
from validator.sources import read

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
