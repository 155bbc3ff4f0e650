"""A careful consumer of Zoho CRM's Bulk Invite Job Status response.

It expects what the contract documents, not just what the samples show: `data` is null
while a job runs, error items carry `details: {}`, IDs are 19-digit strings (kept as
strings: they do not fit a float), and the vendor may add codes, statuses and fields.
A body it cannot make sense of raises PayloadError (a ValueError), so the fuzzer is told
to accept that on invalid examples:

    respcontract fuzz examples/consumers/careful.py:summarize \
        --endpoint zoho-crm/portal-invite:get_bulk_invite_status --allow PayloadError
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class PayloadError(ValueError):
    """The response is not shaped like a job status answer at all."""


@dataclass
class JobSummary:
    job_id: str
    status: str
    finished: bool
    invited: list[str] = field(default_factory=list)  # record IDs, as strings
    failed: list[str] = field(default_factory=list)  # codes of the items that failed


def summarize(body: Any) -> dict[str, JobSummary]:
    """Each job's outcome: which records were invited and which items failed."""
    if not isinstance(body, dict) or not isinstance(body.get("portal_invite"), list):
        raise PayloadError("expected an object with a portal_invite list")
    return {summary.job_id: summary for summary in map(_job, body["portal_invite"])}


def _job(job: Any) -> JobSummary:
    if not isinstance(job, dict) or not isinstance(job.get("job_id"), str):
        raise PayloadError("expected every job to carry a string job_id")
    status = job.get("status") if isinstance(job.get("status"), str) else "unknown"
    summary = JobSummary(job["job_id"], status, finished=status == "completed")
    data = job.get("data")
    if data is None:  # still running (or a status this code does not know yet)
        return summary
    if not isinstance(data, list):
        raise PayloadError("expected data to be a list or null")
    for item in data:
        _item(item, summary)
    return summary


def _item(item: Any, summary: JobSummary) -> None:
    if not isinstance(item, dict):
        raise PayloadError("expected every item to be an object")
    details = item.get("details") if isinstance(item.get("details"), dict) else {}
    record = details.get("id")
    if item.get("status") == "success" and isinstance(record, str):
        summary.invited.append(record)
    else:
        summary.failed.append(str(item.get("code", "UNKNOWN")))
