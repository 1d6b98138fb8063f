"""docs/reliability.md stays true: every test it cites exists, every bench script it cites exists,
and every figure file it quotes was written by a run of the current harness."""

from __future__ import annotations

import ast
import json
import re

from bench.harness.paths import ROOT

DOC = ROOT / "docs" / "reliability.md"


def _functions(path) -> set[str]:  # noqa: ANN001
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_cited_test_exists():
    text = DOC.read_text(encoding="utf-8")
    cited = re.findall(r"(tests/[\w/]+\.py)::(\w+)", text)
    assert len(cited) >= 15
    for path, name in cited:
        assert (ROOT / path).exists(), path
        assert name in _functions(ROOT / path), f"{path}::{name}"


def test_every_cited_bench_exists_and_has_figures():
    text = DOC.read_text(encoding="utf-8")
    for module in set(re.findall(r"python -m (bench\.reliability\.\w+)", text)):
        assert (ROOT / (module.replace(".", "/") + ".py")).exists(), module
    for name in set(re.findall(r"bench/reliability/results/(\w+)\.json", text)):
        figures = json.loads((ROOT / "bench" / "reliability" / "results" / f"{name}.json").read_text())
        assert "machine" in figures and "command" in figures, name
