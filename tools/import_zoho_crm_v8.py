"""Regenerate the bundled Zoho CRM v8 contracts from the vendor's OpenAPI files.

    python tools/import_zoho_crm_v8.py [REFERENCE_DIR] [--out .]

REFERENCE_DIR (default: the vendor's files committed under `tools/zoho-crm-v8/vendor/`, see
its SOURCE.md) holds the vendor's `oas3.0/` (one JSON file per module, `common.json` shared)
and `oas3.1/` (newer YAML for the portal modules). Every module of oas3.0 becomes the contract
`zoho-crm-v8/<module>` (underscores become dashes); the four oas3.0 portal files are replaced
by the three oas3.1 modules, which are newer. A module's curation, if any, is the overlay
`tools/zoho-crm-v8/overlays/<module>.overlay.yaml`. Last, it writes the route index shipped
with the contracts (`contracts/routes.idx`, keyed by content hash), so a fresh
install's first `check` need not parse every contract. Running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OVERLAYS = HERE / "zoho-crm-v8" / "overlays"
VENDOR = HERE / "zoho-crm-v8" / "vendor"  # the vendor's OpenAPI files, as published
# oas3.0 files whose operations the newer oas3.1 modules describe
REPLACED_BY_31 = {"portal_invite", "user_type_users", "portals", "portal_user_type"}
SHARED = {"common"}


def modules(reference: Path) -> list[tuple[str, Path]]:
    """(module, spec file) for every module, oas3.1 where it exists, in name order."""
    found = {p.stem: p for p in sorted((reference / "oas3.0").glob("*.json"))
             if p.stem not in SHARED | REPLACED_BY_31}
    for spec in sorted((reference / "oas3.1").glob("*/*.yaml")):
        found[spec.stem] = spec
    return sorted(found.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, nargs="?", default=VENDOR)
    parser.add_argument("--out", type=Path, default=HERE.parent)
    args = parser.parse_args(argv)
    from validator.openapi.api import import_openapi
    from validator.openapi.policy import Policy

    total = 0
    for module, spec in modules(args.reference):
        name = f"zoho-crm-v8/{module.replace('_', '-')}"
        overlay = OVERLAYS / f"{module}.overlay.yaml"
        result, _ = import_openapi([spec], name, args.out,
                                   [overlay] if overlay.is_file() else [], Policy())
        total += len(result.contract["endpoints"])
        for line in result.contradictions:
            print(f"{name}: contradiction: {line}", file=sys.stderr)
        for line in result.notes:
            print(f"{name}: note: {line}", file=sys.stderr)
    from validator.load.contracts import _parse_for_index
    from validator.load.routes import write_shipped_index

    write_shipped_index(args.out / "contracts", _parse_for_index)
    print(f"{len(modules(args.reference))} contracts, {total} endpoints")
    return 0


if __name__ == "__main__":
    sys.exit(main())
