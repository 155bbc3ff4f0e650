"""OpenAPI Overlay Specification 1.0.0, applied to the vendor's specs before import.

An overlay is `{overlay: 1.0.x, info: {title, version}, extends?, actions: [...]}`; each
action has a JSONPath `target` (the subset in validator/openapi/jsonpath.py) and either
`update` (merged into every selected object: objects merge member by member, recursively;
any other value replaces; a selected array gets the update appended) or `remove: true`
(the selected nodes are deleted). `extends` names the spec the overlay is for (matched by
file name); without it the overlay applies to every SPEC of the import. Actions run in
order; an action that selects nothing is an error (a vendor change moved what it curated).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from validator.errors import UsageError
from validator.openapi import jsonpath
from validator.openapi.specs import ImportProblem, SpecSet, read_document


def apply_overlays(specs: SpecSet, overlays: list[Path]) -> None:
    """Apply each overlay's actions, in order, to the spec(s) it extends."""
    for path in overlays:
        overlay = read_document(path)
        _check(path, overlay)
        extends = overlay.get("extends")
        name = Path(urlsplit(str(extends)).path).name if extends else None
        targets = [p for p in specs.primary if name is None or p.name == name]
        if not targets:
            raise ImportProblem(f"{path}: extends {extends!r}, which is not among the specs")
        for spec in targets:
            for index, action in enumerate(overlay["actions"]):
                try:
                    apply_action(specs.document(spec), action)
                except UsageError as exc:
                    raise ImportProblem(f"{path}: actions[{index}]: {exc}") from None


def _check(path: Path, overlay: Any) -> None:
    if not isinstance(overlay, dict) or not str(overlay.get("overlay", "")).startswith("1.0"):
        raise ImportProblem(f"{path}: not an Overlay 1.0 document (no `overlay: 1.0.x`)")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise ImportProblem(f"{path}: an overlay needs a non-empty `actions` list")
    for index, action in enumerate(actions):
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise ImportProblem(f"{path}: actions[{index}] needs a `target` JSONPath")
        if ("update" in action) == bool(action.get("remove")):
            raise ImportProblem(f"{path}: actions[{index}] needs exactly one of `update` "
                                "and `remove: true`")


def apply_action(document: Any, action: dict[str, Any]) -> None:
    """Run one overlay action on a document, in place."""
    hits = jsonpath.select(document, action["target"])
    if not hits:
        raise UsageError(f"target {action['target']!r} selects nothing")
    if action.get("remove"):
        for parent, key in sorted(hits, key=lambda h: str(h[1]), reverse=True):
            if isinstance(parent, list) and parent is not None and len(parent) == 1 and \
                    key == 0 and parent[0] is document:
                raise UsageError("the root cannot be removed")
            del parent[key]
        return
    for parent, key in hits:
        merged = merge(parent[key], action["update"])
        if isinstance(parent[key], dict) and isinstance(merged, dict):
            parent[key].clear()  # in place: the root has no parent to put a copy in
            parent[key].update(merged)
        else:
            parent[key] = merged


def merge(target: Any, update: Any) -> Any:
    """The Overlay 1.0 merge: objects member by member, arrays get the update appended."""
    if isinstance(target, dict) and isinstance(update, dict):
        merged = dict(target)
        for key, value in update.items():
            merged[key] = merge(merged[key], value) if key in merged and isinstance(
                merged[key], dict) else copy.deepcopy(value)
        return merged
    if isinstance(target, list):
        return [*target, *(copy.deepcopy(update) if isinstance(update, list)
                           else [copy.deepcopy(update)])]
    return copy.deepcopy(update)
