"""The exchange model: one request and the response it got, wherever it was recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, urlsplit

from validator.model.record import field, record

# Headers (lower case) whose values are credentials whatever the API: never shown in a finding,
# redacted in recordings, dropped on a cross-origin redirect. A contract's own auth header is
# added to these where it is known.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie",
                                "x-api-key"})

NOT_PARSED: Any = object()

# (body pointer tokens) -> (line, column) in the source file, when it can be known
Locator = Callable[[list[str]], tuple[int, int] | None]


def normalize_headers(headers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None
                      ) -> dict[str, str] | None:
    """Lower-case names; repeated or list values joined with ', ' as HTTP allows."""
    if headers is None:
        return None
    items = headers.items() if isinstance(headers, Mapping) else headers
    result: dict[str, str] = {}
    for name, value in items:
        values = value if isinstance(value, list) else [value]
        text = ", ".join(str(v) for v in values)
        key = str(name).lower()
        result[key] = f"{result[key]}, {text}" if key in result else text
    return result


@record
class Request:
    """The request of an exchange: method, URL, headers, body."""

    method: str
    url: str
    headers: dict[str, str] | None = None
    body: bytes | None = None

    @property
    def path(self) -> str:
        """The URL's path ('/' when empty)."""
        return urlsplit(self.url).path or "/"

    @cached_property
    def query(self) -> dict[str, str]:
        """The URL's query parameters (the last value of a repeated one)."""
        pairs = parse_qs(urlsplit(self.url).query, keep_blank_values=True)
        return {k: v[-1] for k, v in pairs.items()}


@record
class Response:
    """The response of an exchange: status, headers, body."""

    status: int
    headers: dict[str, str] | None = None
    body: bytes | None = None
    parsed: Any = NOT_PARSED  # the body, when the recording stored it as structured JSON
    recorded: bool = True  # False: the recording kept no body at all (a HAR without text)

    def size(self) -> int:
        """About how large the body is (bytes; characters for a TextResponse), without
        making it."""
        return len(self.body or b"")

    @property
    def content_type(self) -> str | None:
        """The Content-Type header, if any."""
        if self.headers is None:
            return None
        return self.headers.get("content-type")


class TextResponse(Response):
    """A response whose body was recorded as text (a HAR's `content.text`, an exchange
    file's `body_text`), turned into bytes each time it is read: a file's thousands of
    bodies are not all held twice, as text in the parsed file and as bytes, while the file
    is checked."""

    def __init__(self, status: int, headers: dict[str, str] | None, text: str,
                 encode: Callable[[str], bytes]) -> None:
        self._text: str | None = text
        self._encode = encode
        super().__init__(status, headers, None)

    @property
    def body(self) -> bytes | None:
        """The body's bytes (encoded from the recorded text unless set since)."""
        return self._encode(self._text) if self._text is not None else self._bytes

    @body.setter
    def body(self, value: bytes | None) -> None:
        self._bytes = value
        if value is not None:
            self._text = None

    def size(self) -> int:
        return len(self._text) if self._text is not None else len(self._bytes or b"")

    def ascii_text(self) -> str | None:
        """The recorded text when it is ASCII and stands for those same ASCII bytes: it
        then parses as it is, and a 100 MB body is not also made into 100 MB of bytes."""
        text = self._text
        if text is None or not text.isascii() or self._encode("{}") != b"{}":
            return None
        return text

    def __eq__(self, other: object) -> bool:
        """Equal to any Response with the same status, headers and body bytes."""
        if not isinstance(other, Response):
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = None  # type: ignore[assignment]


def _fields(response: Response) -> tuple[Any, ...]:
    return (response.status, response.headers, response.body, response.parsed,
            response.recorded)


@record
class Exchange:
    """A request and its response, with where it was read from."""

    response: Response
    request: Request | None = None
    source: str = ""
    index: int | None = None
    endpoint: str | None = None  # pinned CONTRACT:ENDPOINT
    locate_body: Locator | None = None
    locate_offset: Callable[[int], tuple[int, int] | None] | None = None
    locate_exchange: tuple[int, int] | None = None
    find_exchange: Callable[[], tuple[int, int] | None] | None = None  # lazy locate_exchange
    extras: dict[str, Any] = field(default_factory=dict)

    def exchange_position(self) -> tuple[int, int] | None:
        """Where the exchange (its response status) sits in the source file."""
        if self.locate_exchange is None and self.find_exchange is not None:
            self.locate_exchange = self.find_exchange()
            self.find_exchange = None
        return self.locate_exchange

    def body_position(self, tokens: list[str]) -> tuple[int, int] | None:
        """The (line, column) of a body node in the recording file, if known."""
        if self.locate_body is not None:
            found = self.locate_body(tokens)
            if found is not None:
                return found
            # fall back to the nearest ancestor that exists
            for cut in range(len(tokens) - 1, -1, -1):
                found = self.locate_body(tokens[:cut])
                if found is not None:
                    return found
        return self.exchange_position()
