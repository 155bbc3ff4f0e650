"""`[tool.respcontract]`: every key's type and value is checked, with one line naming the
file and the key, never an internal error."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.errors import UsageError
from validator.load.config import from_table, may_configure

BAD = [
    ('format = "xml"', "format must be one of text, json, junit, github, sarif (found 'xml')"),
    ("format = 3", "format must be one of"),
    ('strict = "yes"', "strict must be true or false"),
    ("bundled = 1", "bundled must be true or false"),
    ("contracts = 5", "contracts must be a list of paths"),
    ("recordings = [1, 2]", "recordings must be a list of paths"),
    ("colour = true", "unknown key 'colour'"),
]


@pytest.mark.parametrize(("line", "message"), BAD)
def test_a_wrong_value_is_one_line_naming_pyproject_and_the_key(tmp_path: Path, line: str,
                                                                message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.respcontract]\n{line}\n")
    for command in ("check", "lint", "list"):
        done = subprocess.run([sys.executable, "-m", "validator", command], cwd=tmp_path,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        [error] = done.stderr.strip().splitlines()
        assert "pyproject.toml: [tool.respcontract]" in error
        assert message in error and "internal error" not in error


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github"])
def test_every_report_format_is_accepted(tmp_path: Path, fmt: str) -> None:
    config = from_table({"format": fmt, "strict": True}, tmp_path / "pyproject.toml")
    assert (config.format, config.strict) == (fmt, True)


def test_the_table_itself_must_be_a_table(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"pyproject.toml: \[tool.respcontract\] must be a "
                                         "table"):
        from_table(["not", "a", "table"], tmp_path / "pyproject.toml")


# Every way TOML can spell the table (tomllib is the oracle), and files that only mention
# the name: `may_configure` lets the run skip the TOML parser only for the latter.
CONFIGURING = [
    "[tool.respcontract]\nstrict = true\n",
    '[tool."respcontract"]\nstrict = true\n',
    "[ tool . respcontract ]  # a comment\nstrict = true\n",
    "[tool.respcontract.extra]\nx = 1\n",
    "[tool]\nrespcontract = { strict = true }\n",
    "[tool]\nrespcontract.strict = true\n",
    "[tool]\n'respcontract'.strict = true\n",
    "tool.respcontract.strict = true\n",
    'tool = { respcontract = { strict = true } }\n',
    '"tool".respcontract = { strict = true }\n',
    '[project]\nname = "x"\n[tool.respcontract]\nstrict = true\n',
]
MENTIONING = [
    '[project]\nname = "respcontract"\n',
    '[project]\ndependencies = ["respcontract>=1.0"]\n',
    '[project.scripts]\nrespcontract = "validator.cli.main:entry"\n',
    '[tool.poetry.dependencies]\nrespcontract = "^1.0"\n',
    '[tool.other]\nnote = "respcontract"\n',
]


@pytest.mark.parametrize("text", CONFIGURING)
def test_every_spelling_of_the_table_is_parsed(text: str) -> None:
    assert "respcontract" in tomllib.loads(text)["tool"]
    assert may_configure(text)


@pytest.mark.parametrize("text", MENTIONING)
def test_a_file_that_only_mentions_the_name_is_not_parsed(text: str) -> None:
    assert "respcontract" not in tomllib.loads(text).get("tool", {})
    assert not may_configure(text)


@given(st.lists(st.sampled_from(CONFIGURING + MENTIONING), min_size=1, max_size=4))
def test_may_configure_never_misses_a_table(parts: list[str]) -> None:
    text = "".join(parts)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # a table defined twice: not a pyproject.toml anyone can have
    if "respcontract" in data.get("tool", {}):
        assert may_configure(text)
