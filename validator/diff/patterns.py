"""Is a new `pattern` looser or tighter than the old one? Decided by example, not by proof.

Whether one regular expression accepts everything another does is too costly to decide
in general, so both patterns are sampled: strings are generated from each pattern
(deterministically, with repeat counts biased to their minimum and maximum, where limits
usually move) and tried against the other. A string the new pattern allows and the old did
not makes the change looser; one the old allowed and the new does not makes it tighter.
Patterns Python's `re` cannot read (ECMA-only syntax) are reported as "unknown".
"""

from __future__ import annotations

import random
import re
import string
from typing import Any

from validator.diff.model import Level
from validator.diff.schema import show

SAMPLES = 240
UNBOUNDED_EXTRA = 24  # how far past the minimum an open repeat (`*`, `+`, `{n,}`) goes
# ASCII plus a few letters and digits from other scripts (\d and \w differ on those)
POOL = string.ascii_letters + string.digits + string.punctuation + " \t\n\u00e9\u0660\u4e2d"
_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_SPACE": " \t\n\r\f\v",
}


def relation(old: str, new: str) -> tuple[str, str | None]:
    """("looser" | "tighter" | "same" | "unknown", an example string that shows it)."""
    try:
        old_re, new_re = re.compile(old), re.compile(new)
        from_new = [s for s in samples(new) if new_re.search(s)]
        from_old = [s for s in samples(old) if old_re.search(s)]
    except (re.error, RecursionError, ValueError, TypeError):
        return "unknown", None
    looser = [s for s in from_new if not old_re.search(s)]
    if looser:
        return "looser", min(looser, key=len)
    tighter = [s for s in from_old if not new_re.search(s)]
    if tighter:
        return "tighter", min(tighter, key=len)
    return ("same", None) if from_new and from_old else ("unknown", None)


def samples(pattern: str) -> list[str]:
    """Strings that match `pattern`, drawn deterministically from its parse tree."""
    from re import _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern)
    rng = random.Random(pattern)
    found = [_Sampler(rng, mode=i % 3).pattern(parsed) for i in range(SAMPLES)]
    # JSON Schema patterns search anywhere in the string: try text around a match too
    return found + [rng.choice(string.ascii_letters) + s + rng.choice(string.ascii_letters)
                    for s in found[::4]]


class _Sampler:
    """One string from a parsed pattern; mode 0 repeats least, 1 most, 2 at random."""

    def __init__(self, rng: random.Random, mode: int) -> None:
        self.rng, self.mode = rng, mode
        self.groups: dict[int, str] = {}

    def pattern(self, items: Any) -> str:
        return "".join(self.item(str(op), value) for op, value in items)

    def item(self, op: str, value: Any) -> str:
        handler = getattr(self, f"_{op.lower()}", None)
        return handler(value) if handler is not None else ""  # anchors, lookarounds

    def _literal(self, value: int) -> str:
        return chr(value)

    def _not_literal(self, value: int) -> str:
        return self.rng.choice([c for c in POOL if ord(c) != value])

    def _any(self, _: Any) -> str:
        return self.rng.choice(POOL.replace("\n", ""))

    def _in(self, items: list[tuple[Any, Any]]) -> str:
        chars = set()
        negate = False
        for op, value in items:
            name = str(op)
            if name == "NEGATE":
                negate = True
            elif name == "LITERAL":
                chars.add(chr(value))
            elif name == "RANGE":
                low, high = value
                chars.update({chr(low), chr(high), chr(self.rng.randint(low, high))})
            elif name == "CATEGORY":
                chars.update(self._category(str(value)))
        if negate:
            chars = {c for c in POOL if c not in chars}
        return self.rng.choice(sorted(chars)) if chars else ""

    def _category(self, name: str) -> set[str]:
        if name.startswith("CATEGORY_NOT_"):
            excluded = _CATEGORIES.get("CATEGORY_" + name[len("CATEGORY_NOT_"):], "")
            return {c for c in POOL if c not in excluded}
        return set(_CATEGORIES.get(name, ""))

    def _max_repeat(self, value: tuple[int, int, Any]) -> str:
        low, high, item = value
        from re import _constants  # type: ignore[attr-defined]

        top = low + UNBOUNDED_EXTRA if high == _constants.MAXREPEAT else high
        count = (low, top, self.rng.randint(low, top))[self.mode]
        return "".join(self.pattern(item) for _ in range(count))

    _min_repeat = _max_repeat
    _possessive_repeat = _max_repeat

    def _subpattern(self, value: tuple[Any, ...]) -> str:
        group, *_, item = value
        text = self.pattern(item)
        if group is not None:
            self.groups[group] = text
        return text

    def _atomic_group(self, item: Any) -> str:
        return self.pattern(item)

    def _branch(self, value: tuple[Any, list[Any]]) -> str:
        return self.pattern(self.rng.choice(value[1]))

    def _groupref(self, group: int) -> str:
        return self.groups.get(group, "")


def pattern_change(gone: list[Any], came: list[Any]) -> tuple[Level, str, str]:
    """Level, kind and sentence for a `pattern` edit, judged on sampled strings."""
    old_text, new_text = ", ".join(map(show, gone)), ", ".join(map(show, came))
    if not came:
        return Level.BREAKING, "pattern-loosened", f"pattern {old_text} removed: any string " \
                                                   "can now be returned"
    if not gone:
        return Level.SAFE, "pattern-tightened", f"pattern {new_text} added"
    verdict, example = ("unknown", None)
    if len(gone) == len(came) == 1 and isinstance(gone[0], str) and isinstance(came[0], str):
        verdict, example = relation(gone[0], came[0])
    change = f"pattern changed from {old_text} to {new_text}"
    if verdict == "looser":
        return Level.BREAKING, "pattern-loosened", f"{change}: it now allows {show(example)}"
    if verdict == "tighter":
        return Level.SAFE, "pattern-tightened", f"{change}: it no longer allows " \
            f"{show(example)}, and no string it allows was found that the old one refuses " \
            f"({SAMPLES} samples each way)"
    if verdict == "same":
        return Level.SAFE, "pattern-rewritten", f"{change}: no string found that one allows " \
            f"and the other does not ({SAMPLES} samples each way)"
    return Level.RISKY, "pattern-changed", f"{change}: cannot compare them, values it did " \
                                           "not allow may come back"
