"""bench/ stands on its own: the benchmarks and the harness they share with the tests never import
from tests/ (the tests import the harness from bench/, not the other way round). Read from the
source with ``ast``, so an import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

from bench.harness.paths import ROOT


def imported_modules(path: Path, root: Path) -> set[str]:
    """Every module a Python file imports, relative imports resolved against its package."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


def imports_of_tests(root: Path) -> dict[str, list[str]]:
    """Files under ``root``/bench that import anything under tests/, with what they import."""
    offenders = {}
    for path in sorted((root / "bench").rglob("*.py")):
        modules = sorted(m for m in imported_modules(path, root) if m == "tests" or m.startswith("tests."))
        if modules:
            offenders[str(path.relative_to(root))] = modules
    return offenders


def test_nothing_under_bench_imports_from_tests():
    assert imports_of_tests(ROOT) == {}


def test_the_check_sees_every_kind_of_import(tmp_path):
    """The walk finds a plain import, a from-import inside a function and a relative import that
    climbs out of bench/ (so a clean result above is not a blind one)."""
    (tmp_path / "bench" / "sub").mkdir(parents=True)
    (tmp_path / "bench" / "a.py").write_text("import tests.conftest\n")
    (tmp_path / "bench" / "b.py").write_text("def f():\n    from tests.reliability import conftest\n")
    (tmp_path / "bench" / "sub" / "c.py").write_text("from ...tests import conftest\nfrom ..harness import paths\n")
    (tmp_path / "bench" / "d.py").write_text("import testsuite\nfrom bench.harness import paths\n")
    assert imports_of_tests(tmp_path) == {
        "bench/a.py": ["tests.conftest"],
        "bench/b.py": ["tests.reliability", "tests.reliability.conftest"],
        "bench/sub/c.py": ["tests", "tests.conftest"],
    }
