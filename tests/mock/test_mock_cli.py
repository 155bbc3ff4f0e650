"""`respcontract mock` as a subprocess: the first line, logs, recording read back by check."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from mock_helpers import AUTH, BULK_BODY, JOBS, where_said

PORTAL_INVITE = Path(__file__).resolve().parents[2] / "contracts" / "zoho-crm"


@contextmanager
def serving(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen([sys.executable, "-m", "validator", "mock", "--port", "0",
                                "--no-bundled", "--contracts", str(PORTAL_INVITE), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        prefix = "respcontract mock: serving 3 endpoints on http://127.0.0.1:"
        if not first.startswith(prefix):  # stop it before reading stderr, or that read waits
            process.terminate()
            _, err = process.communicate(timeout=60)
            raise AssertionError(first + err)
        yield first.strip().rsplit(" ", 1)[1], process
    finally:
        process.terminate()
        process.wait(timeout=60)


def _flow(base: str) -> None:
    with httpx.Client(base_url=base, headers=AUTH, timeout=60) as http:
        job_id = http.post(JOBS, json=BULK_BODY).json()["portal_invite"][0]["details"]["job_id"]
        for _ in range(3):
            http.get(JOBS, params={"job_id": job_id})
        http.get(JOBS, headers={"X-Respcontract-Fault": "429"})
        http.get(JOBS, params={"job_id": "x"})
        http.get(JOBS, headers={"Authorization": ""})


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", "check", *args],
                          capture_output=True, text=True, check=False)


def test_recorded_exchanges_are_read_back_by_check(tmp_path: Path) -> None:
    folder = tmp_path / "served"
    with serving("--seed", "5", "--steps", "1", "--record", str(folder)) as (base, process):
        _flow(base)
    assert process.stderr is not None
    log = process.stderr.read()
    assert f"respcontract mock: POST {base}{JOBS} -> 200 " \
           "(zoho-crm/portal-invite:bulk_invite_users)" in log
    assert "-> 429 (zoho-crm/portal-invite:get_bulk_invite_status) [fault 429]" in log
    files = sorted(folder.glob("*.json"))
    assert len(files) == 7
    first = json.loads(files[0].read_text())
    assert first["provenance"]["recorded_by"] == "respcontract mock"
    assert "Zoho-oauthtoken" not in "".join(f.read_text() for f in files)
    done = check(str(folder), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads(done.stdout)["summary"]
    assert summary["exchanges"] == 7 and summary["passed"] == 7


def test_invalid_recordings_fail_check_where_they_said(tmp_path: Path) -> None:
    folder = tmp_path / "served"
    with serving("--kind", "invalid", "--seed", "9", "--record", str(folder)) as (base, _), \
            httpx.Client(base_url=base, headers=AUTH, timeout=60) as http:
        for _ in range(3):
            http.post(JOBS, json=BULK_BODY)
    done = check(str(folder), "--format", "json")
    assert done.returncode == 1
    findings = json.loads(done.stdout)["findings"]
    for path in folder.glob("*.json"):
        expected = json.loads(path.read_text())["expected"]
        mine = {(f["rule"], f["pointer"]) for f in findings
                if Path(f["source"]).name == path.name and f["severity"] == "error"}
        assert where_said(mine, expected["rule"], expected["pointer"],
                          expected.get("several", False)), (path.name, mine)


def test_usage_errors_are_one_line() -> None:
    for args in (["--faults", "nonsense"], ["--kind", "bogus"], ["--steps", "0"]):
        done = subprocess.run([sys.executable, "-m", "validator", "mock", "--port", "0", *args],
                              capture_output=True, text=True, timeout=30, check=False)
        assert done.returncode == 2, args
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
