"""Checking at scale: --jobs, NDJSON on stdin, --max-findings, pickling for other engines."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from validator.api import check_file, load_contracts
from validator.check.checker import Checker

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "contracts" / "zoho-crm" / "examples"
POSITIVE = Path(__file__).parent / "positive"
NEGATIVE = Path(__file__).parent / "negative"


def respcontract(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", "check", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif"])
def test_jobs_give_the_same_report_in_the_same_order(tmp_path: Path, fmt: str) -> None:
    for number in range(6):  # enough files that every worker gets some
        for folder in (POSITIVE, NEGATIVE):
            shutil.copytree(folder, tmp_path / f"{folder.name}-{number}")
    one = respcontract(str(tmp_path), "--format", fmt)
    two = respcontract(str(tmp_path), "--format", fmt, "--jobs", "2")
    auto = respcontract(str(tmp_path), "--format", fmt, "--jobs", "auto")
    assert one.returncode == two.returncode == auto.returncode == 1
    assert one.stdout == two.stdout == auto.stdout and one.stdout


def test_ndjson_on_stdin_is_checked_line_by_line() -> None:
    good = json.loads((EXAMPLES / "job-id-sent.json").read_text())
    bad = json.loads(json.dumps(good))
    bad["response"]["body"]["portal_invite"][0]["job_id"] = 5
    lines = [json.dumps(good), "", json.dumps(bad), "{not json", json.dumps(good)]
    done = respcontract("-", "--format", "json", stdin="\n".join(lines) + "\n")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["exchanges"] == 4 and report["summary"]["passed"] == 2
    found = [(f["rule"], f["exchange"], f["line"]) for f in report["findings"]]
    assert {(exchange, line) for _, exchange, line in found} == {(2, 3), (3, 4)}
    assert ("schema", 2, 3) in found and ("body-json", 3, 4) in found


def _wide(tmp_path: Path, members: int) -> Path:
    document = json.loads((EXAMPLES / "job-id-sent.json").read_text())
    document["response"]["body"]["portal_invite"][0].update(
        {f"extra{i}": i for i in range(members)})
    path = tmp_path / "wide.exchange.json"
    path.write_text(json.dumps(document, indent=1))
    return path


def test_a_flood_of_findings_is_capped_with_one_summary(tmp_path: Path) -> None:
    path = _wide(tmp_path, 5000)
    report = json.loads(respcontract(str(path), "--format", "json", "--max-findings", "10",
                                     "--strict").stdout)
    findings = report["findings"]
    assert len(findings) == 11
    assert findings[0]["message"] == ("and 4,990 more undocumented members of "
                                      "/portal_invite/0 (--max-findings 10)")
    lines = [f["line"] for f in findings[1:]]
    assert lines == sorted(lines) and len(set(lines)) == 10  # each located, in file order
    every = json.loads(respcontract(str(path), "--format", "json", "--max-findings", "0")
                       .stdout)
    assert len(every["findings"]) == 5000


def test_checker_and_results_pickle() -> None:
    checker = pickle.loads(pickle.dumps(Checker(load_contracts())))
    results = check_file(checker, NEGATIVE / next(p.name for p in NEGATIVE.iterdir()))
    again = pickle.loads(pickle.dumps(results))
    assert again == results and any(r.findings for r in again)


def test_a_missing_recording_path_in_the_config_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.respcontract]\nrecordings = ["recordings/gone.har"]\n')
    done = subprocess.run([sys.executable, "-m", "validator", "check"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert "no such file or folder" in done.stderr and "gone.har" in done.stderr


def test_a_flood_at_the_root_is_counted_in_full(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "job-id-sent.json").read_text())
    document["response"]["body"].update({f"extra{i}": i for i in range(3000)})
    path = tmp_path / "root.exchange.json"
    path.write_text(json.dumps(document))
    report = json.loads(respcontract(str(path), "--format", "json").stdout)
    summaries = [f["message"] for f in report["findings"] if "more undocumented" in f["message"]]
    assert summaries == ["and 2,900 more undocumented members of / (--max-findings 100)"]
    assert len(report["findings"]) == 101


def test_a_body_too_large_for_drift_says_drift_was_not_looked_for(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "job-id-sent.json").read_text())
    document["response"]["body"].update({f"extra{i}": i for i in range(210_000)})
    path = tmp_path / "huge.exchange.json"
    path.write_text(json.dumps(document))
    done = respcontract(str(path), "--format", "json")
    assert done.returncode == 0, done.stderr  # drift is never breakage
    findings = json.loads(done.stdout)["findings"]
    assert [(f["severity"], f["rule"]) for f in findings] == [("warning", "drift-limit")]
    assert "not looked for" in findings[0]["message"]
    assert respcontract(str(path), "--strict").returncode == 1  # strict cannot vouch for it
