"""Helpers for live-mode tests: the command-line runner that fails a test if the token
shows up in anything printed, and token traces computed independently of the code under test."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

TOKEN = "1000.5f3c9a7e2b8d4f6a1c0e9b7d5a3f8e2c.7b4e1d9a6c3f0e8b5a2d7c4f1e9b6a3d"
JOB = "5020928000002387017"
# Small delays so the suite stays fast; the options exist for exactly this.
FAST = ["--backoff", "0.01", "--poll-interval", "0.05", "--timeout", "5",
        "--connect-timeout", "5"]


def token_traces(token: str = TOKEN) -> list[str]:
    """Forms of the token a leak would show, computed independently of the code under test."""
    raw = token.encode()
    return [token, quote(token, safe=""), base64.b64encode(raw).decode(),
            base64.b64encode(b"Zoho-oauthtoken " + raw).decode()[24:-4], raw.hex()]


def assert_no_token(text: str) -> None:
    for trace in token_traces():
        assert trace not in text


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def rules(self) -> list[str]:
        return [f["rule"] for f in self.json()["findings"]]


def clean_env(token: str | None = TOKEN) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.lower().endswith("_proxy") and k != "ZOHO_CRM_TOKEN"}
    env["NO_COLOR"] = "1"
    if token is not None:
        env["ZOHO_CRM_TOKEN"] = token
    return env


def run_cli(*args: str, cwd: Path, token: str | None = TOKEN,
            env: dict[str, str] | None = None) -> Run:
    proc = subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd,
                          env=env or clean_env(token), capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert_no_token(proc.stdout + proc.stderr)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def recordings(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.json"))
    for file in files:
        assert_no_token(file.read_text(encoding="utf-8"))
        assert_no_token(base64.b64decode(json.loads(file.read_text())["response"]
                                         .get("body_base64", "")).decode("latin-1"))
    return files
