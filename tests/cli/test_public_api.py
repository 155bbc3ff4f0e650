"""The public API of `validator`: `__all__`, the lazy exports and the exception tree."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import validator
from validator.errors import RespcontractError

PACKAGE = Path(validator.__file__).parent
# Exception classes that never leave the module that raises them (a pruned generation branch).
INTERNAL = {"Unsatisfiable", "ExchangeFileError", "RefError", "UnresolvableRef", "CodingError",
            "AlreadyDecoded", "FrozenInstanceError"}


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages([str(PACKAGE)], "validator.")
                  if m.name != "validator.__main__")  # importing it runs the command


def _exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (inspect.isclass(value) and issubclass(value, BaseException)
                    and value.__module__.startswith("validator")):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def _defined_exception_names() -> set[str]:
    """Names of the exception classes written in validator/, read from the source itself."""
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(base, ast.Name) and base.id.endswith(("Error", "Exception",
                                                                      "Failure", "Warning"))
                    for base in node.bases):
                names.add(node.name)
    return names


def test_every_name_in_all_resolves_to_the_object_its_module_defines() -> None:
    assert len(validator.__all__) == len(set(validator.__all__))
    for name in validator.__all__:
        value = getattr(validator, name)
        assert getattr(value, "__name__", name) == name


def test_dir_lists_the_public_names_before_any_is_loaded() -> None:
    code = "import validator; print(','.join(dir(validator)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert set(done.stdout.strip().split(",")) >= {"RespcontractError", "Checker",
                                                  "check_paths", "FuzzFailed"}


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        validator.no_such_name  # noqa: B018


def test_every_exception_class_derives_from_the_root_and_public_ones_are_exported() -> None:
    classes = _exception_classes()
    written = _defined_exception_names()
    seen = {cls.__name__ for cls in classes.values()}
    assert written - {"RespcontractWarning"} <= seen  # the walk found every class in the source
    for qualified, cls in classes.items():
        if issubclass(cls, Warning):
            continue  # warnings are not raised
        assert issubclass(cls, RespcontractError), qualified
        if not cls.__name__.startswith("_") and cls.__name__ not in INTERNAL:
            assert cls.__name__ in validator.__all__, qualified
            assert getattr(validator, cls.__name__) is cls, qualified


def test_test_failures_are_assertion_errors_for_pytest_and_hypothesis() -> None:
    for name in ("ContractViolation", "FuzzFailed", "ConsumerReturnedFalse"):
        assert issubclass(getattr(validator, name), AssertionError), name
    for name in ("UsageError", "ContractError", "SourceError", "NetworkError", "LeakError"):
        assert not issubclass(getattr(validator, name), AssertionError), name


def test_the_module_docstring_draws_every_exported_exception() -> None:
    tree = validator.errors.__doc__ or ""  # type: ignore[attr-defined]
    for name in validator.__all__:
        value = getattr(validator, name)
        if inspect.isclass(value) and issubclass(value, BaseException):
            assert f" {name} " in tree, name


def test_importing_validator_loads_no_heavy_dependency() -> None:
    code = ("import sys, validator; validator.RespcontractError; validator.ContractError; "
            "validator.GenerationError; validator.Checker; validator.check_paths; "
            "print(sorted(m for m in ('hypothesis', 'httpx', 'pytest') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_every_public_module_level_class_and_function_has_a_docstring() -> None:
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) \
                    and not node.name.startswith("_") and not ast.get_docstring(node):
                missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    assert missing == []
