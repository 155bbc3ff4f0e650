"""Every subcommand's --help is self-sufficient: an example, and a help text for every option.

The walk covers whatever is registered in validator.cli.main.COMMANDS, so commands added
later are held to the same rule."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from validator.cli.main import COMMANDS, build_parser


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_registered_command_has_a_parser() -> None:
    assert set(_subcommands()) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_and_argument_has_a_help_text(name: str) -> None:
    parser = _subcommands()[name]
    missing = [action.option_strings or [action.dest] for action in parser._actions
               if not isinstance(action, argparse._HelpAction)
               and action.help != argparse.SUPPRESS and not (action.help or "").strip()]
    assert missing == [], f"respcontract {name}: no help text for {missing}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_help_ends_with_examples_of_itself(name: str) -> None:
    done = subprocess.run([sys.executable, "-m", "validator", name, "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "\nexamples:\n" in done.stdout, done.stdout
    examples = done.stdout.split("\nexamples:\n", 1)[1]
    assert f"  respcontract {name}" in examples  # each example runs this very command
