"""How long the pre-commit hooks and `diff` take on a handful of files, run as pre-commit
runs them: one cold `respcontract` process per hook, files passed on the command line.

    python benchmarks/bench_hooks.py [--runs N]

Prints the median and the slowest of N runs for each command. The results of a run are in
benchmarks/hooks-results.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "contracts" / "zoho-crm" / "examples"


def project(folder: Path) -> None:
    """A user's repository: the bundled contract as their own, five recordings."""
    shutil.copytree(ROOT / "contracts", folder / "contracts")
    shutil.copytree(ROOT / "schemas", folder / "schemas")
    (folder / "pyproject.toml").write_text(
        '[tool.respcontract]\ncontracts = ["contracts"]\nbundled = false\n')
    recordings = folder / "recordings"
    recordings.mkdir()
    for example in sorted(EXAMPLES.glob("*.json"))[:5]:
        shutil.copy(example, recordings / example.name)
    edited = folder / "edited"
    shutil.copytree(folder / "contracts", edited / "contracts")
    shutil.copytree(folder / "schemas", edited / "schemas")
    schema = edited / "schemas" / "zoho-crm" / "portal-invite" / "job-status.schema.json"
    data = json.loads(schema.read_text())
    data["$defs"]["item"]["properties"]["code"]["x-documented"].append("ALREADY_INVITED")
    schema.write_text(json.dumps(data, indent=2))


COMMANDS = {
    "lint hook: 1 contract, 2 schemas, 1 example": [
        "lint", "contracts/zoho-crm/portal-invite.yaml",
        "schemas/zoho-crm/common/error.schema.json",
        "schemas/zoho-crm/portal-invite/job-status.schema.json",
        "contracts/zoho-crm/examples/job-id-sent.json"],
    "check hook: 5 recordings": ["check", "recordings"],
    "diff: the bundled contract, one code added": [
        "diff", "contracts", "edited/contracts", "--fail-on", "never"],
}


def measure(args: list[str], cwd: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd,
                              capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{args}: exit {done.returncode}: {done.stderr.decode()}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    print(f"python {platform.python_version()} on {platform.machine()}, {runs} runs each")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project(folder)
        measure(["list"], folder, 1)  # warm the parse cache, as a second commit would find it
        for label, args in COMMANDS.items():
            times = measure(args, folder, runs)
            print(f"{label}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"slowest {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
