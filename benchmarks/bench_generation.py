"""Generation speed: respcontract's strategies per kind against hypothesis-jsonschema.

    python benchmarks/bench_generation.py            # print the table
    python benchmarks/bench_generation.py --write    # also write benchmarks/results/generation.md

Both generators get the same schema, the job status response of the bundled Zoho contract,
with its `$ref`s inlined and its if/then rules joined in under `allOf` (the schema the
checker validates bodies with). Each runs hypothesis with the same settings (no database,
generate phase only, health checks off) in the same run of this script; the examples/s
figure is examples delivered divided by wall time. Every example is then checked with
respcontract's checker: valid and edge must pass without findings, drift must only warn,
invalid must fail with exactly the finding it carries.

hypothesis-jsonschema 0.23.1 breaks with hypothesis >= 6.170.10, so it runs in its own
virtual environment under benchmarks/.work/ (git-ignored), created on first use with
hypothesis==6.170.9; the project's own hypothesis is never pinned for it. Without network
access (or with --skip-baseline) only our side is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
VENV = WORK / "hjs-venv"
BASELINE_PINS = ["hypothesis==6.170.9", "hypothesis-jsonschema==0.23.1"]
ENDPOINT = "zoho-crm/portal-invite:get_bulk_invite_status"
KINDS = ("valid", "edge", "drift", "invalid")


# ------------------------------------------------------------------ the baseline side


def child(schema_path: str, count: int, out_path: str) -> None:
    """Runs inside the baseline venv: only hypothesis and hypothesis-jsonschema exist here."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis_jsonschema import from_schema

    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    found: list[Any] = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(from_schema(schema))
    def run(value: Any) -> None:
        found.append(value)

    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    with open(out_path, "w", encoding="utf-8") as handle:
        for value in found:
            handle.write(json.dumps(value) + "\n")
    print(json.dumps({"examples": len(found), "seconds": elapsed}))


def baseline_python() -> Path | None:
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if python.exists():
        return python
    print(f"creating {VENV.relative_to(HERE.parent)} with {' '.join(BASELINE_PINS)} ...",
          file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *BASELINE_PINS],
                       check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"cannot set up the baseline environment ({exc}); skipping it", file=sys.stderr)
        return None
    return python


def run_baseline(schema: Any, name: str, count: int) -> tuple[dict[str, Any], list[Any]] | None:
    python = baseline_python()
    if python is None:
        return None
    WORK.mkdir(exist_ok=True)
    schema_file = WORK / f"{name}.schema.json"
    out = WORK / f"{name}.examples.jsonl"
    schema_file.write_text(json.dumps(schema, indent=1), encoding="utf-8")
    done = subprocess.run([str(python), __file__, "--child", str(schema_file), str(count),
                           str(out)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"baseline failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    timing = json.loads(done.stdout.strip().splitlines()[-1])
    values = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return timing, values


# ------------------------------------------------------------------ our side


def schemas(model: Any) -> tuple[Any, Any]:
    """(schema with rules, schema alone), self-contained: every $ref inlined."""
    import jsonschema_rs

    from validator.check.rules import schema_of
    from validator.load.schemas import DRAFT

    store = model.compiler.store
    response = next(r for r in model.responses if r.spec.status == "200")
    plain = jsonschema_rs.dereference({"$ref": store.uri_for(response.spec.schema)},
                                      registry=model.compiler.registry(),
                                      base_uri=store.base_uri)
    plain.pop("$defs", None)
    rules = [schema_of(r) for r in model.endpoint.rules if r.kind in ("then", "assert")
             and not r.when]
    with_rules = {"$schema": DRAFT, "allOf": [plain, *rules]}
    return with_rules, {"$schema": DRAFT, **plain}


def run_ours(kind: str, count: int) -> tuple[float, list[Any]]:
    from validator.generate import examples

    return run_strategy(examples(ENDPOINT, kind), count)


def hand_written(jobs: int, items: int) -> Any:
    """A fixed_dictionaries strategy written by hand for the job status shape: what a user
    would write without respcontract (documented values, 1-19 digit IDs, null data), with
    list sizes chosen so the mean size matches respcontract's `valid` examples."""
    from hypothesis import strategies as st

    ids = st.from_regex(r"\A[1-9][0-9]{0,18}\Z")
    item = st.fixed_dictionaries({
        "code": st.sampled_from(["SUCCESS", "CANNOT_PROCESS"]),
        "details": st.fixed_dictionaries({}, optional={"id": ids}),
        "message": st.text(max_size=24),
        "status": st.sampled_from(["success", "error"]),
    })
    job = st.fixed_dictionaries({
        "job_id": ids,
        "status": st.sampled_from(["completed", "in_progress"]),
        "data": st.one_of(st.none(), st.lists(item, max_size=items)),
    })
    return st.fixed_dictionaries({"portal_invite": st.lists(job, max_size=jobs)})


def run_strategy(strategy: Any, count: int) -> tuple[float, list[Any]]:
    from hypothesis import HealthCheck, Phase, given, settings

    found: list[Any] = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: Any) -> None:
        found.append(value)

    start = time.perf_counter()
    run()
    return time.perf_counter() - start, found


def mean_size(items: list[Any]) -> tuple[float, float]:
    """(jobs, items per body) on average."""
    bodies = [getattr(i, "body", i) for i in items]
    jobs = [len(b["portal_invite"]) for b in bodies]
    data = [sum(len(j["data"] or []) for j in b["portal_invite"]) for b in bodies]
    return statistics.mean(jobs), statistics.mean(data)


def matched_hand_written(target: tuple[float, float], count: int) -> Any:
    """The hand-written strategy whose list bounds give the closest mean size to `target`."""
    best, best_gap = None, float("inf")
    for jobs in range(2, 16):
        for items in range(1, 8):
            strategy = hand_written(jobs, items)
            _, sample = run_strategy(strategy, count)
            got = mean_size(sample)
            gap = abs(got[0] - target[0]) / target[0] + abs(got[1] - target[1]) / target[1]
            if gap < best_gap:
                best, best_gap = (jobs, items), gap
    assert best is not None
    return best


def verdicts(checker: Any, kind: str, items: list[Any]) -> tuple[int, int, int]:
    """(examples that pass `check`, with no finding at all, keeping their kind's promise)."""
    from validator.model.exchange import Exchange, Response
    from validator.model.findings import Severity

    passed = clean = kept = 0
    for item in items:
        body = getattr(item, "body", item)
        findings = checker.check(Exchange(response=Response(200, None, None, body)),
                                 ENDPOINT).findings
        errors = {(f.rule, f.pointer) for f in findings if f.severity is Severity.ERROR}
        passed += not errors
        clean += not findings
        if kind in ("valid", "edge"):
            kept += not findings
        elif kind == "drift":
            kept += bool(findings) and not errors
        elif kind == "invalid" and item.expected.several:
            kept += (item.expected.rule, item.expected.pointer) in errors and all(
                p == item.expected.parent or p.startswith(item.expected.parent + "/")
                for _, p in errors)
        elif kind == "invalid":
            kept += errors == {(item.expected.rule, item.expected.pointer)}
    return passed, clean, kept


def sizes(items: list[Any]) -> str:
    bodies = [getattr(i, "body", i) for i in items]
    jobs = [len(b.get("portal_invite") or []) if isinstance(b, dict) else 0 for b in bodies]
    data = [sum(len(j.get("data") or []) for j in b.get("portal_invite") or []
                if isinstance(j, dict) and isinstance(j.get("data"), list))
            if isinstance(b, dict) and isinstance(b.get("portal_invite"), list) else 0
            for b in bodies]
    if not bodies:
        return "-"
    return f"{statistics.mean(jobs):.1f} jobs, {statistics.mean(data):.1f} items"


def _share(part: int | None, whole: int) -> str:
    if part is None or not whole:
        return "-"
    return f"{part}/{whole} ({100 * part / whole:.0f}%)"


def suite_counts(suite: Path) -> list[str]:
    """The draft2020-12 schemas of the official test suite through from_schema."""
    sys.path.insert(0, str(HERE.parent / "tests" / "generation"))
    from suite_schemas import run_one, suite_schemas, summary

    start = time.perf_counter()
    outcomes = [run_one(name, schema, 25) for name, schema in suite_schemas(suite)]
    seconds = time.perf_counter() - start
    return ["## JSON-Schema-Test-Suite, draft2020-12", "",
            "Every top-level schema of the suite's `tests/draft2020-12/*.json` through "
            "`from_schema`, 25 `valid` and 25 `edge` examples each, every example judged "
            "by python-jsonschema's Draft202012Validator with format checking "
            f"(`tests/generation/suite_schemas.py`; {seconds:.0f} s):", "", "```",
            summary(outcomes), "```"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="examples per kind (300)")
    parser.add_argument("--baseline-examples", type=int, default=100,
                        help="examples for hypothesis-jsonschema (100; it is slow)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--write", action="store_true",
                        help="write benchmarks/results/generation.md too")
    parser.add_argument("--suite", type=Path, metavar="PATH",
                        help="also run the JSON-Schema-Test-Suite checkout at PATH through "
                             "from_schema and record supported / refused / wrong counts")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    sys.path.insert(0, str(HERE.parent))
    import hypothesis

    from validator.api import load_contracts
    from validator.check.checker import Checker
    from validator.generate import model_for

    checker = Checker(load_contracts(bundled=True))
    rows = []
    for kind in KINDS:
        run_ours(kind, 5)  # warm-up: building the strategies is not generation
        seconds, items = run_ours(kind, args.examples)
        rows.append((f"respcontract `{kind}`", len(items), seconds,
                     verdicts(checker, kind, items), sizes(items)))
    ours_valid = rows[0][1] / rows[0][2]
    notes = []
    _, valid_items = run_ours("valid", args.examples)
    bounds = matched_hand_written(mean_size(valid_items), 100)
    hand = hand_written(*bounds)
    run_strategy(hand, 5)
    seconds, values = run_strategy(hand, args.examples)
    rows.insert(1, (f"hand-written `fixed_dictionaries` (lists up to {bounds[0]} jobs, "
                    f"{bounds[1]} items)", len(values), seconds,
                    verdicts(checker, "baseline", values), sizes(values)))
    hand_rate = len(values) / seconds
    if not args.skip_baseline:
        with_rules, plain = schemas(model_for(ENDPOINT))
        for name, schema in (("with if/then rules", with_rules), ("schema only", plain)):
            result = run_baseline(schema, name.replace(" ", "-").replace("/", ""),
                                  args.baseline_examples)
            if result is None:
                notes.append(f"hypothesis-jsonschema ({name}): not measured")
                continue
            timing, values = result
            passed, clean, _ = verdicts(checker, "baseline", values)
            rows.append((f"hypothesis-jsonschema `from_schema`, {name}", timing["examples"],
                         timing["seconds"], (passed, clean, None), sizes(values)))
    lines = [
        "# Generation speed",
        "",
        f"`python benchmarks/bench_generation.py --write` on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, hypothesis "
        f"{hypothesis.__version__} (hypothesis-jsonschema 0.23.1 in its own venv with "
        "hypothesis 6.170.9). Endpoint: the bundled job status response "
        f"(`{ENDPOINT}`); hypothesis settings: no database, generate phase only, health "
        "checks off. Every example is then checked as a 200 body: *passes* = no error "
        "(what `check` exits 0 on), *clean* = no finding at all (hypothesis-jsonschema "
        "knows nothing of `x-documented`, so the codes it invents are `undocumented` "
        "warnings), *as promised* = valid and edge clean, drift only warnings, invalid "
        "exactly the finding it carries.",
        "",
        "| generator | examples | examples/s | passes | clean | as promised | mean size |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, count, seconds, (passed, clean, kept), size in rows:
        rate = count / seconds if seconds else 0.0
        lines.append(f"| {name} | {count} | {rate:.1f} | {_share(passed, count)} | "
                     f"{_share(clean, count)} | {_share(kept, count)} | {size} |")
    baseline = [r for r in rows if "with if/then" in r[0]]
    if baseline and baseline[0][1]:
        ratio = ours_valid / (baseline[0][1] / baseline[0][2])
        lines += ["", f"respcontract `valid` runs {ratio:.0f}x as fast as hypothesis-jsonschema "
                      "on the same schema with its rules."]
    lines += ["", f"respcontract `valid` delivers {ours_valid:.1f} examples/s against "
                  f"{hand_rate:.1f}/s for the hand-written strategy of the same mean size "
                  f"({ours_valid / hand_rate:.2f}x), which knows none of the rules (a "
                  "SUCCESS item with an error status passes it), so its bodies are not all "
                  "clean."]
    lines += [""] + [f"- {n}" for n in notes]
    if args.suite is not None:
        lines += ["", *suite_counts(args.suite)]
    text = "\n".join(lines).rstrip() + "\n"
    print(text)
    if args.write:
        results = HERE / "results"
        results.mkdir(exist_ok=True)
        (results / "generation.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
