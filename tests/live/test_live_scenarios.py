"""`respcontract live` against a scripted fake Zoho on 127.0.0.1: the bytes go over a socket.

Every run goes through the real command line; the runner fails the test if the token is
in anything printed, and `recordings()` fails it if the token is in any recording.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest
from fake_zoho import JOB_PATH, Reply, error, item, job, jobs
from live_helpers import JOB, TOKEN, recordings, run_cli

OTHER_JOB = "5020928000002387023"


def test_in_progress_then_completed_polls_checks_and_records(zoho, live, tmp_path):
    zoho.script(Reply(200, jobs(job(JOB, "in_progress"))), Reply(200, jobs(job(JOB))))
    run = live("--poll", "--record", "rec")
    assert run.returncode == 0, run.stdout + run.stderr
    # one more poll after the job completed confirms that it stays completed
    assert run.json()["summary"] == {"exchanges": 3, "passed": 3, "failed": 0, "unmatched": 0,
                                     "skipped": 0, "errors": 0, "warnings": 0}
    assert len(zoho.requests) == 3
    assert "polling stopped after 3 response(s)" in run.stderr
    for seen in zoho.requests:
        assert seen.headers["authorization"] == f"Zoho-oauthtoken {TOKEN}"
        assert seen.query == {"job_id": JOB}
        assert seen.path == JOB_PATH
    files = recordings(tmp_path / "rec")
    assert len(files) == 3
    first = json.loads(files[0].read_text())
    assert first["request"]["headers"]["authorization"] == "REDACTED"
    assert first["response"]["body"]["portal_invite"][0]["status"] == "in_progress"
    provenance = first["provenance"]
    assert provenance["api_domain"] == zoho.url
    assert provenance["api_version"] == "v7"
    assert len(provenance["contract_sha256"]) == 64
    assert provenance["recorded_at"].endswith("+00:00")
    back = run_cli("check", "rec", "--format", "json", cwd=tmp_path)
    assert back.returncode == 0, back.stdout
    assert back.json()["summary"]["exchanges"] == 3


def test_429_with_retry_after_then_200(zoho, live, tmp_path):
    zoho.script(Reply(429, error("TOO_MANY_REQUESTS", "slow down"), {"Retry-After": "1"}),
                Reply(200, jobs(job(JOB))))
    run = live("--record", "rec")
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(zoho.requests) == 2
    assert "after 1 retry (429)" in run.stderr
    provenance = json.loads(recordings(tmp_path / "rec")[0].read_text())["provenance"]
    assert provenance["attempts"] == 2
    [retried] = provenance["retried"]
    assert retried["status"] == 429 and retried["retry_after"] == "1"
    assert retried["waited"] >= 1  # the wait planned from Retry-After, not a measured time


def test_503_twice_then_200(zoho, live):
    down = Reply(503, error("INTERNAL_ERROR", "service unavailable"))
    zoho.script(down, down, Reply(200, jobs(job(JOB))))
    run = live()
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(zoho.requests) == 3
    assert run.json()["summary"]["passed"] == 1
    assert "after 2 retries (503, 503)" in run.stderr


def test_retries_are_bounded_and_the_final_answer_is_reported(zoho, live):
    zoho.script(Reply(503, "<html>down</html>", {"Content-Type": "text/html"}))
    run = live("--retries", "2")
    assert len(zoho.requests) == 3
    assert run.returncode == 1
    assert "content-type" in run.rules()  # the final answer is checked as well
    [failure] = [f for f in run.json()["findings"] if f["rule"] == "live-server-error"]
    assert failure["severity"] == "error" and "still 503 after 3 attempts" in failure["message"]


def test_a_documented_server_error_that_persists_fails_the_run(zoho, live):
    zoho.script(Reply(500, error("INTERNAL_ERROR", "Internal Server Error")))
    run = live("--retries", "1")
    assert len(zoho.requests) == 2
    assert run.returncode == 1
    assert run.rules() == ["live-server-error"]


def test_a_retry_after_beyond_max_wait_ends_the_retries(zoho, live):
    zoho.script(Reply(429, error("TOO_MANY_REQUESTS", "slow down"), {"Retry-After": "3600"}))
    run = live("--max-wait", "1")
    assert len(zoho.requests) == 1
    assert run.returncode == 0  # a documented 4XX answer; the warning says why it stopped
    [warning] = [f for f in run.json()["findings"] if f["rule"] == "live-retries"]
    assert "3600" in warning["message"]
    assert live("--max-wait", "1", "--strict").returncode == 1


def test_401_invalid_token(zoho, live):
    zoho.script(Reply(401, error("INVALID_TOKEN", "invalid oauth token")))
    run = live()
    assert len(zoho.requests) == 1  # never retried
    assert run.returncode == 0  # the documented error envelope: the contract holds
    [finding] = run.json()["findings"]
    assert finding["rule"] == "live-auth" and finding["severity"] == "warning"
    assert "INVALID_TOKEN" in finding["message"]


def test_204_for_an_unknown_job_stops_polling(zoho, live, tmp_path):
    zoho.script(Reply(204))
    run = live("--poll", "--record", "rec", job="5020928000009999999")
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(zoho.requests) == 1
    [file] = recordings(tmp_path / "rec")
    recorded = json.loads(file.read_text())
    assert recorded["response"]["status"] == 204
    assert not {"body", "body_text", "body_base64"} & set(recorded["response"])
    assert run_cli("check", "rec", cwd=tmp_path).returncode == 0


def test_an_empty_200_breaks_the_contract(zoho, live):
    zoho.script(Reply(200, b"", {"Content-Type": "application/json"}))
    run = live()
    assert run.returncode == 1
    assert run.json()["findings"][0]["rule"].startswith("body")


def test_a_response_slower_than_the_timeout_is_one_error_line(zoho, live, tmp_path):
    zoho.script(Reply(200, jobs(job(JOB)), delay=3))
    run = live("--timeout", "0.3", "--retries", "1", "--record", "rec")
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("respcontract: error: ") and "read timeout" in lines[0]
    assert len(zoho.requests) == 1  # a slow server is not asked again: that doubles the wait
    assert recordings(tmp_path / "rec") == []


def test_a_connection_refused_is_one_error_line(tmp_path, zoho):
    port = zoho.port
    zoho.stop()
    run = run_cli("live", "get_bulk_invite_status", "--base-url", f"http://127.0.0.1:{port}",
                  "--retries", "1", "--backoff", "0.01", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("respcontract: error: cannot connect to 127.0.0.1")
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_redirect_to_another_host_drops_authorization(zoho, elsewhere, live, tmp_path):
    zoho.script(Reply(302, b"", {"Location": f"{elsewhere.url}{JOB_PATH}?job_id={JOB}"}))
    elsewhere.script(Reply(200, jobs(job(JOB))))
    run = live("--record", "rec")
    assert run.returncode == 0, run.stdout + run.stderr
    assert zoho.requests[0].headers["authorization"] == f"Zoho-oauthtoken {TOKEN}"
    [arrived] = elsewhere.requests
    assert "authorization" not in arrived.headers
    assert "via 1 redirect" in run.stderr
    [file] = recordings(tmp_path / "rec")
    assert json.loads(file.read_text())["provenance"]["redirects"] == [
        f"302 {elsewhere.url}{JOB_PATH}?job_id={JOB}"]


def test_a_redirect_on_the_same_origin_keeps_authorization(zoho, live):
    moved = "/crm/v7/Contacts/actions/portal_invite_moved"
    zoho.script(Reply(307, b"", {"Location": f"{moved}?job_id={JOB}"}))
    zoho.script(Reply(200, jobs(job(JOB))), path=moved)
    assert live().returncode == 0
    assert [r.headers.get("authorization") for r in zoho.requests] == \
        [f"Zoho-oauthtoken {TOKEN}"] * 2


def test_a_redirect_to_plain_http_elsewhere_is_refused(zoho, live):
    zoho.script(Reply(301, b"", {"Location": f"http://api.example.invalid{JOB_PATH}"}))
    run = live()
    assert run.returncode == 2
    assert "not following the redirect" in run.stderr and "plain http" in run.stderr
    assert len(zoho.requests) == 1


def test_a_body_that_breaks_the_contract(zoho, live, tmp_path):
    broken = jobs({"data": "none yet", "job_id": 5020928000002387017, "status": "completed"})
    zoho.script(Reply(200, broken))
    run = live("--record", "rec")
    assert run.returncode == 1
    pointers = {f["pointer"] for f in run.json()["findings"] if f["severity"] == "error"}
    assert {"/portal_invite/0/data", "/portal_invite/0/job_id"} <= pointers
    back = run_cli("check", "rec", "--format", "json", cwd=tmp_path)
    assert back.returncode == 1  # the recording gives the same verdict
    assert {f["pointer"] for f in back.json()["findings"] if f["severity"] == "error"} == \
        pointers


def test_a_job_that_flips_back_to_in_progress(zoho, live, tmp_path):
    zoho.script(Reply(200, jobs(job(JOB), job(OTHER_JOB, "in_progress"))),
                Reply(200, jobs(job(JOB, "in_progress"), job(OTHER_JOB, "in_progress"))),
                Reply(200, jobs(job(JOB), job(OTHER_JOB))))
    run = live("--poll", "--record", "rec", job=None)
    assert run.returncode == 1
    assert len(zoho.requests) == 2  # polling stops once a state rule broke
    assert "state rule completed-job-stays-completed broke" in run.stderr
    flipped = [f for f in run.json()["findings"] if f["rule"] == "completed-job-stays-completed"]
    assert len(flipped) == 1
    assert flipped[0]["exchange"] == 1 and flipped[0]["pointer"] == "/portal_invite/0/status"
    assert "'completed' in exchange 0, found 'in_progress'" in flipped[0]["message"]
    # each recorded answer is fine on its own: state rules need the sequence
    assert run_cli("check", "rec", cwd=tmp_path).returncode == 0


def test_a_completed_job_whose_data_changes(zoho, live):
    zoho.script(Reply(200, jobs(job(JOB), job(OTHER_JOB, "in_progress"))),
                Reply(200, jobs(job(JOB, data=[item("5020928000001843999")]), job(OTHER_JOB))))
    run = live("--poll", job=None)
    assert run.returncode == 1
    [frozen] = [f for f in run.json()["findings"] if f["rule"] == "completed-job-is-frozen"]
    assert frozen["pointer"] == "/portal_invite/0/data/0/details/id"
    assert "completed-job-stays-completed" not in run.rules()


def test_a_single_job_that_completes_then_flips_back(zoho, live):
    zoho.script(Reply(200, jobs(job(JOB, "in_progress"))), Reply(200, jobs(job(JOB))),
                Reply(200, jobs(job(JOB, "in_progress"))))
    run = live("--poll")
    assert run.returncode == 1
    assert len(zoho.requests) == 3  # the confirming poll after completion caught it
    rules = run.rules()
    assert "completed-job-stays-completed" in rules and "completed-job-is-frozen" in rules


def test_a_polled_job_that_turns_into_204(zoho, live):
    zoho.script(Reply(200, jobs(job(JOB, "in_progress"))), Reply(204))
    run = live("--poll")
    assert run.returncode == 1
    assert len(zoho.requests) == 2
    assert run.rules() == ["job-ids-persist"]
    assert "holds no job state" in run.stderr


def test_a_job_id_that_vanishes(zoho, live):
    zoho.script(Reply(200, jobs(job(JOB, "in_progress"), job(OTHER_JOB, "in_progress"))),
                Reply(200, jobs(job(JOB))))
    run = live("--poll", job=None)
    assert run.returncode == 1
    [gone] = [f for f in run.json()["findings"] if f["rule"] == "job-ids-persist"]
    assert OTHER_JOB in gone["message"] and gone["exchange"] == 1


def test_polling_stops_at_the_poll_timeout(zoho, live):
    zoho.script(Reply(200, jobs(job(JOB, "in_progress"))))
    run = live("--poll", "--poll-timeout", "0.3")
    assert run.returncode == 0
    assert len(zoho.requests) >= 2
    [late] = [f for f in run.json()["findings"] if f["rule"] == "live-poll-timeout"]
    assert JOB in late["message"]


def test_writes_refuse_without_allow_writes(zoho, live):
    run = live(endpoint="bulk_invite_users", job=None)
    assert run.returncode == 2
    assert "--allow-writes" in run.stderr and "e-mails" in run.stderr
    assert zoho.requests == []


def test_writes_run_with_allow_writes_and_are_not_retried_on_5xx(zoho, live, tmp_path):
    body = tmp_path / "invite.json"
    body.write_text(json.dumps({"portal_invite": [{"data": [
        {"id": "5020928000001843001", "user_type_id": "5020928000001843100",
         "type": "invite"}]}]}))
    zoho.script(Reply(200, {"portal_invite": [{
        "code": "SCHEDULED", "details": {"job_id": JOB}, "message": "scheduled",
        "status": "success"}]}), method="POST")
    run = live("--allow-writes", "--body", str(body), endpoint="bulk_invite_users", job=None)
    assert run.returncode == 0, run.stdout + run.stderr
    assert zoho.requests[0].method == "POST"
    assert json.loads(zoho.requests[0].body) == json.loads(body.read_text())
    zoho.requests.clear()
    zoho.script(Reply(503, error("INTERNAL_ERROR", "down")), method="POST")
    run = live("--allow-writes", "--body", str(body), endpoint="bulk_invite_users", job=None)
    assert len(zoho.requests) == 1
    assert run.returncode == 1
    [note] = [f for f in run.json()["findings"] if f["rule"] == "live-server-error"]
    assert "may already have taken effect" in note["message"]


def test_the_token_comes_from_a_file_and_never_from_the_command_line(zoho, live, tmp_path):
    zoho.script(Reply(200, jobs(job(JOB))))
    token_file = tmp_path / "token.txt"
    token_file.write_text(f"Zoho-oauthtoken {TOKEN}\n")
    run = live("--token-file", str(token_file), token=None)
    assert run.returncode == 0, run.stderr
    assert zoho.requests[0].headers["authorization"] == f"Zoho-oauthtoken {TOKEN}"
    refused = live(f"--token={TOKEN}", token=None)
    assert refused.returncode == 2 and "--token-env" in refused.stderr
    missing = live(token=None)
    assert missing.returncode == 2 and "ZOHO_CRM_TOKEN" in missing.stderr
    assert len(zoho.requests) == 1


def test_a_custom_token_variable(zoho, tmp_path):
    from live_helpers import clean_env

    zoho.script(Reply(200, jobs(job(JOB))))
    env = clean_env(None) | {"MY_STAGING_TOKEN": TOKEN}
    run = run_cli("live", "get_bulk_invite_status", "--base-url", zoho.url,
                  "--token-env", "MY_STAGING_TOKEN", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert zoho.requests[0].headers["authorization"] == f"Zoho-oauthtoken {TOKEN}"


def test_plain_http_is_refused_except_to_loopback(tmp_path):
    run = run_cli("live", "get_bulk_invite_status", "--base-url", "http://api.example.invalid",
                  cwd=tmp_path)
    assert run.returncode == 2
    assert "plain http" in run.stderr


def test_an_echoed_token_is_redacted_and_an_encoded_one_is_never_written(zoho, live, tmp_path):
    echoed = jobs(job(JOB, data=[{**item(), "message": f"sent with {TOKEN}"}]))
    zoho.script(Reply(200, echoed))
    run = live("--record", "rec")
    [file] = recordings(tmp_path / "rec")
    assert "sent with REDACTED" in file.read_text()
    assert run.returncode == 0
    hidden = base64.b64encode(f"Zoho-oauthtoken {TOKEN}".encode()).decode()
    zoho.script(Reply(200, jobs(job(JOB, data=[{**item(), "message": hidden}]))))
    run = live("--record", "rec2")
    assert run.returncode == 1
    [refusal] = [f for f in run.json()["findings"] if f["rule"] == "record-leak"]
    assert "base64" in refusal["message"]
    assert recordings(tmp_path / "rec2") == []


def test_the_report_never_shows_the_token(zoho, live):
    zoho.script(Reply(200, jobs({"data": None, "job_id": JOB, "status": TOKEN})))
    run = live(fmt="text")
    assert run.returncode == 1
    assert "[REDACTED]" in run.stdout


def test_sensitive_values_are_redacted_in_recordings(zoho, live, tmp_path):
    message = "An Invite has been sent to jane.doe@example.com."
    zoho.script(Reply(200, jobs(job(JOB, data=[{**item(), "message": message}])),
                      {"Set-Cookie": "ZCRM_SESSION=s3ss10n; Path=/; HttpOnly"}))
    run = live("--record", "rec", "--query", "job_id=5020928000002387017")
    assert run.returncode == 0, run.stdout
    [file] = recordings(tmp_path / "rec")
    text = file.read_text()
    assert "jane.doe" not in text and "redacted@example.invalid" in text
    assert "s3ss10n" not in text
    assert json.loads(text)["response"]["headers"]["set-cookie"] == "REDACTED"
    redacted = json.loads(text)["provenance"]["redacted"]
    assert "response.body/portal_invite/0/data/0/message" in redacted
    assert run_cli("check", "rec", cwd=tmp_path).returncode == 0


def test_existing_recordings_are_never_overwritten(zoho, live, tmp_path):
    zoho.script(Reply(200, jobs(job(JOB))))
    assert live("--record", "rec").returncode == 0
    [first] = recordings(tmp_path / "rec")
    before = first.read_bytes()
    assert live("--record", "rec").returncode == 0
    assert live("--record", "rec").returncode == 0
    files = recordings(tmp_path / "rec")
    assert len(files) == 3
    assert first.read_bytes() == before


def test_record_into_a_file_is_a_usage_error(zoho, live, tmp_path):
    (tmp_path / "taken").write_text("mine")
    run = live("--record", "taken")
    assert run.returncode == 2 and "not a folder" in run.stderr
    assert (tmp_path / "taken").read_text() == "mine"
    assert zoho.requests == []


def test_every_report_format_and_the_exit_codes_match_check(zoho, live):
    zoho.script(Reply(200, jobs(job(JOB, data="none yet"))))
    for fmt, marker in (("text", "FAILED"), ("junit", "<testsuite"), ("github", "::error")):
        run = live(fmt=fmt)
        assert run.returncode == 1
        assert marker in run.stdout


def test_report_to_a_file(zoho, live, tmp_path):
    zoho.script(Reply(200, jobs(job(JOB))))
    run = live("--output", "report.json")
    assert run.returncode == 0
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["passed"] == 1


def test_usage_errors_name_the_problem(live):
    cases = {
        ("--query", "jobid=1"): "declares no such query parameter",
        ("--version", "7"): "does not match",
        ("--param", "personality_module=../etc"): "does not match",
        ("--param", "nope=1"): "has no {nope}",
        ("--dc", "mars"): "give --dc or --base-url, not both",
        ("--poll-interval", "0"): "--poll-interval must be more than 0",
    }
    for args, expected in cases.items():
        run = live(*args)
        assert run.returncode == 2, args
        assert expected in run.stderr, (args, run.stderr)
        assert len(run.stderr.strip().splitlines()) == 1


def test_an_unknown_data_centre(tmp_path):
    run = run_cli("live", "get_bulk_invite_status", "--dc", "mars", cwd=tmp_path)
    assert run.returncode == 2
    assert "unknown data centre 'mars'" in run.stderr and "eu" in run.stderr


def test_recordings_read_back_by_the_pytest_plugin_shape(zoho, live, tmp_path):
    """`check` and library users read recordings through the same reader."""
    from validator.api import check_file, load_contracts
    from validator.check.checker import Checker

    zoho.script(Reply(200, jobs(job(JOB))))
    assert live("--record", "rec").returncode == 0
    [file] = recordings(tmp_path / "rec")
    results = check_file(Checker(load_contracts()), file)
    assert [r.endpoint for r in results] == ["zoho-crm/portal-invite:get_bulk_invite_status"]
    assert results[0].findings == []


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_the_progress_line_shows_only_on_a_terminal(zoho, live, tmp_path):
    import os
    import pty
    import subprocess

    from live_helpers import FAST, clean_env

    zoho.script(Reply(200, jobs(job(JOB, "in_progress"))), Reply(200, jobs(job(JOB))))
    plain = live("--poll")
    assert "\r" not in plain.stderr and "polling stopped" in plain.stderr
    zoho.script(Reply(200, jobs(job(JOB, "in_progress"))), Reply(200, jobs(job(JOB))))
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "validator", "live", "get_bulk_invite_status", "--base-url",
         zoho.url, "--query", f"job_id={JOB}", "--poll", *FAST],
        cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.communicate(timeout=60)
    os.close(leader)
    assert proc.returncode == 0
    text = seen.decode()
    assert "\r\x1b[Kpolling get_bulk_invite_status: 1 response(s), 0/1 final" in text
    assert TOKEN not in text
    assert "polling stopped after 3 response(s)" in text


def test_the_demo_server_answers_like_the_readme_says(tmp_path):
    from fake_zoho import FakeZoho, demo_responder

    with FakeZoho() as demo:
        demo.responder = demo_responder()
        run = run_cli("live", "get_bulk_invite_status", "--base-url", demo.url, "--query",
                      f"job_id={JOB}", "--poll", "--poll-interval", "0.05", "--record",
                      "recordings", cwd=tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.startswith("OK: 4 exchanges")
        assert len(recordings(tmp_path / "recordings")) == 4
        unknown = run_cli("live", "get_bulk_invite_status", "--base-url", demo.url, "--query",
                          "job_id=0", cwd=tmp_path)
        assert unknown.returncode == 0 and "-> 204" in unknown.stderr
    assert run_cli("check", "recordings", cwd=tmp_path).returncode == 0


def test_the_recorded_body_stays_byte_faithful_when_it_is_not_json(zoho, live, tmp_path):
    zoho.script(Reply(200, b'{"portal_invite": [], "portal_invite": []}',
                      {"Content-Type": "application/json"}))
    run = live("--record", "rec")
    assert run.returncode == 1
    assert "body-duplicate-key" in run.rules() or any("duplicate" in f["message"]
                                                      for f in run.json()["findings"])
    [file] = recordings(tmp_path / "rec")
    assert "body_text" in json.loads(file.read_text())["response"]
    assert run_cli("check", "rec", cwd=tmp_path).returncode == 1


def test_the_live_guide_first_commands_work_as_written(tmp_path):
    """Runs the live guide's first shell block, only moving the fake server to a free port."""
    import re
    import shlex
    import socket
    import subprocess

    from live_helpers import clean_env

    repo = Path(__file__).resolve().parents[2]
    text = (repo / "docs" / "guides" / "live.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1).replace("\\\n", " ")
    lines = [line.split("#")[0].strip() for line in block.splitlines()]
    assert lines[0] == "python tests/live/fake_zoho.py --port 8765 &"
    assert lines[1] == "export ZOHO_CRM_TOKEN=demo-token"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    server = subprocess.Popen([sys.executable, "tests/live/fake_zoho.py", "--port", port],
                              cwd=repo, stdout=subprocess.PIPE, text=True)
    try:
        assert "listening" in server.stdout.readline()
        env = clean_env("demo-token")
        outputs = []
        for line in lines[2:]:
            if line.startswith("respcontract "):
                args = shlex.split(line.replace("8765", port))[1:]
                run = run_cli(*args, cwd=tmp_path, env=env)
                assert run.returncode == 0, run.stdout + run.stderr
                outputs.append(run.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert outputs[0].startswith("OK: 4 exchanges, 4 passed")
    assert outputs[1].startswith("OK: 4 exchanges, 4 passed")
    assert len(recordings(tmp_path / "recordings")) == 4


def test_the_pytest_plugin_collects_recordings(zoho, pytester):
    zoho.script(Reply(200, jobs(job(JOB, "in_progress"))), Reply(200, jobs(job(JOB))))
    run = run_cli("live", "get_bulk_invite_status", "--base-url", zoho.url, "--query",
                  f"job_id={JOB}", "--poll", "--poll-interval", "0.05", "--record", "rec",
                  cwd=pytester.path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(recordings(pytester.path / "rec")) == 3
    result = pytester.runpytest_subprocess("--respcontract-recordings", "rec", "-q")
    result.assert_outcomes(passed=3)


def test_a_base_url_that_already_holds_crm_and_the_version(zoho, tmp_path):
    v5 = "/crm/v5/Contacts/actions/portal_invite"
    zoho.script(Reply(200, jobs(job(JOB))), path=v5)
    zoho.script(Reply(200, jobs(job(JOB))), path="/crm/v6/Leads/actions/portal_invite")
    run = run_cli("live", "get_bulk_invite_status", "--domain", f"{zoho.url}/crm/v5/",
                  "--query", f"job_id={JOB}", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    run = run_cli("live", "get_bulk_invite_status", "--base-url", f"{zoho.url}/crm/v5",
                  "--version", "v6", "--param", "personality_module=Leads", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [r.path for r in zoho.requests] == [v5, "/crm/v6/Leads/actions/portal_invite"]


def test_loopback_is_never_sent_through_a_proxy(zoho, tmp_path):
    from live_helpers import clean_env

    zoho.script(Reply(200, jobs(job(JOB))))
    dead = "http://127.0.0.1:9"  # nothing listens there: a proxied request would fail
    env = clean_env() | {"HTTP_PROXY": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead}
    run = run_cli("live", "get_bulk_invite_status", "--base-url", zoho.url, cwd=tmp_path,
                  env=env)
    assert run.returncode == 0, run.stderr
    assert len(zoho.requests) == 1
