"""SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for code-scanning upload.

One run; `tool.driver.rules` describes every rule that has a result, and each result points
at the recording file (relative to the workspace, as GitHub code scanning expects), line and
column. Unmatched exchanges are left out unless --strict, as in the GitHub format.
"""

from __future__ import annotations

import json
from typing import Any

from validator.model.findings import Finding, Report
from validator.report.github import workspace_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/respcontract/"

# rule id -> what it checks (contract rules that are not listed get their own id)
DESCRIPTIONS = {
    "schema": "The response body matches the endpoint's JSON Schema.",
    "undocumented": "The body holds only documented members and values (drift, a warning).",
    "unmatched": "The recorded request matches a contract endpoint.",
    "endpoint": "The exchange names a known contract endpoint.",
    "status": "The response status is one the contract documents.",
    "content-type": "The response Content-Type is the documented one.",
    "body-empty": "A JSON body is present where one is documented.",
    "body-not-empty": "A bodiless response (such as 204) carries no body.",
    "body-json": "The body is valid JSON.",
    "body-duplicate-key": "JSON objects have unique keys.",
    "body-nonfinite": "Numbers are finite (no NaN or Infinity).",
    "body-trailing-data": "Nothing follows the JSON document.",
    "body-encoding": "The body is UTF-8 in a supported content coding.",
    "body-limit": "The body is within parsing limits.",
    "body-not-recorded": "The recording kept the response body.",
    "source": "The recording file can be read.",
    "source-empty": "The recording holds at least one exchange.",
    "source-too-large": "The recording is within the size limit.",
    "request": "The recorded request has the documented query parameters.",
    "internal-error": "respcontract itself did not fail (please report these).",
    "findings-capped": "Findings beyond --max-findings of one kind in one place are counted.",
}


def _rule(rule_id: str, findings: list[Finding]) -> dict[str, Any]:
    text = DESCRIPTIONS.get(rule_id, f"The contract rule {rule_id!r} holds.")
    level = "error" if any(f.severity.value == "error" for f in findings) else "warning"
    rule: dict[str, Any] = {"id": rule_id, "name": rule_id,
                            "shortDescription": {"text": text},
                            "defaultConfiguration": {"level": level}}
    docs = next((f.docs for f in findings if f.docs), None)
    if docs and docs.startswith(("http://", "https://")):
        rule["helpUri"] = docs
    return rule


def _location(finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {
        "uri": workspace_path(finding.source).replace("\\", "/"), "uriBaseId": "%SRCROOT%"}}
    if finding.line is not None:
        region: dict[str, Any] = {"startLine": finding.line}
        if finding.column is not None:
            region["startColumn"] = finding.column
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(finding: Finding, index: int, strict: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule, "ruleIndex": index,
        "level": "error" if finding.fails(strict) else "warning",
        "message": {"text": finding.message + (f" (docs: {finding.docs})" if finding.docs
                                               else "")},
    }
    if finding.source and not finding.source.startswith("<"):
        result["locations"] = [_location(finding)]
    properties = {k: v for k, v in (("endpoint", finding.endpoint), ("pointer", finding.pointer),
                                    ("exchange", finding.exchange)) if v not in (None, "")}
    if properties:
        result["properties"] = properties
    return result


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("respcontract")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


def render(report: Report) -> str:
    """The report as one SARIF 2.1.0 log."""
    findings = report.reported()
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    order = {rule_id: i for i, rule_id in enumerate(by_rule)}
    run = {
        "tool": {"driver": {"name": "respcontract", "version": _version(),
                            "informationUri": INFORMATION_URI,
                            "rules": [_rule(r, fs) for r, fs in by_rule.items()]}},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {
            "text": "The workspace the recordings are named relative to."}}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, order[f.rule], report.strict) for f in findings],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
