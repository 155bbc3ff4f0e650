"""Compare two versions of a contract set and classify every change for response consumers.

`diff(old, new)` takes two side specs (a folder, a contract file, or `git:REV:PATH`) and
returns a DiffResult. Contracts pair by name, endpoints by name (or by route when renamed),
responses by status; schemas are walked by diff_schema. The levels:

- breaking: a consumer that handled every old response can now meet one it does not handle;
- risky: most consumers cope, some do not (looser limits and patterns, changed rules);
- safe: nothing a consumer relied on changed (additions it can ignore, tightening, docs).

Request parts (path and query parameters) are judged the other way round: there the
caller is the producer, and a tighter rule is what breaks it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from validator.diff.lifecycle import lenient, lifecycle_changes, removal
from validator.diff.model import Change, DiffResult, Level
from validator.diff.parameters import parameter_changes
from validator.diff.refs import resolve_ref
from validator.diff.responses import header_changes, pair_headers, pair_media
from validator.diff.rules import RuleDiffer
from validator.diff.schema import Sub, canonical
from validator.diff.sides import Side, open_side
from validator.errors import UsageError
from validator.model.contract import Contract, Endpoint, HeaderSpec, MediaSpec, ResponseSpec
from validator.model.pointer import escape_token

__all__ = ["Change", "DiffResult", "Level", "diff", "diff_sides"]

BREAKING, RISKY, SAFE = Level.BREAKING, Level.RISKY, Level.SAFE
DOC_FIELDS = ("title", "description", "summary", "docs")
SETTINGS = ("servers", "defaults", "auth")


def diff(old: str, new: str) -> DiffResult:
    """Compare two contract sets given as side specs; raises UsageError for bad input."""
    with open_side(old) as old_side, open_side(new) as new_side:
        return DiffResult(old, new, diff_sides(old_side, new_side))


def diff_sides(old: Side, new: Side) -> list[Change]:
    """Every change from the old side's contracts to the new side's."""
    return _Differ(old, new).run()


class _Differ(RuleDiffer):
    """Pairs contracts, endpoints and responses, and records what changed in each."""


    def run(self) -> list[Change]:
        old, new = (side.contracts for side in self.sides)
        for name in sorted(old.keys() | new.keys()):
            if name not in new:
                self.add(BREAKING, "contract-removed", name, "", "",
                         f"contract {name!r} removed: none of its endpoints is documented now",
                         old=(old[name], ""))
            elif name not in old:
                self.add(SAFE, "contract-added", name, "", "", f"new contract {name!r}",
                         new=(new[name], ""))
            else:
                self.contract(old[name], new[name])
        return sorted(self.changes, key=lambda c: (-c.level.rank, c.endpoint, c.status,
                                                   c.pointer))

    # -- contracts and endpoints -------------------------------------------------------

    def contract(self, old: Contract, new: Contract) -> None:
        name = old.name
        for key in SETTINGS:
            if canonical(old.setting(key)) != canonical(new.setting(key)):
                self.add(RISKY, "settings-changed", name, "", "", f"{key} changed: live "
                         "checks and recordings now talk to the API differently",
                         old=(old, f"/{key}"), new=(new, f"/{key}"))
        self.doc_fields(name, "", old, new, old.annotations, new.annotations, "")
        pairs = _pair_endpoints(old, new)
        for old_endpoint, new_endpoint in pairs:
            if old_endpoint is None and new_endpoint is not None:
                self.add(SAFE, "endpoint-added", new_endpoint.full_name, "", "",
                         f"new endpoint {new_endpoint.method} {new_endpoint.path}",
                         new=(new, _at(new_endpoint)))
            elif new_endpoint is None and old_endpoint is not None:
                level, why = removal(old_endpoint)
                self.add(level, "endpoint-removed", old_endpoint.full_name, "", "",
                         f"endpoint {old_endpoint.method} {old_endpoint.path} removed{why}",
                         old=(old, _at(old_endpoint)), new=(new, "/endpoints"))
                self.changes[-1] = lenient(old_endpoint, self.changes[-1])
            elif old_endpoint is not None and new_endpoint is not None:
                self.endpoint(old_endpoint, new_endpoint)

    def doc_fields(self, endpoint: str, status: str, old: Contract, new: Contract,
                   old_docs: dict[str, Any], new_docs: dict[str, Any], at: str) -> None:
        keys = [k for k in {*old_docs, *new_docs} if k in DOC_FIELDS or k.startswith("x-")]
        for key in sorted(keys):
            if canonical(old_docs.get(key)) != canonical(new_docs.get(key)):
                self.add(SAFE, "docs-changed", endpoint, status, "", f"{key} edited",
                         old=(old, f"{at}/{key}"), new=(new, f"{at}/{key}"))

    def endpoint(self, old: Endpoint, new: Endpoint) -> None:
        name = new.full_name
        where_old, where_new = (old.contract, _at(old)), (new.contract, _at(new))
        if old.name != new.name:
            self.add(RISKY, "endpoint-renamed", name, "", "", f"endpoint renamed from "
                     f"{old.full_name}: tests and recordings pinned to the old name stop "
                     "matching", old=where_old, new=where_new)
        if old.method != new.method or _route(old.path) != _route(new.path):
            self.add(BREAKING, "endpoint-moved", name, "", "", f"route changed from "
                     f"{old.method} {old.path} to {new.method} {new.path}",
                     old=where_old, new=where_new)
        start = len(self.changes)
        self.doc_fields(name, "", old.contract, new.contract, old.annotations,
                        new.annotations, _at(new))
        if _examples(old) != _examples(new):
            self.add(SAFE, "examples-changed", name, "", "", "examples list edited",
                     old=(old.contract, f"{_at(old)}/examples"),
                     new=(new.contract, f"{_at(new)}/examples"))
        if old.writes != new.writes:
            self.add(SAFE, "settings-changed", name, "", "", "writes flag changed",
                     old=where_old, new=(new.contract, f"{_at(new)}/writes"))
        for group in ("params", "query"):
            self.parameters(old, new, group)
        self.responses(old, new)
        self.rules(old, new)
        self.changes[start:] = [lenient(old, c) for c in self.changes[start:]]
        for level, kind, message in lifecycle_changes(old, new):
            self.add(level, kind, name, "", "", message, old=where_old, new=where_new)

    # -- request parameters (the caller produces these) ----------------------------------

    def parameters(self, old: Endpoint, new: Endpoint, group: str) -> None:
        label = "path parameter" if group == "params" else "query parameter"
        olds = old.params if group == "params" else old.query
        news = new.params if group == "params" else new.query
        names = olds.keys() | news.keys()
        if group == "params":  # placeholders follow the path, whose changes are reported
            names = olds.keys() & news.keys()
        for name in sorted(names):
            at_new = f"{_at(new)}/{group}/{escape_token(name)}"
            places = {"old": (old.contract, f"{_at(old)}/{group}/{escape_token(name)}"),
                      "new": (new.contract, at_new if name in news else f"{_at(new)}")}
            for level, kind, message in parameter_changes(label, name, olds.get(name),
                                                          news.get(name)):
                self.add(level, kind, new.full_name, "", "", message, **places)

    # -- responses -------------------------------------------------------------------------

    def responses(self, old: Endpoint, new: Endpoint) -> None:
        olds = {r.status: r for r in old.responses}
        news = {r.status: r for r in new.responses}
        name = new.full_name
        for status in sorted(olds.keys() | news.keys()):
            old_spec, new_spec = olds.get(status), news.get(status)
            places = {"old": (old.contract, f"{_at(old)}/responses/{status}"),
                      "new": (new.contract, f"{_at(new)}/responses"
                              + (f"/{status}" if new_spec else ""))}
            if old_spec is not None and new_spec is not None:
                self.response(old, new, old_spec, new_spec, status)
                continue
            if new_spec is None:
                assert old_spec is not None
                covering = _covering(news, status)
                if covering is None and status.startswith("2"):
                    self.add(BREAKING, "status-removed", name, status, "", f"documented "
                             f"success status {status} removed: the call that got it now "
                             "answers differently", **places)
                elif covering is None:
                    self.add(RISKY, "status-removed", name, status, "", f"documented "
                             f"status {status} removed: harmless in theory (the consumer's "
                             "branch for it never runs), but the case it described still "
                             "happens and now comes back undocumented or as another status",
                             **places)
                else:
                    self.add(SAFE, "status-merged", name, status, "", f"status {status} is "
                             f"no longer listed on its own; {covering.status} covers it",
                             **places)
                    self.response(old, new, old_spec, covering, status)
            else:
                covering = _covering(olds, status)
                if covering is None:
                    self.add(BREAKING, "status-added", name, status, "", f"new status "
                             f"{status} can now be returned", **places)
                else:
                    self.add(SAFE, "status-split", name, status, "", f"status {status} is "
                             f"now listed on its own (was under {covering.status})", **places)
                    self.response(old, new, covering, new_spec, status)

    def response(self, old: Endpoint, new: Endpoint, old_spec: ResponseSpec,
                 new_spec: ResponseSpec, status: str) -> None:
        name = new.full_name
        at_old = f"{_at(old)}/responses/{old_spec.status}"
        at_new = f"{_at(new)}/responses/{new_spec.status}"
        places = {"old": (old.contract, at_old), "new": (new.contract, at_new)}
        self.doc_fields(name, status, old.contract, new.contract, old_spec.annotations,
                        new_spec.annotations, at_new)
        if not old_spec.media or not new_spec.media:  # an empty body on one side
            for level, kind, message in _body_changes(old_spec.body, new_spec.body):
                self.add(level, kind, name, status, "", message, **places)
        else:
            for old_media, new_media, judged in pair_media(old_spec.media, new_spec.media):
                for level, kind, message in judged:
                    self.add(level, kind, name, status, "", message, **places)
                if old_media is not None and new_media is not None:
                    self.media(old, new, old_media, new_media, status, places)
        for old_header, new_header in pair_headers(old_spec.headers, new_spec.headers):
            self.header(old, new, old_header, new_header, status, (at_old, at_new))

    def media(self, old: Endpoint, new: Endpoint, old_media: MediaSpec, new_media: MediaSpec,
              status: str, places: dict[str, tuple[Contract, str]]) -> None:
        name = new.full_name
        named = new_media.essence not in ("application/json", "*/*", "")
        label = f"{new_media.media_type}: " if named else ""  # the usual JSON goes unnamed
        for level, kind, message in _body_changes(old_media.body, new_media.body):
            self.add(level, kind, name, status, "", label + message, **places)
        if old_media.schema and new_media.schema:
            self.walker(old, new, status).compare(
                [_schema_sub(old.contract, old_media.schema)],
                [_schema_sub(new.contract, new_media.schema)], "", label)
        elif old_media.schema and new_media.body != "empty":
            self.add(BREAKING, "schema-dropped", name, status, "", f"{label}the body is no "
                     "longer described by a schema", **places)
        elif new_media.schema and old_media.body != "empty":
            self.add(SAFE, "schema-added", name, status, "", f"{label}the body is now "
                     "described by a schema", **places)

    def header(self, old: Endpoint, new: Endpoint, old_header: HeaderSpec | None,
               new_header: HeaderSpec | None, status: str, at: tuple[str, str]) -> None:
        shown = (new_header or old_header)
        assert shown is not None
        token = escape_token(shown.name)
        places = {"old": (old.contract, f"{at[0]}/headers/{token}"),
                  "new": (new.contract, f"{at[1]}/headers" + (f"/{token}" if new_header
                                                               else ""))}
        for level, kind, message in header_changes(old_header, new_header):
            self.add(level, kind, new.full_name, status, "", message, **places)
        if old_header is None or new_header is None:
            return
        old_schema, new_schema = old_header.schema, new_header.schema
        if old_schema is not None and new_schema is not None:
            self.walker(old, new, status).compare(
                [Sub(old_schema, old.contract.store.base_uri, f"{places['old'][1]}/schema")],
                [Sub(new_schema, new.contract.store.base_uri, f"{places['new'][1]}/schema")],
                "", f"response header {shown.name}: ")
        elif old_schema is not None and old_schema is not True:
            self.add(BREAKING, "schema-dropped", new.full_name, status, "", f"response "
                     f"header {shown.name}: its value is no longer described", **places)
        elif new_schema is not None:
            self.add(SAFE, "schema-added", new.full_name, status, "", f"response header "
                     f"{shown.name}: its value is now described", **places)

# -- helpers -------------------------------------------------------------------------------

def _at(endpoint: Endpoint) -> str:
    return f"/endpoints/{escape_token(endpoint.name)}"


def _examples(endpoint: Endpoint) -> list[str]:
    """Example files as the contract names them (relative to the contract file)."""
    folder = endpoint.contract.path.parent
    return [Path(os.path.relpath(path, folder)).as_posix() for path in endpoint.examples]


def _route(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/"))


def _pair_endpoints(old: Contract, new: Contract) -> Iterator[
        tuple[Endpoint | None, Endpoint | None]]:
    """Same name first; an unmatched endpoint with the same route counts as renamed."""
    olds, news = dict(old.endpoints), dict(new.endpoints)
    for name in sorted(olds.keys() & news.keys()):
        yield olds.pop(name), news.pop(name)
    for _name, endpoint in sorted(olds.items()):
        key = (endpoint.method, _route(endpoint.path))
        match = next((n for n, e in sorted(news.items())
                      if (e.method, _route(e.path)) == key), None)
        yield endpoint, news.pop(match) if match is not None else None
    for endpoint in news.values():
        yield None, endpoint


def _covering(specs: dict[str, ResponseSpec], status: str) -> ResponseSpec | None:
    """The response that describes `status` once it is not listed on its own."""
    if status != "default" and not status.endswith("XX"):
        ranged = specs.get(f"{status[0]}XX")
        if ranged is not None:
            return ranged
    return specs.get("default") if status != "default" else None


def _body_changes(old: str, new: str) -> list[tuple[Level, str, str]]:
    if old == new:
        return []
    if new == "any" or (old, new) == ("json", "empty"):
        level = BREAKING
    elif old == "empty":
        level = RISKY  # a body now comes where none did; most readers ignore it
    else:
        level = SAFE  # the body is now described more closely
    return [(level, "body-changed", f"body changed from {old} to {new}")]


def _schema_sub(contract: Contract, ref: str) -> Sub:
    """A response's schema reference, resolved by the contract's schema store."""
    found = resolve_ref(contract.store, contract.store.base_uri, ref)
    if found is None:  # the loader has checked it; a store that cannot say is a bug
        raise UsageError(f"{contract.path}: schema {ref!r} cannot be resolved")
    doc, fragment, node = found
    return Sub(node, doc, fragment)
