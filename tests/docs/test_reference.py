"""The reference pages against the code they describe: every option of every subcommand's
`--help`, every rule name the engine can put on a finding, every `[tool.respcontract]` key.

The generated parts (commands, Python API, contract keys) are rendered by the mkdocs hook;
these tests call the hook's generators, and compare them with what the program itself says.
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from doc_blocks import ROOT

from validator.cli.main import COMMANDS

FINDINGS_PAGE = ROOT / "docs" / "reference" / "findings.md"
SEVERITY_NAMES = {"ERROR", "WARNING"}
# calls whose argument at this index (or `rule=` keyword) is the rule of a finding
RULE_ARGUMENT = {"JsonProblem": 0, "SourceError": 3, "_Bad": 1}


def hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_hook",
                                                  ROOT / "docs" / "hooks" / "reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def help_text(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "validator", *args, "--help"],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def options_in(text: str) -> set[str]:
    """The option strings listed in an argparse help text's option lines."""
    return set(re.findall(r"^\s{2}(?:-\w, )?(--?[\w-]+)", text, flags=re.M)) | set(
        re.findall(r", (--[\w-]+)", text))


def kinds_in(text: str) -> list[str]:
    """The KIND subcommands an argparse help text lists (`import openapi`), if any."""
    if "KIND" not in text.split("\n\n", 1)[0]:
        return []
    return re.findall(r"^ {4}(\w[\w-]*)\s", text, flags=re.M)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_commands_page_lists_every_option_of_help(command: str) -> None:
    page = hook().commands_markdown()
    section = page.split(f"\n## {command}\n", 1)[1].split("\n## ", 1)[0]
    options = options_in(help_text(command))
    for kind in kinds_in(help_text(command)):
        assert f"\n### {command} {kind}\n" in section, f"{command} {kind} has no section"
        options |= options_in(help_text(command, kind))
    assert "--help" in options and len(options) > 2
    missing = [o for o in options if f"`{o}" not in section]
    assert not missing, f"{command}: {missing} in --help, not on the commands page"
    usage = help_text(command).split("\n\n", 1)[0]
    assert usage.split()[2] == command and f"respcontract {command}" in section


def test_every_command_of_the_parser_has_a_section() -> None:
    page = hook().commands_markdown()
    listed = set(re.findall(r"^## (\S+)$", page, flags=re.M)) - {"respcontract"}
    assert listed == set(COMMANDS)
    top = help_text()
    assert all(re.search(rf"^\s+{name}\s", top, flags=re.M) for name in COMMANDS)


def test_the_api_page_documents_every_public_name() -> None:
    import validator

    page = hook().api_markdown()
    assert re.findall(r"^### `(\w+)`$", page, flags=re.M) == list(validator.__all__)


def _string(node: ast.expr, constants: dict[str, object]) -> str:
    """A string literal, or a module constant holding one; "" for anything else."""
    value = constants.get(node.id) if isinstance(node, ast.Name) else \
        node.value if isinstance(node, ast.Constant) else None
    return value if isinstance(value, str) else ""


def emitted_rules() -> set[str]:
    """Rule names given to findings anywhere in validator/: a string right after
    `Severity.ERROR`/`Severity.WARNING` in a call, a `rule=` keyword, or the rule argument of
    the problem types that become findings."""
    rules: set[str] = set()
    for path in (ROOT / "validator").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {target.id: node.value.value for node in tree.body
                     if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                     for target in node.targets if isinstance(target, ast.Name)}

        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            args = list(node.args)
            for before, after in itertools.pairwise(args):
                if isinstance(before, ast.Attribute) and before.attr in SEVERITY_NAMES:
                    rules.add(_string(after, constants))
            rules.update(_string(k.value, constants) for k in node.keywords if k.arg == "rule")
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            index = RULE_ARGUMENT.get(name)
            if index is not None and len(args) > index:
                rules.add(_string(args[index], constants))
    return rules - {""}


def test_every_rule_the_engine_emits_is_on_the_findings_page() -> None:
    rules = emitted_rules()
    assert {"schema", "undocumented", "body-json", "source", "live-auth"} <= rules
    documented = set(re.findall(r"^\| `([a-z][a-z0-9-]*)` \| (?:error|warning)",
                                FINDINGS_PAGE.read_text(encoding="utf-8"), flags=re.M))
    assert not rules - documented, f"rules missing from findings.md: {rules - documented}"
    assert not documented - rules, f"findings.md lists rules nothing emits: {documented - rules}"


def test_every_config_key_is_on_the_configuration_page() -> None:
    from validator.load.config import KNOWN_KEYS

    page = (ROOT / "docs" / "reference" / "configuration.md").read_text(encoding="utf-8")
    table = page.split("```toml", 1)[1].split("```", 1)[0]
    assert set(re.findall(r"^(\w+) =", table, flags=re.M)) == KNOWN_KEYS


def test_the_contract_keys_are_the_meta_schemas(tmp_path: Path) -> None:
    import json

    schema = json.loads((ROOT / "validator" / "load" / "contract.schema.json").read_text())
    page = hook().contract_keys_markdown()
    for key in list(schema["properties"]) + list(schema["$defs"]["endpoint"]["properties"]):
        assert f"| `{key}`" in page
    assert "|  |" not in page.replace("| any |", "")
