from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from validator.model.findings import ExchangeResult, Finding, Report, Severity
from validator.report import render

DOCS = "https://www.zoho.com/crm/developer/docs/api/v7/status-codes.html"


def sample_report(strict: bool = False) -> Report:
    report = Report(strict=strict)
    report.add(ExchangeResult("rec/a.har", 0, "api:get", [
        Finding(Severity.ERROR, "schema", "expected string, found integer 5", "rec/a.har", 0,
                "api:get", "/portal_invite/0/job_id", 12, 7, DOCS),
        Finding(Severity.WARNING, "undocumented", "undocumented property 'x,y'", "rec/a.har",
                0, "api:get", "/x", 14, 3, None),
    ]))
    report.add(ExchangeResult("rec/b.json", None, "api:get", []))
    return report


def test_json_report_has_the_documented_shape() -> None:
    data = json.loads(render(sample_report(), "json"))
    assert data["summary"] == {"exchanges": 2, "passed": 1, "failed": 1, "unmatched": 0,
                               "skipped": 0, "errors": 1, "warnings": 1}
    assert set(data["findings"][0]) == {"severity", "rule", "endpoint", "source", "exchange",
                                        "pointer", "message", "line", "column", "docs"}


def test_github_annotations_are_exact_and_escaped() -> None:
    lines = render(sample_report(), "github").splitlines()
    assert lines[0] == ("::error file=rec/a.har,line=12,col=7,title=respcontract schema at "
                        "/portal_invite/0/job_id::expected string, found integer 5 (docs: "
                        + DOCS + ")")
    assert lines[1] == ("::warning file=rec/a.har,line=14,col=3,title=respcontract "
                        "undocumented at /x::undocumented property 'x,y'")
    strict = render(sample_report(strict=True), "github").splitlines()
    assert strict[1].startswith("::error ")


def test_junit_has_one_case_per_exchange_with_findings_in_the_failure() -> None:
    root = ET.fromstring(render(sample_report(), "junit"))
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["rec/a.har::0", "rec/b.json"]
    failure = cases[0].find("failure")
    assert failure is not None and "/portal_invite/0/job_id" in (failure.text or "")
    assert cases[1].find("failure") is None


def test_text_groups_by_file_and_summarises() -> None:
    text = render(sample_report(), "text")
    assert text.splitlines()[0] == "rec/a.har"
    assert "rec/a.har:12:7 [exchange 0]: error [schema] /portal_invite/0/job_id:" in text
    assert text.rstrip().endswith("2 exchanges, 1 passed, 1 failed (1 error, 1 warning)")
    assert "\033[" not in text
    assert "\033[31m" in render(sample_report(), "text", color=True)


def unmatched_report(strict: bool = False) -> Report:
    report = sample_report(strict)
    report.add(ExchangeResult("rec/c.har", 3, None, [Finding(
        Severity.WARNING, "unmatched", "no contract endpoint matches GET /hooks/"
        "T0k3nAbCdEfGhIjKlMnOpQrStUvWxYz012345?access_token=s3cr3t; not checked",
        "rec/c.har", 3, None, "", 40, 9)]))
    return report


def test_unmatched_is_not_passed_in_text_and_json() -> None:
    report = unmatched_report()
    assert json.loads(render(report, "json"))["summary"] == {
        "exchanges": 3, "passed": 1, "failed": 1, "unmatched": 1, "skipped": 0, "errors": 1,
        "warnings": 2}
    assert "3 exchanges, 1 passed, 1 failed, 1 unmatched" in render(report, "text")


def skipped_report() -> Report:
    """An empty cassette and a HAR entry that got no response: read, nothing to check."""
    report = sample_report()
    report.add(ExchangeResult("rec/empty.yml", None, None, [Finding(
        Severity.WARNING, "source-empty", "the cassette has no interactions: nothing to check",
        "rec/empty.yml", None, line=1)]))
    report.add(ExchangeResult("rec/d.har", 0, None, [Finding(
        Severity.WARNING, "no-response", "entry 0: no response was recorded", "rec/d.har", 0,
        line=3)]))
    return report


def test_what_was_read_but_not_checked_is_skipped_not_passed() -> None:
    report = skipped_report()
    summary = json.loads(render(report, "json"))["summary"]
    assert (summary["passed"], summary["skipped"], summary["exchanges"]) == (1, 2, 4)
    assert "4 exchanges, 1 passed, 1 failed, 2 skipped (1 error, 3 warnings)" in render(
        report, "text")
    assert "1 failed, 2 skipped" in render(report, "github").splitlines()[-1]
    suite = ET.fromstring(render(report, "junit")).find("testsuite")
    assert suite is not None and suite.get("skipped") == "2"
    skips = [case.find("skipped") for case in suite.iter("testcase")]
    reasons = [skip.get("message", "") for skip in skips if skip is not None]
    assert len(reasons) == 2 and "source-empty" in reasons[0] and "no-response" in reasons[1]


def test_junit_skips_unmatched_and_github_says_nothing_unless_strict() -> None:
    suite = ET.fromstring(render(unmatched_report(), "junit")).find("testsuite")
    assert suite is not None and suite.get("skipped") == "1"
    skipped = [c for c in suite.iter("testcase") if c.find("skipped") is not None]
    assert [c.get("name") for c in skipped] == ["rec/c.har::3"]
    assert "[unmatched]" not in render(unmatched_report(), "github")
    assert "rec/c.har" not in render(unmatched_report(), "github")
    assert "file=rec/c.har" in render(unmatched_report(strict=True), "github")


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "sarif"])
def test_tokens_in_recorded_urls_are_redacted_in_every_format(fmt: str) -> None:
    out = render(unmatched_report(strict=True), fmt)
    assert "s3cr3t" not in out and "T0k3nAbCdEfGhIjKlMnOpQrStUvWxYz012345" not in out
    assert "REDACTED" in out


def sarif_validator() -> Any:
    import jsonschema

    # The SARIF 2.1.0 schema (OASIS; the copy npm's @microsoft/jest-sarif ships)
    schema = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("strict", [False, True])
def test_sarif_is_valid_sarif_2_1_0_with_rules_and_physical_locations(strict: bool) -> None:
    log = json.loads(render(unmatched_report(strict), "sarif"))
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert errors == []
    [run] = log["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert [rules[r["ruleIndex"]] for r in results] == [r["ruleId"] for r in results]
    first = results[0]
    assert first["level"] == "error" and first["ruleId"] == "schema"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "rec/a.har", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 7}}
    assert ("unmatched" in rules) is strict


def test_the_sarif_check_catches_a_broken_log() -> None:
    log = json.loads(render(sample_report(), "sarif"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(sarif_validator().iter_errors(log))
