"""Request parameters (path and query): the one part of a contract the consumer sends.

The direction flips here: the caller produces these values, so a tighter rule is what
breaks it, and a looser one is safe.
"""

from __future__ import annotations

from validator.diff.model import Level
from validator.diff.patterns import pattern_change
from validator.diff.schema import canonical, show
from validator.model.contract import Parameter

BREAKING, RISKY, SAFE = Level.BREAKING, Level.RISKY, Level.SAFE


def parameter_changes(label: str, name: str, old: Parameter | None,
                      new: Parameter | None) -> list[tuple[Level, str, str]]:
    """Every change to one parameter, judged for the caller that sends it."""
    if old is None and new is not None:
        if new.required:
            return [(BREAKING, "parameter-required", f"new required {label} {name!r}: "
                     "requests without it are now refused")]
        return [(SAFE, "parameter-added", f"new optional {label} {name!r}")]
    if new is None or old is None:
        return [(RISKY, "parameter-removed", f"{label} {name!r} is no longer documented")]
    changes: list[tuple[Level, str, str]] = []
    if new.required and not old.required:
        changes.append((BREAKING, "parameter-required", f"{label} {name!r} is now required"))
    elif old.required and not new.required:
        changes.append((SAFE, "parameter-loosened", f"{label} {name!r} is now optional"))
    if old.pattern != new.pattern:
        changes.append(_pattern(f"{label} {name!r}", old.pattern, new.pattern))
    changes += _enum(label, name, old.enum, new.enum)
    for key in ("description", "docs", "example"):
        if canonical(getattr(old, key)) != canonical(getattr(new, key)):
            changes.append((SAFE, "docs-changed", f"{label} {name!r}: {key} edited"))
    return changes


def _enum(label: str, name: str, old: tuple[str, ...] | None, new: tuple[str, ...] | None
          ) -> list[tuple[Level, str, str]]:
    if old is not None and new is not None:
        changes = []
        gone = [v for v in old if v not in new]
        if gone:
            changes.append((BREAKING, "parameter-value-removed", f"{label} {name!r}: "
                            f"{', '.join(map(show, gone))} no longer accepted"))
        if [v for v in new if v not in old]:
            changes.append((SAFE, "parameter-loosened", f"{label} {name!r}: new accepted "
                            "values"))
        return changes
    if new is not None:
        return [(RISKY, "parameter-pattern", f"{label} {name!r}: now limited to "
                 f"{', '.join(map(show, new))}")]
    if old is not None:
        return [(SAFE, "parameter-loosened", f"{label} {name!r}: no longer limited to a "
                 "list")]
    return []


def _pattern(what: str, old: str | None, new: str | None) -> tuple[Level, str, str]:
    """A request value's pattern: the caller sends it, so tighter is what may break."""
    _, kind, message = pattern_change([old] if old is not None else [],
                                      [new] if new is not None else [])
    if kind in ("pattern-tightened", "pattern-changed"):
        return RISKY, "parameter-pattern", f"{what}: {message}; values sent today may be " \
                                           "refused"
    return SAFE, "parameter-loosened", f"{what}: {message}"
