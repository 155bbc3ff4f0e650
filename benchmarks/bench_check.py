"""Check speed: respcontract vs check-jsonschema, cold start, and one large document.

    python benchmarks/bench_check.py [--files 1000] [--repeat 5]

Builds its inputs under benchmarks/.work/ (git-ignored): 1,000 recorded medium exchanges
(5 jobs x 4 items, ~3 KB bodies, the size used in ../shared performance anchors) and their
bare bodies. check-jsonschema is installed into benchmarks/.work/cj (its own venv) on first
run. Prints a Markdown table; the committed results live in benchmarks/results/check.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
SCHEMA = ROOT / "schemas" / "zoho-crm" / "portal-invite" / "job-status.schema.json"
URL = "https://www.zohoapis.com/crm/v7/Contacts/actions/portal_invite"


def document(jobs: int, items: int, seed: int = 0) -> dict[str, Any]:
    base = 5020928000001843001 + seed * 1000
    return {"portal_invite": [
        {"data": [{"details": {"id": str(base + j * items + i)}, "code": "SUCCESS",
                   "message": "An Invite has been sent to the personality.",
                   "status": "success"} for i in range(items)],
         "job_id": str(5020928000002387017 + seed * 1000 + j), "status": "completed"}
        for j in range(jobs)]}


def build_inputs(count: int) -> tuple[Path, Path]:
    exchanges, bodies = WORK / f"exchanges-{count}", WORK / f"bodies-{count}"
    if exchanges.is_dir() and bodies.is_dir():
        return exchanges, bodies
    for folder in (exchanges, bodies):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for n in range(count):
        body = document(5, 4, n)
        (bodies / f"{n:04d}.json").write_text(json.dumps(body, indent=2))
        exchange = {"request": {"method": "GET", "url": URL},
                    "response": {"status": 200,
                                 "headers": {"Content-Type": "application/json"},
                                 "body": body}}
        (exchanges / f"{n:04d}.json").write_text(json.dumps(exchange, indent=2))
    return exchanges, bodies


def check_jsonschema() -> Path:
    venv = WORK / "cj"
    exe = venv / "bin" / "check-jsonschema"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "check-jsonschema"],
                       check=True)
    return exe


def timed(command: list[str], repeat: int) -> float:
    """Median wall time of a command, in seconds (it must succeed)."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command[:3])}... failed:\n{done.stdout.decode()[-800:]}"
                             f"{done.stderr.decode()[-800:]}")
    return statistics.median(samples)


def large_document_ms(repeat: int) -> tuple[float, float, int]:
    """In-process: check one 200 jobs x 50 items exchange (decode + validate + rules)."""
    from validator.api import load_contracts
    from validator.check.checker import Checker
    from validator.model.exchange import Exchange, Request, Response

    raw = json.dumps(document(200, 50)).encode()
    checker = Checker(load_contracts())

    def once() -> float:
        exchange = Exchange(Response(200, {"content-type": "application/json"}, raw),
                            Request("GET", URL))
        start = time.perf_counter()
        result = checker.check(exchange)
        elapsed = time.perf_counter() - start
        assert not result.findings, result.findings
        return elapsed

    once()  # compile the validator once, as any run of more than one file does
    samples = [once() for _ in range(max(repeat, 20))]
    return statistics.median(samples) * 1000, min(samples) * 1000, len(raw)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    exchanges, bodies = build_inputs(args.files)
    cj = str(check_jsonschema())
    # pip compiles bytecode when it installs a package (check-jsonschema's venv has it);
    # do the same for this checkout, or every run would pay for compiling our modules
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "validator")],
                   check=True, capture_output=True)
    ours = [sys.executable, "-m", "validator", "check"]
    body_files = sorted(str(p) for p in bodies.iterdir())
    exchange_files = sorted(str(p) for p in exchanges.iterdir())
    env_note = f"python {sys.version.split()[0]}, {os.cpu_count()} cores"

    cj_one = timed([cj, "--schemafile", str(SCHEMA), body_files[0]], args.repeat)
    rc_one = timed([*ours, exchange_files[0]], args.repeat)
    cj_all = timed([cj, "--schemafile", str(SCHEMA), *body_files], args.repeat)
    rc_all = timed([*ours, str(exchanges)], args.repeat)
    cj_rate = (args.files - 1) / max(cj_all - cj_one, 1e-9)
    rc_rate = (args.files - 1) / max(rc_all - rc_one, 1e-9)
    large_median, large_best, size = large_document_ms(args.repeat)

    print(f"# respcontract check benchmark ({env_note}, median of {args.repeat} runs)\n")
    print("| measure | check-jsonschema | respcontract | ratio |")
    print("|---|---|---|---|")
    print(f"| cold start, 1 file | {cj_one * 1000:.0f} ms | {rc_one * 1000:.0f} ms | "
          f"{rc_one / cj_one:.2f}x of its time |")
    print(f"| {args.files} files, wall | {cj_all * 1000:.0f} ms | {rc_all * 1000:.0f} ms | "
          f"{cj_all / rc_all:.1f}x faster |")
    print(f"| throughput beyond start-up (files/s) | {cj_rate:,.0f} | {rc_rate:,.0f} | "
          f"{rc_rate / cj_rate:.1f}x |")
    print(f"\nLarge document ({size / 1e6:.2f} MB, 200 jobs x 50 items), in process: "
          f"median {large_median:.1f} ms, best {large_best:.1f} ms "
          "(strict decode + schema + rules).")


if __name__ == "__main__":
    main()
