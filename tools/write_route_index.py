"""Rewrite the route index shipped with the bundled contracts (`contracts/routes.idx`).

    python tools/write_route_index.py

Run it after editing any bundled contract by hand; `tools/import_zoho_crm_v8.py` runs the same
step after an import. The index is keyed by each contract file's content hash, so a stale
entry is never used, only parsed again at every cold start (tests/openapi catches one).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    from validator.load.contracts import _parse_for_index
    from validator.load.routes import write_shipped_index

    print(write_shipped_index(ROOT / "contracts", _parse_for_index).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
