"""A non-editable install must carry the bundled contracts and schemas inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_contracts_and_schemas_and_they_are_found(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    [wheel] = wheels.glob("respcontract-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "validator/_bundled/contracts/zoho-crm/portal-invite.yaml" in names
    assert "validator/_bundled/schemas/zoho-crm/common/error.schema.json" in names
    assert "validator/py.typed" in names
    assert "validator/_bundled/contracts/zoho-crm-v8/record.yaml" in names
    assert "validator/_bundled/contracts/routes.idx" in names

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-m", "validator", "check"], cwd=elsewhere,
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 failed" in done.stdout and "254 exchanges" in done.stdout  # v7 and v8 examples
    where = subprocess.run([sys.executable, "-c", "import validator.load.contracts as c; "
                            "print(c.bundled_root())"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where) == target / "validator" / "_bundled"
