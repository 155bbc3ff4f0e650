"""Record classes for what `check` imports at start-up: what @dataclass gives (an
`__init__`, a repr, equality, hashing and assignment errors for frozen records, `field`
and `replace`) without its start-up cost.

@dataclass compiles five or six methods for each class it decorates, about 0.5 ms a
class here; a check run loads 33 model classes, and this cut its start-up by 12-17 ms
(benchmarks/results/check.md). Here only `__init__` is compiled (it runs for every
instance, so it has to be fast); repr, equality and hashing are shared functions.
`dataclass_transform` tells type checkers to read these classes as dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

from validator.errors import RespcontractError

T = TypeVar("T")
_MISSING: Any = object()
_FIELDS = "__record_fields__"


class FrozenInstanceError(RespcontractError, AttributeError):
    """Assignment to a field of a frozen record."""


class Field:
    """How one field is initialised, shown and compared (see `field`)."""

    __slots__ = ("compare", "default", "default_factory", "hash", "init", "name", "repr")

    def __init__(self, default: Any, default_factory: Any, init: bool, repr: bool,
                 compare: bool, hash: bool | None) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.hash = compare if hash is None else hash


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] = _MISSING,
          init: bool = True, repr: bool = True, compare: bool = True,
          hash: bool | None = None) -> Any:
    """A field with a default, a default factory, or left out of init, repr or equality."""
    return Field(default, default_factory, init, repr, compare, hash)


@overload
def record(cls: type[T], /) -> type[T]:
    """`@record`: `cls` made a record."""


@overload
def record(*, frozen: bool = False) -> Callable[[type[T]], type[T]]:
    """`@record(frozen=True)`: a decorator that makes its class a record."""


@dataclass_transform(field_specifiers=(field, Field))
def record(cls: Any = None, /, *, frozen: bool = False) -> Any:
    """Make `cls` a record of its annotated fields, as `@dataclass(frozen=...)` would."""
    def build(cls: type[T]) -> type[T]:
        return _build(cls, frozen)

    return build if cls is None else build(cls)


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of a record with some fields changed."""
    fields: dict[str, Field] = getattr(obj, _FIELDS)
    for name, spec in fields.items():
        if spec.init and name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)


def _build(cls: type[T], frozen: bool) -> type[T]:
    fields = _collect(cls)
    setattr(cls, _FIELDS, fields)
    own = cls.__dict__
    methods: dict[str, Any] = {"__init__": _init(cls, fields, frozen), "__repr__": _repr,
                               "__eq__": _eq}
    if "__eq__" not in own:
        methods["__hash__"] = _hash if frozen else None
    if frozen:
        methods.update(__setattr__=_refuse_setattr, __delattr__=_refuse_delattr)
    for name, method in methods.items():
        if name not in own:
            setattr(cls, name, method)
    return cls


def _collect(cls: type) -> dict[str, Field]:
    """The fields of `cls` and its record bases, in definition order."""
    fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(getattr(base, _FIELDS, {}))
    own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 - inspect costs start-up
    for name, annotation in own.items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        written = cls.__dict__.get(name, _MISSING)
        spec = written if isinstance(written, Field) else field(default=written)
        spec.name = name
        fields[name] = spec
        if spec.default is _MISSING:
            if name in cls.__dict__:
                delattr(cls, name)
        else:
            setattr(cls, name, spec.default)
    return fields


def _init(cls: type, fields: dict[str, Field], frozen: bool) -> Callable[..., None]:
    """Compile `__init__`, as @dataclass does, so that making an instance stays cheap."""
    names: dict[str, Any] = {"_MISSING": _MISSING, "_setattr": object.__setattr__}
    params, lines = ["self"], []
    for name, spec in fields.items():
        value = name
        if spec.init:
            if spec.default is not _MISSING:
                names[f"_default_{name}"] = spec.default
                params.append(f"{name}=_default_{name}")
            elif spec.default_factory is not _MISSING:
                params.append(f"{name}=_MISSING")
                names[f"_factory_{name}"] = spec.default_factory
                value = f"_factory_{name}() if {name} is _MISSING else {name}"
            else:
                params.append(name)
        elif spec.default_factory is not _MISSING:
            names[f"_factory_{name}"] = spec.default_factory
            value = f"_factory_{name}()"
        elif spec.default is not _MISSING:
            value = f"self.__class__.{name}"
        else:
            continue  # set by __post_init__
        lines.append(f"_setattr(self, {name!r}, {value})" if frozen
                     else f"self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n " + "\n ".join(lines or ["pass"])
    exec(source, names)
    init: Callable[..., None] = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


_shown: set[int] = set()  # records whose repr is being made (a cycle shows as ...)


def _repr(self: Any) -> str:
    if id(self) in _shown:
        return "..."
    _shown.add(id(self))
    try:
        shown = ", ".join(f"{name}={getattr(self, name)!r}"
                          for name, spec in getattr(self, _FIELDS).items() if spec.repr)
    finally:
        _shown.discard(id(self))
    return f"{self.__class__.__qualname__}({shown})"


def _compared(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name, spec in getattr(self, _FIELDS).items()
                 if spec.compare)


def _eq(self: Any, other: object) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _compared(self) == _compared(other)


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, name) for name, spec in getattr(self, _FIELDS).items()
                      if spec.hash))


def _refuse_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
