"""The two sides of `respcontract diff`: a folder, a contract file, or `git:REV:PATH`.

A git side is read with `git ls-tree` and `git cat-file`, never by checking anything out:
the contract files under PATH, and the schema folder each of them uses, are written into
a temporary folder that lives only as long as the diff. The user's working tree, index
and HEAD are left exactly as they were.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from validator.errors import SourceError, UsageError
from validator.formats import yaml as yamltext
from validator.load.contracts import ContractSet, contract_files
from validator.model.contract import Contract

GIT_PREFIX = "git:"


@dataclass
class Side:
    """One version of a contract set, and how to name its files for the reader."""

    spec: str
    contracts: dict[str, Contract] = field(default_factory=dict)
    tree: Path | None = None  # temporary folder holding a git revision's files
    revision: str = ""

    @property
    def in_worktree(self) -> bool:
        return self.tree is None

    def show(self, path: Path | str) -> str:
        """A file of this side as the user knows it: `REV:path` for git, else a local path."""
        if self.tree is not None:
            for root in (self.tree, self.tree.resolve()):
                try:
                    inside = Path(path).relative_to(root).as_posix()
                except ValueError:
                    continue
                return f"{self.revision}:{inside}"
            return str(path)
        absolute = os.path.abspath(path)
        relative = os.path.relpath(absolute)
        return absolute if relative.startswith("..") else relative


@contextmanager
def open_side(spec: str) -> Iterator[Side]:
    """Load one side of a diff; a git side's temporary files go away on exit."""
    if not spec.startswith(GIT_PREFIX):
        path = Path(spec)
        if not path.exists():
            raise UsageError(f"{spec}: no such contract file or folder")
        yield Side(spec, _load(path))
        return
    revision, path_in_repo = _parse_git_spec(spec)
    with tempfile.TemporaryDirectory(prefix="respcontract-diff-") as tmp:
        tree = Path(tmp)
        side = Side(spec, tree=tree, revision=revision)
        target = GitTree(spec, revision).materialise(path_in_repo, tree)
        try:
            with _no_parse_cache():  # temporary files: caching them would only pile up
                side.contracts = _load(target)
        except UsageError as exc:
            message = str(exc)
            for root in (str(tree.resolve()), str(tree)):
                message = message.replace(root + os.sep, f"{revision}:")
            raise UsageError(f"{spec}: {message}") from None
        yield side


@contextmanager
def _no_parse_cache() -> Iterator[None]:
    previous = os.environ.get("RESPCONTRACT_NO_CACHE")
    os.environ["RESPCONTRACT_NO_CACHE"] = "1"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["RESPCONTRACT_NO_CACHE"]
        else:
            os.environ["RESPCONTRACT_NO_CACHE"] = previous


def _load(path: Path) -> dict[str, Contract]:
    contracts = ContractSet.load([path], bundled=False).contracts
    return {contract.name: contract for contract in contracts}


def _parse_git_spec(spec: str) -> tuple[str, str]:
    revision, colon, path = spec[len(GIT_PREFIX):].partition(":")
    if not colon or not revision:
        raise UsageError(f"{spec}: expected git:REVISION:PATH, for example "
                         "git:origin/main:contracts/")
    return revision, path


class GitTree:
    """Files of one revision of the git repository around the current folder."""

    def __init__(self, spec: str, revision: str) -> None:
        self.spec = spec
        self.revision = revision
        try:
            self.prefix = self._git("rev-parse", "--show-prefix").decode().strip()
        except UsageError:
            raise UsageError(f"{spec}: the current folder is not inside a git "
                             "repository") from None
        try:
            self._git("rev-parse", "--verify", "--quiet", f"{revision}^{{tree}}")
        except UsageError:
            raise UsageError(f"{spec}: unknown git revision {revision!r}") from None
        self.blobs = self._list_blobs()

    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(["git", *args], capture_output=True, input=stdin,
                                  check=False)
        except FileNotFoundError:
            raise UsageError(f"{self.spec}: git is not installed") from None
        if done.returncode != 0:
            lines = done.stderr.decode(errors="replace").strip().splitlines()
            reason = lines[0] if lines else f"git {args[0]} failed"
            raise UsageError(f"{self.spec}: {reason}")
        return done.stdout

    def _list_blobs(self) -> dict[str, str]:
        """Path (from the repository root) -> blob id, for every regular file."""
        listing = self._git("ls-tree", "-r", "-z", "--full-tree", self.revision)
        blobs = {}
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, blob = meta.decode().split()
            if kind == "blob" and mode in ("100644", "100755"):
                blobs[name.decode("utf-8", errors="surrogateescape")] = blob
        return blobs

    def repo_path(self, path: str) -> str:
        """PATH as git reads `REV:PATH`: from the repository root, or from here if ./ or ../"""
        if path in (".", "..") or path.startswith(("./", "../")):
            path = posixpath.join(self.prefix, path)
        normal = posixpath.normpath(path.strip("/")) if path.strip("/") else ""
        if normal == ".":
            normal = ""
        if normal.startswith(".."):
            raise UsageError(f"{self.spec}: the path leaves the repository")
        return normal

    def under(self, folder: str) -> list[str]:
        if not folder:
            return list(self.blobs)
        return [p for p in self.blobs if p == folder or p.startswith(folder + "/")]

    def materialise(self, path: str, tree: Path) -> Path:
        """Write PATH's files, and the schema folders its contracts use, under `tree`."""
        wanted = self.repo_path(path)
        files = self.under(wanted)
        if not files:
            raise UsageError(f"{self.spec}: no file or folder {wanted or '.'!r} in "
                             f"{self.revision}")
        self._write(files, tree)
        target = tree / wanted if wanted else tree
        try:
            contracts = list(contract_files([target]))
        except UsageError:
            contracts = []
        schema_files: set[str] = set()
        for contract in contracts:
            folder = self._schema_folder(contract.relative_to(tree).as_posix(), contract)
            if folder is not None:
                schema_files.update(self.under(folder))
        self._write(sorted(schema_files - set(files)), tree)
        return target

    def _schema_folder(self, contract: str, local: Path) -> str | None:
        """The repository folder a contract resolves its schemas in (as schema_root_for)."""
        try:
            raw, _ = yamltext.load(local.read_bytes())
        except (OSError, SourceError):
            return None  # the loader reports the broken file itself
        declared = raw.get("schemas") if isinstance(raw, dict) else None
        folder = posixpath.dirname(contract)
        if isinstance(declared, str) and declared:
            joined = posixpath.normpath(posixpath.join(folder, declared))
            return None if joined.startswith("..") else ("" if joined == "." else joined)
        while True:
            candidate = posixpath.join(folder, "schemas") if folder else "schemas"
            if any(p.startswith(candidate + "/") for p in self.blobs):
                return candidate
            if not folder:
                return None
            folder = posixpath.dirname(folder)

    def _write(self, paths: list[str], tree: Path) -> None:
        if not paths:
            return
        request = "".join(f"{self.blobs[p]}\n" for p in paths).encode()
        output = self._git("cat-file", "--batch", stdin=request)
        position = 0
        for path in paths:
            header_end = output.index(b"\n", position)
            size = int(output[position:header_end].split()[2])
            start = header_end + 1
            destination = tree / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(output[start:start + size])
            position = start + size + 1
