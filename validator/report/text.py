"""Human-readable report, grouped by file; colour only when asked (a TTY)."""

from __future__ import annotations

from validator.model.findings import Finding, Report, Severity

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "ok": "\033[32m", "dim": "\033[2m"}
_RESET = "\033[0m"


def _paint(text: str, color: str, enabled: bool) -> str:
    return f"{_COLORS[color]}{text}{_RESET}" if enabled else text


def format_finding(finding: Finding, color: bool = False) -> list[str]:
    """A finding as the text report prints it (with its docs link on a second line)."""
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
    """The text report: findings grouped by file, then the summary line."""
    out: list[str] = []
    by_source: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_source.setdefault(finding.source or "<input>", []).append(finding)
    for source, findings in by_source.items():
        out.append(source)
        for finding in findings:
            out.extend(format_finding(finding, color))
    out.append(summary_line(report, color))
    return "\n".join(out) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report, color: bool = False) -> str:
    """OK/FAILED: N exchanges, P passed, F failed[, U unmatched][, S skipped] (E errors,
    W warnings)."""
    summary = report.summary()
    verdict = "FAILED" if report.failed else "OK"
    strict = ", warnings fail (--strict)" if report.strict and summary["warnings"] else ""
    return (f"{_paint(verdict, 'error' if report.failed else 'ok', color)}: "
            f"{_plural(summary['exchanges'], 'exchange')}, {summary['passed']} passed, "
            f"{summary['failed']} failed{not_checked(summary)} "
            f"({_plural(summary['errors'], 'error')}, "
            f"{_plural(summary['warnings'], 'warning')}{strict})")


def not_checked(summary: dict[str, int]) -> str:
    """", U unmatched, S skipped" for those that are not zero."""
    return "".join(f", {summary[kind]} {kind}" for kind in ("unmatched", "skipped")
                   if summary[kind])


def one_line(finding: Finding) -> str:
    """A finding on one line: where, severity, rule, pointer, message."""
    pointer = f" {finding.pointer}" if finding.pointer else ""
    return (f"{finding.location()}: {finding.severity.value} [{finding.rule}]{pointer}: "
            f"{finding.message}")


__all__ = ["Severity", "format_finding", "one_line", "render", "summary_line"]
