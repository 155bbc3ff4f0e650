"""Run the shell examples of a documentation page as written, in a temporary folder.

A page's fenced blocks are run in order, in one folder per page, so that a later block sees
the files an earlier one wrote:

- a `sh` block is run whole by `bash -e` and must succeed (blocks that `pip install` are the
  install steps, which .ci/run itself performs, and are left out);
- `cd` carries over from one block or command to the next, as in a terminal;
- in a `console` block every `$ COMMAND` line is run by bash; the lines after it, up to the
  next `$` line, are what the command prints (stdout, then stderr). `...` in them stands for
  any text (as doctest's ELLIPSIS), for what varies from run to run. A command exits 0 unless
  it ends with a comment `# exit N`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```\s*$", re.S | re.M)
EXIT_COMMENT = re.compile(r"#\s*exit\s+(\d+)\s*$")


@dataclass
class Command:
    """One `$ ` line of a console block, with what the page says it prints."""

    line: str
    expected: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        found = EXIT_COMMENT.search(self.line)
        return int(found.group(1)) if found else 0


@dataclass
class Block:
    """A fenced block of a page: its language, text and first line number."""

    language: str
    text: str
    line: int

    def commands(self) -> list[Command]:
        commands: list[Command] = []
        for line in self.text.splitlines():
            if line.startswith("$ "):
                commands.append(Command(line[2:]))
            elif commands:
                commands[-1].expected.append(line)
        return commands


def blocks(page: str) -> list[Block]:
    """The `sh` and `console` blocks of a page (a path relative to the repository root)."""
    text = (ROOT / page).read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        language, body = match.group(1), match.group(2)
        if language in ("sh", "console") and "pip install" not in body:
            found.append(Block(language, body, text.count("\n", 0, match.start()) + 1))
    return found


def environment(home: Path) -> dict[str, str]:
    """The current venv's commands first, no colours, no user configuration or CI context."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "RESPCONTRACT_", "PYTEST_", "HYPOTHESIS_"))}
    env.update({"PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
                "NO_COLOR": "1", "HOME": str(home),
                "RESPCONTRACT_CACHE_DIR": str(home / "cache")})
    return env


class Shell:
    """Runs scripts one after another in bash, keeping the working folder between them."""

    def __init__(self, cwd: Path, env: dict[str, str], state: Path) -> None:
        self.cwd, self.env, self.state = cwd, env, state

    def run(self, script: str) -> subprocess.CompletedProcess[str]:
        keep_cwd = f'\n__code=$?; pwd >"{self.state}"; exit $__code\n'
        done = subprocess.run(["bash", "-c", script + keep_cwd], cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=300, check=False)
        if self.state.exists():
            self.cwd = Path(self.state.read_text(encoding="utf-8").strip())
            self.state.unlink()
        return done


def matches(expected: list[str], actual: str) -> bool:
    """Whether `actual` is what the page shows, `...` standing for any text."""
    want = "\n".join(line.rstrip() for line in expected).strip("\n")
    got = "\n".join(line.rstrip() for line in actual.splitlines()).strip("\n")
    pattern = ".*?".join(re.escape(part) for part in want.split("..."))
    return re.fullmatch(pattern, got, flags=re.S) is not None


def run_page(page: str, workdir: Path) -> int:
    """Run every block of `page` in `workdir`; fail with the page line on any mismatch.

    Returns how many commands and blocks ran, so that a caller can see the page had some."""
    home = workdir.parent / f"{workdir.name}-home"
    home.mkdir(exist_ok=True)
    workdir.mkdir(exist_ok=True)
    shell = Shell(workdir, environment(home), home / "cwd")
    ran = 0
    for block in blocks(page):
        where = f"{page}, block at line {block.line}"
        if block.language == "sh":
            done = shell.run("set -e\n" + block.text)
            assert done.returncode == 0, f"{where} failed:\n{done.stdout}{done.stderr}"
            ran += 1
            continue
        for command in block.commands():
            done = shell.run(command.line)
            output = done.stdout + done.stderr
            assert done.returncode == command.exit_code, (
                f"{where}: `{command.line}` exited {done.returncode}, the page says "
                f"{command.exit_code}:\n{output}")
            assert matches(command.expected, output), (
                f"{where}: `{command.line}` printed\n{output}\nthe page shows\n"
                + "\n".join(command.expected))
            ran += 1
    return ran
