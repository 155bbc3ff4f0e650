"""GitHub Actions workflow commands: one ::error or ::warning annotation per finding."""

from __future__ import annotations

import os

from validator.model.findings import Finding, Report
from validator.report.text import not_checked


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


escape_data, escape_property = _data, _prop


def workspace_path(source: str) -> str:
    """A file as GitHub matches it to the diff: relative to the workspace, no `./`.

    Absolute or `./`-prefixed paths produce annotations that do not attach to the file.
    """
    workspace = os.path.abspath(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
    absolute = os.path.abspath(source)
    try:
        inside = os.path.commonpath([workspace, absolute]) == workspace
    except ValueError:  # another drive
        inside = False
    return os.path.relpath(absolute, workspace).replace(os.sep, "/") if inside else source


def annotation(finding: Finding, strict: bool = False) -> str:
    """One ::error or ::warning workflow command for a finding."""
    level = "error" if finding.fails(strict) else "warning"
    props = [f"file={_prop(workspace_path(finding.source))}"] if finding.source else []
    if finding.line is not None:
        props.append(f"line={finding.line}")
        if finding.column is not None:
            props.append(f"col={finding.column}")
    title = f"respcontract {finding.rule}"
    if finding.pointer:
        title += f" at {finding.pointer}"
    props.append(f"title={_prop(title)}")
    message = finding.message + (f" (docs: {finding.docs})" if finding.docs else "")
    return f"::{level} {','.join(props)}::{_data(message)}"


def render(report: Report) -> str:
    """One annotation per finding (unmatched exchanges only under --strict), then a summary."""
    lines = [annotation(f, report.strict) for f in report.reported()]
    summary = report.summary()
    lines.append(f"respcontract: {summary['exchanges']} exchanges, {summary['passed']} passed, "
                 f"{summary['failed']} failed{not_checked(summary)}")
    return "\n".join(lines) + "\n"
