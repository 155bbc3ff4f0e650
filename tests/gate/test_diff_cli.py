"""`respcontract diff` as a user runs it: formats, exit codes, errors, git revisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from gate_helpers import ContractTree, git, git_env, run_cli, write_pair


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """One breaking, one risky and one safe change."""
    old, new = ContractTree(), ContractTree()
    new.order["properties"]["status"]["enum"].append("cancelled")  # breaking
    new.order["properties"]["note"]["deprecated"] = True  # risky
    new.order["properties"]["gift"] = {"type": "boolean"}  # safe
    return write_pair(tmp_path, old, new)


def test_text_report_and_default_exit_code(pair: tuple[Path, Path]) -> None:
    done = run_cli("diff", str(pair[0]), str(pair[1]))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert "breaking (1)" in lines and "risky (1)" in lines and "safe (1)" in lines
    at = lines.index("breaking (1)")
    assert lines[at + 1] == "  shop/orders:get_order 200 /status"
    assert lines[at + 2] == '    new value "cancelled" can now be returned  [enum-value-added]'
    assert lines[at + 3].startswith("    at ") and "order.schema.json:" in lines[at + 3]
    assert lines[-1] == ("1 breaking, 1 risky, 1 safe. FAILED: 1 change(s) at or above "
                         "--fail-on breaking")


@pytest.mark.parametrize(("fail_on", "code"), [("breaking", 1), ("risky", 1), ("never", 0)])
def test_fail_on(pair: tuple[Path, Path], fail_on: str, code: int) -> None:
    done = run_cli("diff", str(pair[0]), str(pair[1]), "--fail-on", fail_on, "--format", "json")
    assert done.returncode == code
    report = json.loads(done.stdout)
    assert report["failed"] is bool(code) and report["fail_on"] == fail_on


def test_risky_only_passes_by_default_and_fails_on_risky(tmp_path: Path) -> None:
    old, new = ContractTree(), ContractTree()
    new.order["properties"]["note"]["deprecated"] = True
    old_dir, new_dir = write_pair(tmp_path, old, new)
    assert run_cli("diff", str(old_dir), str(new_dir)).returncode == 0
    assert run_cli("diff", str(old_dir), str(new_dir), "--fail-on", "risky").returncode == 1


def test_json_report(pair: tuple[Path, Path]) -> None:
    done = run_cli("diff", str(pair[0]), str(pair[1]), "--format", "json")
    report = json.loads(done.stdout)
    assert report["summary"] == {"breaking": 1, "risky": 1, "safe": 1}
    first = report["changes"][0]
    assert {k: first[k] for k in ("level", "kind", "endpoint", "status", "pointer")} == {
        "level": "breaking", "kind": "enum-value-added", "endpoint": "shop/orders:get_order",
        "status": "200", "pointer": "/status"}
    assert first["location"] == "/properties/status/enum"
    assert first["source"].endswith("order.schema.json") and isinstance(first["line"], int)


def test_markdown_report(pair: tuple[Path, Path]) -> None:
    done = run_cli("diff", str(pair[0]), str(pair[1]), "--format", "markdown")
    text = done.stdout
    assert text.startswith("### respcontract diff: 1 breaking, 1 risky, 1 safe (failed)\n")
    assert "#### Breaking (1)" in text and "#### Risky (1)" in text
    assert "<details><summary>Safe (1)</summary>" in text
    assert "| `shop/orders:get_order` | 200 | `/status` | new value \"cancelled\" can now " \
           "be returned (enum-value-added) |" in text


def test_github_annotations(pair: tuple[Path, Path], tmp_path: Path) -> None:
    done = run_cli("diff", "old/contracts", "new/contracts", "--format", "github",
                   cwd=tmp_path, env={"GITHUB_WORKSPACE": str(tmp_path)})
    lines = done.stdout.splitlines()
    schema = tmp_path / "new" / "schemas" / "shop" / "order.schema.json"
    enum_line = next(i for i, text in enumerate(schema.read_text().splitlines(), 1)
                     if '"enum"' in text and i > 1)
    assert lines[0] == (
        f"::error file=new/schemas/shop/order.schema.json,line={enum_line},"
        "title=respcontract diff%3A breaking (enum-value-added)::shop/orders:get_order 200 "
        '/status: new value "cancelled" can now be returned')
    assert lines[1].startswith("::warning file=new/schemas/shop/order.schema.json,line=")
    assert lines[2].startswith("::notice file=new/schemas/shop/order.schema.json,line=")
    assert lines[3] == ("respcontract diff: 1 breaking, 1 risky, 1 safe. FAILED: 1 change(s) "
                        "at or above --fail-on breaking")


def test_output_file(pair: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "diff.md"
    done = run_cli("diff", str(pair[0]), str(pair[1]), "--format", "markdown", "-o",
                   str(target))
    assert done.returncode == 1 and done.stdout == ""
    assert target.read_text().startswith("### respcontract diff")


def test_no_changes(tmp_path: Path) -> None:
    old_dir, new_dir = write_pair(tmp_path, ContractTree(), ContractTree())
    done = run_cli("diff", str(old_dir), str(new_dir))
    assert done.returncode == 0
    assert "no changes" in done.stdout


def test_single_contract_files(tmp_path: Path) -> None:
    old, new = ContractTree(), ContractTree()
    new.get_order["responses"].pop("404")
    old_dir, new_dir = write_pair(tmp_path, old, new)
    done = run_cli("diff", str(old_dir / "orders.yaml"), str(new_dir / "orders.yaml"),
                   "--format", "json", "--fail-on", "risky")
    kinds = [c["kind"] for c in json.loads(done.stdout)["changes"]]
    assert kinds == ["status-removed"] and done.returncode == 1  # a non-success status: risky


@pytest.mark.parametrize(("args", "message"), [
    (["missing-old", "missing-new"], "respcontract: error: missing-old: no such contract file "
                                     "or folder"),
    (["git:HEAD", "."], "respcontract: error: git:HEAD: expected git:REVISION:PATH"),
])
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    done = run_cli("diff", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(message) and len(done.stderr.splitlines()) == 1
    assert done.stdout == ""


def test_broken_contract_is_exit_2(tmp_path: Path) -> None:
    old_dir, new_dir = write_pair(tmp_path, ContractTree(), ContractTree())
    (new_dir / "orders.yaml").write_text("contract: shop/orders\nendpoints: {}\n")
    done = run_cli("diff", str(old_dir), str(new_dir))
    assert done.returncode == 2
    assert "orders.yaml" in done.stderr and "Traceback" not in done.stderr


# -- git revisions ------------------------------------------------------------------------

def _repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    env = git_env(tmp_path)
    root = tmp_path / "repo"
    ContractTree().write(root)
    git(root, env, "init", "-q", "-b", "main")
    git(root, env, "add", ".")
    git(root, env, "commit", "-q", "-m", "v1")
    return root, env


def _edit(root: Path) -> None:
    schema = root / "schemas" / "shop" / "order.schema.json"
    data = json.loads(schema.read_text())
    data["properties"]["code"]["x-documented"].append("LOST")
    data["properties"]["note"]["maxLength"] = 500
    schema.write_text(json.dumps(data, indent=2))


def _kinds(stdout: str) -> list[tuple[str, str, str]]:
    return [(c["level"], c["kind"], c["pointer"]) for c in json.loads(stdout)["changes"]]


EXPECTED = [("breaking", "code-added", "/code"), ("breaking", "limit-loosened", "/note")]


def test_git_revision_against_working_tree(tmp_path: Path) -> None:
    root, env = _repo(tmp_path)
    _edit(root)
    status_before = git(root, env, "status", "--porcelain")
    head_before = git(root, env, "rev-parse", "HEAD")
    done = run_cli("diff", "git:HEAD:contracts/", "contracts/", "--format", "json", cwd=root,
                   env=env)
    assert done.returncode == 1, done.stderr
    assert _kinds(done.stdout) == EXPECTED
    # nothing of the user's was touched: same status, same HEAD, no checkout
    assert git(root, env, "status", "--porcelain") == status_before
    assert git(root, env, "rev-parse", "HEAD") == head_before


def test_git_revision_on_both_sides_from_a_subfolder(tmp_path: Path) -> None:
    root, env = _repo(tmp_path)
    _edit(root)
    git(root, env, "commit", "-q", "-am", "v2")
    done = run_cli("diff", "git:HEAD~1:./", "git:HEAD:./", "--format", "json",
                   cwd=root / "contracts", env=env)
    assert done.returncode == 1, done.stderr
    assert _kinds(done.stdout) == EXPECTED
    sources = {c["source"] for c in json.loads(done.stdout)["changes"]}
    assert sources == {"HEAD:schemas/shop/order.schema.json"}
    text = run_cli("diff", "git:HEAD~1:contracts", "git:HEAD:contracts", cwd=root, env=env)
    assert "at HEAD:schemas/shop/order.schema.json:" in text.stdout


def test_git_revision_with_declared_schema_folder(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    root = tmp_path / "repo"
    tree = ContractTree()
    tree.contract["schemas"] = "../api-schemas"
    tree.write(root)
    (root / "schemas").rename(root / "api-schemas")
    git(root, env, "init", "-q", "-b", "main")
    git(root, env, "add", ".")
    git(root, env, "commit", "-q", "-m", "v1")
    schema = root / "api-schemas" / "shop" / "error.schema.json"
    data = json.loads(schema.read_text())
    data["properties"]["code"]["x-documented"].append("GONE")
    schema.write_text(json.dumps(data))
    done = run_cli("diff", "git:HEAD:contracts/orders.yaml", "contracts/orders.yaml",
                   "--format", "json", cwd=root, env=env)
    assert _kinds(done.stdout) == [("breaking", "code-added", "/code")], done.stderr


@pytest.mark.parametrize(("spec", "message"), [
    ("git:nope:contracts/", "git:nope:contracts/: unknown git revision 'nope'"),
    ("git:HEAD:nothing/", "git:HEAD:nothing/: no file or folder 'nothing' in HEAD"),
])
def test_git_errors(tmp_path: Path, spec: str, message: str) -> None:
    root, env = _repo(tmp_path)
    done = run_cli("diff", spec, "contracts/", cwd=root, env=env)
    assert done.returncode == 2
    assert done.stderr == f"respcontract: error: {message}\n"


def test_git_side_with_a_broken_contract_names_the_revision(tmp_path: Path) -> None:
    root, env = _repo(tmp_path)
    contract = root / "contracts" / "orders.yaml"
    data = yaml.safe_load(contract.read_text())
    data["endpoints"]["get_order"]["method"] = "FETCH"
    contract.write_text(yaml.safe_dump(data))
    git(root, env, "commit", "-q", "-am", "broken")
    done = run_cli("diff", "git:HEAD:contracts/", "contracts/", cwd=root, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("respcontract: error: git:HEAD:contracts/: "
                                  "HEAD:contracts/orders.yaml")
    assert "respcontract-diff-" not in done.stderr


def test_outside_a_repository(tmp_path: Path) -> None:
    old_dir, _ = write_pair(tmp_path, ContractTree(), ContractTree())
    done = run_cli("diff", "git:HEAD:contracts/", str(old_dir), cwd=tmp_path,
                   env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert done.returncode == 2
    assert "not inside a git repository" in done.stderr
