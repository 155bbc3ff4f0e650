"""The CI gate guide (docs/guides/ci-gate.md), run as written.

The shell example and its printed output, both GitHub Actions workflows (every `run:` step
but the install one, in a temporary repository laid out like a user's), and the pre-commit
config (compared with .pre-commit-hooks.yaml here; run for real in test_precommit.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from gate_helpers import block_with, git, git_env

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "contracts" / "zoho-crm" / "examples"


def workflow(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(block_with("yaml", f"name: {name}"))
    return loaded


def user_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository laid out as the section assumes: contracts/, schemas/, recordings/."""
    env = git_env(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "contracts", repo / "contracts")
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    (repo / "recordings").mkdir()
    shutil.copy(EXAMPLES / "job-id-sent.json", repo / "recordings" / "job.json")
    (repo / "pyproject.toml").write_text(
        '[tool.respcontract]\ncontracts = ["contracts"]\nrecordings = ["recordings"]\n'
        "bundled = false\n")
    git(repo, env, "init", "-q", "-b", "main")
    git(repo, env, "add", ".")
    git(repo, env, "commit", "-q", "-m", "main")
    return repo, env


def bash(script: str, cwd: Path, env: dict[str, str],
         as_actions: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a script; `as_actions` stops at the first failing command, as a `run:` step does."""
    options = ["-e", "-o", "pipefail"] if as_actions else []
    return subprocess.run(["bash", *options, "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def steps(flow: dict[str, Any]) -> list[dict[str, Any]]:
    """The `run:` steps of the workflow's only job, but the install step."""
    (job,) = flow["jobs"].values()
    return [s for s in job["steps"] if "run" in s and s.get("name") != "Install respcontract"]


def without_line_numbers(text: str) -> str:
    return re.sub(r"(\.json|\.yaml):\d+", r"\1:N", text)


def test_diff_example_prints_the_documented_report(tmp_path: Path) -> None:
    repo, env = user_repo(tmp_path)
    done = bash(block_with("sh", "respcontract diff git:HEAD"), repo, env, as_actions=False)
    assert done.returncode == 0, done.stderr  # the last command, the undo, succeeds
    documented = block_with("console", "respcontract diff git:HEAD")
    # line numbers follow the bundled schema's layout; everything else must match exactly
    assert without_line_numbers(done.stdout) == without_line_numbers(documented)
    assert git(repo, env, "status", "--porcelain") == ""


def test_pull_request_workflow(tmp_path: Path) -> None:
    repo, env = user_repo(tmp_path)
    git(repo, env, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, env, "checkout", "-q", "-b", "feature")
    summary = tmp_path / "summary.md"
    env = {**env, "GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_WORKSPACE": str(repo)}
    schema = repo / "schemas" / "zoho-crm" / "portal-invite" / "job-status.schema.json"
    data = json.loads(schema.read_text())
    data["$defs"]["job"]["properties"]["created"] = {"type": "string"}  # safe
    schema.write_text(json.dumps(data, indent=2))
    flow = steps(workflow("API contracts"))
    assert [s["name"] for s in flow] == ["Check recordings",
                                         "Contract diff against the base branch"]
    for step in flow:
        done = bash(step["run"], repo, env)
        assert done.returncode == 0, (step["name"], done.stdout, done.stderr)
    assert summary.read_text().startswith(
        "### respcontract diff: 0 breaking, 0 risky, 1 safe (passed)")

    data["$defs"]["item"]["properties"]["code"]["x-documented"].append("ALREADY_INVITED")
    schema.write_text(json.dumps(data, indent=2))
    done = bash(flow[1]["run"], repo, env)
    assert done.returncode == 1
    assert re.search(r"^::error file=schemas/zoho-crm/portal-invite/job-status\.schema\.json,"
                     r"line=\d+,title=respcontract diff%3A breaking \(code-added\)::"
                     r"zoho-crm/portal-invite:get_bulk_invite_status 200 "
                     r"/portal_invite/\*/data/\*/code: new documented value \"ALREADY_INVITED\"",
                     done.stdout, flags=re.M), done.stdout


class _FakeZoho(BaseHTTPRequestHandler):
    """Answers every GET with the documented all-jobs sample."""

    sample = json.loads((EXAMPLES / "all-jobs.json").read_text())["response"]["body"]

    def do_GET(self) -> None:
        body = json.dumps(self.sample).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_zoho() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeZoho)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_nightly_workflow(tmp_path: Path, fake_zoho: str) -> None:
    repo, env = user_repo(tmp_path)
    token = "nightly-test-token-4711"
    flow = steps(workflow("Vendor drift"))
    assert [s["name"] for s in flow] == ["Call the live API and record the answers",
                                         "Check the new recordings strictly"]
    live, check = flow
    assert live["env"] == {"ZOHO_CRM_TOKEN": "${{ secrets.ZOHO_CRM_TOKEN }}"}
    assert "--dc us" in live["run"]
    # the one substitution: the local stand-in for Zoho instead of the US data centre
    script = live["run"].replace("--dc us", f"--base-url {fake_zoho}")
    done = bash(script, repo, {**env, "ZOHO_CRM_TOKEN": token})
    assert done.returncode == 0, done.stdout + done.stderr
    recorded = list((repo / "recordings" / "nightly").rglob("*.json"))
    assert recorded and all(token not in p.read_text() for p in recorded)
    done = bash(check["run"], repo, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == f"respcontract: {len(recorded)} exchanges, {len(recorded)} passed, " \
                          "0 failed\n"


def test_pre_commit_config_matches_the_hook_manifest() -> None:
    config = yaml.safe_load(block_with("yaml", "repo: local"))
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (local,) = config["repos"]
    assert len(local["hooks"]) == len(manifest)
    for documented, defined in zip(local["hooks"], manifest, strict=True):
        assert documented["language"] == "system"
        for key in ("id", "name", "entry", "files", "require_serial"):
            assert documented[key] == defined[key], key


def test_documented_refusal_is_what_the_hook_prints(tmp_path: Path) -> None:
    """The hook's output shown in the section is the command's real output."""
    shown = block_with("text", "hook id: respcontract-check")
    report = shown.split("- exit code: 1\n\n", 1)[1]
    repo, env = user_repo(tmp_path)
    exchange = json.loads((EXAMPLES / "job-id-sent.json").read_text())
    exchange["response"]["body"]["portal_invite"][0]["data"][0]["details"]["id"] = \
        5020928000001843001
    (repo / "recordings" / "bad.json").write_text(json.dumps(exchange, indent=2))
    done = bash("respcontract check recordings/bad.json", repo, env)
    assert done.returncode == 1
    assert done.stdout == report
