"""The pre-commit hooks, run for real: `pre-commit install` in a temporary git repository,
then `git commit` with good and bad files.

What this proves: the pre-commit config the CI gate guide gives (a `repo: local` copy of the hooks
in .pre-commit-hooks.yaml with `language: system`; test_ci_recipes checks the copy matches
the manifest) works with the real pre-commit tool and a real commit: it blocks a bad
recording or schema with respcontract's message and lets good ones through. What it does not
exercise is pre-commit building the hook's own Python environment from the repository
(`language: python`): test_try_repo does that, with the package index CI reaches
(RESPCONTRACT_TEST_OFFLINE=1 skips it on a machine without one).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from gate_helpers import block_with, git_env

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
EXAMPLE = ROOT / "contracts" / "zoho-crm" / "examples" / "job-id-sent.json"


def hooks() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def test_manifest_is_valid_for_pre_commit() -> None:
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                           str(MANIFEST)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [h["id"] for h in hooks()] == ["respcontract-lint", "respcontract-check"]
    assert all(h["entry"].startswith("respcontract ") for h in hooks())


@pytest.mark.parametrize(("path", "expected"), [
    ("contracts/zoho-crm/portal-invite.yaml", "respcontract-lint"),
    ("contracts/zoho-crm/examples/job-id-sent.json", "respcontract-lint"),
    ("contracts/zoho-crm/examples/in-progress.yaml", "respcontract-lint"),
    ("schemas/zoho-crm/common/error.schema.json", "respcontract-lint"),
    ("api/contracts/shop.yml", "respcontract-lint"),
    ("recordings/job.json", "respcontract-check"),
    ("recordings/nightly/2024-05-01/job.yaml", "respcontract-check"),
    ("tests/cassettes/test_jobs.yaml", "respcontract-check"),
    ("traffic/session.har", "respcontract-check"),
    (".pre-commit-config.yaml", None),
    (".github/workflows/ci.yml", None),
    ("package.json", None),
    ("pyproject.toml", None),
])
def test_files_patterns(path: str, expected: str | None) -> None:
    matched = [h["id"] for h in hooks() if re.search(h["files"], path)]
    assert matched == ([expected] if expected else [])


class Repo:
    """A temporary git repository with this project's hooks installed by pre-commit."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path, self.env = path, env
        path.mkdir()
        self.run("git", "init", "-q", "-b", "main")
        # the config the CI gate guide tells users to add, verbatim
        (path / ".pre-commit-config.yaml").write_text(block_with("yaml", "repo: local"))
        self.run(sys.executable, "-m", "pre_commit", "install")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=self.path, env=self.env, capture_output=True,
                              text=True, check=False)

    def commit(self, message: str, *files: str) -> subprocess.CompletedProcess[str]:
        self.run("git", "add", *files)
        return self.run("git", "commit", "-m", message)

    def commits(self) -> int:
        done = self.run("git", "rev-list", "--count", "HEAD")
        return int(done.stdout.strip()) if done.returncode == 0 else 0


def test_check_hook_accepts_good_and_refuses_bad_recording(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", git_env(tmp_path))
    (repo.path / "recordings").mkdir()
    shutil.copy(EXAMPLE, repo.path / "recordings" / "good.json")
    good = repo.commit("good recording", ".pre-commit-config.yaml", "recordings/good.json")
    output = good.stdout + good.stderr
    assert good.returncode == 0, output
    assert re.search(r"respcontract check\.+Passed", output), output
    assert repo.commits() == 1

    exchange = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    item = exchange["response"]["body"]["portal_invite"][0]["data"][0]
    item["details"]["id"] = 5020928000001843001  # an id as a number: precision is lost
    (repo.path / "recordings" / "bad.json").write_text(json.dumps(exchange, indent=2))
    bad = repo.commit("bad recording", "recordings/bad.json")
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert re.search(r"respcontract check\.+Failed", output), output
    assert "recordings/bad.json:18:23: error [schema] /portal_invite/0/data/0/details/id: " \
           "expected string, found integer 5020928000001843001" in output
    assert repo.commits() == 1


def test_lint_hook_refuses_a_schema_edit_that_breaks_an_example(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", git_env(tmp_path))
    shutil.copytree(ROOT / "contracts", repo.path / "contracts")
    shutil.copytree(ROOT / "schemas", repo.path / "schemas")
    (repo.path / "pyproject.toml").write_text(
        '[tool.respcontract]\ncontracts = ["contracts"]\nbundled = false\n')
    good = repo.commit("contracts", ".")
    output = good.stdout + good.stderr
    assert good.returncode == 0, output
    assert re.search(r"respcontract lint\.+Passed", output), output

    ids = repo.path / "schemas" / "zoho-crm" / "common" / "ids.schema.json"
    schema = json.loads(ids.read_text(encoding="utf-8"))
    schema["$defs"]["id"]["pattern"] = "^[0-9]{1,10}$"  # the documented ids have 19 digits
    ids.write_text(json.dumps(schema, indent=2))
    bad = repo.commit("shorter ids", "schemas/zoho-crm/common/ids.schema.json")
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert re.search(r"respcontract lint\.+Failed", output), output
    assert "contracts/zoho-crm/examples/job-id-sent.json:25:21: example fails [schema] " \
           "/portal_invite/0/job_id" in output
    assert repo.commits() == 1


@pytest.mark.skipif(os.environ.get("RESPCONTRACT_TEST_OFFLINE") == "1",
                    reason="builds the hook's Python environment from a package index, "
                           "and RESPCONTRACT_TEST_OFFLINE=1 says there is none")
def test_try_repo_installs_the_hooks_from_the_repository(tmp_path: Path) -> None:
    """`pre-commit try-repo` on a snapshot of this repository: `language: python` for real."""
    env = git_env(tmp_path)
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    hook_repo = tmp_path / "respcontract"
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (hook_repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, hook_repo / name)
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=hook_repo, env=env, check=True)
    user = Repo(tmp_path / "user", env)
    (user.path / "recordings").mkdir()
    shutil.copy(EXAMPLE, user.path / "recordings" / "good.json")
    exchange = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    exchange["response"]["body"]["portal_invite"][0]["job_id"] = 5020928000002387017
    (user.path / "recordings" / "bad.json").write_text(json.dumps(exchange, indent=2))
    user.run("git", "add", "recordings")

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return user.run(sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo),
                        "respcontract-check", "--files", *files)

    good = try_repo("recordings/good.json")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = try_repo("recordings/bad.json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "recordings/bad.json:25:21: error [schema] /portal_invite/0/job_id: expected " \
           "string, found integer 5020928000002387017" in bad.stdout
