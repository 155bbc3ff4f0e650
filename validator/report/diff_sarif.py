"""`respcontract diff --format sarif`: changes as a SARIF 2.1.0 log, for code-scanning UIs.

One result per change; its rule is the change's kind (a row of the classification table).
A change that fails the run (at or above --fail-on) is an `error`, another risky change a
`warning`, a safe one a `note`. Files of the working tree are physical locations (with
the line); a file of a git revision is named in the message instead, since it has no path
on disk. The endpoint, status and body pointer are a logical location.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from validator.diff.model import Change, DiffResult, Level

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
DOCS_URI = "https://respcontract.dev/guides/diff/"


def sarif(result: DiffResult, fail_on: str) -> str:
    """The whole log, as JSON text."""
    kinds = sorted({change.kind for change in result.changes})
    rules = [_rule(kind, result) for kind in kinds]
    results = [_result(change, fail_on, kinds.index(change.kind)) for change in result.changes]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "respcontract", "version": _version(),
                                "informationUri": DOCS_URI, "rules": rules}},
            "invocations": [{"executionSuccessful": True,
                             "exitCode": result.exit_code(fail_on),
                             "commandLine": f"respcontract diff {result.old} {result.new} "
                                            f"--fail-on {fail_on} --format sarif"}],
            "results": results,
            "properties": {"old": result.old, "new": result.new, "failOn": fail_on,
                           "summary": result.summary()},
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(kind: str, result: DiffResult) -> dict[str, Any]:
    levels = {c.level for c in result.changes if c.kind == kind}
    worst = max(levels, key=lambda level: level.rank)
    return {"id": kind, "name": _camel(kind),
            "shortDescription": {"text": f"respcontract diff: {kind}"},
            "helpUri": f"{DOCS_URI}#how-changes-are-classified",
            "defaultConfiguration": {"level": _sarif_level(worst)},
            "properties": {"levels": sorted(level.value for level in levels)}}


def _result(change: Change, fail_on: str, index: int) -> dict[str, Any]:
    message = f"{change.level.value}: {change.message}"
    location: dict[str, Any] = {"logicalLocations": [{
        "fullyQualifiedName": " ".join(p for p in (change.endpoint, change.status,
                                                   change.pointer) if p),
        "kind": "member"}]}
    if change.source and change.in_worktree:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(change.source)}}
        if change.line is not None:
            physical["region"] = {"startLine": change.line}
        location["physicalLocation"] = physical
    elif change.source:
        message += f" ({change.source}" + (f":{change.line}" if change.line else "") + ")"
    level = "error" if change.fails(fail_on) else \
        "note" if change.level is Level.SAFE else "warning"
    return {"ruleId": change.kind, "ruleIndex": index, "level": level,
            "message": {"text": message}, "locations": [location],
            "properties": {"level": change.level.value, "endpoint": change.endpoint,
                           "status": change.status, "pointer": change.pointer,
                           "location": change.location}}


def _sarif_level(level: Level) -> str:
    return {"breaking": "error", "risky": "warning", "safe": "note"}[level.value]


def _uri(source: str) -> str:
    path = Path(source)
    if path.is_absolute():
        return path.as_uri()
    return quote(source.replace(os.sep, "/"))


def _camel(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("-"))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("respcontract")
    except PackageNotFoundError:
        return "0"
