"""No import circle inside ``ingest`` or ``graph``.

A circle makes the import order decide whether a module sees its neighbour's names, so a moved
line can break start-up far from where it was made; and it hides which stage depends on which.
Every import statement counts, a deferred one inside a function included, because a deferred
import is still a dependency (it only postpones the failure). The graph is built from the source
with ``ast``, without importing anything, and networkx finds its strongly connected components.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "graph")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names (relative imports resolved against ``module``)."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``module`` imports anywhere in its source.

    ``from a.b import c`` is an edge to ``a.b.c`` when that is a module, else to ``a.b``; the
    parent packages Python also imports on the way are not counted: they are what makes a
    package's own modules reachable, not a dependency of the importer."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, is_package, node)
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in known:
                    found.add(sub)
                elif source in known:
                    found.add(source)
    found.discard(module)
    return found


def import_graph() -> nx.DiGraph:
    """Module → module it imports, over every module under the checked packages."""
    modules = _modules()
    known = set(modules)
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for module, path in modules.items():
        graph.add_edges_from((module, target) for target in _imports(module, path, known))
    return graph


def test_the_graph_sees_the_imports_it_should() -> None:
    """A guard on the guard: the walk finds known edges, deferred ones included."""
    graph = import_graph()
    assert graph.has_edge("ingest.extract.matcher", "ingest.lexicon")
    assert graph.has_edge("ingest.pipeline", "ingest.extract")  # imported inside a function
    assert graph.has_edge("graph.model.records", "graph.model.enums")


def test_a_circle_is_found() -> None:
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    assert [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1] == [["a", "b", "c"]]


def test_no_import_circle_in_ingest_or_graph() -> None:
    graph = import_graph()
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert circles == [], f"modules that import each other, directly or round a circle: {circles}"
