"""The README and the first docs pages, run as a new user would type them.

Each page's `sh` and `console` blocks run in order in a fresh temporary folder (see
doc_blocks); a command that exits with another code, or prints something else than the page
shows, fails the test with the page's line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from doc_blocks import ROOT, Block, blocks, matches, run_page

PAGES = ["README.md", "docs/getting-started.md", "docs/your-own-api.md"]


@pytest.mark.parametrize("page", PAGES)
def test_every_command_of_the_page_runs_as_written(page: str, tmp_path: Path) -> None:
    ran = run_page(page, tmp_path / "work")
    shown = sum(len(b.commands()) if b.language == "console" else 1 for b in blocks(page))
    assert ran == shown > 0


@pytest.mark.parametrize("page", PAGES)
def test_every_respcontract_block_is_one_the_runner_runs(page: str) -> None:
    """A `respcontract` example in another kind of fence would silently not be run."""
    text = (ROOT / page).read_text(encoding="utf-8")
    fences = re.findall(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", text, flags=re.S | re.M)
    with_commands = [(lang, body) for lang, body in fences
                     if re.match(r"(\$ )?respcontract ", body.lstrip())]
    assert with_commands
    assert all(lang in ("sh", "console") for lang, _ in with_commands), with_commands


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, flags=re.S)
    assert first_block is not None and readme.index(first_block.group(0)) < 200
    install_and_run, install_and_test = first_block.group(1).strip().splitlines()
    assert install_and_run.endswith("&& respcontract lint && respcontract check")
    test_command = install_and_test.split(" && ")[-1]
    assert test_command == "python -m pytest -n auto"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^step .*pytest_ran_tests {re.escape(test_command)}$", ci, flags=re.M)
    for tool in ("ruff check .", "mypy", "mkdocs build --strict"):
        assert tool in ci


def test_the_output_matcher_is_exact_outside_ellipses() -> None:
    assert matches(["OK: 2 exchanges"], "OK: 2 exchanges\n")
    assert not matches(["OK: 2 exchanges"], "OK: 3 exchanges\n")
    assert not matches(["OK: 2 exchanges"], "OK: 2 exchanges\nFAILED\n")
    assert matches(["a", "...", "OK: ... warnings)"], "a\nb\nc\nOK: 2 warnings)")
    assert not matches(["a", "...", "OK"], "b\nOK")


def test_a_command_that_exits_otherwise_than_the_page_says_fails(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```console\n$ respcontract check --no-such-option\n```\n")
    with pytest.raises(AssertionError, match="exited 2, the page says 0"):
        run_page(str(page), tmp_path / "work")
    assert Block("console", "$ false  # exit 1\n", 1).commands()[0].exit_code == 1


@pytest.mark.parametrize("page", ["README.md", "CHANGELOG.md"])
def test_the_links_of_the_page_lead_somewhere(page: str) -> None:
    """GitHub shows these files outside the site: their relative links must exist."""
    text = (ROOT / page).read_text(encoding="utf-8")
    links = [link.split("#")[0] for link in re.findall(r"\]\(([^)]+)\)", text)
             if "://" not in link]
    assert links
    assert not [link for link in links if link and not (ROOT / link).exists()]
