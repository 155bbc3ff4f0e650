"""Peak memory of `respcontract check` on one large HAR and one large exchange body.

    python benchmarks/bench_memory.py [--mb 100]

Builds, under benchmarks/.work/ (git-ignored): a HAR of medium exchanges (the shape of
bench_check.py's, as `content.text`) and an exchange file whose `body_text` is one large
document (200-item jobs, the last item invalid, as the hostile corpus's 100 MB body), both
about `--mb` megabytes. Prints each run's peak RSS (the child's own, from `wait4`) as a
multiple of the file's size; the goals of issue 13 are 3x for the HAR and 5x for the body.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import URL, WORK, document


def big_har(megabytes: int) -> Path:
    path = WORK / f"big-{megabytes}mb.har"
    if path.exists():
        return path
    one = json.dumps(document(5, 4, 0))
    count = megabytes * 1_000_000 // (len(one) + 200)
    entries = [{"request": {"method": "GET", "url": URL, "headers": []},
                "response": {"status": 200, "headers": [
                    {"name": "Content-Type", "value": "application/json"}],
                    "content": {"mimeType": "application/json",
                                "text": json.dumps(document(5, 4, n))}}}
               for n in range(count)]
    WORK.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return path


def big_body(megabytes: int) -> Path:
    path = WORK / f"big-{megabytes}mb-body.exchange.json"
    if path.exists():
        return path
    jobs = max(1, megabytes * 1_000_000 // 30_000)
    body = document(jobs, 200)
    body["portal_invite"][-1]["data"][-1]["status"] = 5  # invalid: checked to the last item
    exchange = {"request": {"method": "GET", "url": URL},
                "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                             "body_text": json.dumps(body)}}
    WORK.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(exchange))
    return path


def peak(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in bytes) of one run of a command."""
    start = time.perf_counter()
    # `python -m` puts the working folder first on sys.path: to measure an earlier version
    # given by PYTHONPATH, run from that version's own folder
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             cwd=os.environ.get("PYTHONPATH") or None)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    return time.perf_counter() - start, usage.ru_maxrss * 1024.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    ours = [sys.executable, "-m", "validator", "check"]
    print("| input | file | peak RSS | peak / file | goal | time |")
    print("|---|---|---|---|---|---|")
    for label, path, goal in (("HAR of medium exchanges", big_har(args.mb), 3),
                              ("one large body (body_text)", big_body(args.mb), 5)):
        seconds, rss = peak([*ours, str(path)])
        size = path.stat().st_size
        print(f"| {label} | {size / 1e6:.0f} MB | {rss / 1e6:.0f} MB | {rss / size:.2f}x | "
              f"{goal}x | {seconds:.1f} s |")


if __name__ == "__main__":
    main()
