"""Findings, severities and the report that collects them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from validator.model.record import field, record


class Severity(StrEnum):
    """How much a finding weighs: errors fail a run, warnings only under --strict."""

    ERROR = "error"
    WARNING = "warning"


@record(frozen=True)
class Finding:
    """One way an exchange (or a whole source file) breaks its contract."""

    severity: Severity
    rule: str
    message: str
    source: str = ""
    exchange: int | None = None
    endpoint: str | None = None
    pointer: str = ""
    line: int | None = None
    column: int | None = None
    docs: str | None = None

    def fails(self, strict: bool) -> bool:
        """Whether this finding fails the run (warnings do under --strict)."""
        return self.severity is Severity.ERROR or strict

    def to_dict(self) -> dict[str, Any]:
        """The finding as the JSON report writes it."""
        return {
            "severity": self.severity.value,
            "rule": self.rule,
            "endpoint": self.endpoint,
            "source": self.source,
            "exchange": self.exchange,
            "pointer": self.pointer,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "docs": self.docs,
        }

    def location(self) -> str:
        """source:line:column, as far as known."""
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


UNMATCHED = "unmatched"


@record
class ExchangeResult:
    """The verdict on one exchange: where it came from and what was found."""

    source: str
    index: int | None
    endpoint: str | None
    findings: list[Finding] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        """Whether any finding fails the exchange (warnings too when strict)."""
        return any(f.fails(strict) for f in self.findings)

    @property
    def unmatched(self) -> bool:
        """No contract endpoint matched: the exchange was not checked (not "passed")."""
        return self.endpoint is None and any(f.rule == UNMATCHED for f in self.findings)

    def outcome(self, strict: bool) -> str:
        """"failed", "passed", "unmatched" or "skipped": each result counts in exactly one.

        Only an exchange checked against an endpoint can pass. One read but with nothing
        to check (an entry that got no response, a recording with no exchanges) is
        "skipped", as an unmatched one is "unmatched": neither is a pass.
        """
        if self.failed(strict):
            return "failed"
        if self.endpoint is not None:
            return "passed"
        return "unmatched" if self.unmatched else "skipped"

    @property
    def label(self) -> str:
        """source, or source::index for one exchange of several."""
        return self.source if self.index is None else f"{self.source}::{self.index}"


@record
class Report:
    """Everything one run found, in the order the sources were read."""

    results: list[ExchangeResult] = field(default_factory=list)
    strict: bool = False

    def add(self, result: ExchangeResult) -> None:
        """Add one exchange's result."""
        self.results.append(result)

    def extend(self, results: Iterable[ExchangeResult]) -> None:
        """Add several exchanges' results."""
        self.results.extend(results)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every result, in order."""
        return [f for r in self.results for f in r.findings]

    @property
    def failed(self) -> bool:
        """Whether any exchange failed."""
        return any(r.failed(self.strict) for r in self.results)

    def summary(self) -> dict[str, int]:
        """Counts: exchanges, passed, failed, unmatched, skipped, errors, warnings."""
        findings = self.findings
        outcomes = [r.outcome(self.strict) for r in self.results]
        return {
            "exchanges": len(self.results),
            "passed": outcomes.count("passed"),
            "failed": outcomes.count("failed"),
            "unmatched": outcomes.count("unmatched"),
            "skipped": outcomes.count("skipped"),
            "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
            "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
        }

    def to_dict(self) -> dict[str, Any]:
        """The report as the JSON format writes it."""
        return {"summary": self.summary(), "findings": [f.to_dict() for f in self.findings]}

    def reported(self) -> list[Finding]:
        """The findings worth an annotation: unmatched exchanges only under --strict."""
        return [f for f in self.findings if self.strict or f.rule != UNMATCHED]

    @property
    def exit_code(self) -> int:
        """0 when nothing failed, 1 otherwise."""
        return 1 if self.failed else 0
