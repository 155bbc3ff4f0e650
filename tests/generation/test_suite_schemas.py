"""The official JSON-Schema-Test-Suite's draft2020-12 schemas through the generator.

Runs only when RESPCONTRACT_SCHEMA_SUITE names a checkout of the suite (its files are not
part of this repository):

    RESPCONTRACT_SCHEMA_SUITE=path/to/JSON-Schema-Test-Suite python -m pytest \\
        tests/generation/test_suite_schemas.py

Each schema is refused in one line, or every example python-jsonschema judges is valid:
none may be wrong, none may crash, and at most 40 may be refused.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from suite_schemas import run_one, suite_schemas, summary

SUITE = os.environ.get("RESPCONTRACT_SCHEMA_SUITE")
pytestmark = pytest.mark.skipif(not SUITE, reason="RESPCONTRACT_SCHEMA_SUITE is not set")
MAX_REFUSED = 40


def test_every_suite_schema_is_generated_validly_or_refused_in_one_line() -> None:
    assert SUITE is not None
    outcomes = [run_one(name, schema, 25) for name, schema in suite_schemas(Path(SUITE))]
    assert len(outcomes) > 300, "not the draft2020-12 suite"
    report = summary(outcomes)
    assert not [o for o in outcomes if o.status in ("wrong", "crash", "no-example")], report
    refused = [o for o in outcomes if o.status == "refused"]
    assert all("\n" not in o.detail for o in refused), report
    assert len(refused) <= MAX_REFUSED, report
