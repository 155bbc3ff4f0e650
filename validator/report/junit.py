"""JUnit XML: one test case per exchange, findings in the failure message."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from validator.model.findings import Report
from validator.report.text import one_line


def render(report: Report) -> str:
    """A testsuite with one testcase per exchange; unmatched and skipped ones are skipped."""
    summary = report.summary()
    suite = ET.Element("testsuite", name="respcontract", tests=str(summary["exchanges"]),
                       failures=str(summary["failed"]), errors="0",
                       skipped=str(summary["unmatched"] + summary["skipped"]))
    for result in report.results:
        case = ET.SubElement(suite, "testcase", classname=result.source, name=result.label)
        if result.endpoint:
            case.set("endpoint", result.endpoint)
        outcome = result.outcome(report.strict)
        if outcome in ("unmatched", "skipped"):
            reason = next((f for f in result.findings if f.rule == "unmatched"),
                          result.findings[0] if result.findings else None)
            ET.SubElement(case, "skipped",
                          message=one_line(reason) if reason else "nothing to check")
        failing = [f for f in result.findings if f.fails(report.strict)]
        if failing:
            failure = ET.SubElement(case, "failure", type=failing[0].rule,
                                    message=one_line(failing[0]))
            failure.text = "\n".join(one_line(f) + (f"\n  docs: {f.docs}" if f.docs else "")
                                     for f in failing)
        others = [f for f in result.findings if not f.fails(report.strict)]
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(one_line(f) for f in others)
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
