"""Human-readable report, grouped by file; colour only when asked (a TTY)."""

from __future__ import annotations

from validator.model.findings import Finding, Report, Severity

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "ok": "\033[32m", "dim": "\033[2m"}
_RESET = "\033[0m"


def _paint(text: str, color: str, enabled: bool) -> str:
    return f"{_COLORS[color]}{text}{_RESET}" if enabled else text


def format_finding(finding: Finding, color: bool = False) -> list[str]:
    """A finding as text lines: location, severity, rule, pointer and message."""
    severity = finding.severity.value
    where = finding.location()
    if finding.exchange is not None:
        where += f" [exchange {finding.exchange}]"
    pointer = f" {finding.pointer}" if finding.pointer else ""
    lines = [f"  {where}: {_paint(severity, severity, color)} [{finding.rule}]{pointer}: "
             f"{finding.message}"]
    if finding.docs:
        lines.append(_paint(f"      docs: {finding.docs}", "dim", color))
    return lines


def render(report: Report, color: bool = False) -> str:
    """A report as text, grouped by source, with a summary line."""
    out: list[str] = []
    by_source: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_source.setdefault(finding.source or "<input>", []).append(finding)
    for source, findings in by_source.items():
        out.append(source)
        for finding in findings:
            out.extend(format_finding(finding, color))
    summary = report.summary()
    verdict = "FAILED" if report.failed else "OK"
    out.append(
        f"{_paint(verdict, 'error' if report.failed else 'ok', color)}: "
        f"{summary['exchanges']} exchange{'s' if summary['exchanges'] != 1 else ''}, "
        f"{summary['passed']} passed, {summary['failed']} failed "
        f"({summary['errors']} error{'s' if summary['errors'] != 1 else ''}, "
        f"{summary['warnings']} warning{'s' if summary['warnings'] != 1 else ''}"
        f"{', warnings fail (--strict)' if report.strict and summary['warnings'] else ''})"
    )
    return "\n".join(out) + "\n"


def one_line(finding: Finding) -> str:
    """A finding on one line."""
    pointer = f" {finding.pointer}" if finding.pointer else ""
    return (f"{finding.location()}: {finding.severity.value} [{finding.rule}]{pointer}: "
            f"{finding.message}")


__all__ = ["Severity", "format_finding", "one_line", "render"]
