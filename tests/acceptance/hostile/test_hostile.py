"""Hostile inputs through the real command line: no traceback, nothing lost, bounded.

Every bad recording runs between a good file and a file with one known violation: the bad
file must get one-line findings of the expected kind, and both neighbours must still be
checked and reported. Every broken contract must stop `check`, `lint` and `list` with
exit 2 and one line naming the broken file. Big inputs run under an address-space limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_hostile as corpus  # noqa: E402

MANIFEST: list[dict[str, Any]] = json.loads((HERE / "manifest.json").read_text())
RECORDINGS = [e for e in MANIFEST if e["kind"] == "recording"]
CONTRACTS = [e for e in MANIFEST if e["kind"] == "contract"]
GOOD = "controls/a-good.exchange.json"
KNOWN_BAD = "controls/z-known-bad.exchange.json"
ADDRESS_SPACE = 3 * 1024**3  # big inputs must fit in this, interpreter and libraries included
FORMATS = ("text", "json", "junit", "github", "sarif")


def limits(address_space: int | None, drop_dac: bool) -> Callable[[], None]:
    def apply() -> None:
        import resource

        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        if drop_dac:
            corpus.drop_read_override()
    return apply


def respcontract(*args: str, cwd: Path = HERE, address_space: int | None = None,
                 drop_dac: bool = False, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, errors="backslashreplace",
                          timeout=timeout, preexec_fn=limits(address_space, drop_dac))
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream, stream[-3000:]
        assert "internal error" not in stream, stream[-3000:]
    return proc


def run_between_controls(case: dict[str, Any], fmt: str = "json", **options: Any
                         ) -> subprocess.CompletedProcess[str]:
    return respcontract("check", GOOD, *case["paths"], KNOWN_BAD, "--format", fmt,
                        *case["args"], **options)


def assert_reported(case: dict[str, Any], proc: subprocess.CompletedProcess[str]) -> None:
    """The bad input got its own one-line findings; both controls were still checked."""
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    report = json.loads(proc.stdout)
    findings = report["findings"]
    theirs = [f for f in findings if not f["source"].startswith("controls/")]
    assert theirs, f"no finding for {case['name']}"
    for finding in theirs:
        assert finding["rule"] in case["rules"], finding
        assert "\n" not in finding["message"] and len(finding["message"]) < 1000, finding
    if case.get("once"):
        keys = [(f["source"], f["rule"], f["message"]) for f in theirs]
        assert len(keys) == len(set(keys)), "the same file was read twice"
    assert not [f for f in findings if f["source"] == GOOD]
    known = [(f["rule"], f["pointer"]) for f in findings if f["source"] == KNOWN_BAD]
    assert known == [("schema", "/portal_invite/0/job_id")]
    assert report["summary"]["passed"] >= 1 and report["summary"]["exchanges"] >= 3


@pytest.fixture(scope="module")
def dynamic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("hostile")
    return {case["name"]: case for case in corpus.dynamic_cases(root, big=False)}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("hostile-big")
    return {case["name"]: case for case in corpus._big_cases(root)}


DYNAMIC_NAMES = ["fs-unreadable", "fs-unreadable-folder", "fs-symlink-loop",
                 "fs-dangling-symlink", "fs-directory-loop", "fs-fifo", "fs-device",
                 "fs-missing", "fs-empty-file", "fs-undecodable-name", "fs-newline-name",
                 "fs-over-max-size"]
BIG_NAMES = ["big-deep-nesting-bare", "big-deep-nesting-body", "big-10mb-strings",
             "big-100mb-body", "big-gzip-bomb"]


def test_corpus_has_enough_cases_of_every_kind() -> None:
    names = [e["name"] for e in MANIFEST] + DYNAMIC_NAMES + BIG_NAMES
    assert len(names) == len(set(names)) and len(names) >= 40
    prefixes = {n.split("-")[0] for n in names}
    assert {"json", "body", "yaml", "har", "cassette", "exchange", "fs", "big", "ref", "regex",
            "meta", "contract", "schema"} <= prefixes


def test_the_lists_of_built_cases_are_complete(dynamic: dict[str, dict[str, Any]],
                                               big: dict[str, dict[str, Any]]) -> None:
    assert set(dynamic) <= set(DYNAMIC_NAMES) and set(big) == set(BIG_NAMES)


def test_committed_corpus_matches_its_builder(tmp_path: Path) -> None:
    corpus.build(tmp_path)
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(HERE) for sub in ("recordings", "contracts", "controls")
                       for p in (HERE / sub).rglob("*") if p.is_file()) + [Path("manifest.json")]
    assert built == sorted(committed)
    for relative in built:
        assert (tmp_path / relative).read_bytes() == (HERE / relative).read_bytes(), relative


@pytest.mark.parametrize("case", RECORDINGS, ids=[c["name"] for c in RECORDINGS])
def test_bad_recording_is_reported_and_neighbours_still_checked(case: dict[str, Any]) -> None:
    assert_reported(case, run_between_controls(case))


@pytest.mark.parametrize("name", DYNAMIC_NAMES)
def test_file_system_trick_is_reported_and_neighbours_still_checked(
        dynamic: dict[str, dict[str, Any]], name: str) -> None:
    if name not in dynamic:
        pytest.skip(f"{name}: this platform cannot make it")
    case = dynamic[name]
    if name == "fs-missing":  # a path that names nothing is a usage error (exit 2), one line
        proc = run_between_controls(case)
        assert (proc.returncode, proc.stdout) == (2, ""), proc.stderr
        assert proc.stderr.startswith("respcontract: error: no such file or folder: ")
        assert len(proc.stderr.splitlines()) == 1 and "missing.exchange.json" in proc.stderr
        return
    drop_dac = case.get("runner") == "no-dac" and os.geteuid() == 0
    try:
        proc = run_between_controls(case, drop_dac=drop_dac)
    except (subprocess.SubprocessError, OSError):
        if drop_dac:  # preexec_fn failed: prctl refused (no CAP_SETPCAP) or not Linux
            pytest.skip("running as root without CAP_SETPCAP: permissions cannot be enforced")
        raise
    assert_reported(case, proc)
    if case.get("runner") == "no-dac":
        assert "Permission denied" in proc.stdout


@pytest.mark.parametrize("name", BIG_NAMES)
def test_big_input_is_handled_within_memory_limits(big: dict[str, dict[str, Any]],
                                                   name: str) -> None:
    proc = run_between_controls(big[name], address_space=ADDRESS_SPACE, timeout=600)
    assert_reported(big[name], proc)
    if name == "big-100mb-body":  # checked to its very last item, not skipped
        findings = json.loads(proc.stdout)["findings"]
        assert any(f["pointer"].endswith("/code") and "'success'" in f["message"]
                   for f in findings)
        assert [f["rule"] for f in findings if f["severity"] == "warning"] == ["drift-limit"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_bad_recording_in_one_run(dynamic: dict[str, dict[str, Any]], fmt: str) -> None:
    plain = [c for c in [*RECORDINGS, *dynamic.values()] if not c["args"]
             and c.get("runner") != "no-dac" and c["name"] != "fs-missing"]  # exit 2 alone
    paths = [p for case in plain for p in case["paths"]]
    proc = respcontract("check", GOOD, *paths, KNOWN_BAD, "--format", fmt)
    assert proc.returncode == 1 and proc.stderr == ""
    if fmt == "json":
        sources = {f["source"] for f in json.loads(proc.stdout)["findings"]}
        for case in plain:
            assert any(_mentions(sources, path) for path in case["paths"]), case["name"]
        assert KNOWN_BAD in sources
    else:
        assert KNOWN_BAD in proc.stdout
    if fmt == "text":
        lines = proc.stdout.splitlines()
        findings = [line for line in lines if line.startswith("  ") and ": error [" in line]
        json_run = respcontract("check", GOOD, *paths, KNOWN_BAD, "--format", "json")
        assert len(findings) == json.loads(json_run.stdout)["summary"]["errors"]


def _mentions(sources: set[str], path: str) -> bool:
    name = Path(path).name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    name = name.replace("\n", "\\n")
    return any(source.endswith(name) or name in source or path in source for source in sources)


@pytest.mark.parametrize("case", CONTRACTS, ids=[c["name"] for c in CONTRACTS])
def test_broken_contract_stops_check_with_exit_2(case: dict[str, Any]) -> None:
    proc = respcontract("check", GOOD, "--no-bundled", "--contracts", case["contracts"],
                        *case["args"])
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("respcontract: error: "), proc.stderr
    assert case["message"] in lines[0]
    if not case["args"]:
        assert case["name"] in lines[0], "the error names the broken file"


def test_lint_reports_every_broken_contract_in_one_run() -> None:
    cases = [c for c in CONTRACTS if not c["args"]]
    args = [arg for case in cases for arg in ("--contracts", case["contracts"])]
    proc = respcontract("lint", "--no-bundled", *args)
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    for case in cases:
        mine = [line for line in lines if f"/{case['name']}/" in line]
        assert mine and any(case["message"] in line for line in mine), case["name"]


@pytest.mark.parametrize("case", CONTRACTS[:6], ids=[c["name"] for c in CONTRACTS[:6]])
def test_broken_contract_stops_list_with_exit_2(case: dict[str, Any]) -> None:
    listing = respcontract("list", "--no-bundled", "--contracts", case["contracts"])
    assert listing.returncode == 2 and len(listing.stderr.splitlines()) == 1
    assert case["message"] in listing.stderr
