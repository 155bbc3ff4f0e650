"""The guards behind the hostile corpus, one at a time: size limits, special files, YAML and
JSON strictness, $ref loops, the last-resort nets, and report output that cannot be lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from validator.api import check_file, load_contracts
from validator.check.checker import Checker
from validator.errors import ContractError, SourceError
from validator.formats import json as jsontext
from validator.formats import yaml as yamltext
from validator.load.schemas import SchemaStore
from validator.sources import read
from validator.sources.files import NotAFile, TooLarge, parse_size, read_limited

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "acceptance" / "hostile" / "controls" / "a-good.exchange.json"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


# --- sizes and special files -------------------------------------------------------------

@pytest.mark.parametrize(("text", "size"), [("0", 0), ("512", 512), ("16K", 16384),
                                            ("64m", 64 << 20), ("1 GiB", 1 << 30)])
def test_sizes_read_as_powers_of_1024(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "12X", "-1", "1.5G", "big"])
def test_a_bad_size_is_refused(text: str) -> None:
    import argparse

    with pytest.raises(argparse.ArgumentTypeError):
        parse_size(text)


def test_a_file_over_the_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"[" + b" " * 2000 + b"]")
    with pytest.raises(TooLarge):
        read_limited(path, 1000)
    assert read_limited(path, 4000).startswith(b"[")
    assert read_limited(path, None).endswith(b"]")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_read_when_written_and_empty_when_not(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert read_limited(fifo) == b""  # nobody writes: no hang
    keep = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # holds the pipe and its buffer open
    try:
        writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.write(writer, b'{"a": 1}')
        os.close(writer)
        assert read_limited(fifo) == b'{"a": 1}'  # buffered data, then end of file
    finally:
        os.close(keep)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_not_read_forever() -> None:
    with pytest.raises(NotAFile):
        read_limited(Path("/dev/zero"))
    assert "character device" in read(Path("/dev/zero")).problems[0].message


def test_yaml_gets_an_eighth_of_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.exchange.yaml"
    path.write_text("response: {status: 200}\n" + "# padding\n" * 2000)
    loaded = read(path, max_bytes=80_000)
    assert [p.rule for p in loaded.problems] == ["source-too-large"]
    assert "YAML" in loaded.problems[0].message
    assert read(path, max_bytes=0).problems == []


def test_max_size_on_the_command_line(tmp_path: Path) -> None:
    proc = cli("check", str(GOOD), "--max-size", "100", "--format", "json", cwd=tmp_path)
    findings = json.loads(proc.stdout)["findings"]
    assert proc.returncode == 1 and [f["rule"] for f in findings] == ["source-too-large"]
    assert cli("check", str(GOOD), "--max-size", "0", cwd=tmp_path).returncode == 0
    refused = cli("check", str(GOOD), "--max-size", "lots", cwd=tmp_path)
    assert refused.returncode == 2 and "--max-size" in refused.stderr


def test_an_unreadable_folder_is_a_finding_not_a_silent_skip(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root lists any folder; the hostile corpus covers this with capabilities")
    locked = tmp_path / "recordings" / "locked"
    locked.mkdir(parents=True)
    (locked / "a.exchange.json").write_text(GOOD.read_text())
    locked.chmod(0)
    try:
        proc = cli("check", "recordings", "--format", "json", cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    messages = [f["message"] for f in json.loads(proc.stdout)["findings"]]
    assert proc.returncode == 1 and any("cannot read folder" in m for m in messages)


# --- report output -----------------------------------------------------------------------

def test_the_report_never_overwrites_an_input(tmp_path: Path) -> None:
    target = tmp_path / "mine.exchange.json"
    target.write_text(GOOD.read_text())
    proc = cli("check", "mine.exchange.json", "-o", "mine.exchange.json", cwd=tmp_path)
    assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr
    assert target.read_text() == GOOD.read_text()


def test_an_unwritable_report_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = cli("check", str(GOOD), "-o", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert "cannot write the report" in proc.stderr


def test_odd_file_names_print_on_one_line(tmp_path: Path) -> None:
    try:
        (tmp_path / "two\nlines.json").write_text("{")
        Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"bad\xff.json"))).write_text("{")
    except OSError:
        pytest.skip("this file system refuses such names")
    proc = cli("check", ".", "-o", "report.txt", cwd=tmp_path)
    text = (tmp_path / "report.txt").read_text()
    assert proc.returncode == 1
    assert "two\\nlines.json:" in text and "bad\\xff.json:" in text


# --- strict JSON and YAML ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "rule"), [
    ("[1e999]", "body-nonfinite"), ("[-1e400]", "body-nonfinite"),
    ('{"a": ' + "7" * 6000 + "}", "body-limit"), ('["\\udc00"]', "body-encoding"),
    ('{"\\ud800x": 1}', "body-encoding"),
])
def test_strict_json_refuses(text: str, rule: str) -> None:
    value, problem = jsontext.loads_strict(text)
    assert value is None and problem is not None and problem.rule == rule


def test_strict_json_keeps_what_is_fine() -> None:
    assert jsontext.loads_strict('["\\ud83d\\ude00", "\\\\ud800", 1e300, "NaN"]')[1] is None


def test_finding_the_culprit_stays_linear_when_strings_hide_the_pattern() -> None:
    text = "[" + ", ".join(['"NaN 1e999"'] * 200_000) + ", NaN]"
    problem = jsontext.loads_strict(text)[1]
    assert problem is not None and problem.pos == len(text) - 4


@pytest.mark.parametrize(("text", "expected"), [
    ("a: &x [1]\nb: *x\n", {"a": [1], "b": [1]}),
    ("200: ok\ntrue: yes\n", {"200": "ok", "true": True}),
    ("when: 2024-01-02\n", {"when": "2024-01-02"}),
])
def test_yaml_loads_as_json_would(text: str, expected: Any) -> None:
    assert yamltext.load(text)[0] == expected


@pytest.mark.parametrize("text", [
    "a: &x [*x]\n", "a: !!set {x, y}\n", "a: !!python/tuple [1]\n", "a: !custom 1\n",
    "a: .inf\n", "a: " + "9" * 5000 + "\n", "a: 1\na: 2\n", "? [1]\n: x\n", "a: 1\n---\nb: 2\n",
])
def test_yaml_refuses(text: str) -> None:
    with pytest.raises(SourceError) as refused:
        yamltext.load(text)
    assert "\n" not in refused.value.message


def test_a_big_plain_yaml_document_is_not_mistaken_for_an_alias_bomb() -> None:
    text = "".join(f"- {{k: {i}}}\n" for i in range(400_000))  # 1.2 million values
    assert len(yamltext.load(text)[0]) == 400_000


# --- $ref loops --------------------------------------------------------------------------

def store_with(tmp_path: Path, documents: dict[str, Any]) -> SchemaStore:
    for name, document in documents.items():
        (tmp_path / name).write_text(json.dumps(document))
    return SchemaStore(tmp_path)


def test_recursion_through_properties_is_a_schema_not_a_loop(tmp_path: Path) -> None:
    tree = {"type": "object", "properties": {"children": {"type": "array",
                                                          "items": {"$ref": "#"}}}}
    chain = {"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"type": "string"}}}
    store = store_with(tmp_path, {"tree.json": tree, "chain.json": chain})
    store.load("tree.json", "test")
    store.load("chain.json", "test")


@pytest.mark.parametrize("document", [
    {"$ref": "#"}, {"allOf": [{"$ref": "#"}]}, {"not": {"$ref": "#"}},
    {"if": {"$ref": "#/$defs/a"}, "$defs": {"a": {"anyOf": [{"$ref": "#"}]}}},
    {"$defs": {"a": {"$anchor": "here", "$ref": "#here"}}, "$ref": "#/$defs/a"},
])
def test_a_ref_loop_with_no_instance_step_is_a_contract_error(tmp_path: Path,
                                                              document: Any) -> None:
    store = store_with(tmp_path, {"loop.json": document})
    with pytest.raises(ContractError, match="circular"):
        store.load("loop.json", "test")


# --- the last-resort nets ----------------------------------------------------------------

def test_a_reader_bug_costs_one_file_not_the_run(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from validator.sources import exchange_file

    def broken(*args: Any) -> None:
        raise KeyError("simulated reader bug")

    monkeypatch.setattr(exchange_file, "read", broken)
    loaded = read(GOOD)
    assert [p.rule for p in loaded.problems] == ["internal-error"]
    assert "KeyError" in loaded.problems[0].message and "\n" not in loaded.problems[0].message


def test_a_checker_bug_costs_one_exchange_not_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    checker = Checker(load_contracts())

    def broken(*args: Any) -> None:
        raise RuntimeError("simulated checker bug")

    monkeypatch.setattr(checker, "check", broken)
    results = check_file(checker, GOOD)
    assert [f.rule for r in results for f in r.findings] == ["internal-error"]
