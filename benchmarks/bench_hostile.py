"""Hostile inputs: how many cases, how many handled cleanly, memory and time on the big ones.

    python benchmarks/bench_hostile.py [--repeat 3] [--write]

Runs every case of tests/acceptance/hostile (the committed corpus plus the file-system
tricks and big inputs it builds under benchmarks/.work/hostile) through the command line,
each between a good file and a file with one known violation, the way the tests do.
"Handled cleanly" means: no traceback and no internal error; a bad recording gets findings
of its expected kind while both neighbours are still reported (exit 1); a broken contract
stops the run with exit 2 and a single line naming it. Peak memory is the child's maximum
resident set size (wait4); times are wall-clock medians of whole command runs, start-up
included. --write saves the Markdown to benchmarks/results/hostile.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "acceptance" / "hostile"
WORK = ROOT / "benchmarks" / ".work" / "hostile"
RESULTS = ROOT / "benchmarks" / "results" / "hostile.md"
GOOD = "controls/a-good.exchange.json"
KNOWN_BAD = "controls/z-known-bad.exchange.json"

sys.path.insert(0, str(CORPUS))
import build_hostile as corpus  # noqa: E402


def run(args: list[str], drop_dac: bool = False) -> tuple[int, str, str, float, int]:
    """(exit code, stdout, stderr, seconds, peak RSS in KiB) of one command-line run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "validator", *args], cwd=CORPUS,
                                 stdout=out, stderr=err, env={**os.environ, "NO_COLOR": "1"},
                                 preexec_fn=corpus.drop_read_override if drop_dac else None)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
        return (child.returncode, out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"), elapsed, peak)


def recording_ok(case: dict[str, Any], code: int, stdout: str, stderr: str) -> str:
    """'' when handled cleanly, else why not."""
    if "Traceback" in stdout + stderr or "internal error" in stdout + stderr:
        return "traceback or internal error"
    if case["name"] == "fs-missing":  # a usage error, one line, as the test expects
        clean = code == 2 and not stdout and len(stderr.splitlines()) == 1 and \
            stderr.startswith("respcontract: error: no such file or folder: ")
        return "" if clean else f"exit {code}, stderr {stderr[:80]!r}"
    if code != 1 or stderr:
        return f"exit {code}, stderr {stderr[:80]!r}"
    findings = json.loads(stdout)["findings"]
    theirs = [f for f in findings if not f["source"].startswith("controls/")]
    if not theirs or any(f["rule"] not in case["rules"] for f in theirs):
        return f"unexpected findings {sorted({f['rule'] for f in theirs})}"
    if any("\n" in f["message"] for f in theirs):
        return "a finding spans several lines"
    if [f["pointer"] for f in findings if f["source"] == KNOWN_BAD] != ["/portal_invite/0/job_id"]:
        return "the known-bad neighbour was not reported"
    if any(f["source"] == GOOD for f in findings):
        return "the good neighbour got findings"
    return ""


def contract_ok(case: dict[str, Any], code: int, stdout: str, stderr: str) -> str:
    lines = stderr.splitlines()
    if "Traceback" in stdout + stderr or "internal error" in stderr:
        return "traceback or internal error"
    if code != 2 or len(lines) != 1 or case["message"] not in lines[0]:
        return f"exit {code}, stderr {stderr[:120]!r}"
    return ""


def measure(case: dict[str, Any], repeat: int) -> dict[str, Any]:
    if case["kind"] == "contract":
        args = ["check", GOOD, "--no-bundled", "--contracts", case["contracts"], *case["args"]]
    else:
        args = ["check", GOOD, *case["paths"], KNOWN_BAD, "--format", "json", *case["args"]]
    drop_dac = case.get("runner") == "no-dac" and os.geteuid() == 0
    runs = [run(args, drop_dac) for _ in range(repeat if case.get("big") else 1)]
    code, stdout, stderr, _, _ = runs[-1]
    check = contract_ok if case["kind"] == "contract" else recording_ok
    return {"name": case["name"], "problem": check(case, code, stdout, stderr),
            "seconds": statistics.median(r[3] for r in runs), "peak_kib": max(r[4] for r in runs),
            "big": bool(case.get("big")),
            "size": sum(Path(p).stat().st_size for p in case["paths"]) if case.get("big") else 0}


def big_cases() -> list[dict[str, Any]]:
    """Built in a child process: a child forked from a fat parent inherits its peak RSS."""
    code = ("import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
            "import build_hostile; print(json.dumps(build_hostile._big_cases(Path(sys.argv[2]))))")
    built = subprocess.run([sys.executable, "-c", code, str(CORPUS), str(WORK / "big")],
                           capture_output=True, text=True, check=True)
    cases: list[dict[str, Any]] = json.loads(built.stdout)
    return cases


def in_process_deep_nesting() -> float:
    """Milliseconds for read() plus check() of the 10^5-deep bare body, in one process."""
    from validator.api import check_file, load_contracts
    from validator.check.checker import Checker

    checker = Checker(load_contracts())
    path = WORK / "big" / "deep-100000.bare.json"
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        check_file(checker, path, corpus.ENDPOINT)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def report(results: list[dict[str, Any]], deep_ms: float) -> str:
    clean = [r for r in results if not r["problem"]]
    by_name = {r["name"]: r for r in results}
    big = by_name["big-100mb-body"]
    small = [r for r in results if not r["big"]]
    lines = [
        "# Hostile inputs",
        "",
        f"Machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.system()}. Command: "
        "`python benchmarks/bench_hostile.py --repeat 3`.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| hostile cases | {len(results)} |",
        f"| handled cleanly | {len(clean)} |",
        f"| peak memory, 100 MB body ({big['size'] / 1e6:.0f} MB file, checked to its last "
        f"item) | {big['peak_kib'] / 1024:.0f} MiB |",
        f"| time, 100 MB body (whole command) | {big['seconds']:.1f} s |",
        f"| time, 10^5-deep nesting, bare body (whole command) | "
        f"{by_name['big-deep-nesting-bare']['seconds'] * 1000:.0f} ms |",
        f"| time, 10^5-deep nesting, inside an exchange body (whole command) | "
        f"{by_name['big-deep-nesting-body']['seconds'] * 1000:.0f} ms |",
        f"| time, 10^5-deep nesting, read + check in process | {deep_ms:.1f} ms |",
        f"| peak memory, gzip bomb (300 MB inflated, refused at 256 MiB) | "
        f"{by_name['big-gzip-bomb']['peak_kib'] / 1024:.0f} MiB |",
        f"| median time per small case (whole command) | "
        f"{statistics.median(r['seconds'] for r in small) * 1000:.0f} ms |",
        f"| largest peak memory of a small case | "
        f"{max(r['peak_kib'] for r in small) / 1024:.0f} MiB |",
        "",
        "| big case | time | peak memory |",
        "|---|---|---|",
    ]
    for result in results:
        if result["big"]:
            lines.append(f"| {result['name']} | {result['seconds']:.2f} s | "
                         f"{result['peak_kib'] / 1024:.0f} MiB |")
    lines += ["", "Times are medians of whole command runs on a shared 2-CPU machine; they vary "
              "by up to half from one run of this script to the next. Memory is stable."]
    failures = [f"- {r['name']}: {r['problem']}" for r in results if r["problem"]]
    lines += ["", "Not handled cleanly: " + ("none." if not failures else ""), *failures]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each big case")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    options = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    cases = [*manifest, *corpus.dynamic_cases(WORK, big=False), *big_cases()]
    results = [measure(case, options.repeat) for case in cases]
    text = report(results, in_process_deep_nesting())
    print(text)
    if options.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
