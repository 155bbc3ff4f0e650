"""Default `respcontract fuzz` against a real SDK's response parser (Zoho CRM's Python SDK).

The SDK is in the `test` extra, so CI runs this; elsewhere it is skipped unless the SDK is
installed (`pip install zohocrmsdk8-0`). The SDK has
never been tuned for here; the run must find its crash on a malformed item, with a shrunk
reproducer, and a one-line --expect property must catch the members it silently drops.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from genhelpers import HERE, respcontract

pytestmark = pytest.mark.skipif(importlib.util.find_spec("zohocrmsdk") is None,
                                reason="the Zoho CRM SDK (zohocrmsdk8-0) is not installed")

CONSUMER = str(HERE / "sdk" / "zoho_sdk_consumer.py") + ":invite"
INVITE = "zoho-crm/portal-invite:invite_user"


def test_default_fuzzing_finds_the_sdk_crash_on_a_malformed_item(tmp_path: Path) -> None:
    done = respcontract("fuzz", CONSUMER, "--endpoint", INVITE, "--seed", "1",
                        "--reproducers", str(tmp_path / "repro"), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert "FAIL invalid: the consumer raised TypeError" in out
    assert re.search(r"TypeError: argument of type '(int|bool)' is not iterable", out)
    assert "json_converter.py" in out  # the crash is inside the SDK's own parser
    # shrunk to the malformed item itself: a list whose one item is a number or boolean
    shrunk = re.search(r'    \{"portal_invite": \[(0|true)\]\}\n', out)
    assert shrunk is not None, out
    reproducer = next((tmp_path / "repro").glob("*-invalid-*.json"))
    assert json.loads(reproducer.read_text(encoding="utf-8")) == {
        "portal_invite": [json.loads(shrunk.group(1))]}
    assert "  valid: 100 calls, no crash\n" in out


def test_a_one_line_property_catches_the_members_the_sdk_drops(tmp_path: Path) -> None:
    kept = ("[len(r.get_details()) for r in result.get_portal_invite()] == "
            "[len(b['details']) for b in body['portal_invite']]")
    done = respcontract("fuzz", CONSUMER, "--endpoint", INVITE, "--kind", "valid",
                        "--seed", "1", "--expect", kept,
                        "--reproducers", str(tmp_path / "repro"), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "FAIL valid: the property does not hold" in done.stdout
    reproducer = next((tmp_path / "repro").glob("*-valid-*.json"))
    body = json.loads(reproducer.read_text(encoding="utf-8"))
    details = body["portal_invite"][0]["details"]
    assert details  # the SDK returned fewer detail members than the body held
