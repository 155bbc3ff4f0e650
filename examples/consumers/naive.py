"""A naive consumer of Zoho CRM's Bulk Invite Job Status response.

It works on the two samples in the vendor's documentation and nowhere else: it reads
`item["details"]["id"]` (error items have `details: {}`) and iterates `job["data"]`
(which is null while a job is still running). `respcontract fuzz` finds both crashes:

    respcontract fuzz examples/consumers/naive.py:summarize \
        --endpoint zoho-crm/portal-invite:get_bulk_invite_status
"""

from __future__ import annotations

from typing import Any


def summarize(body: dict[str, Any]) -> dict[str, list[str]]:
    """The IDs of the records invited by each job."""
    invited: dict[str, list[str]] = {}
    for job in body["portal_invite"]:
        invited[job["job_id"]] = [item["details"]["id"] for item in job["data"]]
    return invited
