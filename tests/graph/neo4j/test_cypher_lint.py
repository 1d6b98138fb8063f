"""Every Cypher statement the project sends or writes passes Neo4j's own front end
(@neo4j-cypher/language-support, pinned in tools/cypher-lint) with no error and no deprecation."""

import json
import re
import shutil
import subprocess

from graph.model.enums import EntityType, RelationType
from graph.neo4j.cypher import all_statements
from graph.neo4j.export_cypher import cypher_script, split_statements
from tests.conftest import ROOT, skip_unless_ci

LINTER = ROOT / "tools" / "cypher-lint"
LABELS = [t.value for t in EntityType] + ["Entity", "Document", "Meta", "Undo", "UndoVersion"]
TYPES = [t.value for t in RelationType] + ["MENTIONS"]


def lint(statements: list[tuple[str, str]]) -> dict[str, list[dict]]:
    if shutil.which("node") is None or not (LINTER / "node_modules").exists():
        skip_unless_ci("node or tools/cypher-lint/node_modules is missing (make test runs npm ci)")
    parameters = sorted({p for _, q in statements for p in re.findall(r"\$([A-Za-z_]\w*)", q)})
    request = {
        "statements": [{"name": n, "query": q} for n, q in statements],
        "labels": LABELS,
        "relationshipTypes": TYPES,
        "parameters": parameters,
    }
    result = subprocess.run(
        ["node", str(LINTER / "lint.mjs")], input=json.dumps(request), capture_output=True, text=True, timeout=600, check=True
    )
    return {r["name"]: r["diagnostics"] for r in json.loads(result.stdout)["results"]}


def problems(found: dict[str, list[dict]]) -> dict[str, list[str]]:
    return {
        name: [d["message"] for d in diagnostics if d["severity"] == "error" or d.get("deprecated")]
        for name, diagnostics in found.items()
        if any(d["severity"] == "error" or d.get("deprecated") for d in diagnostics)
    }


def browser_queries() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "neo4j").rglob("*.cypher")):
        for i, statement in enumerate(split_statements(path.read_text(encoding="utf-8"))):
            found.append((f"{path.relative_to(ROOT)}[{i}]", statement))
    return found


def test_the_linter_is_live():
    found = lint([("deprecated", "MATCH (n:Country) RETURN id(n)"), ("broken", "MATCH (n RETURN n")])
    assert any(d.get("deprecated") for d in found["deprecated"])
    assert any(d["severity"] == "error" for d in found["broken"])


def test_every_store_statement_is_clean():
    statements = all_statements()
    assert len(statements) > 100
    assert problems(lint(statements)) == {}


def test_the_exported_script_is_clean(seeded):
    script = split_statements("".join(cypher_script(seeded, batch_size=25)))
    assert problems(lint([(f"script[{i}]", s) for i, s in enumerate(script)])) == {}


def test_the_browser_queries_are_clean():
    queries = browser_queries()
    assert len(queries) >= 3  # neo4j/browser/queries.cypher: dependents, escalation, impact at least
    assert problems(lint(queries)) == {}
