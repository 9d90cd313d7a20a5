"""The product packages use their dependencies' public APIs only (GUIDE: no underscore names of a dependency,
no monkey-patching of its classes or modules).

Read from the source (ast), with the classes imported to see what a subclass overrides. Flagged:

- ``import _x`` / ``from x import _y`` of anything that is not the project's own;
- ``obj._name`` (also ``getattr``/``hasattr``/``setattr`` with ``"_name"``) where ``_name`` is defined nowhere in
  the product packages: the project's own private names (``self._lock``, ``module._helper``) are fine, a
  dependency's (``compiled._result_columns``) are not; named-tuple API (``row._fields``) is public;
- ``super()._name``: a call into a base class's private method;
- a method ``_name`` of a class that a dependency's base class also has: an override of a private hook;
- an assignment to an attribute of an imported module or class of a dependency (``wsgi.Response = …``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("tambon", "kiosk", "display", "intake", "reports", "notify")
# The documented API of named tuples and of SQLAlchemy's Row, which follows it.
NAMED_TUPLE_API = frozenset({"_fields", "_asdict", "_replace", "_make", "_mapping", "_t", "_tuple", "_field_defaults"})
# Underscore names that are a dependency's documented public API, each with where it says so.
DOCUMENTED = {
    # Werkzeug/Flask: "Notes on proxies" documents _get_current_object() to reach the object behind a proxy.
    "_get_current_object",
    # python-escpos has no public method for raw bytes: Escpos._raw is the one its docs and examples use.
    # Owned by kiosk/printing (reported to the lead; to be replaced if python-escpos grows a public one).
    "_raw",
}


def product_files() -> list[Path]:
    return sorted(p for package in PRODUCT for p in (ROOT / package).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_own(module: str | None, level: int = 0) -> bool:
    return level > 0 or (module or "").split(".")[0] in PRODUCT


def own_private_names(trees: dict[Path, ast.Module]) -> set[str]:
    """Every underscore name the product packages define: functions, classes, names, attributes, arguments."""
    names: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
    return {n for n in names if is_private(n)}


def imported_foreign_names(tree: ast.Module) -> set[str]:
    """Names a module binds to a dependency's module or object by importing it."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not is_own(alias.name):
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and not is_own(node.module, node.level) and node.module != "__future__":
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def violations(path: Path, tree: ast.Module, own: set[str], namespace: dict | None = None) -> Iterator[str]:
    """namespace: the module's globals, to tell an imported module or class (never to be patched) from an
    imported object that is there to be set (Flask's ``g``); without it, every imported name counts."""
    where = path.relative_to(ROOT)
    foreign = {name for name in imported_foreign_names(tree) if namespace is None or name not in namespace
               or inspect.ismodule(namespace[name]) or inspect.isclass(namespace[name])}
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not is_own(alias.name) and any(is_private(part) for part in alias.name.split(".")):
                    yield f"{line}: import {alias.name}"
        elif isinstance(node, ast.ImportFrom):
            if is_own(node.module, node.level) or node.module == "__future__":
                continue
            if any(is_private(part) for part in (node.module or "").split(".")):
                yield f"{line}: from {node.module} import …"
            for alias in node.names:
                if is_private(alias.name):
                    yield f"{line}: from {node.module} import {alias.name}"
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) \
                    and node.value.func.id == "super" and is_private(node.attr):
                yield f"{line}: super().{node.attr}"
            elif is_private(node.attr) and node.attr not in own and node.attr not in NAMED_TUPLE_API \
                    and node.attr not in DOCUMENTED:
                yield f"{line}: .{node.attr}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("getattr", "hasattr", "setattr", "delattr") and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and is_private(name.value) \
                    and name.value not in own:
                yield f"{line}: {node.func.id}(…, {name.value!r})"
            if node.func.id in ("setattr", "delattr") and _rooted_in(node.args[0], foreign):
                yield f"{line}: {node.func.id} on a dependency's module or class"
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and _rooted_in(target.value, foreign):
                    yield f"{line}: assigns {ast.unparse(target)} (monkey-patching a dependency)"


def _rooted_in(node: ast.expr, names: set[str]) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in names


def private_overrides() -> Iterator[str]:
    """Methods with an underscore name that a dependency's base class also defines."""
    for path in product_files():
        name = module_name(path)
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # an optional extra that is not installed here
            pytest.fail(f"cannot import {name}: {exc}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name:
                continue
            foreign_bases = [base for base in cls.__mro__[1:] if not is_own(base.__module__)
                             and base is not object]
            for attr, value in vars(cls).items():
                if isinstance(value, (staticmethod, classmethod)):
                    value = value.__func__
                if is_private(attr) and inspect.isfunction(value) and value.__module__ == name and any(attr in vars(base) for base in foreign_bases):
                    yield f"{name}.{cls.__qualname__}.{attr} overrides a dependency's private hook"


def test_product_packages_use_public_apis_of_their_dependencies():
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in product_files()}
    own = own_private_names(trees)
    found = [v for path, tree in trees.items()
             for v in violations(path, tree, own, vars(importlib.import_module(module_name(path))))]
    found += list(private_overrides())
    assert not found, "private APIs of dependencies in use:\n" + "\n".join(found)


def test_the_check_catches_each_kind_of_private_use():
    source = (
        "import _socket\n"
        "from gunicorn.http import wsgi\n"
        "from sqlalchemy.engine import _private\n"
        "wsgi.Response = object\n"
        "setattr(wsgi, 'Response', object)\n"
        "def f(compiled, limiter):\n"
        "    compiled._result_columns\n"
        "    hasattr(limiter, '_limiter_request_context')\n"
        "    super()._publish({})\n"
        "    row._fields\n"
        "    self._mine\n"
    )
    tree = ast.parse(source)
    own = own_private_names({ROOT / "tambon" / "x.py": tree}) | {"_mine"}
    found = list(violations(ROOT / "tambon" / "x.py", tree, own))
    assert len(found) == 7, found
    assert not any("_fields" in v or "_mine" in v for v in found)
