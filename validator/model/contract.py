"""The typed contract model: contracts, endpoints, responses, parameters and rules."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator.model.pointer import make_pointer, pointer_tokens
from validator.model.record import field, record

if TYPE_CHECKING:
    from validator.load.schemas import SchemaStore


@record(frozen=True)
class Parameter:
    """A path or query parameter: required, pattern, enum, example."""

    name: str
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    example: str | None = None
    description: str | None = None
    docs: str | None = None

    def problem(self, value: str) -> str | None:
        """Why `value` is not allowed for this parameter, or None."""
        if self.pattern and not re.search(self.pattern, value):
            return f"{self.name}={value!r} does not match {self.pattern!r}"
        if self.enum and value not in self.enum:
            return f"{self.name}={value!r} is not one of {', '.join(self.enum)}"
        return None


@record(frozen=True)
class MediaSpec:
    """One media type a response may come in, with its schema file or body kind."""

    media_type: str  # as written, parameters included: "application/json; charset=utf-8"
    schema: str | None
    body: str  # "empty", "json" or "any"

    @property
    def essence(self) -> str:
        """type/subtype, lower-cased, without parameters."""
        return media_essence(self.media_type)

    @property
    def parameters(self) -> dict[str, str]:
        return media_parameters(self.media_type)

    def accepts(self, content_type: str | None) -> bool:
        """Does a response Content-Type match? Parameters count only when named here."""
        return media_accepts(self.media_type, content_type)


@record(frozen=True)
class HeaderSpec:
    """A response header: present always (required) or maybe, and its value's schema."""

    name: str  # as written; matched case-insensitively
    required: bool = False
    schema: Any = field(default=None, hash=False, compare=False)  # inline JSON Schema
    docs: str | None = None
    description: str | None = None


@record(frozen=True)
class ResponseSpec:
    """A documented response: its status (or range), content type, schema, body kind."""

    status: str
    content_type: str | None
    schema: str | None
    body: str  # "empty", "json" or "any"
    docs: str | None = None
    media: tuple[MediaSpec, ...] = ()  # every media type; the shorthand makes one entry
    headers: tuple[HeaderSpec, ...] = ()
    annotations: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def description(self) -> str | None:
        """The response's `description`, if the contract writes one."""
        text = self.annotations.get("description")
        return text if isinstance(text, str) else None

    def matches(self, status: int) -> bool:
        """Whether an HTTP status falls under this response (exact, range, default)."""
        if self.status == "default":
            return True
        if self.status.endswith("XX"):
            return str(status)[0] == self.status[0] and len(str(status)) == 3
        return self.status == str(status)


@record(frozen=True)
class StateSpec:
    """A state rule across polls: `key` names a node, `field` is followed until `final`."""

    key: str
    field: str | None = None
    final: tuple[Any, ...] | None = None  # None: a `persist` rule, which has no final values
    frozen: bool = False
    persist: bool = False

    @property
    def kind(self) -> str:
        """persist (keys do not vanish), frozen (a final node never changes) or final."""
        if self.persist:
            return "persist"
        return "frozen" if self.frozen else "final"


@record(frozen=True)
class Auth:
    """How the token travels: the header, the scheme before it, the variable holding it."""

    header: str = "Authorization"
    scheme: str | None = None
    token_env: str | None = None
    declared: bool = False  # the contract has an `auth` section (the API wants a token)


@record(frozen=True)
class SensitiveEntry:
    """One `sensitive` entry: a field whose value, or a regex whose matches, are redacted."""

    field: str | None = None
    pattern: str | None = None
    replace: str | None = None  # None: the recorder's standard placeholder


@record(frozen=True)
class LiveTexts:
    """The contract's words for live mode (the `live` key): what a state rule's nodes are
    called, what a write does at the vendor, and where an error answer carries its code."""

    item_name: str = "item"
    writes_warning: str | None = None
    error_code: str | None = None  # a JSON pointer into an error body, e.g. "/code"


@record(frozen=True)
class Rule:
    """A rule beyond the schema: a selector, its conditions, and one kind of check."""

    id: str
    raw: dict[str, Any]
    docs: str | None
    severity: str
    at: tuple[str, ...]
    statuses: tuple[str, ...] | None
    when: dict[str, Any]
    state: StateSpec | None = None
    equals: str | None = None  # "request.PART.NAME": the request value the node must equal
    unique: bool = False
    condition: Any = None  # the `if` schema of an if/then rule
    then: Any = None
    assertion: Any = None  # the `assert` schema
    message: str | None = None
    description: str | None = None

    def part(self, key: str) -> Any:
        """One field of the rule as written (at, status, when, then, ...), or None."""
        return self.raw.get(key)

    @property
    def as_written(self) -> dict[str, Any]:
        """The whole rule as the contract writes it (what an OpenAPI export carries)."""
        return self.raw

    @cached_property
    def kind(self) -> str:
        """Which of state, equals, unique, then or assert this rule is."""
        if self.state is not None:
            return "state"
        if self.equals is not None:
            return "equals"
        if self.unique:
            return "unique"
        return "then" if self.then is not None else "assert"

    @property
    def summary(self) -> str | None:
        """The text a finding of this rule starts with: its message, else its description."""
        return self.message or self.description

    @property
    def equals_source(self) -> tuple[str, str]:
        """(request part, name) an `equals` rule compares with, e.g. ("query", "id")."""
        _, part, name = (self.equals or "..").split(".", 2)
        return part, name

    @property
    def selector(self) -> str:
        """The rule's selector as a JSON pointer (with `*` tokens)."""
        return make_pointer(self.at)

    def applies_to_status(self, status: int) -> bool:
        """Whether the rule's `status` list admits this HTTP status."""
        if self.statuses is None:
            return True
        code = str(status)
        return any(s in (code, "default") or (s.endswith("XX") and s[0] == code[0])
                   for s in self.statuses)


@record(frozen=True)
class LinkParameter:
    """One parameter a link fills: `part` (query or params), its name, the body pointer."""

    part: str
    name: str
    pointer: tuple[str, ...]  # tokens; a * token stands for every item or member


@record(frozen=True)
class Link:
    """A value one endpoint returns that becomes a parameter of another (an OpenAPI link)."""

    id: str
    source: str  # the endpoint that returns the value (its name in this contract)
    target: str  # ENDPOINT of this contract, or CONTRACT:ENDPOINT
    parameters: tuple[LinkParameter, ...]
    statuses: tuple[str, ...] | None  # None: every 2XX
    docs: str | None = None

    def applies_to_status(self, status: int) -> bool:
        if self.statuses is None:
            return 200 <= status < 300
        return any(ResponseSpec(s, None, None, "any").matches(status) for s in self.statuses)


@record(frozen=True)
class Lifecycle:
    """A resource that moves through states across calls, keyed by a link's values."""

    name: str
    source: str  # endpoint whose link creates the resource
    link: str  # that link's id
    at: tuple[str, ...]  # selector of the resource nodes in the link target's answers
    key: str
    field: str
    states: tuple[str, ...]
    final: tuple[str, ...]
    frozen: bool = True
    unknown: int | None = None  # status for a key that names no resource
    list_all: bool = True
    docs: str | None = None


@record
class Endpoint:
    """One endpoint of a contract: method, path template, responses, rules, examples."""

    contract: Contract
    name: str
    method: str
    path: str
    responses: list[ResponseSpec]
    params: dict[str, Parameter]
    query: dict[str, Parameter]
    rules: list[Rule]
    examples: list[Path]
    docs: str | None
    writes: bool
    summary: str = ""
    deprecated: bool = False
    sunset: str | None = None  # ISO date after which the endpoint may go away
    stability: str = "stable"  # "alpha", "beta" or "stable"
    annotations: dict[str, Any] = field(default_factory=dict)  # summary, docs, x-...
    links: list[Link] = field(default_factory=list)
    route: re.Pattern[str] = field(init=False)
    _by_status: dict[int, ResponseSpec | None] = field(init=False, repr=False)
    _rules_by_status: dict[int, list[Rule]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.route = _route_regex(self.path)
        self._by_status = {}
        self._rules_by_status = {}

    @property
    def full_name(self) -> str:
        """`CONTRACT:ENDPOINT`."""
        return f"{self.contract.name}:{self.name}"

    def response_for(self, status: int) -> ResponseSpec | None:
        """The documented response for a status: exact, then range, then default."""
        if status not in self._by_status:
            self._by_status[status] = self._find_response(status)
        return self._by_status[status]

    def rules_for(self, status: int) -> list[Rule]:
        """Rules whose `status` list admits this status (`when` is decided per exchange)."""
        if status not in self._rules_by_status:
            self._rules_by_status[status] = [r for r in self.rules
                                             if r.applies_to_status(status)]
        return self._rules_by_status[status]

    def _find_response(self, status: int) -> ResponseSpec | None:
        exact = [r for r in self.responses if r.status == str(status)]
        ranged = [r for r in self.responses if r.status.endswith("XX") and r.matches(status)]
        default = [r for r in self.responses if r.status == "default"]
        for group in (exact, ranged, default):
            if group:
                return group[0]
        return None

    def match_path(self, path: str) -> dict[str, str] | None:
        """The path parameter values when a URL path fits the template, else None."""
        match = self.route.fullmatch(path.rstrip("/") or "/")
        if match is None:
            return None
        values = match.groupdict()
        for name, value in values.items():
            spec = self.params.get(name)
            if spec and spec.problem(value):
                return None
        return values

    def lists_content(self, status: str) -> bool:
        """Whether the response for `status` lists its media types under `content:`
        (rather than the one-entry shorthand `content_type`, `schema`, `body`)."""
        written = self.contract.raw["endpoints"][self.name]["responses"][status]
        return isinstance(written, dict) and "content" in written

    @property
    def literal_segments(self) -> int:
        """How many path segments are literal: the more, the better a match."""
        return sum(1 for s in self.path.split("/") if s and "{" not in s)


@record
class Contract:
    """One contract file: its endpoints, schema store and contract-level settings."""

    name: str
    path: Path
    raw: dict[str, Any]
    store: SchemaStore
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    schema_roots: list[tuple[str, str]] = field(default_factory=list)  # (uri, referrer)
    docs: str | None = None
    servers: dict[str, str] = field(default_factory=dict)  # name (a data centre) -> base URL
    defaults: dict[str, str] = field(default_factory=dict)  # path parameter -> value
    auth: Auth = field(default_factory=Auth)
    sensitive: tuple[SensitiveEntry, ...] = ()
    live: LiveTexts = field(default_factory=LiveTexts)
    formats: str = "annotate"  # `format` keyword: "assert" checks it, "annotate" does not
    lifecycles: dict[str, Lifecycle] = field(default_factory=dict)

    def setting(self, key: str) -> Any:
        """A contract-wide setting (servers, defaults, auth), or None."""
        return self.raw.get(key)

    @property
    def annotations(self) -> dict[str, Any]:
        """Documentation fields of the contract (title, description, docs, x-...)."""
        return {k: v for k, v in self.raw.items()
                if k in ("title", "description", "summary", "docs") or k.startswith("x-")}

    @property
    def title(self) -> str | None:
        """The contract's `title`, if it writes one."""
        text = self.raw.get("title")
        return text if isinstance(text, str) else None

    @property
    def description(self) -> str | None:
        """The contract's `description`, if it writes one."""
        text = self.raw.get("description")
        return text if isinstance(text, str) else None

    def line_of(self, pointer: str) -> int | None:
        """The line of a JSON pointer in the contract file (parses the YAML again)."""
        from validator.load.contracts import pointer_line

        return pointer_line(self.path, pointer_tokens(pointer))


def _route_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", template.rstrip("/") or "/")
    regex = "".join(
        f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts
    )
    return re.compile(regex)


@lru_cache(maxsize=1024)  # a run sees a few pairs, once per exchange
def media_accepts(media_type: str, content_type: str | None) -> bool:
    """Does a Content-Type match a contract's media type? Parameters count only when the
    contract names them."""
    essence = media_essence(media_type)
    if essence in ("*/*", ""):  # "": the contract names no media type
        return True
    if not content_type or not media_covers(essence, media_essence(content_type)):
        return False
    found = media_parameters(content_type)
    return all(found.get(k) == v for k, v in media_parameters(media_type).items())


def media_essence(media_type: str) -> str:
    """A media type without its parameters, lower-cased."""
    return media_type.split(";")[0].strip().lower()


def media_parameters(media_type: str) -> dict[str, str]:
    """Parameters of a media type, names lower-cased, values unquoted."""
    found = {}
    for part in media_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip():
            found[name.strip().lower()] = value.strip().strip('"').lower() \
                if name.strip().lower() == "charset" else value.strip().strip('"')
    return found


def media_covers(pattern: str, essence: str) -> bool:
    """`*/*` covers everything, `text/*` every text type, else only the same type."""
    if pattern in ("*/*", essence):
        return True
    return pattern.endswith("/*") and essence.split("/")[0] == pattern.split("/")[0]
