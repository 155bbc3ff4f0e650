"""An endpoint's lifecycle: deprecation with a sunset date, and its stability level.

Stability works as in oasdiff: an `alpha` endpoint promises nothing yet, so every change
to it is reported as safe; a `beta` endpoint may still change, so what would break a
consumer of a stable endpoint is reported as risky. The level that counts is the old
side's: it is the promise consumers relied on. Lowering the level itself is breaking.
"""

from __future__ import annotations

import dataclasses
import datetime

from validator.diff.model import Change, Level
from validator.model.contract import Endpoint

BREAKING, RISKY, SAFE = Level.BREAKING, Level.RISKY, Level.SAFE
STABILITY = {"alpha": 0, "beta": 1, "stable": 2}
LIFECYCLE_KINDS = ("stability-changed",)


def lenient(old: Endpoint, change: Change) -> Change:
    """The change as judged for the old endpoint's stability level."""
    if change.kind in LIFECYCLE_KINDS or change.level is SAFE:
        return change
    if old.stability == "alpha":
        return dataclasses.replace(change, level=SAFE, message=f"{change.message} (alpha "
                                   f"endpoint: would be {change.level.value})")
    if old.stability == "beta" and change.level is BREAKING:
        return dataclasses.replace(change, level=RISKY, message=f"{change.message} (beta "
                                   "endpoint: would be breaking)")
    return change


def lifecycle_changes(old: Endpoint, new: Endpoint) -> list[tuple[Level, str, str]]:
    """Deprecation, sunset and stability changes of one endpoint."""
    changes: list[tuple[Level, str, str]] = []
    if new.deprecated and not old.deprecated:
        when = f", sunset {new.sunset}" if new.sunset else ", no sunset date given"
        changes.append((RISKY, "deprecated", f"endpoint now deprecated{when}: it still "
                        "answers, plan for its removal"))
    elif old.deprecated and not new.deprecated:
        changes.append((SAFE, "deprecated", "endpoint no longer deprecated"))
    if old.sunset != new.sunset and new.deprecated:
        if new.sunset is None:
            changes.append((SAFE, "sunset-changed", f"sunset date {old.sunset} withdrawn"))
        elif old.sunset is not None and new.sunset < old.sunset:
            changes.append((RISKY, "sunset-changed", f"sunset moved earlier, from "
                            f"{old.sunset} to {new.sunset}: less time to migrate"))
        elif old.sunset is not None:
            changes.append((SAFE, "sunset-changed", f"sunset moved later, from "
                            f"{old.sunset} to {new.sunset}"))
        elif old.deprecated:
            changes.append((RISKY, "sunset-changed", f"sunset date {new.sunset} set: the "
                            "endpoint may go away after it"))
    before, after = STABILITY.get(old.stability, 2), STABILITY.get(new.stability, 2)
    if after < before:
        changes.append((BREAKING, "stability-changed", f"stability lowered from "
                        f"{old.stability} to {new.stability}: its promises may now change "
                        "without notice"))
    elif after > before:
        changes.append((SAFE, "stability-changed", f"stability raised from {old.stability} "
                        f"to {new.stability}"))
    return changes


def removal(old: Endpoint, today: datetime.date | None = None) -> tuple[Level, str]:
    """How an endpoint's removal lands: announced by a past sunset date, or not."""
    if not old.deprecated:
        return BREAKING, ""
    if old.sunset is None:
        return BREAKING, ": it was deprecated, but no sunset date was announced"
    try:
        sunset = datetime.date.fromisoformat(old.sunset)
    except ValueError:
        return BREAKING, f": its sunset {old.sunset!r} is not a date"
    if sunset > (today or datetime.date.today()):
        return BREAKING, f" before its sunset date {old.sunset}"
    return RISKY, (f" after its sunset date {old.sunset}, as announced: consumers still "
                   "calling it break, but they were told")
