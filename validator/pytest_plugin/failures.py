"""How findings reach pytest: a failed assertion listing them, or pytest warnings."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from validator.errors import TestFailure
from validator.model.exchange import Exchange
from validator.model.findings import Finding, Severity
from validator.model.record import replace

UNMATCHED = "unmatched"


class RespcontractWarning(UserWarning):
    """A finding that does not fail: an undocumented field or value, a doubtful request.

    Filter it like any warning (`-W error::validator.pytest_plugin.RespcontractWarning`);
    `--respcontract-strict` turns these findings into failures.
    """

    __module__ = "validator.pytest_plugin"


class ContractViolation(TestFailure):
    """A response breaks its contract; `findings` holds every finding for it."""

    __module__ = "validator.pytest_plugin"  # the name pytest prints, and the import path

    def __init__(self, message: str, findings: Sequence[Finding]) -> None:
        super().__init__(message)
        self.findings = list(findings)


@dataclass(frozen=True)
class Verdict:
    """Findings split into those that fail the test and those that do not."""

    failing: list[Finding]
    passing: list[Finding]  # warnings that do not fail

    @property
    def failed(self) -> bool:
        return bool(self.failing)


def judge(findings: Sequence[Finding], strict: bool) -> Verdict:
    """The verdict on findings, with or without strict."""
    failing = [f for f in findings if f.fails(strict)]
    return Verdict(failing, [f for f in findings if not f.fails(strict)])


PIN_HINT = "pin one with endpoint= or @pytest.mark.respcontract(endpoint=...)"


def for_an_assertion(finding: Finding) -> Finding:
    """A finding as `assert_conforms` reports it: an assertion that checked nothing must not
    pass, so 'no endpoint matches' fails it; both endpoint hints speak pytest, not the CLI."""
    if finding.rule == UNMATCHED:
        message = finding.message.removesuffix("; not checked")
        return replace(finding, severity=Severity.ERROR, message=f"{message} ({PIN_HINT})")
    if finding.rule == "endpoint" and finding.message.startswith("no request recorded"):
        return replace(finding, message=f"a bare body has no request to match an endpoint "
                                        f"by: {PIN_HINT}")
    return finding


def only_unmatched(findings: Sequence[Finding]) -> Finding | None:
    """The 'no endpoint matches' finding, when it is all there is to say about an exchange."""
    if len(findings) == 1 and findings[0].rule == UNMATCHED:
        return findings[0]
    return None


def subject(exchange: Exchange | None, fallback: str) -> str:
    """`GET /path -> 200`: enough to recognise the exchange, without host, query or headers."""
    if exchange is None:
        return fallback
    status = exchange.response.status
    if exchange.request is None:
        return f"response {status}"
    return f"{exchange.request.method} {exchange.request.path} -> {status}"


def counts(findings: Sequence[Finding]) -> str:
    """'2 errors, 1 warning' for a list of findings."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warns = len(findings) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warns:
        parts.append(f"{warns} warning{'s' if warns != 1 else ''}")
    return ", ".join(parts)


def finding_lines(finding: Finding, fails: bool) -> list[str]:
    """A finding as the lines of a test failure message."""
    where = f"{finding.location()}: " if _has_location(finding) else ""
    pointer = f" {finding.pointer}" if finding.pointer else ""
    label = finding.severity.value
    if fails and finding.severity is Severity.WARNING:
        label = "warning (strict)"
    lines = [f"  {where}{label} [{finding.rule}]{pointer}: {finding.message}"]
    if finding.docs:
        lines.append(f"      docs: {finding.docs}")
    return lines


def describe(subject_text: str, endpoint: str | None, verdict: Verdict) -> str:
    """The failure text: a summary line, then every finding, failing ones first."""
    findings = verdict.failing + verdict.passing
    against = f" against {endpoint}" if endpoint else ""
    lines = [f"{counts(findings)}{against} for {subject_text}"]
    for finding in verdict.failing:
        lines += finding_lines(finding, True)
    for finding in verdict.passing:
        lines += finding_lines(finding, False)
    return "\n".join(lines)


def enforce(findings: Sequence[Finding], strict: bool, subject_text: str,
            endpoint: str | None, prefix: str = "", stacklevel: int | None = None) -> None:
    """Fail with every finding when any fails; else report the warnings as pytest warnings.

    A warning that `-W error` or `filterwarnings` turns into an exception fails the same way
    as strict mode would, with the same text (not a traceback through this plugin).
    """
    __tracebackhide__ = True
    verdict = judge(findings, strict)
    if not verdict.failed:
        try:
            warn(verdict.passing, None if stacklevel is None else stacklevel + 1)
            return
        except RespcontractWarning:
            verdict = judge(findings, strict=True)
    raise ContractViolation(prefix + describe(subject_text, endpoint, verdict), findings)


def warn(findings: Sequence[Finding], stacklevel: int | None = None) -> None:
    """Each non-failing finding as a pytest warning.

    With `stacklevel`, the warning points at the caller (the user's test). Otherwise it
    points at the recording as `file:line` with the column as its line number: pytest then
    prints `file:line:column`, and does not copy the recording's line into the summary
    (a HAR or cassette body often sits on one line of megabytes).
    """
    for finding in findings:
        pointer = f" {finding.pointer}" if finding.pointer else ""
        docs = f" (docs: {finding.docs})" if finding.docs else ""
        text = f"[{finding.rule}]{pointer}: {finding.message}{docs}"
        if stacklevel is not None:
            where = f"{finding.location()}: " if _has_location(finding) else ""
            warnings.warn(RespcontractWarning(where + text), stacklevel=stacklevel + 1)
        else:
            filename = finding.source or "<recording>"
            if finding.line is not None:
                filename += f":{finding.line}"
            warnings.warn_explicit(RespcontractWarning(text), RespcontractWarning, filename,
                                   finding.column or 0)


def _has_location(finding: Finding) -> bool:
    """Live responses are named like '<httpx>'; only real files have a location to show."""
    return bool(finding.source) and not finding.source.startswith("<")
