"""Recordings as test items: ids, outcomes, the failure text, warnings and strict mode."""

from __future__ import annotations

import shutil

import pytest
from plugin_support import DATA, outcomes

EXPECTED_OUTCOMES = {
    "recordings/job.exchange.json::exchange": "passed",
    "recordings/jobs.cassette.yaml::interaction[0]": "passed",
    "recordings/jobs.cassette.yaml::interaction[1]": "passed",
    "recordings/jobs.cassette.yaml::interaction[2]": "failed",
    "recordings/jobs.har::entry[0]": "passed",
    "recordings/jobs.har::entry[1]": "failed",
    "recordings/jobs.har::entry[2]": "passed",
    "recordings/jobs.har::entry[3]": "skipped",
    "recordings/truncated.json::file": "failed",
}

HAR_FAILURE = """\
1 error, 1 warning against zoho-crm/portal-invite:get_bulk_invite_status for GET /crm/v7/Contacts/actions/portal_invite -> 200
  recordings/jobs.har:76:21: error [item-status-follows-code] /portal_invite/0/data/0/status: an item's status follows its code (SUCCESS is a success): expected 'success', found 'error'
      docs: https://www.zoho.com/crm/developer/docs/api/v7/get-portal-invite-users-job-status.html
  recordings/jobs.har:76:21: warning [undocumented] /portal_invite/0/data/0/invited_by: undocumented property 'invited_by': the contract does not declare it
      docs: https://www.zoho.com/crm/developer/docs/api/v7/get-portal-invite-users-job-status.html
"""  # noqa: E501

CASSETTE_FAILURE = """\
2 errors against zoho-crm/portal-invite:get_bulk_invite_status for GET /crm/v7/Contacts/actions/portal_invite -> 503
  recordings/jobs.cassette.yaml:43:15: error [body-json]: expected valid JSON: Expecting value
      docs: https://www.zoho.com/crm/developer/docs/api/v7/get-portal-invite-users-job-status.html
  recordings/jobs.cassette.yaml:48:7: error [content-type]: expected Content-Type application/json, found 'text/html'
      docs: https://www.zoho.com/crm/developer/docs/api/v7/get-portal-invite-users-job-status.html
"""  # noqa: E501

UNREADABLE_FAILURE = """\
1 error for recordings/truncated.json
  recordings/truncated.json:2:57: error [body-json]: invalid JSON: expected valid JSON: Expecting value
"""  # noqa: E501


def test_every_recorded_exchange_is_one_item_with_a_readable_id(project: pytest.Pytester
                                                                 ) -> None:
    result = project.runpytest("--collect-only", "-q")
    ids = [line for line in result.outlines if "::" in line]
    assert ids == list(EXPECTED_OUTCOMES)


def test_outcomes_follow_the_findings(project: pytest.Pytester) -> None:
    reprec = project.inline_run()
    assert outcomes(reprec) == EXPECTED_OUTCOMES


def test_failure_text_lists_every_finding_without_a_traceback(project: pytest.Pytester) -> None:
    result = project.runpytest()
    text = result.stdout.str()
    assert HAR_FAILURE in text
    assert CASSETTE_FAILURE in text
    assert UNREADABLE_FAILURE in text
    assert "Traceback" not in text and "validator/" not in text
    result.stdout.re_match_lines([r"_+ interaction\[2\] in recordings/jobs\.cassette\.yaml _+$",
                                  r"_+ entry\[1\] in recordings/jobs\.har _+$",
                                  r"_+ file in recordings/truncated\.json _+$"])
    result.assert_outcomes(passed=5, failed=3, skipped=1, warnings=1)


def test_short_summary_and_skip_reason_point_at_the_recording(project: pytest.Pytester) -> None:
    result = project.runpytest("-rfs")
    result.stdout.re_match_lines([
        # pytest 9 adds the first line of the failure text; pytest 8 names the item only
        r"FAILED recordings/jobs\.har::entry\[1\]($| - 1 error, 1 warning against )",
        r"SKIPPED \[1\] recordings/jobs\.har:138: not checked: no contract endpoint matches "
        r"GET /favicon\.ico$",
    ], consecutive=False)


def test_warnings_become_pytest_warnings_at_the_file_line(project: pytest.Pytester) -> None:
    result = project.runpytest()
    result.stdout.re_match_lines([
        r"recordings/jobs\.cassette\.yaml::interaction\[1\]$",
        r"  recordings/jobs\.cassette\.yaml:27:15: RespcontractWarning: \[undocumented\] "
        r"/portal_invite/0/created_time: undocumented property 'created_time': the contract "
        r"does not declare it \(docs: https://www\.zoho\.com/\S+\)$",
    ])


def test_warning_class_can_be_filtered_by_its_import_path(project: pytest.Pytester) -> None:
    result = project.runpytest("-W", "ignore::validator.pytest_plugin.RespcontractWarning")
    result.assert_outcomes(passed=5, failed=3, skipped=1, warnings=0)


def test_warnings_made_errors_fail_with_the_findings_not_a_traceback(project: pytest.Pytester
                                                                     ) -> None:
    result = project.runpytest("-W", "error::validator.pytest_plugin.RespcontractWarning")
    result.assert_outcomes(passed=4, failed=4, skipped=1)
    assert ("1 warning against zoho-crm/portal-invite:get_bulk_invite_status for GET "
            "/crm/v7/Contacts/actions/portal_invite -> 200\n"
            "  recordings/jobs.cassette.yaml:27:15: warning (strict) [undocumented] "
            "/portal_invite/0/created_time: ") in result.stdout.str()
    assert "Traceback" not in result.stdout.str() and "runner.py" not in result.stdout.str()


@pytest.mark.parametrize("how", [["--respcontract-strict"], ["-o", "respcontract_strict=true"]])
def test_strict_mode_fails_warnings_and_unmatched_exchanges(project: pytest.Pytester,
                                                            how: list[str]) -> None:
    result = project.runpytest(*how)
    result.assert_outcomes(passed=4, failed=5)
    text = result.stdout.str()
    assert ("  recordings/jobs.cassette.yaml:27:15: warning (strict) [undocumented] "
            "/portal_invite/0/created_time: undocumented property 'created_time'") in text
    assert ("  recordings/jobs.har:138:21: warning (strict) [unmatched]: no contract endpoint "
            "matches GET /favicon.ico; not checked") in text


def test_strict_from_ini_is_undone_by_an_override(project: pytest.Pytester) -> None:
    project.makepyprojecttoml("""
        [tool.pytest.ini_options]
        respcontract_recordings = ["recordings"]
        respcontract_strict = true
    """)
    project.runpytest().assert_outcomes(passed=4, failed=5)
    project.runpytest("-o", "respcontract_strict=false").assert_outcomes(
        passed=5, failed=3, skipped=1, warnings=1)


def test_one_item_can_be_selected_by_its_id(project: pytest.Pytester) -> None:
    result = project.runpytest("recordings/jobs.har::entry[1]")
    result.assert_outcomes(failed=1)


def test_last_failed_reruns_just_the_failed_exchanges(project: pytest.Pytester) -> None:
    project.runpytest().assert_outcomes(passed=5, failed=3, skipped=1, warnings=1)
    result = project.runpytest("--lf", "-v")
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(["run-last-failure: rerun previous 3 failures*"])


def test_junitxml_carries_the_findings_in_the_failure(project: pytest.Pytester) -> None:
    project.runpytest("--junitxml=report.xml")
    xml = (project.path / "report.xml").read_text()
    assert 'classname="recordings.jobs.har" name="entry[1]"' in xml
    assert ("recordings/jobs.har:76:21: error [item-status-follows-code] "
            "/portal_invite/0/data/0/status: an item's status follows its code (SUCCESS is a "
            "success): expected 'success', found 'error'") in xml


def test_recordings_outside_testpaths_join_a_plain_run_only(pytester: pytest.Pytester) -> None:
    (pytester.path / "recordings").mkdir()
    shutil.copy(DATA / "jobs.har", pytester.path / "recordings" / "jobs.har")
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        testpaths = ["tests"]
        respcontract_recordings = ["recordings"]
    """)
    pytester.mkpydir("tests")
    (pytester.path / "tests" / "test_unit.py").write_text("def test_unit():\n    pass\n")
    pytester.runpytest().assert_outcomes(passed=3, failed=1, skipped=1)
    pytester.runpytest("tests").assert_outcomes(passed=1)


def test_a_recording_named_on_the_command_line_needs_no_configuration(
        pytester: pytest.Pytester) -> None:
    shutil.copy(DATA / "jobs.cassette.yaml", pytester.path / "cassette.yaml")
    result = pytester.runpytest("cassette.yaml", "-q")
    result.assert_outcomes(passed=2, failed=1, warnings=1)


def test_recordings_from_the_command_line(pytester: pytest.Pytester) -> None:
    (pytester.path / "rec").mkdir()
    shutil.copy(DATA / "job.exchange.json", pytester.path / "rec" / "job.json")
    result = pytester.runpytest("--respcontract-recordings", "rec", "-v")
    result.stdout.fnmatch_lines(["rec/job.json::exchange PASSED*"])


def test_tool_respcontract_table_is_honoured_and_ini_wins(pytester: pytest.Pytester) -> None:
    for folder in ("from-table", "from-ini"):
        (pytester.path / folder).mkdir()
        shutil.copy(DATA / "job.exchange.json", pytester.path / folder / "job.json")
    pytester.makepyprojecttoml("""
        [tool.respcontract]
        recordings = ["from-table"]
    """)
    pytester.runpytest("-v").stdout.fnmatch_lines(["from-table/job.json::exchange PASSED*"])
    pytester.makepyprojecttoml("""
        [tool.respcontract]
        recordings = ["from-table"]

        [tool.pytest.ini_options]
        respcontract_recordings = ["from-ini"]
    """)
    result = pytester.runpytest("-v")
    result.stdout.fnmatch_lines(["from-ini/job.json::exchange PASSED*"])
    assert "from-table" not in result.stdout.str()


@pytest.mark.parametrize("how", [["--respcontract-disable"], ["-o", "respcontract_disable=true"],
                                 ["-p", "no:respcontract"]])
def test_opting_out_collects_no_recordings(project: pytest.Pytester, how: list[str]) -> None:
    project.makepyfile("def test_plain():\n    pass\n")
    result = project.runpytest(*how, "-p", "no:warnings")
    result.assert_outcomes(passed=1)


def test_contract_examples_are_collected_on_request(pytester: pytest.Pytester) -> None:
    shutil.copytree(DATA / "acme", pytester.path, dirs_exist_ok=True)
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        respcontract_contracts = ["contracts"]
    """)
    pytester.runpytest().assert_outcomes()
    result = pytester.runpytest("--respcontract-examples", "-v")
    result.stdout.fnmatch_lines([
        "contracts/acme/examples/widget.json::exchange PASSED*",
        "bundled-contracts/zoho-crm/examples/job-id-sent.json::exchange PASSED*",
    ], consecutive=False)
    # 1 of the project + every bundled example (8 hand-written, 246 from the v8 import)
    result.assert_outcomes(passed=255)


def test_user_contracts_check_recordings_of_their_own_api(pytester: pytest.Pytester) -> None:
    shutil.copytree(DATA / "acme", pytester.path, dirs_exist_ok=True)
    (pytester.path / "recordings").mkdir()
    (pytester.path / "recordings" / "widget.json").write_text(
        '{"request": {"method": "GET", "url": "https://api.example.com/widgets/7"},\n'
        ' "response": {"status": 200, "headers": {"Content-Type": "application/json"},\n'
        '              "body": {"id": "7", "name": ""}}}\n')
    result = pytester.runpytest("--respcontract-contracts", "contracts",
                                "--respcontract-no-bundled", "--respcontract-recordings",
                                "recordings")
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines([
        r"2 errors against acme/widgets:get_widget for GET /widgets/7 -> 200$",
        r"  recordings/widget\.json:3:30: error \[schema\] /id: expected integer, found "
        r"string '7'$",
        r"  recordings/widget\.json:3:43: error \[schema\] /name: expected at least 1 "
        r"character\(s\), found 0$",
    ])


def test_recordings_with_nothing_to_check_are_skipped_not_passed(pytester: pytest.Pytester
                                                                  ) -> None:
    recordings = pytester.path / "recordings"
    recordings.mkdir()
    (recordings / "empty.yml").write_text("http_interactions: []\nrecorded_with: VCR 6.2.0\n")
    (recordings / "blocked.har").write_text(
        '{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": '
        '"https://www.zohoapis.com/crm/v7/Contacts/actions/portal_invite?job_id=1"}, '
        '"response": {"status": 0, "headers": [], "content": {}}}]}}')
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        respcontract_recordings = ["recordings"]
    """)
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.re_match_lines([
        r"SKIPPED \[1\] recordings/blocked\.har:1: nothing to check: entry 0: no response "
        r"was recorded",
        r"SKIPPED \[1\] recordings/empty\.yml:1: nothing to check: the cassette has no "
        r"interactions",
    ], consecutive=False)
    pytester.runpytest("--respcontract-strict").assert_outcomes(failed=2)


def test_playwright_recordings_are_items_and_their_attached_bodies_are_not(
        pytester: pytest.Pytester) -> None:
    playwright = DATA.parent.parent / "recordings" / "playwright"
    recordings = pytester.path / "recordings"
    recordings.mkdir()
    for made in playwright.iterdir():
        if made.name not in ("record.py", "README.md", "expected.json"):
            shutil.copy(made, recordings / made.name)
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        respcontract_recordings = ["recordings"]
    """)
    result = pytester.runpytest("--collect-only", "-q")
    ids = {line.split("::")[0] for line in result.outlines if "::" in line}
    assert ids == {"recordings/attach.har", "recordings/attach.har.zip", "recordings/embed.har",
                   "recordings/omit.har"}
    pytester.runpytest().assert_outcomes(skipped=20)  # no endpoint matches the test server
