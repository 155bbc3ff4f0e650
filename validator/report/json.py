"""Machine-readable report: {"summary": {...}, "findings": [...]}."""

from __future__ import annotations

import json

from validator.model.findings import Report


def render(report: Report) -> str:
    """The report as indented JSON."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
