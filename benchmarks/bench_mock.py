"""Mock server start-up and latency, beside a scripted static fake.

    python benchmarks/bench_mock.py            # print the table
    python benchmarks/bench_mock.py --write    # also write benchmarks/results/mock.md

Each figure comes from a fresh Python process (cold imports), on 127.0.0.1 with httpx:
`import` is `import validator.mock` (hypothesis included), `start` is building and
starting a MockServer over the bundled contracts, `first` the first answer (it compiles
the endpoint's strategies), `warm` the median of later answers. The alternative is the
scripted fake Zoho server of the live-mode tests (tests/live/fake_zoho.py): one fixed
reply, no generation, no state, which is what a static mock costs.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

MOCK = r"""
import json, statistics, sys, time
t0 = time.perf_counter()
import httpx
from validator.mock import MockServer
t1 = time.perf_counter()
mock = MockServer(seed=1, steps=1).start()
t2 = time.perf_counter()
auth = {"Authorization": "Zoho-oauthtoken bench"}
jobs = "/crm/v7/Contacts/actions/portal_invite"
with httpx.Client(base_url=mock.base_url, headers=auth, timeout=120) as http:
    first = time.perf_counter(); http.post(jobs, json={}); t3 = time.perf_counter()
    warm = []
    for _ in range(int(sys.argv[1])):
        s = time.perf_counter(); http.get(jobs); warm.append(time.perf_counter() - s)
mock.stop()
print(json.dumps({"import": t1 - t0, "start": t2 - t1, "first": t3 - first,
                  "warm": statistics.median(warm)}))
"""

STATIC = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[2])
t0 = time.perf_counter()
import httpx
from fake_zoho import FakeZoho, Reply
t1 = time.perf_counter()
fake = FakeZoho().start()
fake.script(Reply(200, {"portal_invite": []}))
t2 = time.perf_counter()
with httpx.Client(base_url=fake.url, timeout=120) as http:
    first = time.perf_counter(); http.get("/crm/v7/Contacts/actions/portal_invite")
    t3 = time.perf_counter()
    warm = []
    for _ in range(int(sys.argv[1])):
        s = time.perf_counter(); http.get("/crm/v7/Contacts/actions/portal_invite")
        warm.append(time.perf_counter() - s)
fake.stop()
print(json.dumps({"import": t1 - t0, "start": t2 - t1, "first": t3 - first,
                  "warm": statistics.median(warm)}))
"""


def measure(script: str, requests: int) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", script, str(requests),
                           str(ROOT / "tests" / "live")], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    lines = ["| server | import | start | first answer | warm answer (median) |",
             "|---|---|---|---|---|"]
    for name, f in rows:
        lines.append(f"| {name} | {f['import'] * 1000:.0f} ms | {f['start'] * 1000:.0f} ms | "
                     f"{f['first'] * 1000:.0f} ms | {f['warm'] * 1000:.1f} ms |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    rows = [("respcontract mock (valid, bundled contracts)", measure(MOCK, args.requests)),
            ("scripted static fake (tests/live/fake_zoho.py)", measure(STATIC, args.requests))]
    text = table(rows)
    print(text)
    if args.write:
        header = (f"# Mock server start-up and latency\n\n`python benchmarks/bench_mock.py "
                  f"--write` on {platform.machine()}, Python {platform.python_version()}, "
                  f"{args.requests} warm requests (GET job status, listing every job). "
                  "Each row is a fresh process.\n\n")
        (HERE / "results" / "mock.md").write_text(header + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
