"""mkdocs hook: the reference pages that are generated from the code at build time.

A page asks for a generated part with a marker line, which this hook replaces:

- `<!-- generated: commands -->`: every subcommand and option, from the real argparse parser
  (`validator.cli.main.build_parser`), so a command added to its COMMANDS table appears;
- `<!-- generated: api -->`: every name in `validator.__all__`, with signature and docstring;
- `<!-- generated: contract-keys -->`: the keys of contract files, from the meta-schema
  `validator/load/contract.schema.json`, with the meanings below for keys whose schema has no
  `description`; a key with neither is a build warning (so `mkdocs build --strict` fails);
- `<!-- generated: contract-schema -->`: the meta-schema itself;
- `<!-- generated: changelog -->`: CHANGELOG.md from the repository root.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.reference")
ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^<!-- generated: ([a-z-]+) -->$", re.M)
HELP_WIDTH = "100"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Replace every marker of the page with its generated Markdown."""
    def generate(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in GENERATORS:
            log.warning("%s: unknown generated part %r", page.file.src_uri, name)
            return match.group(0)
        return GENERATORS[name]()
    return MARKER.sub(generate, markdown)


# ---------------------------------------------------------------- commands

def commands_markdown() -> str:
    """Every subcommand: description, usage, options by group, examples."""
    from validator.cli.main import build_parser

    os.environ["COLUMNS"] = HELP_WIDTH  # argparse wraps usage and epilogs to this width
    parser = build_parser()
    out = ["## respcontract", "", _usage(parser), "", *_groups(parser)]
    for name, sub in _subcommands(parser):
        out += _command_section("##", name, sub)
    return "\n".join(out)


def _command_section(level: str, title: str, parser: argparse.ArgumentParser) -> list[str]:
    """One command's section; a command with kinds (`import openapi`) nests one per kind."""
    out = [f"{level} {title}", "", _text(parser.description), "", _usage(parser), "",
           *_groups(parser)]
    if parser.epilog:  # as --help prints it: wrapped, unless the parser keeps it raw
        epilog = parser._get_formatter()._format_text(parser.epilog).strip("\n")
        out += ["Examples and notes (the end of `--help`):", "", "```text", epilog, "```", ""]
    for name, sub in _subcommands(parser):
        out += _command_section(level + "#", f"{title} {name}", sub)
    return out


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, Any]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def _usage(parser: argparse.ArgumentParser) -> str:
    usage = parser.format_usage().strip().removeprefix("usage: ")
    return f"```text\n{usage}\n```"


def _groups(parser: argparse.ArgumentParser) -> list[str]:
    formatter = parser._get_formatter()
    out: list[str] = []
    for group in parser._action_groups:
        rows = [_row(formatter, a) for a in group._group_actions
                if a.help is not argparse.SUPPRESS
                and not isinstance(a, argparse._SubParsersAction)]
        if not rows:
            continue
        out += [f"**{group.title}**", "", "| argument | meaning |", "|---|---|", *rows, ""]
    return out


def _row(formatter: argparse.HelpFormatter, action: argparse.Action) -> str:
    if action.option_strings:
        value = formatter._format_args(action, action.dest.upper()) if action.nargs != 0 else ""
        name = ", ".join(f"`{o}{' ' + value if value else ''}`" for o in action.option_strings)
    else:
        name = f"`{formatter._metavar_formatter(action, action.dest)(1)[0]}`"
    meaning = formatter._expand_help(action) if action.help else ""
    if action.choices and not isinstance(action, argparse._SubParsersAction):
        choices = ", ".join(f"`{c}`" for c in action.choices)
        meaning = f"{meaning} (one of {choices})" if meaning else f"one of {choices}"
    return f"| {name} | {_cell(meaning) or '&nbsp;'} |"


def _text(text: str | None) -> str:
    return inspect.cleandoc(text or "")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


# ---------------------------------------------------------------- Python API

def api_markdown() -> str:
    """Every public name of `validator`, in `__all__` order."""
    import validator

    out: list[str] = []
    for name in validator.__all__:
        obj = getattr(validator, name)
        kind = "exception" if _is_exception(obj) else "class" if inspect.isclass(obj) \
            else "function"
        out += [f"### `{name}`", "", f"*{kind}*, from `{obj.__module__}`", "",
                f"```python\n{_signature(name, obj)}\n```", "", _doc(obj, name), ""]
        if inspect.isclass(obj) and not _is_exception(obj):
            out += list(_members(obj, name))
    return "\n".join(out)


def _is_exception(obj: Any) -> bool:
    return inspect.isclass(obj) and issubclass(obj, BaseException)


def _signature(name: str, obj: Any) -> str:
    try:
        signature = str(inspect.signature(obj)).replace("'", "")
    except (TypeError, ValueError):
        signature = ""
    if inspect.isclass(obj):
        bases = ", ".join(b.__name__ for b in obj.__bases__ if b is not object)
        return f"class {name}({bases})" if bases else f"class {name}{signature}"
    return f"def {name}{signature}"


def _doc(obj: Any, where: str) -> str:
    doc = inspect.getdoc(obj) or ""
    if not doc or doc.startswith(f"{where}("):  # none, or the one dataclasses make up
        log.info("Python API: %s has no docstring of its own", where)
        return ""
    return doc


def _members(cls: type, name: str) -> Iterator[str]:
    rows = []
    for member, value in vars(cls).items():
        if member.startswith("_"):
            continue
        function = value.fget if isinstance(value, property) else value
        if not callable(function) and not isinstance(value, property):
            continue
        doc = (inspect.getdoc(function) or "").split("\n\n")[0]
        label = f"`{member}`" if isinstance(value, property) else f"`{member}()`"
        rows.append(f"| {label} | {_cell(doc) or '&nbsp;'} |")
    if rows:
        yield from ["| member | |", "|---|---|", *rows, ""]


# ---------------------------------------------------------------- contract syntax

MEANINGS: dict[str, str] = {
    "contract": "The contract's name: the `CONTRACT` part of `CONTRACT:ENDPOINT`. A contract of "
                "the same name in `--contracts` replaces a bundled one.",
    "title": "A human title.",
    "description": "Free text.",
    "docs": "The vendor page this part comes from; findings link the nearest one.",
    "schemas": "The folder `schema:` paths resolve in, relative to the contract file "
               "(default: the nearest `schemas/` folder above it).",
    "auth": "How live mode sends the token: `header`, `scheme` (the word before the token) "
            "and `token_env` (the environment variable that holds it).",
    "endpoints": "The endpoints, by name (the `ENDPOINT` part of `CONTRACT:ENDPOINT`).",
    "endpoint.summary": "One line on what the endpoint does.",
    "endpoint.method": "The HTTP method.",
    "endpoint.path": "The path template; `{name}` is a path parameter. A literal segment "
                     "beats a parameter when two templates match.",
    "endpoint.writes": "`true` for endpoints that change the vendor's data: live mode refuses "
                       "them without `--allow-writes`.",
    "endpoint.params": "Path parameters, by name.",
    "endpoint.query": "Query parameters, by name; a 2XX answer to a request that breaks them "
                      "gives a `request` warning.",
    "endpoint.responses": "Documented responses by status: an exact code, a range "
                          "(`1XX`..`5XX`) or `default`, tried in that order.",
    "endpoint.rules": "Rules: what a schema cannot say (see Contracts and drift).",
    "endpoint.examples": "Documented sample exchanges, relative to the contract file; "
                         "`lint` checks each against the endpoint.",
    "parameter.required": "Whether the parameter must be sent (query: default false).",
    "parameter.pattern": "A regular expression the value must match.",
    "parameter.enum": "The allowed values.",
    "parameter.example": "A sample value, used by generated requests.",
    "response.content_type": "The documented media type (default `application/json`; "
                             "parameters such as `charset` are ignored).",
    "response.schema": "The JSON Schema file of the body, relative to the schemas folder, "
                       "optionally with a `#/pointer`.",
    "response.body": "`empty`: no body is documented (a 204, say); any body is an error.",
    "rule.id": "A stable name, used as the finding's `rule`.",
    "rule.severity": "`error` (default) or `warning`.",
    "rule.status": "Apply only to these response statuses (default: all).",
    "rule.when": "Apply only when the request had (`present`) or lacked (`absent`) a value.",
    "rule.at": "Selector: a JSON pointer where `*` stands for every array item or member.",
    "rule.if": "A schema: at each selected node that matches it, `then` must hold.",
    "rule.then": "The schema that must hold where `if` matched.",
    "rule.assert": "A schema every selected node must match.",
    "rule.equals": "`request.query.NAME`, `request.params.NAME` or `request.headers.NAME`: "
                   "every selected node equals that request value.",
    "rule.unique": "`true`: the selected values are all different.",
    "rule.state": "A rule across successive responses while live mode polls.",
    "rule.message": "The text of the finding, instead of the description.",
    "when.request": "`{query|params|headers: {NAME: present | absent}}`.",
    "state.key": "The member that identifies a node across responses (e.g. `job_id`).",
    "state.field": "With `final`: the member whose final values must not change.",
    "state.final": "The final values of `field`: once reached, it keeps them.",
    "state.frozen": "`true`: once final, nothing in the node changes.",
    "state.persist": "`true`: a key seen once is in every later response.",
}
OBJECTS = [("contract", "A contract file", None), ("endpoint", "An endpoint", "endpoint"),
           ("parameter", "A path or query parameter", "parameter"),
           ("response", "A response", "response"), ("rule", "A rule", "rule"),
           ("when", "A rule's `when`", "when"), ("state", "A state rule's `state`", "state"),
           ("header", "A response header", "header"), ("link", "A link", "link"),
           ("lifecycle", "A lifecycle", "lifecycle")]


def contract_keys_markdown() -> str:
    """One table of keys per kind of object in a contract file."""
    schema = _meta_schema()
    out: list[str] = []
    for prefix, title, definition in OBJECTS:
        node = schema if definition is None else schema["$defs"][definition]
        required = set(node.get("required", []))
        out += [f"### {title}", "", "| key | type | meaning |", "|---|---|---|"]
        for key, spec in node.get("properties", {}).items():
            full = key if definition is None else f"{prefix}.{key}"
            meaning = spec.get("description") or _referenced(spec, schema).get("description") \
                or MEANINGS.get(full) or MEANINGS.get(key)
            if not meaning:
                log.warning("contract syntax: %s has no description in contract.schema.json "
                            "and no meaning in docs/hooks/reference.py", full)
                meaning = ""
            star = " (required)" if key in required else ""
            out.append(f"| `{key}`{star} | {_type(spec, schema)} | {_cell(meaning)} |")
        if node.get("patternProperties"):
            names = ", ".join(f"`{p}`" for p in node["patternProperties"])
            out.append(f"| {_cell(names)} | any | free: extension keys |")
        out.append("")
    return "\n".join(out)


def contract_schema_markdown() -> str:
    """The meta-schema, as shipped."""
    text = (ROOT / "validator" / "load" / "contract.schema.json").read_text(encoding="utf-8")
    return f"```json\n{text.rstrip()}\n```"


def _meta_schema() -> dict[str, Any]:
    path = ROOT / "validator" / "load" / "contract.schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _referenced(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The `$defs` entry a `$ref` of the meta-schema names ({} for none)."""
    ref = spec.get("$ref", "")
    found = schema["$defs"].get(ref.rsplit("/", 1)[-1], {}) if ref.startswith("#/$defs/") else {}
    return found if isinstance(found, dict) else {}


def _type(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    if "$ref" in spec:
        target = spec["$ref"].rsplit("/", 1)[-1]
        return {"schema": "schema", "url": "URL", "selector": "selector"}.get(target, target)
    if "type" in spec:
        kinds = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        return " or ".join(kinds)
    for keyword in ("oneOf", "anyOf"):
        if keyword in spec:
            return " or ".join(_type(s, schema) for s in spec[keyword])
    if "enum" in spec:
        return " or ".join(f"`{v}`" for v in spec["enum"])
    if "const" in spec:
        return f"`{spec['const']}`"
    return "any"


# ---------------------------------------------------------------- changelog

def changelog_markdown() -> str:
    """CHANGELOG.md of the repository root, without its title (the page has one), its links
    into docs/ made relative to the site."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    text = re.sub(r"\A# [^\n]*\n", "", text).replace("](docs/", "](")
    return text.strip()


GENERATORS: dict[str, Callable[[], str]] = {
    "changelog": changelog_markdown,
    "commands": commands_markdown,
    "api": api_markdown,
    "contract-keys": contract_keys_markdown,
    "contract-schema": contract_schema_markdown,
}
