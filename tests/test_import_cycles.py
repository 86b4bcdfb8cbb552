"""The installed package's modules (guestlist.models, .seeds, .migrations): no import cycle, no private name used across a module.

Imports are read with ``ast``, not run. An edge A -> B is any import of B in
A: at module level, and also inside a function, since a function-level
import that closes a cycle only hides the dependency until the function
runs. Importing ``a.b.c`` imports the packages ``a`` and ``a.b`` too (their
``__init__`` runs first), so those are edges as well. Lazy imports that keep
``guestlist --help`` fast are fine as long as they close no cycle.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.support.package import source_files


def _modules() -> dict[str, tuple[Path, bool]]:
    return {name: (path, is_package) for name, path, is_package in source_files()}


def _source(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        prefix = _source(module, is_package, node)
        names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix for a in node.names]
    out = []
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            out.append(name)
    return out


def import_graph(*, module_level_only: bool) -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = tree.body if module_level_only else list(ast.walk(tree))
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[module] |= {t for t in _targets(module, is_package, node, known) if t != module}
    for module, targets in graph.items():
        for target in list(targets):
            parent = target.rpartition(".")[0]
            while parent:
                if parent in known and parent != module and not module.startswith(parent + "."):
                    targets.add(parent)
                parent = parent.rpartition(".")[0]
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset({"a", "b", "c"})]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_the_package_s_own_imports() -> None:
    """The modules are named as installed, so an absolute import of ``guestlist.*`` is an edge."""
    graph = import_graph(module_level_only=True)
    assert "guestlist.models" in graph["guestlist.seeds.loader"]
    assert "guestlist.seeds.cli" in graph["guestlist.__main__"]


def test_no_import_cycles_at_module_level() -> None:
    assert cycles(import_graph(module_level_only=True)) == []


def test_no_import_cycles_through_function_level_imports() -> None:
    assert [sorted(c) for c in cycles(import_graph(module_level_only=False))] == []


def private_names_used_elsewhere() -> list[tuple[str, str]]:
    """(module, what) for each ``_name`` of another of the package's modules that a module imports or reads.

    A name that crosses a module is part of that module's interface, so it
    is public; dunder names (``__version__``) are not private.
    """
    modules = _modules()
    found = []
    for module, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound: dict[str, str] = {}  # local name -> the package module it names
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _source(module, is_package, node)
                for alias in node.names:
                    if f"{source}.{alias.name}" in modules:
                        bound[alias.asname or alias.name] = f"{source}.{alias.name}"
                    elif _private(alias.name) and source in modules and source != module:
                        found.append((module, f"from {source} import {alias.name}"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules:
                        bound[alias.asname or alias.name.partition(".")[0]] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name)
                    and bound.get(node.value.id, module) != module):
                found.append((module, f"{node.value.id}.{node.attr}"))
    return sorted(set(found))


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_the_private_name_finder_finds_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.py").write_text("from .b import _hidden\nfrom . import b\nb._also\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("_hidden = _also = 1\n", encoding="utf-8")
    fake = {"pkg.a": (tmp_path / "a.py", False), "pkg.b": (tmp_path / "b.py", False), "pkg": (tmp_path / "b.py", True)}
    monkeypatch.setattr(sys.modules[__name__], "_modules", lambda: fake)
    assert private_names_used_elsewhere() == [("pkg.a", "b._also"), ("pkg.a", "from pkg.b import _hidden")]


def test_no_private_name_is_used_from_another_module() -> None:
    assert private_names_used_elsewhere() == []
