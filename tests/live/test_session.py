"""LiveSession in process, against the scripted fake server on 127.0.0.1: the same socket
path as the command line, without a subprocess, so the session's parts can be asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_zoho import JOB_PATH, Reply, error, job, jobs
from live_helpers import JOB, TOKEN, assert_no_token, recordings

from validator.api import check_paths, load_contracts
from validator.check.checker import Checker
from validator.live.request import Wanted, resolve
from validator.live.session import Lines, LiveSession, Polling
from validator.live.transport import Settings

ENDPOINT = "zoho-crm/portal-invite:get_bulk_invite_status"
FAST = Settings(connect_timeout=5, read_timeout=5, retries=2, backoff=0.01, max_backoff=0.05)
TOKEN_ENV = "RESPCONTRACT_SESSION_TEST_TOKEN"


@pytest.fixture
def session_for(zoho, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    contracts = load_contracts()

    def make(query: tuple[str, ...] = (f"job_id={JOB}",), **options) -> LiveSession:
        endpoint = contracts.endpoint(ENDPOINT)
        target = resolve(endpoint, Wanted(base_url=zoho.url, query=query, token_env=TOKEN_ENV))
        return LiveSession(Checker(contracts), endpoint, target, FAST, **options)

    return make


def test_one_request_is_sent_checked_and_reported(zoho, session_for):
    zoho.script(Reply(200, jobs(job(JOB))))
    console = Lines()
    result = session_for(console=console).run()
    assert result.network_error is None
    assert result.report.exit_code == 0
    [only] = result.report.results
    assert only.endpoint == ENDPOINT and only.findings == []
    [seen] = zoho.requests
    assert seen.path == JOB_PATH and seen.query == {"job_id": JOB}
    assert seen.headers["authorization"] == f"Zoho-oauthtoken {TOKEN}"
    [line] = console.lines
    assert line.startswith("respcontract: GET ") and line.endswith(" -> 200")
    assert_no_token(line)


def test_polling_stops_when_every_job_is_final_after_the_confirming_poll(zoho, session_for):
    zoho.script(Reply(200, jobs(job(JOB, "in_progress"))), Reply(200, jobs(job(JOB))))
    console = Lines()
    result = session_for(polling=Polling(interval=0.01, timeout=10, confirm=1),
                         console=console).run()
    assert [r.index for r in result.report.results] == [0, 1, 2]
    assert len(zoho.requests) == 3
    assert result.report.exit_code == 0
    assert any("polling stopped after 3 response(s)" in line and "every job final" in line
               for line in console.lines)


def test_a_state_rule_that_breaks_stops_polling_with_its_finding(zoho, session_for):
    zoho.script(Reply(200, jobs(job(JOB))), Reply(200, jobs(job(JOB, "in_progress"))))
    result = session_for(query=(), polling=Polling(interval=0.01, timeout=10)).run()
    assert len(zoho.requests) == 2
    assert result.report.exit_code == 1
    broken = [f for r in result.report.results for f in r.findings
              if f.rule == "completed-job-stays-completed"]
    assert [(f.exchange, f.pointer) for f in broken] == [(1, "/portal_invite/0/status")]


def test_a_persistent_server_error_is_a_live_server_error_finding(zoho, session_for):
    zoho.script(*[Reply(503, error("INTERNAL_ERROR", "down"))] * 3)
    result = session_for().run()
    assert len(zoho.requests) == 3  # the first try and FAST's two retries
    rules = [f.rule for r in result.report.results for f in r.findings]
    assert "live-server-error" in rules
    assert result.report.exit_code == 1


def test_a_refused_connection_is_the_network_error_line_and_no_result(session_for, zoho):
    session = session_for()
    zoho.stop()
    result = session.run()
    assert result.report.results == []
    assert result.network_error is not None and "127.0.0.1" in result.network_error
    assert "\n" not in result.network_error


def test_recordings_are_redacted_and_check_the_same(zoho, session_for, tmp_path: Path):
    zoho.script(Reply(200, jobs(job(JOB))))
    console = Lines()
    result = session_for(record=tmp_path / "rec", console=console).run()
    [path] = recordings(tmp_path / "rec")
    assert f"respcontract: recorded {path}" in console.lines
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["request"]["headers"]["authorization"] == "REDACTED"
    assert document["provenance"]["api_domain"] == zoho.url
    assert document["provenance"]["exchange"] == 0
    back = check_paths([path], load_contracts())
    assert back.summary()["exchanges"] == 1
    assert back.exit_code == result.report.exit_code == 0


def _contract_without_live_key(tmp_path: Path) -> Path:
    """A copy of the bundled contract folder whose contract has no `live` block."""
    import shutil

    from validator.load.contracts import bundled_root

    shutil.copytree(bundled_root() / "contracts" / "zoho-crm", tmp_path / "contracts")
    shutil.copytree(bundled_root() / "schemas", tmp_path / "schemas")
    path = tmp_path / "contracts" / "portal-invite.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\nlive:\n")
    end = text.index("\nsensitive:", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


def test_the_words_in_live_messages_come_from_the_contract(zoho, monkeypatch, tmp_path):
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    for contracts, code, noun in ((load_contracts(), " INTERNAL_ERROR", "job"),
                                  (load_contracts([_contract_without_live_key(tmp_path)],
                                                  bundled=False), "", "item")):
        zoho.script(Reply(500, error("INTERNAL_ERROR", "down")))
        endpoint = contracts.endpoint(ENDPOINT)
        assert endpoint.contract.live.item_name == noun
        target = resolve(endpoint, Wanted(base_url=zoho.url, query=(f"job_id={JOB}",),
                                          token_env=TOKEN_ENV))
        console = Lines()
        result = LiveSession(Checker(contracts), endpoint, target,
                             Settings(retries=0, backoff=0.01), console=console,
                             polling=Polling(interval=0.01, timeout=10)).run()
        [server] = [f for r in result.report.results for f in r.findings
                    if f.rule == "live-server-error"]
        assert server.message.startswith(f"the API answered 500{code}: ")
        assert any(f"the answer (500) holds no {noun} state" in line
                   for line in console.lines), console.lines
