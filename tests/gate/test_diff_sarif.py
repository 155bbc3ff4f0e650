"""`respcontract diff --format sarif`, validated against the official SARIF 2.1.0 schema
(OASIS, Errata 01; see data/README.md)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from gate_helpers import ContractTree, git, git_env, run_cli, write_pair
from jsonschema import Draft4Validator

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json")
                          .read_text(encoding="utf-8"))


def changed_pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = ContractTree(), ContractTree()
    new.order["properties"]["status"]["enum"].append("cancelled")  # breaking
    new.order["properties"]["note"]["deprecated"] = True  # risky
    new.order["properties"]["gift"] = {"type": "boolean"}  # safe
    return write_pair(tmp_path, old, new)


def sarif_of(done: subprocess.CompletedProcess[str]) -> dict:
    log = json.loads(done.stdout)
    errors = sorted(Draft4Validator(SARIF_SCHEMA).iter_errors(log), key=str)
    assert not errors, errors[0]
    return log


def test_sarif_log_is_valid_and_carries_every_change(tmp_path: Path) -> None:
    old, new = changed_pair(tmp_path)
    done = run_cli("diff", str(old), str(new), "--format", "sarif")
    assert done.returncode == 1, done.stderr
    log = sarif_of(done)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("enum-value-added", "error"), ("deprecated", "warning"), ("property-added", "note")]
    rules = run["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]
    first = results[0]
    assert "cancelled" in first["message"]["text"]
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"].endswith("shop/order.schema.json")
    assert physical["region"]["startLine"] > 0
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == \
        "shop/orders:get_order 200 /status"
    assert run["properties"]["summary"] == {"breaking": 1, "risky": 1, "safe": 1}
    assert run["invocations"][0]["exitCode"] == 1


def test_sarif_levels_follow_fail_on(tmp_path: Path) -> None:
    old, new = changed_pair(tmp_path)
    never = sarif_of(run_cli("diff", str(old), str(new), "--format", "sarif",
                             "--fail-on", "never"))
    assert [r["level"] for r in never["runs"][0]["results"]] == ["warning", "warning", "note"]
    risky = sarif_of(run_cli("diff", str(old), str(new), "--format", "sarif",
                             "--fail-on", "risky"))
    assert [r["level"] for r in risky["runs"][0]["results"]] == ["error", "error", "note"]


def test_sarif_without_changes_is_valid(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, ContractTree(), ContractTree())
    log = sarif_of(run_cli("diff", str(old), str(new), "--format", "sarif"))
    assert log["runs"][0]["results"] == []


def test_sarif_names_git_files_in_the_message(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    ContractTree().write(root)
    env = git_env(tmp_path)
    git(root, env, "init", "-q")
    git(root, env, "add", ".")
    git(root, env, "commit", "-q", "-m", "v1")
    schema = root / "schemas" / "shop" / "order.schema.json"
    data = json.loads(schema.read_text())
    data["properties"]["status"]["enum"].append("cancelled")
    schema.write_text(json.dumps(data, indent=2))
    git(root, env, "commit", "-q", "-am", "v2")
    log = sarif_of(run_cli("diff", "git:HEAD~1:contracts/", "git:HEAD:contracts/",
                           "--format", "sarif", cwd=root, env=env))
    (result,) = log["runs"][0]["results"]
    assert "physicalLocation" not in result["locations"][0]
    assert "HEAD:schemas/shop/order.schema.json" in result["message"]["text"]
