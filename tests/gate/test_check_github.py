"""`respcontract check --format github`: the exact workflow-command annotations.

GitHub attaches an annotation to a file of the pull request only when `file=` is relative
to the workspace (no `./`, not absolute) and `line`/`col` are 1-based; properties escape
`%`, CR, LF, `:` and `,`, messages escape `%`, CR and LF.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gate_helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "contracts" / "zoho-crm" / "examples" / "job-id-sent.json"
DOCS = "https://www.zoho.com/crm/developer/docs/api/v7/get-portal-invite-users-job-status.html"


def _position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the value that follows `needle` on its line."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + len(needle) + 1
    raise AssertionError(needle)


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, str]:
    """A recording with a real error (an id sent as a number) and a drift warning."""
    exchange = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    job = exchange["response"]["body"]["portal_invite"][0]
    job["data"][0]["details"]["id"] = 5020928000001843001
    job["note:x,y"] = "extra"
    text = json.dumps(exchange, indent=2)
    (tmp_path / "recordings").mkdir()
    (tmp_path / "recordings" / "bad,1.json").write_text(text)
    return tmp_path, text


def _expected(text: str, strict: bool) -> list[str]:
    id_line, id_col = _position(text, '"id": ')
    extra_line, extra_col = _position(text, '"note:x,y": ')
    drift = "error" if strict else "warning"
    return [
        f"::error file=recordings/bad%2C1.json,line={id_line},col={id_col},"
        "title=respcontract schema at /portal_invite/0/data/0/details/id::"
        f"expected string, found integer 5020928000001843001 (docs: {DOCS})",
        f"::{drift} file=recordings/bad%2C1.json,line={extra_line},col={extra_col},"
        "title=respcontract undocumented at /portal_invite/0/note%3Ax%2Cy::"
        "undocumented property 'note:x,y': the contract does not declare it "
        f"(docs: {DOCS})",
        "respcontract: 1 exchanges, 0 passed, 1 failed",
    ]


@pytest.mark.parametrize("strict", [False, True])
def test_annotations_exact_text(workspace: tuple[Path, str], strict: bool) -> None:
    root, text = workspace
    args = ["check", "--format", "github", "recordings/bad,1.json"]
    done = run_cli(*args, *(["--strict"] if strict else []), cwd=root)
    assert done.returncode == 1
    assert done.stdout.splitlines() == _expected(text, strict)


@pytest.mark.parametrize(("spelling", "folder"), [
    ("./recordings/bad,1.json", "."),  # as `find` or a shell glob would spell it
    ("{root}/recordings/bad,1.json", "recordings"),  # absolute, run from elsewhere
    ("bad,1.json", "recordings"),  # a step with `working-directory: recordings`
])
def test_file_is_relative_to_the_workspace(workspace: tuple[Path, str], spelling: str,
                                           folder: str) -> None:
    root, text = workspace
    path = spelling.format(root=root)
    done = run_cli("check", "--format", "github", path, cwd=root / folder,
                   env={"GITHUB_WORKSPACE": str(root)})
    assert done.stdout.splitlines() == _expected(text, strict=False)


def test_passing_run_prints_only_the_summary(tmp_path: Path) -> None:
    done = run_cli("check", "--format", "github", str(EXAMPLE), cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout == "respcontract: 1 exchanges, 1 passed, 0 failed\n"
