"""Cap floods of findings: many of one kind in one place become a list and one count.

A body with a million undocumented members is one problem repeated, not a million. Per
exchange, findings are grouped by (severity, rule, parent pointer); a group longer than
`limit` keeps its first `limit` findings and gains one summary finding that says how many
more there are ("and 999,990 more undocumented members of /").
"""

from __future__ import annotations

from dataclasses import replace

from validator.model.findings import ExchangeResult, Finding

DEFAULT_MAX_FINDINGS = 100


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
