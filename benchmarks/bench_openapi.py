"""OpenAPI speed: import of the whole Zoho CRM v8 set, lint, check cold start, YAML parsers.

    python benchmarks/bench_openapi.py REFERENCE_DIR [--repeat 3] [--other SPEC]

REFERENCE_DIR holds the vendor's oas3.0/ and oas3.1/ folders. --other adds the import and
lint of another vendor's spec (for example DigitalOcean's public spec: 659 operations in
2,900 files joined by relative $refs). Work files go to benchmarks/.work/ (git-ignored).
Prints a Markdown table; the committed results are in benchmarks/results/openapi.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work" / "openapi"
EXAMPLE = ROOT / "contracts" / "zoho-crm" / "examples" / "job-id-sent.json"


def best(repeat: int, action: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, CPU ms) of the fastest run; CPU counts this process and its children, so
    a figure stays readable on a busy machine where wall time is inflated."""
    runs = []
    for _ in range(repeat):
        before = _cpu()
        start = time.perf_counter()
        action()
        runs.append(((time.perf_counter() - start) * 1000, (_cpu() - before) * 1000))
    return min(runs)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def cli(*args: str, env: dict[str, str] | None = None) -> None:
    done = subprocess.run([sys.executable, "-m", "validator", *args], capture_output=True,
                          text=True, env=env, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"respcontract {' '.join(args)} failed: {done.stderr}")


def import_all(reference: Path) -> None:
    out = WORK / "v8"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, str(ROOT / "tools" / "import_zoho_crm_v8.py"),
                    str(reference), "--out", str(out)], check=True, capture_output=True)


def yaml_rows(reference: Path, repeat: int) -> list[tuple[str, tuple[float, float]]]:
    import yaml

    from validator.formats import yaml as yamltext

    spec = (reference / "oas3.1" / "portal_user_type" / "portal_user_type.yaml").read_bytes()
    rows = [("PyYAML C loader, YAML 1.1 (cassettes)",
             best(repeat, lambda: yamltext.load(spec))),
            ("PyYAML C loader, YAML 1.2 core resolver (specs, contracts)",
             best(repeat, lambda: yamltext.load(spec, version="1.2"))),
            ("PyYAML pure-Python safe_load (1.1)",
             best(repeat, lambda: yaml.load(spec, Loader=yaml.SafeLoader)))]
    try:
        from ruamel.yaml import YAML
    except ImportError:
        return rows
    parser = YAML(typ="safe", pure=True)
    parser.version = (1, 2)
    rows.append(("ruamel.yaml safe, pure Python, YAML 1.2",
                 best(repeat, lambda: parser.load(spec))))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--other", type=Path, help="another vendor's OpenAPI file")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    cache = tempfile.mkdtemp(prefix="respcontract-bench-")
    env = {**os.environ, "RESPCONTRACT_CACHE_DIR": cache}
    rows: list[tuple[str, tuple[float, float]]] = []
    rows.append(("import the whole v8 set (100 contracts, 406 endpoints)",
                 best(args.repeat, lambda: import_all(args.reference))))
    v8 = str(ROOT / "contracts" / "zoho-crm-v8")
    rows.append(("lint the bundled v8 contracts", best(1, lambda: cli("lint", v8, env=env))))
    single = ["check", "--no-bundled", "--contracts", str(ROOT / "contracts" / "zoho-crm"),
              str(EXAMPLE)]
    cli(*single, env=env)
    rows.append(("check cold start, 1 file, only the hand-written contract",
                 best(args.repeat, lambda: cli(*single, env=env))))
    cli("check", str(EXAMPLE), env=env)
    rows.append(("check cold start, 1 file, all 101 bundled contracts (route index)",
                 best(args.repeat, lambda: cli("check", str(EXAMPLE), env=env))))
    no_cache = {**env, "RESPCONTRACT_NO_CACHE": "1"}
    rows.append(("check, 1 file, all bundled contracts, cache off (shipped routes.idx)",
                 best(args.repeat, lambda: cli("check", str(EXAMPLE), env=no_cache))))
    eager = ("from validator.load.contracts import ContractSet; "
             "ContractSet.load([]).contracts")
    rows.append(("alternative: load every bundled contract eagerly (before this change)",
                 best(args.repeat, lambda: subprocess.run([sys.executable, "-c", eager],
                                                          check=True, env=env))))
    rows.append(("list the whole API (loads all contracts)",
                 best(args.repeat, lambda: cli("list", env=env))))
    if args.other:
        out = WORK / "other"
        shutil.rmtree(out, ignore_errors=True)
        rows.append((f"import {args.other.name}", best(1, lambda: cli(
            "import", "openapi", str(args.other), "--contract", "other/api", "--out",
            str(out), "--quiet", env=env))))
        rows.append((f"lint {args.other.name}'s contract", best(1, lambda: cli(
            "lint", "--no-bundled", str(out / "contracts"), env=env))))
    rows += yaml_rows(args.reference, args.repeat * 3)
    shutil.rmtree(cache, ignore_errors=True)
    print("| measure | wall ms | CPU ms |\n|---|---:|---:|")
    for name, (wall, cpu) in rows:
        print(f"| {name} | {wall:,.0f} | {cpu:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
