"""OpenAPI Overlay Specification 1.0.0, applied to the vendor's specs before import."""

from __future__ import annotations

from pathlib import Path

from validator.openapi.specs import SpecSet


def apply_overlays(specs: SpecSet, overlays: list[Path]) -> None:
    """Apply each overlay's actions, in order, to the spec it extends."""
