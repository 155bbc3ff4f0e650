"""Media types and headers of one response, old against new, for response consumers."""

from __future__ import annotations

from collections.abc import Iterator

from validator.diff.model import Level
from validator.model.contract import HeaderSpec, MediaSpec, media_covers

BREAKING, RISKY, SAFE = Level.BREAKING, Level.RISKY, Level.SAFE
Judged = tuple[Level, str, str]


def pair_media(old: tuple[MediaSpec, ...], new: tuple[MediaSpec, ...]) -> Iterator[
        tuple[MediaSpec | None, MediaSpec | None, list[Judged]]]:
    """(old, new, changes) per media type: same type, then wildcards, then one for one."""
    if len(old) == len(new) == 1 and "" in (old[0].essence, new[0].essence):
        yield old[0], new[0], []  # no media type named on one side: the body change tells it
        return
    left, right = list(old), list(new)
    for media in list(left):
        match = next((m for m in right if m.essence == media.essence), None)
        if match is not None:
            left.remove(media)
            right.remove(match)
            yield media, match, parameter_changes(media, match)
    for media in list(left):
        wider = next((m for m in right if media_covers(m.essence, media.essence)), None)
        narrower = next((m for m in right if media_covers(media.essence, m.essence)), None)
        if wider is not None:
            left.remove(media)
            right.remove(wider)
            yield media, wider, [(BREAKING, "media-type-widened", f"media type "
                                  f"{media.media_type} widened to {wider.media_type}: bodies "
                                  "of other types can now come back")]
        elif narrower is not None:
            left.remove(media)
            right.remove(narrower)
            yield media, narrower, [(SAFE, "media-type-narrowed", f"media type "
                                     f"{media.media_type} narrowed to {narrower.media_type}")]
    if len(left) == len(right) == 1:
        yield left[0], right[0], [(BREAKING, "content-type-changed", f"content type "
                                   f"changed from {left[0].media_type} to "
                                   f"{right[0].media_type}: the consumer parses by it")]
        return
    for media in left:
        yield media, None, [(BREAKING, "media-type-removed", f"media type "
                             f"{media.media_type} removed: a consumer that asks for it (Accept) "
                             "no longer gets it")]
    for media in right:
        yield None, media, [(BREAKING, "media-type-added", f"media type {media.media_type} "
                             "added: a consumer that does not ask for one type (no Accept "
                             "header) may now receive it")]


def parameter_changes(old: MediaSpec, new: MediaSpec) -> list[Judged]:
    """Media-type parameters (charset, version, profile): named ones are promises."""
    changes: list[Judged] = []
    before, after = old.parameters, new.parameters
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            changes.append((BREAKING, "media-type-parameter", f"{old.essence} parameter "
                            f"{name}={before[name]} no longer promised: any {name} may come"))
        elif name not in before:
            changes.append((SAFE, "media-type-parameter", f"{new.essence} now promises "
                            f"{name}={after[name]}"))
        elif before[name] != after[name]:
            changes.append((BREAKING, "media-type-parameter", f"{old.essence} parameter "
                            f"{name} changed from {before[name]} to {after[name]}"))
    return changes


def header_changes(old: HeaderSpec | None, new: HeaderSpec | None) -> list[Judged]:
    """Presence of one header; its schema is compared by the schema walk."""
    if old is None and new is not None:
        always = "required" if new.required else "optional"
        return [(SAFE, "header-added", f"new {always} response header {new.name}")]
    if new is None and old is not None:
        what = "required" if old.required else "optional"
        return [(BREAKING, "header-removed", f"{what} response header {old.name} removed: "
                 "code that reads it finds nothing, or a value nothing promises")]
    assert old is not None and new is not None
    if old.required and not new.required:
        return [(BREAKING, "header-optional", f"response header {new.name} is no longer "
                 "required: it may be missing")]
    if new.required and not old.required:
        return [(SAFE, "header-required", f"response header {new.name} is now always sent")]
    return []


def pair_headers(old: tuple[HeaderSpec, ...], new: tuple[HeaderSpec, ...]) -> list[
        tuple[HeaderSpec | None, HeaderSpec | None]]:
    """Old and new header entries paired by case-insensitive name."""
    olds = {h.name.lower(): h for h in old}
    news = {h.name.lower(): h for h in new}
    return [(olds.get(name), news.get(name)) for name in sorted(olds.keys() | news.keys())]
