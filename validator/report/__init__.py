"""Report formats: text (default), json, junit, github, sarif. Each is `render(report)`.

Every format prints the report through `redact.redacted`: no credential from a recorded
URL reaches any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from validator.model.findings import Report

FORMATS = ("text", "json", "junit", "github", "sarif")


def renderer(name: str) -> Callable[..., str]:
    """The `render` function of one format's module."""
    module = import_module(f"{__name__}.{name}")
    return module.render  # type: ignore[no-any-return]


def render(report: Report, name: str, color: bool = False) -> str:
    """The report in format `name` (one of FORMATS)."""
    from validator.report.redact import redacted

    report = redacted(report)
    if name == "text":
        return renderer(name)(report, color=color)
    return renderer(name)(report)
