"""Refused `$ref`s and regexes through the command line: check and lint agree.

A remote, escaping, missing or dangling `$ref` stops `check` and fails `lint` with exit
status 2 and one line naming the `$ref`; an ECMA-only regex that the checker accepts is
accepted by lint too, and an invalid one is refused by both.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def folder(tmp: Path, schema: Any, extra: dict[str, Any] | None = None) -> Path:
    (tmp / "schemas").mkdir(parents=True)
    (tmp / "schemas" / "s.json").write_text(json.dumps(schema), encoding="utf-8")
    for name, doc in (extra or {}).items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text(json.dumps(doc), encoding="utf-8")
    contract = tmp / "contracts" / "t.yaml"
    contract.parent.mkdir()
    contract.write_text("contract: truth/t\nschemas: ../schemas\nendpoints:\n  get_x:\n"
                        "    method: GET\n    path: /x\n    responses:\n"
                        "      \"200\": {schema: s.json}\n", encoding="utf-8")
    (tmp / "body.json").write_text('{"a": "x"}', encoding="utf-8")
    return contract


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", *args, "--no-bundled"],
                          capture_output=True, text=True, check=False)


@pytest.mark.parametrize(("ref", "words"), [
    ("https://example.com/elsewhere.json", "is remote"),
    ("../outside.json", "is escaping the schema folder"),
    ("missing.json", "no schema file missing.json"),
    ("#/$defs/nothing", "points at nothing"),
    ("#no-such-anchor", "points at nothing"),
])
def test_refused_ref_is_one_line_and_exit_2(tmp_path: Path, ref: str, words: str) -> None:
    contract = folder(tmp_path, {"properties": {"a": {"$ref": ref}}},
                      {"outside.json": {"type": "string"}})
    for args in (["check", "--contracts", str(contract), "--endpoint", "truth/t:get_x",
                  str(tmp_path / "body.json")], ["lint", "--contracts", str(contract)]):
        done = run(*args)
        assert done.returncode == 2, (args[0], done.stdout, done.stderr)
        lines = [line for line in (done.stderr + done.stdout).splitlines() if words in line]
        assert len(lines) == 1 and repr(ref) in lines[0], (args[0], done.stdout, done.stderr)
        assert "Traceback" not in done.stderr


def test_local_id_urls_resolve_for_check_and_lint(tmp_path: Path) -> None:
    contract = folder(tmp_path, {"properties": {"a": {"$ref": "https://example.com/str.json"},
                                                "b": {"$ref": "urn:example:num"}}},
                      {"schemas/lib/str.json": {"$id": "https://example.com/str.json",
                                                "type": "string"},
                       "schemas/lib/num.json": {"$id": "urn:example:num", "type": "number"}})
    done = run("check", "--contracts", str(contract), "--endpoint", "truth/t:get_x",
               str(tmp_path / "body.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert run("lint", "--contracts", str(contract)).returncode == 0


def test_ecma_regex_is_accepted_by_check_and_lint(tmp_path: Path) -> None:
    contract = folder(tmp_path, {"properties": {"a": {"pattern": "^\\p{L}+$"}},
                                 "patternProperties": {"^(?<k>x)": {}}})
    done = run("check", "--contracts", str(contract), "--endpoint", "truth/t:get_x",
               str(tmp_path / "body.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    linted = run("lint", "--contracts", str(contract))
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_invalid_regex_is_refused_by_check_and_lint(tmp_path: Path) -> None:
    contract = folder(tmp_path, {"properties": {"a": {"pattern": "[a-"}}})
    for args in (["check", "--contracts", str(contract), "--endpoint", "truth/t:get_x",
                  str(tmp_path / "body.json")], ["lint", "--contracts", str(contract)]):
        done = run(*args)
        assert done.returncode == 2, (args[0], done.stdout, done.stderr)
        assert "invalid regex '[a-'" in done.stdout + done.stderr
