"""Shared helpers: the CLI as a subprocess, the reference specs, small spec writers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(os.environ.get("RESPCONTRACT_ZOHO_OAS", ROOT / "tools" / "zoho-crm-v8" / "vendor"))
PORTAL_USERS = REFERENCE / "oas3.1" / "portal_users" / "portal_users.yaml"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", *args], capture_output=True,
                          text=True, cwd=cwd, check=False)


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def spec30(paths: dict[str, Any], schemas: dict[str, Any] | None = None,
           **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.test"}], "paths": paths,
            "components": {"schemas": schemas or {}}, **extra}


def get_op(schema: Any, examples: dict[str, Any] | None = None, op_id: str = "Get Thing",
           status: str = "200") -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if examples:
        media["examples"] = {k: {"value": v} for k, v in examples.items()}
    return {"get": {"operationId": op_id, "responses": {
        status: {"description": "ok", "content": {"application/json": media}}}}}


def imported_schema(out: Path, contract: str, endpoint: str, status: str = "200") -> Any:
    return json.loads((out / "schemas" / contract / f"{endpoint}.{status}.schema.json")
                      .read_text(encoding="utf-8"))
