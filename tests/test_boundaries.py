"""The house's boundaries, read from the source (AST), so a lazy import inside a function counts too.

- no import cycle between modules, nor between top-level packages;
- tambon/ (plumbing) imports no domain package;
- a package never imports another package's underscore names (within one package it may).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ("kiosk", "display", "intake", "reports", "notify")
PRODUCT = ("tambon", *DOMAIN)

def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules() -> dict[str, Path]:
    found = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            found[module_name(path)] = path
    return found


MODULES = product_modules()


def package_of(module: str) -> str:
    """The package a module belongs to: itself for a package's __init__, else its parent."""
    path = MODULES[module]
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import anywhere in the module."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = package_of(module)
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in MODULES:
                    found.append((submodule, None, node.lineno))
                else:
                    found.append((source, alias.name, node.lineno))
    return found


def module_graph() -> dict[str, set[str]]:
    """Who imports whom. A package's own submodules are not counted as its dependencies (its ``__init__``
    registering them in ``init_app`` is how a package is put together; they import the package anyway)."""
    return {m: {target for target, _, _ in imports(m)
                if target in MODULES and target != m and not target.startswith(m + ".")} for m in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_walk_sees_lazy_and_relative_imports():
    # the reader this file relies on: a function-level import of another module is an edge
    graph = module_graph()
    assert "kiosk.queue" in graph["kiosk.closing"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_between_modules():
    cycle = find_cycle(module_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_no_import_cycle_between_packages():
    graph: dict[str, set[str]] = {}
    for module, targets in module_graph().items():
        top = module.split(".")[0]
        graph.setdefault(top, set()).update(t.split(".")[0] for t in targets if t.split(".")[0] != top)
    cycle = find_cycle(graph)
    assert cycle is None, "package cycle: " + " → ".join(cycle or [])


def test_plumbing_imports_no_domain_package():
    offending = [f"{MODULES[m].relative_to(ROOT)}:{line} imports {target}"
                 for m in MODULES if m.split(".")[0] == "tambon"
                 for target, _, line in imports(m) if target.split(".")[0] in DOMAIN]
    assert offending == []


def test_no_package_imports_another_packages_private_names():
    offending = []
    for m in MODULES:
        for source, name, line in imports(m):
            if source not in MODULES or name is None or not name.startswith("_") or name.startswith("__"):
                continue
            if package_of(source) != package_of(m):
                offending.append(f"{MODULES[m].relative_to(ROOT)}:{line} imports {source}.{name}")
    assert offending == []
