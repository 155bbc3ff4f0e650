"""The command line as a user runs it: a subprocess, its output and its exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "contracts" / "zoho-crm" / "examples"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", *args], capture_output=True,
                          text=True, cwd=cwd, check=False)


def test_check_without_arguments_passes_every_bundled_example(tmp_path: Path) -> None:
    done = run("check", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 failed" in done.stdout
    hand_written = run("check", str(EXAMPLES), cwd=tmp_path)
    assert "8 exchanges, 8 passed, 0 failed" in hand_written.stdout


def test_list_prints_every_endpoint() -> None:
    done = run("list")
    assert done.returncode == 0
    names = [line.split()[0] for line in done.stdout.splitlines()]
    assert [n for n in names if n.startswith("zoho-crm/")] == [
        "zoho-crm/portal-invite:get_bulk_invite_status",
        "zoho-crm/portal-invite:bulk_invite_users",
        "zoho-crm/portal-invite:invite_user"]
    rows = json.loads(run("list", "--format", "json").stdout)
    by_name = {row["endpoint"]: row for row in rows}
    assert by_name["zoho-crm/portal-invite:get_bulk_invite_status"]["responses"] == [
        "200", "204", "4XX", "5XX"]


def test_lint_passes_on_the_bundled_contracts() -> None:
    done = run("lint")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("lint OK")


def test_failures_exit_1_and_point_at_file_line_and_field(tmp_path: Path) -> None:
    bad = json.loads((EXAMPLES / "job-id-sent.json").read_text())
    bad["response"]["body"]["portal_invite"][0]["job_id"] = 5020928000002387017
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, indent=2))
    done = run("check", str(path), str(EXAMPLES / "all-jobs.json"), "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["summary"]["exchanges"] == 2 and report["summary"]["passed"] == 1
    [finding] = report["findings"]
    assert finding["pointer"] == "/portal_invite/0/job_id"
    lines = path.read_text().splitlines()
    assert '"job_id": 5020928000002387017' in lines[finding["line"] - 1]


def test_bare_body_with_endpoint_and_unknown_endpoint_is_usage_error(tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_text('{"portal_invite": []}')
    assert run("check", str(body), "--endpoint", "get_bulk_invite_status").returncode == 0
    done = run("check", str(body), "--endpoint", "nope:nothing")
    assert done.returncode == 2
    assert done.stderr.startswith("respcontract: error: unknown endpoint 'nope:nothing'")
    assert "Traceback" not in done.stderr


def test_broken_contract_exits_2_with_one_line(tmp_path: Path) -> None:
    contract = tmp_path / "contracts" / "broken.yaml"
    contract.parent.mkdir()
    contract.write_text("contract: broken\nendpoints: {a: {method: GET}}\n")
    for command in ("check", "lint", "list"):
        done = run(command, "--contracts", str(contract))
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        output = (done.stdout + done.stderr).strip()
        assert "Traceback" not in output and str(contract) in output


def test_unreadable_inputs_do_not_stop_the_run_and_missing_ones_are_usage_errors(
        tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    done = run("check", str(garbage), str(EXAMPLES / "job-id-sent.json"))
    assert done.returncode == 1
    assert "garbage.json:1:2: error [body-json]" in done.stdout
    assert "2 exchanges, 1 passed, 1 failed" in done.stdout
    missing = run("check", str(garbage), str(tmp_path / "missing.json"))
    assert missing.returncode == 2 and missing.stdout == ""
    assert "no such file or folder" in missing.stderr and "missing.json" in missing.stderr


def test_strict_makes_drift_fail_and_config_can_set_it(tmp_path: Path) -> None:
    drift = json.loads((EXAMPLES / "job-id-sent.json").read_text())
    drift["response"]["body"]["portal_invite"][0]["created_time"] = "2026-11-20"
    path = tmp_path / "drift.json"
    path.write_text(json.dumps(drift))
    assert run("check", str(path), cwd=tmp_path).returncode == 0
    assert run("check", "--strict", str(path), cwd=tmp_path).returncode == 1
    (tmp_path / "pyproject.toml").write_text(
        '[tool.respcontract]\nstrict = true\nrecordings = ["drift.json"]\n')
    done = run("check", cwd=tmp_path)
    assert done.returncode == 1 and "undocumented" in done.stdout


def test_junit_output_file_is_written(tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    done = run("check", "--format", "junit", "--output", str(out))
    assert done.returncode == 0 and done.stdout == ""
    cases = out.read_text().count("<testcase")  # one per bundled example (v7 and v8)
    assert cases > 8 and cases == out.read_text().count('endpoint="')


def test_import_is_light() -> None:
    code = ("import sys, validator; validator.Checker; validator.check_paths; "
            "print(sorted(m for m in ('hypothesis', 'httpx', 'pytest') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_lint_of_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    done = run("lint", "--no-bundled", "contracts/typo.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.strip() == "contracts/typo.yaml: no such file or folder"
    assert "lint OK" not in done.stdout and "Traceback" not in done.stderr


def test_unknown_names_suggest_the_closest_not_the_whole_bundle() -> None:
    endpoint = run("sample", "zoho-crm/portal-invite:get_bulk_invite_stats")
    assert endpoint.returncode == 2
    assert "did you mean zoho-crm/portal-invite:get_bulk_invite_status" in endpoint.stderr
    assert endpoint.stderr.count("\n") == 1 and len(endpoint.stderr) < 400
    contract = run("export", "openapi", "zoho-crm-v8/recrd")
    assert contract.returncode == 2
    assert "did you mean zoho-crm-v8/record?" in contract.stderr
    assert contract.stderr.count("\n") == 1 and len(contract.stderr) < 400
