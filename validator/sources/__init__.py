"""Readers that turn recordings into exchanges: exchange files, HAR, cassettes, bare bodies.

`read(path)` never raises for a bad file: what cannot be read becomes a finding for that
file (or for that entry), and the run goes on with everything else.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

from validator.errors import SourceError
from validator.formats import json as jsontext
from validator.model.findings import Finding, Severity
from validator.sources.document import Document, Loaded
from validator.sources.files import DEFAULT_MAX_BYTES

RECORDING_SUFFIXES = (".json", ".yaml", ".yml", ".har", ".json.gz", ".yaml.gz", ".yml.gz",
                      ".har.gz", ".har.zip", ".zz")


def iter_files(paths: Iterable[Path]) -> Iterator[Path | Finding]:
    """Recording files under the given paths, in a stable order, never following dir links."""
    for path in paths:
        if path.is_dir():
            unreadable: list[OSError] = []  # os.walk skips folders it cannot list; say so
            for folder, dirs, files in os.walk(path, onerror=unreadable.append,
                                               followlinks=False):
                yield from _unreadable_folders(unreadable)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                beside_har = any(name.endswith(".har") for name in files)
                for name in sorted(files):
                    if is_recording_name(name) \
                            and not (beside_har and _ATTACHED_BODY.fullmatch(name)):
                        yield Path(folder) / name
            yield from _unreadable_folders(unreadable)
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield Finding(Severity.ERROR, "source", "no such file or folder", display(path))


# Playwright names a body it stores beside a HAR (`content._file`) by the body's SHA-1 and
# an extension from its media type: a body, not a recording, so a folder walk skips it.
_ATTACHED_BODY = re.compile(r"[0-9a-f]{40}\.[A-Za-z0-9]+")


def is_recording_name(name: str) -> bool:
    """Whether a file name is one a folder walk reads: a recording's suffix, not hidden."""
    return name.endswith(RECORDING_SUFFIXES) and not name.startswith(".")


def is_attached_body(path: Path) -> bool:
    """Whether a file is a body Playwright stored beside a HAR (`content._file`)."""
    if not _ATTACHED_BODY.fullmatch(path.name):
        return False
    try:
        return any(sibling.suffix == ".har" for sibling in path.parent.iterdir())
    except OSError:  # a folder that cannot be listed: the file is read, and says so
        return False


def display(path: Path) -> str:
    """A file name safe to print on one line: undecodable bytes and control characters
    escaped (b"bad\\xff.json" -> "bad\\xff.json", a newline -> "\\n")."""
    name = os.fsencode(path).decode("utf-8", "backslashreplace")
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def _unreadable_folders(errors: list[OSError]) -> Iterator[Finding]:
    while errors:
        error = errors.pop(0)
        where = display(Path(error.filename)) if error.filename else "?"
        yield Finding(Severity.ERROR, "source", f"cannot read folder: "
                      f"{error.strerror or error}", where)


def read(path: Path, endpoint: str | None = None, status: int = 200,
         max_bytes: int | None = DEFAULT_MAX_BYTES) -> Loaded:
    """Read any supported recording format; bad input becomes findings, never exceptions.

    `max_bytes` bounds the file size (None or 0: no limit); YAML gets 1/8 of it.
    """
    loaded = Loaded(display(path))
    try:
        _read_into(loaded, path, endpoint, status, max_bytes)
    except Exception as exc:  # a reader bug must cost this file only, never the whole run
        loaded.problem(internal_error(exc, "reading this file"), rule="internal-error")
    return loaded


def internal_error(exc: BaseException, doing: str) -> str:
    """One line for an unexpected exception, with where it came from for a bug report."""
    if isinstance(exc, MemoryError):
        return f"ran out of memory {doing}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    detail = " ".join(str(exc).split())[:200]
    return (f"internal error {doing}: {type(exc).__name__}{where}: {detail} "
            "(a respcontract bug: please report it)")


def _read_into(loaded: Loaded, path: Path, endpoint: str | None, status: int,
               max_bytes: int | None) -> None:
    from validator.sources import body, cassette, exchange_file, har, har_zip

    raw = _raw_bytes(loaded, path, max_bytes)
    if raw is None:
        return
    coding = _file_coding(loaded.source, raw)
    if coding:
        raw = _inflate(loaded, raw, coding)
        if raw is None:
            return
    name, members = loaded.source, None  # name: what the format is told by
    if har_zip.is_zip(loaded.source, raw):
        try:
            name, raw, members = har_zip.unpack(raw, max_bytes)
        except SourceError as exc:
            loaded.problem(exc.message, rule=exc.rule)
            return
    # a packed file's text could only be had by unpacking it again: it is never released
    packed = coding is not None or members is not None
    had_bom = raw.startswith(jsontext.BOM)
    if is_empty_cassette(name, raw):
        loaded.kind = "cassette"
        loaded.warn("the file is empty: a cassette with no interactions (Ruby VCR reads an "
                    "empty cassette so); nothing to check", line=1, rule="source-empty")
        return
    try:
        text = recording_text(name, raw)
    except SourceError as exc:
        _unparsed(loaded, raw, path, endpoint, status, exc)
        return
    del raw  # freed before parsing: the text is all that is needed from here on
    try:
        document = parse_text(loaded.source, text, path)
    except SourceError as exc:
        # a bare body is checked as its exact bytes: the text decoded from UTF-8 gives them
        # back (with the byte order mark that recording_text skipped, if any)
        data = (jsontext.BOM if had_bom else b"") + text.encode("utf-8")
        del text
        _unparsed(loaded, data, path, endpoint, status, exc)
        return
    del text  # the document holds it
    document.attachments = members
    value = document.value
    try:
        if har.recognise(value):
            loaded.kind = "har"
            if not packed:
                document.release_text()  # before its thousands of exchanges are made
            har.read(document, loaded, endpoint)
        elif cassette.recognise(value):
            loaded.kind = "cassette"
            cassette.read(document, loaded, endpoint)
        elif exchange_file.recognise(value):
            loaded.kind = "exchange"
            exchange_file.read(document, loaded, endpoint)
        elif endpoint:
            if document.is_yaml:
                loaded.problem("a bare body must be JSON, not YAML")
            elif had_bom:  # the body's own byte order mark is a finding
                loaded.kind = "body"
                data = jsontext.BOM + (document.full_text() or "").encode("utf-8")
                loaded.exchanges.append(body.bare(loaded.source, data, endpoint, status))
            else:
                loaded.kind = "body"
                loaded.exchanges.append(body.parsed(document, endpoint, status))
        elif cassette.is_old_vcrpy(value):
            loaded.problem(f"cannot read file: {cassette.OLD_VCRPY_HINT}")
        else:
            loaded.problem("not an exchange file, HAR or cassette (to check a bare JSON "
                           "body, give --endpoint CONTRACT:ENDPOINT)")
    except SourceError as exc:
        loaded.problem(exc.message, line=exc.line, column=exc.column, rule=exc.rule)
    if not packed:
        document.release_text()
    document.value = None  # the exchanges hold what checking needs


GZIP_MAGIC = b"\x1f\x8b"


def _file_coding(name: str, raw: bytes) -> str | None:
    """How a recording file is compressed: "gzip" (`cassette.yaml.gz`), "deflate" (Ruby
    VCR's compressed serializer: zlib-deflated YAML, `cassette.zz`), or None."""
    lowered = name.lower()
    if lowered.endswith(".gz") and raw.startswith(GZIP_MAGIC):
        return "gzip"
    if lowered.endswith(".zz"):
        return "deflate"
    return None


def _inflate(loaded: Loaded, raw: bytes, coding: str) -> bytes | None:
    """A compressed recording, inflated within the size limit."""
    from validator.sources import codings

    try:
        return codings.decode(raw, coding)
    except (codings.CodingError, codings.AlreadyDecoded) as exc:
        loaded.problem(f"cannot read file: {exc.args[0]}" if exc.args[1:] else
                       f"cannot read file: not valid {coding} data", rule="source")
    return None


def _raw_bytes(loaded: Loaded, path: Path, max_bytes: int | None) -> bytes | None:
    from validator.sources.files import (
        YAML_SHARE,
        NotAFile,
        TooLarge,
        read_limited,
        too_large_message,
    )

    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    limit = max_bytes // YAML_SHARE if max_bytes and is_yaml else max_bytes
    try:
        return read_limited(path, limit)
    except TooLarge as exc:
        loaded.problem(too_large_message(exc, is_yaml), rule="source-too-large")
    except NotAFile as exc:
        loaded.problem(f"cannot read file: it is {exc}, not a regular file")
    except OSError as exc:
        loaded.problem(f"cannot read file: {exc.strerror or exc}")
    return None


def _unparsed(loaded: Loaded, raw: bytes, path: Path, endpoint: str | None, status: int,
              exc: SourceError) -> None:
    """A file that is no recording: with --endpoint a bare body (its own findings say what
    is wrong with it), else one finding for the file."""
    from validator.sources import body

    if endpoint and path.suffix.lower() not in (".yaml", ".yml"):
        loaded.kind = "body"
        loaded.exchanges.append(body.bare(loaded.source, raw, endpoint, status))
    else:
        loaded.problem(exc.message, line=exc.line, column=exc.column, rule=exc.rule)


def format_name(name: str) -> str:
    """The file name a recording's format is told by: lower case, without `.gz`; Ruby
    VCR's compressed cassettes (`.zz`) are YAML."""
    lowered = name.lower().removesuffix(".gz")
    return lowered.removesuffix(".zz") + ".yml" if lowered.endswith(".zz") else lowered


def is_empty_cassette(name: str, raw: bytes) -> bool:
    """Whether a file is an empty YAML cassette: no bytes but blanks, in a `.yml`/`.yaml`
    file not named as an exchange file (`*.exchange.yaml` must hold an exchange).

    YAML's empty stream is a document (null), and Ruby VCR reads an empty cassette file as
    one with no interactions; an empty JSON file is no document, and stays an error.
    """
    lowered = format_name(name)
    return lowered.endswith((".yaml", ".yml")) and not raw.strip() \
        and not lowered.removesuffix(".yaml").removesuffix(".yml").endswith(".exchange")


def parse(name: str, raw: bytes, location: Path | None = None) -> Document:
    """Parse a recording as strict JSON (by content) or safe YAML (by suffix or content)."""
    return parse_text(name, recording_text(name, raw), location)


def recording_text(name: str, raw: bytes) -> str:
    """A recording file's text: UTF-8, not empty.

    A UTF-8 byte order mark before a HAR or a YAML file is skipped, as their own readers
    skip it (Fiddler writes HAR with one; mitmproxy's HAR import and PyYAML ignore it); a
    JSON exchange file or body with one is refused, as Python's `json` refuses it.
    """
    lowered = format_name(name)
    is_yaml = lowered.endswith((".yaml", ".yml"))
    if raw.startswith(jsontext.BOM) and (is_yaml or lowered.endswith(".har")):
        raw = raw[len(jsontext.BOM):]
    text, problem = jsontext.decode_text(raw)
    if text is None:
        assert problem is not None
        raise SourceError(f"cannot read file: {problem.message}", rule=problem.rule)
    if not text.strip():
        raise SourceError("the file is empty", 1, 1, "source")
    return text


def parse_text(name: str, text: str, location: Path | None = None) -> Document:
    """Parse a recording's text as strict JSON (by content) or safe YAML (by suffix)."""
    is_yaml = format_name(name).endswith((".yaml", ".yml"))
    if not is_yaml and text.lstrip()[:1] in ("{", "["):
        value, problem = jsontext.loads_strict(text)
        if problem is not None:
            line, column = (jsontext.line_column(text, problem.pos)
                            if problem.pos is not None else (None, None))
            raise SourceError(f"invalid JSON: {problem.message}", line, column, problem.rule)
        return Document(name, text, value, location=location)
    if not is_yaml:
        raise SourceError("invalid JSON: expected an object or array", 1, 1, "body-json")
    from validator.formats import yaml as yamltext
    from validator.sources.yaml_tags import plain

    value, root = yamltext.load_node(plain(yamltext.compose(text)))
    return Document(name, text, value, root, location=location)
