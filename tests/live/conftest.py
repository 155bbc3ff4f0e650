"""Fixtures for live-mode tests: scripted fake Zoho servers on loopback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_zoho import FakeZoho
from live_helpers import FAST, JOB, TOKEN, Run, run_cli


@pytest.fixture
def zoho() -> Iterator[FakeZoho]:
    with FakeZoho("127.0.0.1") as server:
        yield server


@pytest.fixture
def elsewhere() -> Iterator[FakeZoho]:
    """A second server: another origin (the name localhost and its own port)."""
    with FakeZoho("localhost") as server:
        yield server


@pytest.fixture
def live(zoho: FakeZoho, tmp_path: Path) -> Any:
    """Run `respcontract live get_bulk_invite_status` against the fake server."""

    def call(*extra: str, endpoint: str = "get_bulk_invite_status", job: str | None = JOB,
             token: str | None = TOKEN, fmt: str = "json") -> Run:
        query = ["--query", f"job_id={job}"] if job else []
        return run_cli("live", endpoint, "--base-url", zoho.url, *query, *FAST,
                       "--format", fmt, *extra, cwd=tmp_path, token=token)

    return call
