"""`[tool.respcontract]`: every key's type and value is checked, with one line naming the
file and the key, never an internal error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from validator.errors import UsageError
from validator.load.config import from_table

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
