"""The official JSON-Schema-Test-Suite (draft2020-12), each schema in a contract.

Runs only when JSON_SCHEMA_TEST_SUITE names a checkout of
https://github.com/json-schema-org/JSON-Schema-Test-Suite (its files are not part of
this project). Every group's schema is written to a contract folder, loaded with
`validator.load_contracts`, and every test's `data` is checked as a body with
`validator.Checker` (and, per group, once through the CLI): the verdict (any error
finding?) must equal the suite's `valid`. Groups with a `$ref` python-jsonschema cannot
resolve from the schema itself and the meta-schemas (the suite's remote groups, served
from localhost:1234) are skipped: respcontract refuses remote `$ref`s by design.

    JSON_SCHEMA_TEST_SUITE=path/to/JSON-Schema-Test-Suite pytest tests/schema_truth
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import referencing.exceptions
from jsonschema import Draft202012Validator
from jsonschema_specifications import REGISTRY as SPECIFICATIONS
from truth_harness import Folder

from validator.errors import ContractError

SUITE = os.environ.get("JSON_SCHEMA_TEST_SUITE")
pytestmark = pytest.mark.skipif(not SUITE, reason="set JSON_SCHEMA_TEST_SUITE to run")


def groups(kind: str) -> Iterator[Any]:
    if not SUITE:
        return
    root = Path(SUITE) / "tests" / "draft2020-12"
    files = sorted(root.glob("*.json")) if kind == "required" else \
        sorted((root / "optional" / "format").glob("*.json")) if kind == "format" else \
        sorted((root / "optional").glob("*.json"))
    for file in files:
        for index, group in enumerate(json.loads(file.read_text(encoding="utf-8"))):
            name = f"{file.relative_to(root).as_posix()}[{index}] {group['description']}"
            remote = refers_outside(group)
            marks = [pytest.mark.skip(reason="refers to a remote schema")] if remote else []
            yield pytest.param(group, id=name, marks=marks)


def refers_outside(group: Any) -> bool:
    """Whether python-jsonschema, given only this schema and the meta-schemas, cannot
    resolve some `$ref` while validating the group's data (the suite's remote groups)."""
    dialect = group["schema"].get("$schema") if isinstance(group["schema"], dict) else None
    if isinstance(dialect, str) and dialect.rstrip("#") not in SPECIFICATIONS:
        return True  # a custom meta-schema served by the suite's remote server
    try:
        oracle = Draft202012Validator(group["schema"], registry=SPECIFICATIONS)
        for test in group["tests"]:
            oracle.is_valid(test["data"])
    except referencing.exceptions.Unresolvable:
        return True
    except Exception:  # e.g. an ECMA-only regex that Python's re rejects
        return False
    return False


_counter = itertools.count()


@pytest.fixture(scope="module")
def tmp() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as path:
        yield Path(path)


def run_group(group: Any, tmp: Path, formats: str | None) -> list[str]:
    try:
        folder = Folder(tmp / f"g{next(_counter)}", {"s.json": group["schema"]},
                        formats=formats)
    except ContractError as exc:
        return [f"does not load: {exc}"]
    wrong = []
    for test in group["tests"]:
        if folder.verdict(test["data"]) != test["valid"]:
            wrong.append(f"{test['description']}: expected valid={test['valid']}")
    return wrong


@pytest.mark.parametrize("group", list(groups("required")))
def test_required(group: Any, tmp: Path) -> None:
    assert run_group(group, tmp, None) == []


@pytest.mark.parametrize("group", list(groups("format")))
def test_format_assertion(group: Any, tmp: Path) -> None:
    """optional/format with `formats: assert`: the formats the engine asserts must agree."""
    assert run_group(group, tmp, "assert") == []


@pytest.mark.parametrize("group", list(groups("optional")))
def test_optional(group: Any, tmp: Path) -> None:
    assert run_group(group, tmp, None) == []


def test_required_through_the_cli(tmp: Path) -> None:
    """Every local required group in one contract, every test an exchange file, one run."""
    import subprocess
    import sys

    root = tmp / "cli"
    (root / "schemas").mkdir(parents=True)
    (root / "recordings").mkdir()
    endpoints, expected = [], {}
    for number, param in enumerate(groups("required")):
        group = param.values[0]
        if param.marks:
            continue
        (root / "schemas" / f"g{number}.json").write_text(json.dumps(group["schema"]))
        endpoints.append(f"  g{number}:\n    method: GET\n    path: /g{number}\n    responses:\n"
                         f"      \"200\": {{schema: g{number}.json}}\n")
        for index, test in enumerate(group["tests"]):
            name = f"g{number}-{index}.exchange.json"
            (root / "recordings" / name).write_text(json.dumps({
                "endpoint": f"truth/suite:g{number}",
                "request": {"method": "GET", "url": f"https://example.com/g{number}"},
                "response": {"status": 200, "body_text": json.dumps(test["data"])}}))
            expected[name] = test["valid"]
    contract = root / "suite.yaml"
    contract.write_text("contract: truth/suite\nschemas: schemas\nendpoints:\n" +
                        "".join(endpoints))
    done = subprocess.run([sys.executable, "-m", "validator", "check", "--no-bundled",
                           "--contracts", str(contract), "--format", "json",
                           str(root / "recordings")], capture_output=True, text=True,
                          check=False)
    report = json.loads(done.stdout)
    failed = {Path(f["source"]).name for f in report["findings"] if f["severity"] == "error"}
    wrong = [name for name, valid in expected.items() if (name not in failed) != valid]
    assert wrong == [], done.stderr
