"""`respcontract fuzz`, run as a user would: a subprocess on the shipped example consumers."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from genhelpers import CONSUMERS, JOB_STATUS, respcontract

NAIVE = str(CONSUMERS / "naive.py") + ":summarize"
CAREFUL = str(CONSUMERS / "careful.py") + ":summarize"


def _payloads(output: str) -> list[str]:
    """The shrunk payload blocks of a fuzz report."""
    return re.findall(r"  payload \(shrunk\):\n((?:    .*\n)+)", output)


def _fuzz(tmp_path: Path, target: str, *extra: str) -> tuple[int, str, str]:
    done = respcontract("fuzz", target, "--endpoint", JOB_STATUS, "--seed", "7",
                        "--reproducers", str(tmp_path / "repro"), *extra, cwd=tmp_path)
    return done.returncode, done.stdout, done.stderr


def test_the_naive_consumer_crashes_on_both_documented_edges(tmp_path: Path) -> None:
    code, out, err = _fuzz(tmp_path, NAIVE, "--kind", "valid")
    assert code == 1, err
    assert "FAIL valid: the consumer raised KeyError" in out
    assert "FAIL valid: the consumer raised TypeError" in out
    assert "KeyError: 'id'" in out and "'NoneType' object is not iterable" in out
    payloads = _payloads(out)
    assert len(payloads) == 2
    # shrunk: one job with one error item, and one running job; a few lines each
    assert any('"details": {}' in p for p in payloads)
    assert any('"data": null' in p and '"in_progress"' in p for p in payloads)
    assert all(len(p.splitlines()) <= 12 for p in payloads)
    assert 'File "' in out and "naive.py" in out and "validator/fuzz.py" not in out


def test_reproducer_files_hold_the_payload_and_replay_fails_again(tmp_path: Path) -> None:
    code, out, _ = _fuzz(tmp_path, NAIVE, "--kind", "valid")
    assert code == 1
    reproducers = re.findall(r"  reproducer: (.+)\n", out)
    replays = re.findall(r"  replay: (.+)\n", out)
    assert len(reproducers) == len(replays) == 2
    for path, payload in zip(reproducers, _payloads(out), strict=True):
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
        shown = json.loads("\n".join(line[4:] for line in payload.splitlines()))
        assert saved == shown
    words = shlex.split(replays[0])
    assert words[:2] == ["respcontract", "fuzz"]
    again = respcontract(*words[1:], cwd=tmp_path)
    assert again.returncode == 1
    assert "FAIL valid" in again.stdout and "  payload:" in again.stdout
    first = re.search(r"FAIL valid: the consumer raised (\w+)", out)
    assert first is not None  # the replay fails with the first failure's exception
    assert f"FAIL valid: the consumer raised {first.group(1)}" in again.stdout


def test_the_careful_consumer_passes_every_kind(tmp_path: Path) -> None:
    code, out, err = _fuzz(tmp_path, CAREFUL, "--allow", "PayloadError")
    assert (code, err) == (0, "")
    assert "FAIL" not in out
    for kind in ("valid", "edge", "drift", "invalid"):
        assert f"  {kind}: 100 calls, no crash\n" in out


def test_invalid_examples_need_allow_for_the_exceptions_a_consumer_raises(
        tmp_path: Path) -> None:
    code, out, _ = _fuzz(tmp_path, CAREFUL, "--kind", "invalid", "--max-examples", "10")
    assert code == 1
    assert "FAIL invalid: the consumer raised PayloadError" in out
    assert "invalid on purpose:" in out and "expected finding: schema at" in out
    code, out, _ = _fuzz(tmp_path, CAREFUL, "--kind", "invalid", "--max-examples", "30",
                         "--allow", "ValueError")  # a base class counts
    assert code == 0, out


def test_the_same_seed_gives_the_same_run(tmp_path: Path) -> None:
    first = _fuzz(tmp_path, NAIVE, "--kind", "valid,edge", "--max-examples", "30")
    second = _fuzz(tmp_path, NAIVE, "--kind", "valid,edge", "--max-examples", "30")
    assert first[0] == second[0] == 1
    assert first[1] == second[1]  # the same reproducer names too: identical files are reused


def test_reproducers_are_never_overwritten(tmp_path: Path) -> None:
    code, out, _ = _fuzz(tmp_path, NAIVE, "--kind", "valid", "--max-examples", "30")
    assert code == 1
    first = Path(re.findall(r"  reproducer: (.+)\n", out)[0])
    first.write_text('{"edited": "by the user"}\n', encoding="utf-8")
    _, out, _ = _fuzz(tmp_path, NAIVE, "--kind", "valid", "--max-examples", "30")
    second = Path(re.findall(r"  reproducer: (.+)\n", out)[0])
    assert second != first and second.name.startswith(first.stem)
    assert json.loads(first.read_text(encoding="utf-8")) == {"edited": "by the user"}


def test_no_hypothesis_database_is_left_in_the_working_folder(tmp_path: Path) -> None:
    done = respcontract("fuzz", NAIVE, "--endpoint", JOB_STATUS, "--kind", "valid",
                        "--max-examples", "20", "--seed", "1", cwd=tmp_path)
    assert done.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".respcontract"]
    assert list((tmp_path / ".respcontract" / "reproducers").glob("*.json"))


def test_returning_false_and_assertions_are_failures(tmp_path: Path) -> None:
    consumer = tmp_path / "checks.py"
    consumer.write_text(
        "def few_jobs(body):\n"
        "    return len(body['portal_invite']) < 3\n"
        "def asserts(body):\n"
        "    assert all(j['status'] == 'completed' for j in body['portal_invite'])\n",
        encoding="utf-8")
    code, out, _ = _fuzz(tmp_path, f"{consumer}:few_jobs", "--kind", "valid",
                         "--max-examples", "30")
    assert code == 1 and "FAIL valid: the consumer returned False" in out
    code, out, _ = _fuzz(tmp_path, f"{consumer}:asserts", "--kind", "valid",
                         "--max-examples", "30")
    assert code == 1 and "AssertionError" in out and '"in_progress"' in out


def test_whole_exchanges_and_httpx_responses(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(
        "def from_exchange(exchange):\n"
        "    if exchange.response.status == 200:\n"
        "        return [j['job_id'] for j in exchange.response.parsed['portal_invite']]\n"
        "def from_httpx(response):\n"
        "    response.raise_for_status()\n"
        "    return response.json()\n",
        encoding="utf-8")
    code, out, _ = _fuzz(tmp_path, "client:from_exchange", "--input", "exchange",
                         "--kind", "valid,edge", "--max-examples", "40")
    assert code == 0, out
    code, out, _ = _fuzz(tmp_path, "client:from_httpx", "--input", "httpx", "--kind", "valid")
    assert code == 1 and "HTTPStatusError" in out
    assert re.search(r'"status": [45][0-9][0-9]', out)  # an error status, shrunk
    replay = re.findall(r"  replay: (.+)\n", out)[0]
    assert "--input httpx" in replay


def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    cases = [
        ("nosuchmodule:fn", "--endpoint", JOB_STATUS),
        (NAIVE.replace("summarize", "missing"), "--endpoint", JOB_STATUS),
        (NAIVE, "--endpoint", "zoho-crm/portal-invite:nope"),
        (NAIVE, "--endpoint", JOB_STATUS, "--kind", "valid,weird"),
        ("no-colon", "--endpoint", JOB_STATUS),
    ]
    for args in cases:
        done = respcontract("fuzz", *args, cwd=tmp_path)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
