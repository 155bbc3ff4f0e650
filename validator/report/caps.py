"""Cap floods of findings: many of one kind in one place become a list and one count.

A body with a million undocumented members is one problem repeated, not a million. Per
exchange, findings are grouped by (severity, rule, parent pointer); a group longer than
`limit` keeps its first `limit` findings and gains one summary finding that says how many
more there are ("and 999,990 more undocumented members of /").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from validator.model.findings import ExchangeResult, Finding
from validator.model.record import replace

DEFAULT_MAX_FINDINGS = 100
T = TypeVar("T")


def _parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0] if pointer else ""


def _what(rule: str) -> str:
    return "undocumented members" if rule == "undocumented" else f"[{rule}] findings"


def cap(result: ExchangeResult, limit: int | None) -> ExchangeResult:
    """The result with every group of more than `limit` alike findings cut to `limit` + 1.

    `limit` None or 0: no cap. Order is kept; the summary follows the group's last kept one.
    """
    if not limit or len(result.findings) <= limit:
        return result
    counts: dict[tuple[str, str, str], int] = {}
    for finding in result.findings:
        key = (finding.severity.value, finding.rule, _parent(finding.pointer))
        counts[key] = counts.get(key, 0) + 1
    if max(counts.values()) <= limit:
        return result
    kept: list[Finding] = []
    seen: dict[tuple[str, str, str], int] = {}
    for finding in result.findings:
        key = (finding.severity.value, finding.rule, _parent(finding.pointer))
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= limit:
            kept.append(finding)
        if seen[key] == limit and counts[key] > limit:
            parent = key[2] or "/"
            kept.append(replace(finding, pointer=key[2], message=(
                f"and {counts[key] - limit:,} more {_what(finding.rule)} of {parent} "
                f"(--max-findings {limit})")))
    return replace(result, findings=kept)


class Budget:
    """Counts findings per (severity, rule, parent pointer) as they are made, so that those
    over the limit are dropped before they are located (locating is the costly part)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit or 0
        self._counts: dict[tuple[str, str, str], int] = {}
        self._extra: dict[tuple[str, str, str], int] = {}  # dropped in bulk by admit_many

    @property
    def counted(self) -> bool:
        """Whether any finding went through this budget (else there is no overflow)."""
        return bool(self._counts or self._extra)

    def admit(self, severity: str, rule: str, pointer: str) -> bool:
        """Whether a finding still fits; one that does not is only counted."""
        if not self.limit:
            return True
        key = (severity, rule, _parent(pointer))
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        return count <= self.limit

    def admit_many(self, severity: str, rule: str, parent: str, items: Sequence[T]
                   ) -> Sequence[T]:
        """The items (all children of `parent`) that still fit; the rest are only counted."""
        if not self.limit:
            return items
        key = (severity, rule, parent)
        before = self._counts.get(key, 0)
        taken = items[:max(0, self.limit - before)]
        self._extra[key] = self._extra.get(key, 0) + len(items) - len(taken)
        return taken  # `admit` counts these as they are added

    def overflow(self) -> list[tuple[str, str, str, str]]:
        """(severity, rule, parent pointer, message) of one summary per capped group."""
        totals = dict(self._counts)
        for key, extra in self._extra.items():
            totals[key] = totals.get(key, 0) + extra
        return [(severity, rule, parent, f"and {count - self.limit:,} more {_what(rule)} of "
                 f"{parent or '/'} (--max-findings {self.limit})")
                for (severity, rule, parent), count in totals.items() if count > self.limit]
