"""Sync and the two Neo4j exports, checked against a live Neo4j 5.26: same counts, same answers."""

import json

import pytest

from graph.embedded import EmbeddedStore
from graph.export import export_json
from graph.neo4j.export_admin import export_neo4j_admin
from graph.neo4j.export_cypher import cypher_script, split_statements
from graph.queries.dependencies import dependents
from graph.queries.escalation import escalation
from graph.sync import sync

pytestmark = pytest.mark.neo4j


def same_counts(a, b):
    ca, cb = a.counts(), b.counts()
    assert (ca.entities, ca.relations, ca.documents, ca.evidence) == (cb.entities, cb.relations, cb.documents, cb.evidence)
    assert ca.entities_by_type == cb.entities_by_type and ca.relations_by_type == cb.relations_by_type


def same_answers(a, b):
    assert dependents(a, "稀土", origin="中国") == dependents(b, "稀土", origin="中国")
    assert escalation(a, "美国", "中国") == escalation(b, "美国", "中国")
    same_export(a, b)


def same_export(a, b):
    """The whole graph alike, as the JSON export writes it: each document's ``ingested`` (the
    source's, kept by the copy) and each measure's lifecycle included."""
    mine, theirs = json.loads(b"".join(export_json(a))), json.loads(b"".join(export_json(b)))
    assert all(d["ingested"] for d in mine["documents"])
    assert all(e["measure"]["events"] for e in mine["entities"] if e["type"] == "Measure")
    assert mine == theirs


def test_sync_copies_everything_and_a_second_sync_changes_nothing(seeded, neo4j_store):
    first = sync(seeded, neo4j_store, batch_size=20)
    assert first.entities_added == seeded.counts().entities
    same_counts(seeded, neo4j_store)
    same_answers(seeded, neo4j_store)
    version = neo4j_store.data_version()
    again = sync(seeded, neo4j_store, batch_size=20)
    assert not again.changed
    assert neo4j_store.data_version() == version
    same_counts(seeded, neo4j_store)


def test_cypher_script_rebuilds_the_graph(seeded, neo4j_store):
    statements = split_statements("".join(cypher_script(seeded, batch_size=15)))
    with neo4j_store._driver.session(database=neo4j_store.database) as session:
        for statement in statements:
            session.run(statement).consume()
    same_counts(seeded, neo4j_store)
    same_answers(seeded, neo4j_store)


def test_neo4j_admin_import_gives_the_same_graph(seeded, tmp_path, neo4j_server):
    import sys

    from graph.neo4j import Neo4jStore
    from tests.conftest import ROOT

    sys.path.insert(0, str(ROOT / "tools"))
    from neo4j_server import Neo4jServer

    folder = tmp_path / "admin"
    args = export_neo4j_admin(seeded, folder)
    nodes = [a.split("=", 1)[1] for a in args if a.startswith("--nodes=")]
    relationships = [a.split("=", 1)[1] for a in args if a.startswith("--relationships=")]
    options = [a for a in args if not a.startswith(("--nodes=", "--relationships="))]
    server = Neo4jServer(heap="512m", pagecache="64m").prepare()
    try:
        server.import_full([str(folder / n) for n in nodes], [str(folder / r) for r in relationships], extra_args=options)
        server.start()
        imported = Neo4jStore(server.bolt_uri, *server.auth, timeout_s=300)
        try:
            same_counts(seeded, imported)
            same_answers(seeded, imported)
        finally:
            imported.close()
    finally:
        server.stop()


def test_cli_sync_and_export(tmp_path, neo4j_store, neo4j_server):
    from tests.conftest import SEEDS, cli

    user, password = neo4j_server.auth
    env = {"TRADEGRAPH_DB_PATH": str(tmp_path / "cli.db"), "NEO4J_URI": neo4j_server.bolt_uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
    assert cli("ingest", str(SEEDS), env=env, cwd=tmp_path).returncode == 0
    with EmbeddedStore(tmp_path / "cli.db") as ingested:
        held = ingested.counts().entities  # the seed's entities and its goods' HS codes
    first = cli("sync", "--to", "neo4j", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert f"+{held} entities" in first.stdout and f"Neo4j now holds {held} entities" in first.stdout
    second = cli("sync", "--to", "neo4j", env=env, cwd=tmp_path)
    assert "+0 entities, +0 relations" in second.stdout
    script = cli("export", "--format", "cypher", env=env, cwd=tmp_path)
    assert script.returncode == 0 and "CREATE CONSTRAINT" in script.stdout
    folder = tmp_path / "admin"
    admin = cli("export", "--format", "neo4j-admin", "-o", str(folder), env=env, cwd=tmp_path)
    assert admin.returncode == 0 and (folder / "import.args").exists()
    assert cli("export", "--format", "neo4j-admin", env=env, cwd=tmp_path).returncode == 2
