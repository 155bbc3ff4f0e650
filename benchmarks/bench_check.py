"""Check speed, side by side: respcontract, a bare jsonschema-rs + orjson loop, check-jsonschema.

    python benchmarks/bench_check.py [--repeat 3] [--sizes 1,100,1000,10000] [--baseline DIR]

On 1, 100, 1,000 and 10,000 exchange files (and --jobs auto), on 1,000 exchanges inside a
HAR and a cassette, findings growth (2,000 vs 20,000 undocumented members, and a million),
one large document, and the peak RSS of each run.

Builds its inputs under benchmarks/.work/ (git-ignored): 1,000 recorded medium exchanges
(5 jobs x 4 items, ~3 KB bodies, the size used in ../shared performance anchors) and their
bare bodies. check-jsonschema is installed into benchmarks/.work/cj (its own venv) on first
run. Prints a Markdown table; the committed results live in benchmarks/results/check.md.
With `--baseline DIR` (an export of an earlier commit with its bundled contracts, e.g.
`git archive REV validator contracts schemas | tar -x -C DIR`: without contracts/ beside it,
that version would check against no contract at all), that version runs too, in the same
minutes, for a before/after column.
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


def bare_parse_ms(repeat: int) -> float:
    """In-process median of orjson.loads alone on the large document (the floor)."""
    import orjson

    raw = json.dumps(document(200, 50)).encode()
    samples = []
    for _ in range(max(repeat, 20)):
        start = time.perf_counter()
        orjson.loads(raw)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def wrapped(kind: str, count: int) -> Path:
    """`count` medium exchanges as one HAR or one vcrpy cassette."""
    path = WORK / f"{kind}-{count}.{'har' if kind == 'har' else 'yaml'}"
    if path.exists():
        return path
    bodies = [json.dumps(document(5, 4, n)) for n in range(count)]
    if kind == "har":
        entries = [{"request": {"method": "GET", "url": URL, "headers": []},
                    "response": {"status": 200, "headers": [
                        {"name": "Content-Type", "value": "application/json"}],
                        "content": {"mimeType": "application/json", "text": body}}}
                   for body in bodies]
        path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    else:
        import yaml

        interactions = [{"request": {"method": "GET", "uri": URL, "body": None, "headers": {}},
                         "response": {"status": {"code": 200, "message": "OK"},
                                      "headers": {"Content-Type": ["application/json"]},
                                      "body": {"string": body}}} for body in bodies]
        path.write_text(yaml.safe_dump({"version": 1, "interactions": interactions}))
    return path


def wide(members: int) -> Path:
    """One exchange whose first job has `members` undocumented members (a drift flood)."""
    path = WORK / f"wide-{members}.json"
    if not path.exists():
        body = document(1, 1)
        body["portal_invite"][0].update({f"extra{i}": i for i in range(members)})
        path.write_text(json.dumps({"request": {"method": "GET", "url": URL},
                                    "response": {"status": 200, "body": body}}))
    return path


def run(command: list[str], repeat: int, env: dict[str, str] | None = None
        ) -> tuple[float, float]:
    # `python -m` puts the working folder first on sys.path: an earlier version given by
    # PYTHONPATH only wins from a folder without validator/ in it (its own)
    cwd = env.get("PYTHONPATH") if env else None
    """(median wall seconds, peak RSS in MB of the process) of a command."""
    samples, peak = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=env, cwd=cwd)
        _, _, usage = os.wait4(child.pid, 0)  # this child's own rusage, not all children's
        samples.append(time.perf_counter() - start)
        child.returncode = 0
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(samples), peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1,100,1000,10000")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="an earlier version's export (holding validator/) to run too")
    args = parser.parse_args()
    before_env = None
    if args.baseline is not None:
        # its own contract cache: the two versions' entries would evict each other's
        before_env = {**os.environ, "PYTHONPATH": str(args.baseline.resolve()),
                      "RESPCONTRACT_CACHE_DIR": str(WORK / "baseline-cache")}
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.baseline)],
                       check=True, capture_output=True)
    cj = str(check_jsonschema())
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "validator")],
                   check=True, capture_output=True)
    ours = [sys.executable, "-m", "validator", "check"]
    bare = [sys.executable, str(ROOT / "benchmarks" / "bare_loop.py"), str(SCHEMA)]
    print(f"# respcontract check benchmark (python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores, median of {args.repeat} runs; 10,000: one run)\n")
    before_head = "| before: respcontract | before / bare " if before_env else ""
    print(f"| input | bare jsonschema-rs + orjson | respcontract | respcontract --jobs auto "
          f"| check-jsonschema | respcontract / bare {before_head}|")
    print("|---|---|---|---|---|---|" + ("---|---|" if before_env else ""))
    for count in map(int, args.sizes.split(",")):
        exchanges, bodies = build_inputs(count)
        repeat = 1 if count >= 10000 else args.repeat
        b, b_rss = run([*bare, str(exchanges)], repeat)
        r, r_rss = run([*ours, str(exchanges)], repeat)
        j, _ = run([*ours, "--jobs", "auto", str(exchanges)], repeat)
        c = run([cj, "--schemafile", str(SCHEMA), *sorted(map(str, bodies.iterdir()))],
                1)[0] if count <= 1000 else float("nan")
        before = ""
        if before_env:
            o, o_rss = run([*ours, str(exchanges)], repeat, before_env)
            before = f" {o * 1000:,.0f} ms ({o_rss:.0f} MB) | {o / b:.2f}x |"
        print(f"| {count:,} exchange files | {b * 1000:,.0f} ms ({b_rss:.0f} MB) | "
              f"{r * 1000:,.0f} ms ({r_rss:.0f} MB) | {j * 1000:,.0f} ms | "
              f"{c * 1000:,.0f} ms | {r / b:.2f}x |{before}")
    for kind in ("har", "cassette"):
        path = wrapped(kind, 1000)
        r, r_rss = run([*ours, str(path)], args.repeat)
        before = ""
        if before_env:
            o, o_rss = run([*ours, str(path)], args.repeat, before_env)
            before = f" {o * 1000:,.0f} ms ({o_rss:.0f} MB) | - |"
        print(f"| 1,000 exchanges in one {kind} ({path.stat().st_size / 1e6:.1f} MB) | - | "
              f"{r * 1000:,.0f} ms ({r_rss:.0f} MB) | - | - | - |{before}")
    small, _ = run([*ours, "--strict", str(wide(2000))], args.repeat)
    big, _ = run([*ours, "--strict", str(wide(20000))], args.repeat)
    huge, huge_rss = run([*ours, "--strict", str(wide(1000000))], 1)
    print(f"\nFindings growth: 2,000 undocumented members {small * 1000:,.0f} ms, 20,000 "
          f"{big * 1000:,.0f} ms ({big / small:.2f}x the time for 10x the findings); "
          f"1,000,000 {huge:,.1f} s, peak {huge_rss:.0f} MB.")
    median, best, size = large_document_ms(args.repeat)
    floor = bare_parse_ms(args.repeat)
    print(f"Large document ({size / 1e6:.2f} MB, 200 jobs x 50 items), in process: "
          f"median {median:.1f} ms, best {best:.1f} ms (strict decode + schema + rules); "
          f"orjson.loads alone, same run: median {floor:.1f} ms.")


if __name__ == "__main__":
    main()
