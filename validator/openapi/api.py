"""The import as one call: read specs, apply overlays, build, write."""

from __future__ import annotations

from pathlib import Path

from validator.openapi.build import Imported, import_specs
from validator.openapi.policy import Policy
from validator.openapi.specs import SpecSet


def import_openapi(specs: list[Path], name: str, out: Path, overlays: list[Path] | None = None,
                   policy: Policy | None = None, force: bool = False
                   ) -> tuple[Imported, list[Path]]:
    """Import `specs` as contract `name` under `out`; returns the result and files written."""
    import re

    from validator.openapi.overlay import apply_overlays
    from validator.openapi.specs import ImportProblem
    from validator.openapi.write import write

    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*", name):
        raise ImportProblem(f"contract name {name!r}: use lower-case words and / "
                            "(e.g. zoho-crm-v8/records)")
    spec_set = SpecSet.load(list(specs))
    apply_overlays(spec_set, list(overlays or []))
    result = import_specs(spec_set, name, policy or Policy())
    return result, write(result, out, force)
