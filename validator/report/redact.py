"""Keep credentials out of reports: tokens in URL queries and paths are shown redacted.

A recorded request URL can carry a token (`?access_token=...`, `/hooks/<secret>/...`);
findings quote paths and URLs, so every reporter prints messages through `redact`, as live
mode's recordings redact the URLs they store.
"""

from __future__ import annotations

import re

from validator.model.findings import Finding, Report
from validator.model.record import replace

REDACTED = "REDACTED"
# query parameters that carry credentials in the APIs people record (OAuth 2.0, RFC 6750
# `access_token`; API keys; signed URLs such as S3's X-Amz-Signature)
SECRET_PARAMETERS = ("access_token", "refresh_token", "id_token", "token", "auth", "apikey",
                     "api_key", "api-key", "key", "client_secret", "secret", "password",
                     "passwd", "signature", "sig", "x-amz-signature", "x-amz-credential",
                     "x-amz-security-token", "code", "authtoken", "zapikey")
_NAMES = "|".join(map(re.escape, SECRET_PARAMETERS))
_QUERY = re.compile(rf"([?&;](?:{_NAMES})=)[^&#\s'\"]+", re.IGNORECASE)
# a URL path segment that looks like a credential: long, letters and digits mixed, not a UUID
_TOKEN = re.compile(r"(?<=/)(?=[A-Za-z0-9._~+-]*\d)(?=[A-Za-z0-9._~+-]*[A-Za-z])"
                    r"[A-Za-z0-9._~+-]{32,}(?![A-Za-z0-9._~+-])")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}")


def redact(text: str) -> str:
    """`text` with credential-looking query values and path segments replaced."""
    if "=" in text:
        text = _QUERY.sub(lambda m: m.group(1) + REDACTED, text)
    return _TOKEN.sub(_token_or_keep, text) if len(text) >= 32 else text


def _token_or_keep(match: re.Match[str]) -> str:
    found = match.group(0)
    return found if _UUID.fullmatch(found) or found.isdigit() else REDACTED


def redacted(report: Report) -> Report:
    """A copy of the report whose findings print no credential."""
    copy = Report(strict=report.strict)
    for result in report.results:
        clean = replace(result, findings=[_clean(f) for f in result.findings])
        copy.add(clean)
    return copy


def _clean(finding: Finding) -> Finding:
    message = redact(finding.message)
    return finding if message == finding.message else replace(finding, message=message)
