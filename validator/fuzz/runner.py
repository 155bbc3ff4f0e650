"""Fuzz the code that consumes an API's responses with examples generated from its contract.

Rules of the game, per kind of example:
- `valid` and `edge`: any exception is a failure;
- `drift` and `invalid`: only the exceptions named in `allow` are accepted;
- always: returning False, or raising AssertionError (unless allowed), is a failure: that is
  how a consumer reports a property it checks itself.

Each kind is a separate hypothesis run with no example database (the same seed gives the
same run; reproducer files take the database's place), and failures are shrunk. Use
`fuzz()` for a report, `fuzz_consumer()` from a test (it raises on failure), or the
`respcontract fuzz` command.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import TestFailure, UsageError
from validator.formats.files import write_new
from validator.model.exchange import Exchange
from validator.model.kinds import KINDS, check_kinds

INPUTS = ("body", "exchange", "httpx")
DEFAULT_REPRODUCERS = Path(".respcontract") / "reproducers"
TRACEBACK_FRAMES = 6
MAX_ROUNDS = 6  # fuzzing rounds per kind, each looking for a crash not found before

Allowed = str | type[BaseException]


class ConsumerReturnedFalse(TestFailure):
    """The consumer returned False: a property it checks itself does not hold."""


class PropertyFailed(TestFailure):
    """The user's `expect` property does not hold for what the consumer returned."""


class FuzzFailed(TestFailure):
    """Raised by fuzz_consumer(); the message is the full failure report."""

    def __init__(self, report: FuzzReport) -> None:
        super().__init__(report.render())
        self.report = report


@dataclass
class Failure:
    """One crash the fuzzer found: the payload, the error and where it came from."""

    kind: str
    payload: Any  # what the consumer got, as JSON: a body, or an exchange document
    error: BaseException
    traceback: str
    expected: dict[str, str] | None = None  # the finding an invalid example carries
    reproducer: Path | None = None

    @property
    def site(self) -> tuple[str, str]:
        return site_of(self.error)


@dataclass
class FuzzReport:
    """A fuzz run's outcome: calls per kind, failures, and the seed that replays it."""

    consumer: str
    endpoint: str
    seed: int
    input: str = "body"
    calls: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    replay: Callable[[Failure], str] | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    def render(self) -> str:
        lines = [render_failure(f, self.replay) for f in self.failures]
        fed = {"body": "bodies", "exchange": "exchanges"}.get(self.input, "httpx responses")
        lines.append(f"fuzzed {self.consumer} with {fed} of {self.endpoint}, seed "
                     f"{self.seed}:")
        earlier = 0
        for kind, calls in self.calls.items():
            failed = sum(1 for f in self.failures if f.kind == kind)
            if failed:
                verdict = f"{failed} failure{'s' if failed > 1 else ''}"
            elif earlier:
                verdict = f"no new crash ({earlier} found earlier are not reported again)"
            else:
                verdict = "no crash"
            earlier += failed
            lines.append(f"  {kind}: {calls} calls, {verdict}")
        return "\n".join(lines) + "\n"


def render_failure(failure: Failure, replay: Callable[[Failure], str] | None = None,
                   shrunk: bool = True) -> str:
    """One failure as text: the error, the shrunk payload and how to replay it."""
    lines = [f"FAIL {failure.kind}: {_describe(failure.error)}",
             "  payload (shrunk):" if shrunk else "  payload:"]
    lines += ["    " + line for line in compact_json(failure.payload).splitlines()]
    if failure.expected:
        where = failure.expected["pointer"] or "the whole body"
        lines.append(f"  invalid on purpose: {failure.expected['description']} (expected "
                     f"finding: {failure.expected['rule']} at {where})")
    lines += ["  " + line for line in failure.traceback.rstrip().splitlines()]
    if failure.reproducer is not None:
        lines.append(f"  reproducer: {failure.reproducer}")
        if replay is not None:
            lines.append(f"  replay: {replay(failure)}")
    return "\n".join(lines) + "\n"


def _describe(error: BaseException) -> str:
    if isinstance(error, ConsumerReturnedFalse):
        return "the consumer returned False"
    if isinstance(error, PropertyFailed):
        return f"the property does not hold: {error}"
    return f"the consumer raised {type(error).__name__}"


# ---------------------------------------------------------------- running


def fuzz(consumer: Callable[[Any], Any], endpoint: str, kinds: Iterable[str] = KINDS, *,
         allow: Iterable[Allowed] = (), max_examples: int = 100, seed: int | None = None,
         input: str = "body", status: str | int | None = None, contracts: Any = None,
         expect: Expect | None = None) -> FuzzReport:
    """Run `consumer` over every kind and report what broke (nothing is written).

    A crash found on one kind is not reported again on the next: each kind looks further.
    `expect(payload, result)` is a property of what the consumer returned (for valid, edge
    and drift examples); a falsy answer is a failure, e.g. silent data loss.
    """
    from validator.generate import examples, exchanges

    kinds = check_kinds(kinds)
    if input not in INPUTS:
        raise UsageError(f"unknown input {input!r} (known: {', '.join(INPUTS)})")
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "big")
    allowed = resolve_allowed(allow, consumer)
    report = FuzzReport(_name(consumer), endpoint, seed, input)
    known: set[tuple[str, str]] = set()  # crash sites found so far: later kinds look further
    for kind in kinds:
        strategy: Any = (
            examples(endpoint, kind, status=status, contracts=contracts) if input == "body"
            else exchanges(endpoint, kind, status=status, contracts=contracts))
        calls, failures = _run_kind(_with_expect(consumer, expect, kind), strategy, kind,
                                    allowed, max_examples, seed, input, known)
        report.calls[kind] = calls
        report.failures += failures
    return report


def fuzz_consumer(consumer: Callable[[Any], Any], endpoint: str,
                  kinds: Iterable[str] = KINDS, *, allow: Iterable[Allowed] = (),
                  max_examples: int = 100, seed: int | None = None, input: str = "body",
                  status: str | int | None = None, contracts: Any = None,
                  reproducers: str | Path | None = None,
                  expect: Expect | None = None) -> FuzzReport:
    """fuzz() for tests: raises FuzzFailed (an AssertionError) with the report on failure.

    With `reproducers`, each failing payload is also written to a JSON file there.
    """
    report = fuzz(consumer, endpoint, kinds, allow=allow, max_examples=max_examples,
                  seed=seed, input=input, status=status, contracts=contracts, expect=expect)
    if reproducers is not None:
        for failure in report.failures:
            failure.reproducer = write_reproducer(failure, Path(reproducers),
                                                  report.consumer, endpoint)
    if not report.ok:
        raise FuzzFailed(report)
    return report


def _run_kind(consumer: Callable[[Any], Any], strategy: Any, kind: str, allow: list[Allowed],
              max_examples: int, seed: int, input: str, known: set[tuple[str, str]]
              ) -> tuple[int, list[Failure]]:
    """Each round stops at its first crash and shrinks it; the next round ignores the crashes
    already found and looks again, until a round finds nothing new. (Hypothesis's own search
    for several bugs at once depends on timing, and the same seed must give the same run.)"""
    calls = 0
    failures: list[Failure] = []
    progress = Progress(kind)
    for _ in range(MAX_ROUNDS):
        progress.done, progress.crashes = calls, len(failures)
        made, found = _one_round(consumer, strategy, kind, allow, max_examples, seed, input,
                                 known, progress)
        calls += made
        fresh = [f for f in found if f.site not in known]
        if not fresh:
            break
        failures += fresh
        known.update(f.site for f in fresh)
    return calls, failures


def _one_round(consumer: Callable[[Any], Any], strategy: Any, kind: str,
               allow: list[Allowed], max_examples: int, seed: int, input: str,
               known: set[tuple[str, str]], progress: Progress | None = None
               ) -> tuple[int, list[Failure]]:
    from validator.fuzz.harness import run_examples

    records: list[tuple[Any, Any, BaseException]] = []
    calls = [0]

    def check_one(example: Any) -> None:
        calls[0] += 1
        if progress is not None:
            progress.show(calls[0])
        payload = payload_of(example)
        error = call_consumer(consumer, payload, input, kind, allow)
        if error is not None and site_of(error) not in known:
            records.append((example, payload, error))
            raise error

    try:
        run_examples(strategy, check_one, max_examples, seed)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as raised:  # the consumer may raise anything
        return calls[0], _failures(raised, records, kind)
    finally:
        if progress is not None:
            progress.clear()
    return calls[0], []


class Progress:
    """`fuzz valid: 37 examples, 1 crash` on one line of a terminal's stderr (else silent)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.done = 0
        self.crashes = 0
        self.live = sys.stderr.isatty() and not os.environ.get("CI")

    def show(self, calls: int) -> None:
        """Rewrite the line (every few calls, to stay cheap)."""
        if self.live and calls % 5 == 1:
            crashes = f"{self.crashes} crash{'es' if self.crashes != 1 else ''}"
            sys.stderr.write(f"\r\x1b[Kfuzz {self.kind}: {self.done + calls} examples, "
                             f"{crashes}")
            sys.stderr.flush()

    def clear(self) -> None:
        """Remove the line before the report is printed."""
        if self.live:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def site_of(error: BaseException) -> tuple[str, str]:
    """Where a crash happened: the exception type and the innermost frame."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return type(error).__name__, where


def call_consumer(consumer: Callable[[Any], Any], payload: Any, input: str, kind: str,
                  allow: Sequence[Allowed]) -> BaseException | None:
    """Feed one payload; return the exception that counts as a failure, if any."""
    try:
        result = consumer(as_input(payload, input))
    except Exception as exc:  # judging those is the point
        return None if accepted(kind, exc, allow, payload) else exc
    if result is False:
        try:
            raise ConsumerReturnedFalse("the consumer returned False")
        except ConsumerReturnedFalse as exc:
            return exc
    return None


def accepted(kind: str, error: BaseException, allow: Sequence[Allowed],
             payload: Any = None) -> bool:
    """Whether an exception is allowed: on drift and invalid examples, and on documented
    error statuses of any kind (raise_for_status() on a documented 404 does its job)."""
    if isinstance(error, PropertyFailed):
        return False
    if kind in ("valid", "edge") and not _error_status(payload):
        return False
    for wanted in allow:
        if isinstance(wanted, type):
            if isinstance(error, wanted):
                return True
            continue
        for cls in type(error).__mro__:
            if wanted in (cls.__name__, f"{cls.__module__}.{cls.__qualname__}"):
                return True
    return False


def _failures(raised: BaseException, records: list[tuple[Any, Any, BaseException]],
              kind: str) -> list[Failure]:
    from hypothesis.errors import HypothesisException

    found = _leaves(raised)
    failures = []
    for error in found:
        match = next((r for r in reversed(records) if r[2] is error), None)
        if match is None:
            if isinstance(error, HypothesisException) or not records:
                raise UsageError(f"could not generate {kind} examples: "
                                 f"{type(error).__name__}: {str(error).splitlines()[0]}")
            match = records[-1]
        example, payload, _ = match
        failures.append(Failure(kind, payload, error, short_traceback(error),
                                _expected_of(example)))
    return failures


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for sub in error.exceptions for leaf in _leaves(sub)]
    return [error]


Expect = Callable[[Any, Any], Any]


def _with_expect(consumer: Callable[[Any], Any], expect: Expect | None, kind: str
                 ) -> Callable[[Any], Any]:
    """The consumer, with the user's property checked on what it returns."""
    if expect is None or kind == "invalid":
        return consumer

    def checked(payload: Any) -> Any:
        original = json.loads(json.dumps(payload)) if not hasattr(payload, "response") \
            else payload
        result = consumer(payload)
        if not expect(original, result):
            raise PropertyFailed(f"expect(payload, result) is false for result {result!r}"
                                 [:300])
        return result
    checked.__name__ = getattr(consumer, "__name__", "consumer")
    checked.__qualname__ = getattr(consumer, "__qualname__", checked.__name__)
    checked.__module__ = getattr(consumer, "__module__", "")
    return checked


def expect_expression(text: str) -> Expect:
    """`--expect EXPR`: a Python expression over `body` (the payload) and `result`."""
    try:
        code = compile(text, "--expect", "eval")
    except SyntaxError as exc:
        raise UsageError(f"--expect {text!r} is not a Python expression: {exc.msg}") from None

    def expect(body: Any, result: Any) -> Any:
        return eval(code, {"__builtins__": __builtins__}, {"body": body, "result": result})
    return expect


def resolve_allowed(allow: Iterable[Allowed], consumer: Any = None) -> list[Allowed]:
    """Exception classes for `--allow` names: a builtin, a name in the consumer's module, or
    module.Name; a name that resolves to no exception class is an error."""
    import builtins

    home = sys.modules.get(getattr(consumer, "__module__", "") or "")
    found: list[Allowed] = []
    for wanted in allow:
        if isinstance(wanted, type):
            found.append(wanted)
            continue
        module, _, name = wanted.rpartition(".")
        target: Any = None
        if not module:
            target = getattr(builtins, wanted, None) or getattr(home, wanted, None)
        if module:
            try:
                target = getattr(_import(module), name, None)
            except Exception:  # the named module may fail any way
                target = None
        if not (isinstance(target, type) and issubclass(target, BaseException)):
            raise UsageError(f"--allow {wanted!r} names no exception class (use a builtin "
                             "name such as ValueError, or module.ExceptionName)")
        found.append(target)
    return found


def _error_status(payload: Any) -> bool:
    response = payload.get("response") if isinstance(payload, dict) else None
    status = response.get("status") if isinstance(response, dict) else None
    return isinstance(status, int) and status >= 400


# ---------------------------------------------------------------- payloads


def payload_of(example: Any) -> Any:
    """What a consumer receives, as JSON: the body, or the exchange as an exchange file."""
    from validator.generate import Example, as_dict
    from validator.generate.repair import copy_json

    if isinstance(example, Example):
        return copy_json(example.body)
    return as_dict(example)


def _expected_of(example: Any) -> dict[str, str] | None:
    from validator.generate import expected_of

    expected = expected_of(example)
    return expected.to_dict() if expected is not None else None


def as_input(payload: Any, input: str) -> Any:
    """A fresh copy of the payload in the form the consumer asked for."""
    if input == "body":
        return json.loads(json.dumps(payload))
    exchange = exchange_from(payload)
    if input == "exchange":
        return exchange
    import httpx

    request = exchange.request
    assert request is not None
    return httpx.Response(exchange.response.status,
                          headers=list((exchange.response.headers or {}).items()),
                          content=exchange.response.body or b"",
                          request=httpx.Request(request.method, request.url,
                                                headers=request.headers or {}))


def exchange_from(document: dict[str, Any]) -> Exchange:
    """An exchange document (as sample and fuzz write them) as an Exchange with raw bytes."""
    from validator.formats import exchange_file

    try:
        return exchange_file.decode(document, "<fuzz>", raw_json=True)
    except exchange_file.ExchangeFileError as exc:
        raise UsageError(f"an exchange payload: {exc.message}") from None


# ---------------------------------------------------------------- reports and files


def short_traceback(error: BaseException) -> str:
    """The exception and the frames of the consumer's code (the harness is left out)."""
    every = list(traceback.extract_tb(error.__traceback__))
    here = os.path.abspath(__file__)
    inside = [i for i, f in enumerate(every) if os.path.abspath(f.filename) == here]
    frames = (every[inside[-1] + 1:] if inside else every)[-TRACEBACK_FRAMES:]
    for frame in frames:
        frame.filename = _shown_path(frame.filename)
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames)]
    lines += traceback.format_exception_only(type(error), error)
    notes_free = [line for line in lines if not line.startswith(("Explanation:", "    These"))]
    return "".join(notes_free)


def _shown_path(filename: str) -> str:
    try:
        relative = os.path.relpath(filename)
    except ValueError:
        return filename
    return filename if relative.startswith("..") else relative


def write_reproducer(failure: Failure, folder: Path, consumer: str, endpoint: str) -> Path:
    """Write the failing payload as JSON; an existing file is never overwritten."""
    text = json.dumps(failure.payload, indent=2, ensure_ascii=False) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    function = consumer.rpartition(":")[2] or consumer
    stem = f"{_slug(function)}-{_slug(endpoint.split(':')[-1])}-{failure.kind}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    names = (f"{stem}.json" if attempt == 1 else f"{stem}-{attempt}.json"
             for attempt in range(1, 1000))
    # the same payload from an earlier run is reused, not rewritten
    path = write_new(folder, names, text, reuse_same=True)
    if path is None:
        raise UsageError(f"{folder}: too many reproducers named {stem}*")
    return path


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:60] or "consumer"


def compact_json(value: Any, width: int = 88) -> str:
    """JSON with small containers kept on one line, so a shrunk payload stays short."""
    return "\n".join(_compact(value, 0, "", width))


def _compact(value: Any, indent: int, prefix: str, width: int) -> list[str]:
    pad = " " * indent
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, dict | list) or not value \
            or indent + len(prefix) + len(flat) <= width:
        return [pad + prefix + flat]
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    items = list(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
    lines = [pad + prefix + opening]
    for i, (key, item) in enumerate(items):
        label = f"{json.dumps(key, ensure_ascii=False)}: " if key is not None else ""
        inner = _compact(item, indent + 2, label, width)
        if i < len(items) - 1:
            inner[-1] += ","
        lines += inner
    lines.append(pad + closing)
    return lines


# ---------------------------------------------------------------- loading the consumer


def load_callable(target: str) -> Callable[[Any], Any]:
    """`package.module:function` or `path/to/file.py:function` (dots allowed in the name)."""
    module_part, sep, attribute = target.rpartition(":")
    if not sep or not module_part or not attribute:
        raise UsageError(f"expected MODULE:CALLABLE or FILE.py:CALLABLE, found {target!r}")
    try:
        module = _import(module_part)
    except UsageError:
        raise
    except Exception as exc:  # the user's module may fail any way
        raise UsageError(f"cannot import {module_part!r}: {type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
    found: Any = module
    for part in attribute.split("."):
        if not hasattr(found, part):
            raise UsageError(f"{module_part!r} has no attribute {attribute!r}")
        found = getattr(found, part)
    if not callable(found):
        raise UsageError(f"{target!r} is not callable")
    consumer: Callable[[Any], Any] = found
    return consumer


def _import(name: str) -> Any:
    if name.endswith(".py") or os.sep in name or "/" in name:
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"no such file: {name}")
        folder = str(path.resolve().parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise UsageError(f"cannot import {name}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        return module
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    return importlib.import_module(name)


def _name(consumer: Callable[[Any], Any]) -> str:
    module = getattr(consumer, "__module__", None) or ""
    name = getattr(consumer, "__qualname__", None) or type(consumer).__name__
    return f"{module}:{name}" if module else name


def keep_hypothesis_files_out_of_cwd() -> None:
    """Hypothesis keeps a cache (and by default its database) in ./.hypothesis. The command
    line runs without a database, and its cache goes to respcontract's cache folder, so a
    fuzz run leaves nothing behind but the reproducers it names. HYPOTHESIS_STORAGE_DIRECTORY
    still wins. (Library calls leave the user's hypothesis configuration alone.)"""
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return
    import tempfile

    from hypothesis.configuration import set_hypothesis_home_dir

    from validator.load.cache import _folder

    folder = _folder() or Path(tempfile.gettempdir()) / "respcontract"
    set_hypothesis_home_dir(folder / "hypothesis")


def replay(consumer: Callable[[Any], Any], path: Path, kind: str, allow: Sequence[Allowed],
           input: str) -> Failure | None:
    """Run the consumer once on a reproducer file; the failure if it still fails."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the reproducer: {exc}") from None
    error = call_consumer(consumer, payload, input, kind, resolve_allowed(allow, consumer))
    if error is None:
        return None
    expected = payload.get("expected") if isinstance(payload, dict) and input != "body" \
        else None
    return Failure(kind, payload, error, short_traceback(error), expected, path)
