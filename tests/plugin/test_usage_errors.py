"""Configuration mistakes stop the run with pytest's usage error (exit 4) and one clear line."""

from __future__ import annotations

import shutil

import pytest
from plugin_support import DATA

BROKEN_CONTRACT = """\
contract: acme/broken
endpoints:
  get_widget:
    method: GET
"""


def assert_one_line_usage_error(result: pytest.RunResult, *patterns: str) -> None:
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(list(patterns))
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_a_broken_contract_is_a_usage_error_not_a_crash(project: pytest.Pytester) -> None:
    (project.path / "contracts").mkdir()
    (project.path / "contracts" / "broken.yaml").write_text(BROKEN_CONTRACT)
    result = project.runpytest("--respcontract-contracts", "contracts")
    assert_one_line_usage_error(
        result, "ERROR: respcontract: contracts/broken.yaml#/endpoints/get_widget: "
                "\"path\" is a required property (line 4) (+1 more)")


def test_a_broken_contract_from_ini_stops_an_xdist_run_too(project: pytest.Pytester) -> None:
    (project.path / "contracts").mkdir()
    (project.path / "contracts" / "broken.yaml").write_text(BROKEN_CONTRACT)
    project.makepyprojecttoml("""
        [tool.pytest.ini_options]
        respcontract_recordings = ["recordings"]
        respcontract_contracts = ["contracts"]
    """)
    result = project.runpytest_subprocess("-n", "2", "-p", "no:hypothesispytest")
    assert_one_line_usage_error(result, "ERROR: respcontract: *contracts/broken.yaml#*")


def test_a_missing_contract_folder_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest("--respcontract-contracts", "nowhere")
    assert_one_line_usage_error(
        result, "ERROR: respcontract: nowhere: no such contract file or folder")


def test_a_bad_tool_respcontract_table_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml("""
        [tool.respcontract]
        recordingz = ["recordings"]
    """)
    result = pytester.runpytest()
    assert_one_line_usage_error(
        result, "ERROR: respcontract: *pyproject.toml: [[]tool.respcontract[]]: unknown key "
                "'recordingz' (known: *)")


def test_a_bad_switch_value_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest("-o", "respcontract_strict=maybe")
    assert_one_line_usage_error(result, "ERROR: *'maybe'*")


def test_help_still_works_with_a_broken_contract(project: pytest.Pytester) -> None:
    (project.path / "contracts").mkdir()
    (project.path / "contracts" / "broken.yaml").write_text(BROKEN_CONTRACT)
    result = project.runpytest("--respcontract-contracts", "contracts", "--help")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["respcontract: check recorded responses against contracts:",
                                 "  --respcontract-recordings=PATH"])


def test_a_missing_recordings_folder_only_warns(pytester: pytest.Pytester) -> None:
    shutil.copy(DATA / "job.exchange.json", pytester.path / "job.json")
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        respcontract_recordings = ["not-recorded-yet", "job.json"]
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*RespcontractWarning: respcontract: recordings path "
                                 "*not-recorded-yet does not exist"])
