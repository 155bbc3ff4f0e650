"""The pure parts of live mode, in-process: token forms and the leak scan, redaction, safe
file writes, Retry-After and backoff, URL safety, the poll loop, state rules."""

from __future__ import annotations

import base64
import binascii
import html
import json
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from live_helpers import JOB, TOKEN

from validator.api import load_contracts
from validator.check.checker import Checker
from validator.check.state import StateTracker, first_difference
from validator.errors import ContractError, UsageError
from validator.live.poll import Step, poll
from validator.live.record import LeakError, Recorder, Redactor, Secret, Sensitive
from validator.live.request import is_loopback, require_safe_url
from validator.live.transport import Settings, backoff, parse_retry_after
from validator.load.contracts import bundled_root, load_contract
from validator.model.exchange import Exchange, Request, Response

ENDPOINT = "zoho-crm/portal-invite:get_bulk_invite_status"


@pytest.fixture(scope="module")
def contracts():
    return load_contracts()


# ---------------------------------------------------------------- the leak scan

@pytest.mark.parametrize("encode", [
    lambda t: t,
    lambda t: quote(t, safe=""),
    lambda t: quote_plus(t),
    lambda t: quote(t, safe="").lower(),
    lambda t: json.dumps(t)[1:-1],
    lambda t: html.escape(t),
    lambda t: binascii.hexlify(t.encode()).decode(),
    lambda t: binascii.hexlify(t.encode()).decode().upper(),
    lambda t: base64.b64encode(t.encode()).decode(),
    lambda t: base64.urlsafe_b64encode(t.encode()).decode(),
    lambda t: base64.b64encode(b"Zoho-oauthtoken " + t.encode()).decode(),
    lambda t: base64.b64encode(b"x:" + t.encode()).decode(),
    lambda t: base64.b64encode(b"user:" + t.encode() + b"!").decode(),
])
def test_the_leak_scan_finds_the_token_in_every_form(encode):
    token = TOKEN + "/+= ?&"  # characters that each encoding treats differently
    secret = Secret(token)
    text = f'{{"message": "before {encode(token)} after"}}'
    assert secret.leak(text) is not None
    assert secret.leak(secret.scrub(text)) is None


def test_the_leak_scan_leaves_clean_text_alone():
    secret = Secret(TOKEN)
    clean = json.dumps({"portal_invite": [{"job_id": JOB, "status": "completed"}]})
    assert secret.leak(clean) is None
    assert secret.scrub(clean) == clean


def test_recorder_refuses_a_leaking_file_and_never_overwrites(tmp_path):
    recorder = Recorder(tmp_path / "rec", Secret(TOKEN))
    encoded = base64.b64encode(TOKEN.encode()).decode()
    with pytest.raises(LeakError, match="base64"):
        recorder.write({"response": {"status": 200, "body": {"x": encoded}}}, "leak")
    assert list((tmp_path / "rec").iterdir()) == []
    first = recorder.write({"response": {"status": 200}}, "same")
    second = recorder.write({"response": {"status": 201}}, "same")
    assert first != second
    assert json.loads(first.read_text())["response"]["status"] == 200
    assert json.loads(second.read_text())["response"]["status"] == 201


def test_redactor_hides_credentials_sensitive_fields_and_patterns(contracts):
    contract = contracts.endpoint(ENDPOINT).contract
    redactor = Redactor(Sensitive.from_contract(contract), Secret(TOKEN))
    headers = redactor.headers({"Authorization": f"Zoho-oauthtoken {TOKEN}",
                                "Cookie": "a=b", "X-Trace": f"t {TOKEN}"}, "request")
    assert headers == {"authorization": "REDACTED", "cookie": "REDACTED",
                       "x-trace": "t REDACTED"}
    body = redactor.json({"email": "a@b.co", "Email": None, "note": "mail jo@x.example.org",
                          "list": [{"email": "c@d.co"}]}, "response.body")
    assert body == {"email": "REDACTED", "Email": None,
                    "note": "mail redacted@example.invalid", "list": [{"email": "REDACTED"}]}
    url = redactor.url("https://h/p?job_id=1&email=x%40y.com")
    assert url == "https://h/p?job_id=1&email=REDACTED"
    assert "response.body/list/0/email" in redactor.notes


def test_sensitive_entries_with_replacements(tmp_path):
    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "c.yaml").write_text(
        "contract: demo/c\n"
        "sensitive:\n"
        "  - phone\n"
        "  - {field: Email, replace: someone@example.invalid}\n"
        "  - {pattern: '\\+[0-9]{6,}', replace: '+000'}\n"
        "endpoints:\n  e: {method: GET, path: /x, responses: {'200': {body: any}}}\n")
    sensitive = Sensitive.from_contract(load_contract(folder / "c.yaml"))
    redactor = Redactor(sensitive)
    assert redactor.json({"phone": "1", "Email": "a@b", "text": "call +4412345678"}, "") == \
        {"phone": "REDACTED", "Email": "someone@example.invalid", "text": "call +000"}


def test_a_bad_sensitive_pattern_is_a_contract_error(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "contract: demo/c\nsensitive: [{pattern: '(unclosed'}]\n"
        "endpoints:\n  e: {method: GET, path: /x, responses: {'200': {body: any}}}\n")
    with pytest.raises(ContractError, match=r"c\.yaml#/sensitive/0: .*\(line 2\)"):
        load_contract(tmp_path / "c.yaml")


# ---------------------------------------------------------------- network policy

def test_retry_after_seconds_and_dates():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    now = datetime(2025, 1, 1, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == 30.0
    earlier = format_datetime(now - timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(earlier, now=now.timestamp()) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-1") is None
    assert parse_retry_after(None) is None


def test_backoff_doubles_with_jitter_and_is_capped():
    settings = Settings(backoff=1.0, max_backoff=8.0)
    assert [backoff(n, settings, lambda: 0.0) for n in range(5)] == [0.5, 1, 2, 4, 4]
    assert [backoff(n, settings, lambda: 1.0) for n in range(5)] == [1, 2, 4, 8, 8]


def test_loopback_and_https_rules():
    for host in ("127.0.0.1", "127.8.9.10", "localhost", "LOCALHOST", "::1", "[::1]",
                 "api.localhost"):
        assert is_loopback(host), host
    for host in ("10.0.0.1", "example.com", "localhost.example.com", "0.0.0.0"):
        assert not is_loopback(host), host
    require_safe_url("https://www.zohoapis.eu/crm", "x")
    require_safe_url("http://127.0.0.1:8080", "x")
    require_safe_url("http://[::1]:8080", "x")
    for bad, why in (("http://www.zohoapis.eu", "uses plain http"),
                     ("ftp://127.0.0.1", "is not an http:// or https:// URL"),
                     ("https://u:p@host", "must not carry credentials"),
                     ("www.zohoapis.com", "is not an http:// or https:// URL")):
        with pytest.raises(UsageError, match=why):
            require_safe_url(bad, "x")


def test_the_poll_loop_confirms_final_states_and_stops_on_time():
    clock = [0.0]
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        clock[0] += seconds

    answers = iter([Step(False), Step(True), Step(False), Step(True), Step(True)])
    end = poll(lambda i: next(answers), 1.0, 100.0, confirm=1, sleep=nap,
               clock=lambda: clock[0])
    assert (end.polls, end.reason) == (5, "final")
    assert naps == [1.0] * 4

    end = poll(lambda i: Step(False, pending=("7",)), 1.0, 3.5, sleep=nap,
               clock=lambda: clock[0])
    assert end.reason == "timeout" and end.polls == 4  # at 0, 1, 2 and 3 seconds

    end = poll(lambda i: Step(False, stop="no state"), 1.0, 100.0, sleep=nap,
               clock=lambda: clock[0])
    assert (end.polls, end.reason) == (1, "no state")


# ---------------------------------------------------------------- state rules

def _poll_exchange(body, index):
    url = f"https://www.zohoapis.com/crm/v7/Contacts/actions/portal_invite?job_id={JOB}"
    return Exchange(Response(200, {"content-type": "application/json"}, None, body),
                    Request("GET", url), source="poll", index=index, endpoint=ENDPOINT)


def _job(status, data=None, job_id=JOB):
    return {"job_id": job_id, "status": status, "data": data}


def _observe(contracts, bodies):
    tracker = StateTracker(contracts.endpoint(ENDPOINT))
    found = []
    for index, body in enumerate(bodies):
        found += tracker.observe(_poll_exchange(body, index), body, {}, index)
    return tracker, found


def test_state_rules_hold_over_a_good_sequence(contracts):
    done = [{"details": {"id": "1"}, "code": "SUCCESS", "message": "m", "status": "success"}]
    bodies = [{"portal_invite": [_job("in_progress")]},
              {"portal_invite": [_job("completed", done)]},
              {"portal_invite": [_job("completed", done)]}]
    tracker, found = _observe(contracts, bodies)
    assert found == []
    progress = tracker.progress(_poll_exchange(bodies[-1], 2), bodies[-1], {})
    assert (progress.done, progress.total, progress.finished) == (1, 1, True)


def test_each_state_rule_reports_once_where_it_broke(contracts):
    done = [{"details": {"id": "1"}}]
    bodies = [{"portal_invite": [_job("completed", done), _job("in_progress", job_id="9")]},
              {"portal_invite": [_job("in_progress")]},
              {"portal_invite": [_job("in_progress")]}]
    _, found = _observe(contracts, bodies)
    assert sorted((f.rule, f.exchange, f.pointer) for f in found) == [
        ("completed-job-is-frozen", 1, "/portal_invite/0/data"),
        ("completed-job-stays-completed", 1, "/portal_invite/0/status"),
        ("job-ids-persist", 1, "/portal_invite"),
    ]


def test_single_exchange_checks_ignore_state_rules(contracts):
    endpoint = contracts.endpoint(ENDPOINT)
    state_ids = {"completed-job-stays-completed", "completed-job-is-frozen", "job-ids-persist"}
    assert {r.kind for r in endpoint.rules if r.id in state_ids} == {"state"}
    body = {"portal_invite": [_job("in_progress")]}
    result = Checker(contracts).check(_poll_exchange(body, 0))
    assert result.findings == []


def test_first_difference():
    assert first_difference({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 3]}) == ("/b/1", 2, 3)
    path, _, new = first_difference({"a": 1}, {"a": 1, "c": 2})
    assert path == "/c" and new == 2
    assert first_difference([1], [1, 2])[0] == ""


@pytest.mark.parametrize("state", [
    "{key: job_id, frozen: true}",  # frozen needs final
    "{key: job_id, field: status}",  # field needs final
    "{key: job_id, persist: true, field: status, final: [completed]}",  # one thing per rule
    "{key: job_id}",  # asserts nothing
    "{key: job_id, field: status, final: []}",
])
def test_the_meta_schema_rejects_unclear_state_rules(tmp_path, state):
    source = bundled_root() / "contracts" / "zoho-crm"
    target = tmp_path / "contracts"
    shutil.copytree(source, target)
    shutil.copytree(bundled_root() / "schemas", tmp_path / "schemas")
    path = target / "portal-invite.yaml"
    text = path.read_text()
    marker = "state: {key: job_id, persist: true}"
    assert marker in text
    path.write_text(text.replace(marker, f"state: {state}"))
    with pytest.raises(ContractError, match=r"portal-invite\.yaml#/endpoints/"
                                            r"get_bulk_invite_status/rules/\d+/state"):
        load_contract(path)


def test_recorded_files_keep_their_folder(tmp_path: Path):
    with pytest.raises(UsageError, match="not a folder"):
        (tmp_path / "f").write_text("x")
        Recorder(tmp_path / "f", None)


def test_every_credential_header_and_the_contracts_auth_header_are_redacted(contracts):
    contract = contracts.endpoint(ENDPOINT).contract
    redactor = Redactor(Sensitive.from_contract(contract), Secret(TOKEN), "X-Custom-Auth")
    sent = {"Authorization": "a", "Proxy-Authorization": "b", "Cookie": "c",
            "Set-Cookie": "d", "X-Api-Key": "e", "X-Custom-Auth": "f", "Accept": "g"}
    headers = redactor.headers(sent, "request")
    assert headers == {"authorization": "REDACTED", "proxy-authorization": "REDACTED",
                       "cookie": "REDACTED", "set-cookie": "REDACTED",
                       "x-api-key": "REDACTED", "x-custom-auth": "REDACTED", "accept": "g"}
