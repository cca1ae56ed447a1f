"""The cli/ package keeps the shape issue #12 gave it: small modules, short functions, shared helpers
public in session/output, and no import cycle between its modules."""

from __future__ import annotations

import ast
from pathlib import Path

import forecastapp.cli

PACKAGE = Path(forecastapp.cli.__file__).parent
MODULES = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.glob("*.py"))}


def _imports(tree: ast.Module) -> list[tuple[str, str]]:
    """(module, name) for every `from forecastapp.cli[.x] import name` in a module, at any depth."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("forecastapp.cli"):
            found += [(node.module, alias.name) for alias in node.names]
    return found


def test_no_module_over_600_lines_and_no_function_over_80():
    for name, tree in MODULES.items():
        assert len((PACKAGE / f"{name}.py").read_text(encoding="utf-8").splitlines()) <= 600, name
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                assert node.end_lineno - start + 1 <= 80, f"{name}.{node.name}"


def test_no_private_name_is_imported_from_another_cli_module():
    for name, tree in MODULES.items():
        private = [f"{module}.{n}" for module, n in _imports(tree) if n.startswith("_")]
        assert not private, f"{name} imports {private}"


def test_the_cli_modules_import_each_other_without_a_cycle():
    # Only __init__ (and __main__) may import the package itself; the others import session and output.
    graph: dict[str, set[str]] = {}
    for name, tree in MODULES.items():
        deps = set()
        for module, n in _imports(tree):
            if module == "forecastapp.cli":  # `from forecastapp.cli import session`, or a name __init__ defines
                deps.add(n if n in MODULES else "__init__")
            else:
                deps.add(module.rpartition(".")[2])
        graph[name] = deps - {name}
    for name in set(MODULES) - {"__init__", "__main__"}:
        assert "__init__" not in graph[name], f"{name} imports from forecastapp.cli itself"

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, " -> ".join(path + (node,))
        for dep in graph.get(node, ()):
            visit(dep, path + (node,))

    for name in graph:
        visit(name, ())
