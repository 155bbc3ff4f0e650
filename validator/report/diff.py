"""Formats for `respcontract diff`: text, json, markdown (a pull request comment), github,
sarif (in diff_sarif)."""

from __future__ import annotations

import json

from validator.diff.model import Change, DiffResult, Level
from validator.report.github import escape_data, escape_property, workspace_path

FORMATS = ("text", "json", "markdown", "github", "sarif")


def render(result: DiffResult, fmt: str, fail_on: str) -> str:
    """The report in one of FORMATS."""
    if fmt == "sarif":
        from validator.report.diff_sarif import sarif

        return sarif(result, fail_on)
    return {"text": text, "json": as_json, "markdown": markdown,
            "github": github}[fmt](result, fail_on)


def _counts(result: DiffResult) -> str:
    return ", ".join(f"{result.count(level)} {level.value}" for level in Level)


def _target(change: Change) -> str:
    parts = [change.endpoint]
    if change.status:
        parts.append(change.status)
    if change.pointer:
        parts.append(change.pointer)
    return " ".join(parts)


def _where(change: Change) -> str:
    if not change.source:
        return ""
    if change.line is not None:
        return f"{change.source}:{change.line}"
    return change.source + (f"#{change.location}" if change.location else "")


def verdict(result: DiffResult, fail_on: str) -> str:
    """The one-line verdict of a diff for a --fail-on level."""
    if result.failed(fail_on):
        failing = sum(1 for c in result.changes if c.fails(fail_on))
        return f"FAILED: {failing} change(s) at or above --fail-on {fail_on}"
    if fail_on == "never":
        return "OK: --fail-on never"
    return f"OK: nothing at or above --fail-on {fail_on}"


def text(result: DiffResult, fail_on: str) -> str:
    """A diff result as plain text, grouped by level."""
    lines = [f"respcontract diff {result.old} -> {result.new}"]
    if not result.changes:
        lines.append("no changes")
    for level in Level:
        changes = [c for c in result.changes if c.level is level]
        if not changes:
            continue
        lines.append("")
        lines.append(f"{level.value} ({len(changes)})")
        for change in changes:
            lines.append(f"  {_target(change)}")
            lines.append(f"    {change.message}  [{change.kind}]")
            if _where(change):
                lines.append(f"    at {_where(change)}")
    lines.append("")
    lines.append(f"{_counts(result)}. {verdict(result, fail_on)}")
    return "\n".join(lines) + "\n"


def as_json(result: DiffResult, fail_on: str) -> str:
    """A diff result as JSON, with the verdict."""
    data = result.to_dict()
    data["fail_on"] = fail_on
    data["failed"] = result.failed(fail_on)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _code(value: str) -> str:
    return f"`{_cell(value).replace('`', chr(39))}`" if value else ""


def markdown(result: DiffResult, fail_on: str) -> str:
    """A diff result as Markdown for a pull request comment."""
    mark = "failed" if result.failed(fail_on) else "passed"
    lines = [f"### respcontract diff: {_counts(result)} ({mark})", "",
             f"{_code(result.old)} → {_code(result.new)}", ""]
    if not result.changes:
        lines.append("No changes.")
    for level in Level:
        changes = [c for c in result.changes if c.level is level]
        if not changes:
            continue
        table = ["| Endpoint | Status | Pointer | Change | Where |",
                 "| --- | --- | --- | --- | --- |"]
        table += [f"| {_code(c.endpoint)} | {_cell(c.status)} | {_code(c.pointer)} | "
                  f"{_cell(c.message)} ({_cell(c.kind)}) | {_code(_where(c))} |"
                  for c in changes]
        title = f"{level.value.capitalize()} ({len(changes)})"
        if level is Level.SAFE:
            lines += [f"<details><summary>{title}</summary>", "", *table, "", "</details>", ""]
        else:
            lines += [f"#### {title}", "", *table, ""]
    lines.append(verdict(result, fail_on))
    return "\n".join(lines) + "\n"


def github(result: DiffResult, fail_on: str) -> str:
    """A diff result as GitHub Actions annotations and a summary line."""
    lines = [annotation(change, fail_on) for change in result.changes]
    lines.append(f"respcontract diff: {_counts(result)}. {verdict(result, fail_on)}")
    return "\n".join(lines) + "\n"


def annotation(change: Change, fail_on: str) -> str:
    """One workflow command: error if it fails the run, warning if risky, notice if safe."""
    if change.fails(fail_on):
        command = "error"
    else:
        command = "notice" if change.level is Level.SAFE else "warning"
    props = []
    if change.source and change.in_worktree:
        props.append(f"file={escape_property(workspace_path(change.source))}")
        if change.line is not None:
            props.append(f"line={change.line}")
    title = f"respcontract diff: {change.level.value} ({change.kind})"
    props.append(f"title={escape_property(title)}")
    message = f"{_target(change)}: {change.message}"
    if change.source and not change.in_worktree:
        message += f" ({_where(change)})"
    return f"::{command} {','.join(props)}::{escape_data(message)}"
