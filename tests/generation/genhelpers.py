"""Constants and helpers shared by the generation tests (imported as a plain module)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
FIXTURE_CONTRACTS = HERE / "fixtures" / "contracts"
CONSUMERS = ROOT / "examples" / "consumers"
# The cross-property tests run this many examples per case (25 by default, to keep CI
# fast); raise it for a deeper run: RESPCONTRACT_GEN_EXAMPLES=500 python -m pytest ...
EXAMPLES = int(os.environ.get("RESPCONTRACT_GEN_EXAMPLES", "25"))

JOB_STATUS = "zoho-crm/portal-invite:get_bulk_invite_status"
ENDPOINTS = [
    JOB_STATUS,
    "zoho-crm/portal-invite:bulk_invite_users",
    "zoho-crm/portal-invite:invite_user",
    "acme/warehouse:get_shipment",
    "acme/warehouse:list_shipments",
]


def respcontract(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, as a subprocess."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=600, check=False)
