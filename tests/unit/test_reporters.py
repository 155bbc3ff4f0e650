from __future__ import annotations

import json
from xml.etree import ElementTree as ET

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
                               "errors": 1, "warnings": 1}
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
