"""Route matching for many endpoints, and a cached route index of bundled contracts.

Matching walks a tree of path segments. At each segment a literal child is tried first,
then a child whose segment mixes text and parameters (`{name}.json`), then a whole-segment
parameter; the first complete route whose parameters pass their patterns and enums wins.
So a literal segment beats a parameter at the first place two templates differ
(`/crm/v8/settings/modules` is never `/crm/v8/{module}/{id}`), and versions are explicit:
`/crm/{version}/...` with `version: {enum: [v7]}` does not claim a v8 request.

The route index of a contract folder (contract name, file, and each endpoint's method, path
and path-parameter constraints) is cached in the parse-cache folder, keyed by every contract
file's path, size and modification time, so a `check` run reads one small file instead of
loading every bundled contract; a contract is loaded only when a request matches it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from validator.model.record import field, record

FORMAT = 1
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@record(frozen=True)
class Route:
    """One endpoint's route: where it lives and what its path parameters accept."""

    method: str
    path: str
    contract: str
    endpoint: str
    constraints: tuple[tuple[str, str | None, tuple[str, ...] | None], ...] = ()

    def accepts(self, values: dict[str, str]) -> bool:
        """Whether the path parameter values pass their patterns and enums."""
        for name, pattern, enum in self.constraints:
            value = values.get(name)
            if value is None:
                continue
            if pattern and not re.search(pattern, value):
                return False
            if enum and value not in enum:
                return False
        return True


@record
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    mixed: list[tuple[re.Pattern[str], _Node]] = field(default_factory=list)
    param: _Node | None = None
    names: list[list[str]] = field(default_factory=list)  # per route: the param names in order
    routes: list[Route] = field(default_factory=list)


class RouteIndex:
    """Routes by method, in a segment tree; earlier routes win ties (explicit contracts)."""

    def __init__(self, routes: list[Route]) -> None:
        self._roots: dict[str, _Node] = {}
        self._mixed: dict[str, re.Pattern[str]] = {}
        for route in routes:
            self._add(route)

    def _add(self, route: Route) -> None:
        node = self._roots.setdefault(route.method.upper(), _Node())
        names: list[str] = []
        for segment in _segments(route.path):
            whole = _PARAM.fullmatch(segment)
            if whole:
                names.append(whole.group(1))
                node.param = node.param or _Node()
                node = node.param
            elif "{" in segment:
                regex = self._mixed.setdefault(segment, _segment_regex(segment))
                names += list(regex.groupindex)
                found = next((child for r, child in node.mixed if r.pattern == regex.pattern),
                             None)
                if found is None:
                    found = _Node()
                    node.mixed.append((regex, found))
                node = found
            else:
                node = node.literal.setdefault(segment, _Node())
        node.routes.append(route)
        node.names.append(names)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The winning route and its parameter values, or None."""
        root = self._roots.get(method.upper())
        if root is None:
            return None
        return _walk(root, _segments(path), 0, [])


def _walk(node: _Node, segments: list[str], at: int, values: list[str]
          ) -> tuple[Route, dict[str, str]] | None:
    if at == len(segments):
        for route, names in zip(node.routes, node.names, strict=True):
            params = dict(zip(names, values, strict=False))
            if route.accepts(params):
                return route, params
        return None
    segment = segments[at]
    child = node.literal.get(segment)
    if child is not None:
        found = _walk(child, segments, at + 1, values)
        if found:
            return found
    for regex, mixed in node.mixed:
        matched = regex.fullmatch(segment)
        if matched:
            found = _walk(mixed, segments, at + 1, values + list(matched.groups()))
            if found:
                return found
    if node.param is not None and segment:
        return _walk(node.param, segments, at + 1, values + [segment])
    return None


def _segments(path: str) -> list[str]:
    trimmed = path.split("?", 1)[0].rstrip("/")
    return trimmed.split("/")[1:] if trimmed else []


def _segment_regex(segment: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", segment)
    return re.compile("".join(f"(?P<{p[1:-1]}>.+?)" if p.startswith("{") else re.escape(p)
                              for p in parts))


def routes_of(name: str, raw: dict[str, Any]) -> list[Route]:
    """The routes a parsed contract file declares."""
    found = []
    for endpoint, spec in (raw.get("endpoints") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
            continue
        constraints = []
        for param, pspec in sorted((spec.get("params") or {}).items()):
            if isinstance(pspec, dict):
                enum = pspec.get("enum")
                constraints.append((param, pspec.get("pattern"),
                                    tuple(enum) if isinstance(enum, list) else None))
        found.append(Route(str(spec.get("method", "")).upper(), spec["path"], name, endpoint,
                           tuple(constraints)))
    return found


@record(frozen=True)
class IndexedContract:
    """A contract known by its routes only; loaded when a request needs it."""

    name: str
    path: Path
    routes: tuple[Route, ...]


def contract_yaml_files(folder: Path) -> list[tuple[str, int, int]]:
    """(path, size, mtime) of the contract files under a folder, example folders skipped."""
    found: list[tuple[str, int, int]] = []
    pending = [str(folder)]
    while pending:
        try:
            entries = sorted(os.scandir(pending.pop()), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and entry.name != "examples":
                pending.append(entry.path)
            elif entry.name.endswith((".yaml", ".yml")) and entry.is_file():
                stat = entry.stat()
                found.append((entry.path, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


SHIPPED = "routes.idx"  # beside the bundled contracts (JSON; a suffix lint leaves alone)


def folder_index(folder: Path, parse: Any) -> list[IndexedContract]:
    """Every contract in `folder` by its routes; `parse(path)` reads one file when needed.

    First the user's cache (keyed by size and modification time); then the index shipped
    with the contracts (keyed by each file's SHA-256, so it holds on a fresh install and
    with the cache off); a file neither knows is parsed."""
    files = contract_yaml_files(folder)
    key = [FORMAT, os.stat(__file__).st_mtime_ns, [list(f) for f in files]]
    cached = _read_cached(folder, key)
    if cached is not None:
        return cached
    shipped = _shipped(folder)
    entries = []
    for name, _, _ in files:
        file = Path(name)
        known = shipped.get(_content_key(folder, file))
        if known is not None:
            entries.append(IndexedContract(known["name"], file, _routes(known)))
            continue
        raw = parse(file)
        if isinstance(raw, dict) and isinstance(raw.get("contract"), str):
            entries.append(IndexedContract(raw["contract"], file,
                                           tuple(routes_of(raw["contract"], raw))))
    _write_cached(folder, key, entries)
    return entries


def _content_key(folder: Path, file: Path) -> str:
    import hashlib  # only on a cache miss: its import costs start-up

    try:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return ""
    return f"{file.relative_to(folder).as_posix()}@{digest}"


def _shipped(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / SHIPPED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    contracts = data.get("contracts")
    return contracts if isinstance(contracts, dict) else {}


def _routes(entry: dict[str, Any]) -> tuple[Route, ...]:
    return tuple(Route(r[0], r[1], entry["name"], r[2],
                       tuple((p[0], p[1], tuple(p[2]) if p[2] else None) for p in r[3]))
                 for r in entry["routes"])


def write_shipped_index(folder: Path, parse: Any) -> Path:
    """Write the content-keyed route index of every contract under `folder` (for bundling)."""
    target = folder / SHIPPED
    target.write_text(shipped_index_text(folder, parse), encoding="utf-8")
    return target


def shipped_index_text(folder: Path, parse: Any) -> str:
    """The shipped route index of `folder`, as written."""
    contracts: dict[str, Any] = {}
    for name, _, _ in contract_yaml_files(folder):
        file = Path(name)
        raw = parse(file)
        if isinstance(raw, dict) and isinstance(raw.get("contract"), str):
            contracts[_content_key(folder, file)] = {
                "name": raw["contract"],
                "routes": [[r.method, r.path, r.endpoint, [list(p) for p in r.constraints]]
                           for r in routes_of(raw["contract"], raw)]}
    return json.dumps({"format": FORMAT, "contracts": contracts}, indent=0,
                      sort_keys=True) + "\n"


def _cache_file(folder: Path) -> Path | None:
    from validator.load import cache

    base = cache._folder()
    if base is None:
        return None
    return base / f"routes-{cache.entry_name(str(folder.resolve()), '.json')}"


def _read_cached(folder: Path, key: list[Any]) -> list[IndexedContract] | None:
    target = _cache_file(folder)
    if target is None:
        return None
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return [IndexedContract(c["name"], Path(c["path"]), _routes(c)) for c in data["contracts"]]


def _write_cached(folder: Path, key: list[Any], entries: list[IndexedContract]) -> None:
    target = _cache_file(folder)
    if target is None:
        return
    data = {"key": key, "contracts": [
        {"name": c.name, "path": str(c.path),
         "routes": [[r.method, r.path, r.endpoint, [list(p) for p in r.constraints]]
                    for r in c.routes]} for c in entries]}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        pass
