"""HAR 1.2 archives: every entry is one exchange.

Besides `content.text` (plain or base64), a body may live in a file next to the HAR
(`content._file`, Playwright's `recordHar: {content: "attach"}`); it is read only from
inside the HAR's folder, or for a HAR in a zip archive (validator.sources.har_zip), only
from inside the archive. An entry with neither kept no body: "no body recorded", which is
not the same as an empty body. Status 0 is a request that got no response (browsers log
blocked and cancelled requests so): it is skipped, with a warning.
"""

from __future__ import annotations

import base64
import binascii
from functools import partial
from typing import Any

from validator.formats.json import short_repr
from validator.model.exchange import Exchange, Request, Response, TextResponse, normalize_headers
from validator.sources.document import Document, Loaded, url_problem
from validator.sources.locate import text_body_in_json, text_body_in_yaml


def recognise(value: Any) -> bool:
    """Whether a document looks like a HAR archive."""
    return isinstance(value, dict) and isinstance(value.get("log"), dict) \
        and "entries" in value["log"]


def read(document: Document, loaded: Loaded, endpoint: str | None) -> None:
    """Read a HAR archive's entries into `loaded`."""
    entries = document.value["log"]["entries"]
    if not isinstance(entries, list):
        loaded.problem("log.entries must be a list", line=_line(document, ["log", "entries"]))
        return
    if not entries:
        loaded.warn("the HAR has no entries: nothing to check",
                    line=_line(document, ["log", "entries"]), rule="source-empty")
    for index, entry in enumerate(entries):
        base = ["log", "entries", str(index)]
        problem = _entry_problem(entry)
        if problem:
            loaded.problem(f"entry {index}: {problem}", index, _line(document, base))
            continue
        if entry["response"]["status"] == 0:
            loaded.warn(f"entry {index}: no response was recorded (status 0: the request "
                        "failed or was blocked); not checked", index, _line(document, base),
                        rule="no-response")
            continue
        exchange = _exchange(document, entry, index, base, endpoint)
        if isinstance(exchange, str):
            loaded.problem(f"entry {index}: {exchange}", index, _line(document, base),
                           rule="body-encoding")
        else:
            loaded.exchanges.append(exchange)


def _line(document: Document, tokens: list[str]) -> int | None:
    found = document.position(tokens)
    return found[0] if found else None


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "expected an object"
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, dict) or not isinstance(request.get("url"), str):
        return "has no request (or no request.url)"
    bad_url = url_problem(request["url"])
    if bad_url:
        return bad_url
    if not isinstance(response, dict):
        return "has no response"
    status = response.get("status")
    if isinstance(status, bool) or not isinstance(status, int):
        return f"response.status must be a number, found {short_repr(status)}"
    content = response.get("content", {})
    if not isinstance(content, dict):
        return "response.content must be an object"
    if "text" in content and not isinstance(content["text"], str | type(None)):
        return "response.content.text must be a string"
    if "_file" in content and not isinstance(content["_file"], str):
        return "response.content._file must be a file name"
    return None


def _pairs(headers: Any) -> list[tuple[str, Any]]:
    """HAR headers as (name, value): `{"name", "value"}` objects, or the `[name, value]`
    pairs that Slack writes (mitmproxy's HAR import reads both)."""
    if not isinstance(headers, list):
        return []
    pairs: list[tuple[str, Any]] = []
    for header in headers:
        if isinstance(header, dict) and isinstance(header.get("name"), str):
            pairs.append((header["name"], header.get("value", "")))
        elif isinstance(header, list) and len(header) == 2 and isinstance(header[0], str):
            pairs.append((header[0], header[1]))
    return pairs


def _exchange(document: Document, entry: dict[str, Any], index: int, base: list[str],
              endpoint: str | None) -> Exchange | str:
    request, response = entry["request"], entry["response"]
    content = response.get("content") or {}
    headers = normalize_headers(_pairs(response.get("headers"))) or {}
    if "content-type" not in headers and content.get("mimeType"):
        headers["content-type"] = str(content["mimeType"])
    text = content.get("text")
    body: bytes | None = b""
    if not isinstance(text, str) and isinstance(content.get("_file"), str):
        attached = _attached(document, content["_file"])
        if isinstance(attached, str):
            return attached
        body = attached
    elif not isinstance(text, str):
        body = b"" if _bodiless(response["status"], content) else None
    elif isinstance(text, str):
        if content.get("encoding") == "base64":
            try:
                body = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                return "response.content.text is marked base64 but is not valid base64"
        else:
            body = None  # encoded from the text when it is read
    post = request.get("postData") or {}
    if isinstance(text, str) and content.get("encoding") != "base64":
        answer: Response = TextResponse(response["status"], headers, text, partial(
            text_bytes, content_type=headers.get("content-type", "")))
    else:
        answer = Response(response["status"], headers, body or b"", recorded=body is not None)
    exchange = Exchange(
        response=answer,
        request=Request(str(request.get("method", "GET")).upper(), request["url"],
                        normalize_headers(_pairs(request.get("headers"))),
                        post.get("text", "").encode() if isinstance(post, dict)
                        and isinstance(post.get("text"), str) else None),
        source=document.path,
        index=index,
        endpoint=endpoint,
        find_exchange=lambda: document.position(base + ["response", "status"]),
    )
    tokens = base + ["response", "content", "text"]
    if isinstance(text, str) and content.get("encoding") != "base64":
        located = (text_body_in_yaml(document.yaml_root, tokens, text,
                                     document.full_text() or "")
                   if document.is_yaml else text_body_in_json(document.position, tokens, text))
        exchange.locate_body = located.pointer
        exchange.locate_offset = located.offset
    else:
        exchange.locate_body = lambda _tokens: document.position(tokens)
    return exchange


def _bodiless(status: int, content: dict[str, Any]) -> bool:
    """Whether a HAR entry without text had nothing to keep (size 0 or a bodiless status)."""
    return status in (204, 304) or 100 <= status < 200 or content.get("size") == 0


def _attached(document: Document, name: str) -> bytes | str:
    """The bytes of `content._file`, or why they cannot be read (never outside the folder,
    or for a HAR in a zip archive, never outside the archive)."""
    from pathlib import Path

    from validator.sources.files import NotAFile, TooLarge, read_limited

    if document.attachments is not None:
        return document.attachments(name)
    if document.location is None:
        return "response.content._file cannot be read: the HAR's folder is not known"
    folder = document.location.parent.resolve()
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or not name:
        return f"response.content._file {short_repr(name)} is outside the HAR's folder; refused"
    target = folder / relative
    try:
        if not target.resolve().is_relative_to(folder):
            return (f"response.content._file {short_repr(name)} links outside the HAR's "
                    "folder; refused")
        return read_limited(target)
    except TooLarge:
        return f"response.content._file {short_repr(name)} is too large"
    except NotAFile as exc:
        return f"response.content._file {short_repr(name)} is {exc}, not a regular file"
    except OSError as exc:
        return f"response.content._file {short_repr(name)} cannot be read: {exc.strerror or exc}"


def text_bytes(text: str, content_type: str) -> bytes:
    """`content.text` as the bytes it stood for, as mitmproxy's HAR import turns it back:
    the charset of the Content-Type, UTF-8 for JSON, else Latin-1 (UTF-8 if that fails)."""
    import codecs

    media, _, parameters = content_type.partition(";")
    charset = next((p.split("=", 1)[1].strip().strip('"') for p in parameters.split(";")
                    if p.strip().lower().startswith("charset=")), "")
    if not charset:
        charset = "utf-8" if "json" in media.lower() else "latin-1"
    try:
        return text.encode(codecs.lookup(charset).name)
    except (LookupError, UnicodeEncodeError):
        return text.encode("utf-8", errors="surrogatepass")
