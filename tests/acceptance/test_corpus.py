"""The acceptance corpus: every file gives exactly the findings its manifest pins."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from validator.api import check_file, load_contracts
from validator.check.checker import Checker
from validator.model.findings import Severity

HERE = Path(__file__).parent
NEGATIVE = json.loads((HERE / "negative.manifest.json").read_text())
POSITIVE = json.loads((HERE / "positive.manifest.json").read_text())


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_contracts())


def findings_of(checker: Checker, folder: str, entry: dict[str, Any]) -> list[Any]:
    results = check_file(checker, HERE / folder / entry["file"], entry.get("endpoint"),
                         entry.get("status", 200))
    return [f for r in results for f in r.findings]


def pinned(items: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(i["rule"], i["pointer"]) for i in items}


def test_corpus_is_big_enough_and_covers_every_format() -> None:
    assert len(NEGATIVE) >= 30
    suffixes = {e["file"].split(".", 1)[1] for e in NEGATIVE}
    assert suffixes == {"exchange.json", "exchange.yaml", "har", "cassette.yaml",
                        "cassette.json", "bare.json"}


@pytest.mark.parametrize("entry", NEGATIVE, ids=[e["file"] for e in NEGATIVE])
def test_negative_file_fails_exactly_where_pinned(checker: Checker, entry: dict[str, Any]
                                                  ) -> None:
    findings = findings_of(checker, "negative", entry)
    errors = {(f.rule, f.pointer) for f in findings if f.severity is Severity.ERROR}
    assert errors == pinned(entry["findings"])
    assert all(f.line is not None for f in findings), "every finding points at a file line"


@pytest.mark.parametrize("entry", POSITIVE, ids=[e["file"] for e in POSITIVE])
def test_positive_file_passes_with_only_pinned_drift(checker: Checker, entry: dict[str, Any]
                                                     ) -> None:
    findings = findings_of(checker, "positive", entry)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert {(f.rule, f.pointer) for f in findings} == pinned(entry["warnings"])


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", *args], capture_output=True,
                          text=True, check=False)


def test_cli_fails_the_negative_folder_and_reports_every_file() -> None:
    done = run_cli("check", str(HERE / "negative"), "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    # bare bodies need --endpoint: without it that file is reported, not skipped
    sources = {Path(f["source"]).name for f in report["findings"]}
    assert sources == {e["file"] for e in NEGATIVE}
    assert report["summary"]["passed"] == 0


def test_cli_passes_positive_folder_and_strict_fails_on_drift() -> None:
    assert run_cli("check", str(HERE / "positive")).returncode == 0
    strict = run_cli("check", "--strict", str(HERE / "positive"))
    assert strict.returncode == 1
    assert "undocumented" in strict.stdout
