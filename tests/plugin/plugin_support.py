"""Helpers the plugin tests import (a name of their own: other test folders have conftests)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def outcomes(reprec: pytest.HookRecorder) -> dict[str, str]:
    """node id -> passed / failed / skipped, from an inline run."""
    found: dict[str, str] = {}
    for report in reprec.getreports("pytest_runtest_logreport"):
        if report.when == "call" or report.outcome != "passed":
            found.setdefault(report.nodeid, report.outcome)
    return found
