"""Report formats: text (default), json, junit, github. Each is `render(report) -> str`."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from validator.model.findings import Report

FORMATS = ("text", "json", "junit", "github")


def renderer(name: str) -> Callable[..., str]:
    """The render function of a report format."""
    module = import_module(f"{__name__}.{name}")
    return module.render  # type: ignore[no-any-return]


def render(report: Report, name: str, color: bool = False) -> str:
    """A report in format `name` (text, json, junit, github)."""
    if name == "text":
        return renderer(name)(report, color=color)
    return renderer(name)(report)
