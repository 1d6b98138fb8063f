"""The explorer on the Neo4j store: the same page, the same answers, plus a link to the node in
Neo4j Browser. Runs with the Neo4j half of the suite (a real Neo4j 5.26 from Maven Central)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.app.browser.test_explorer_e2e import RUN_TIMEOUT_S, check_result, run_e2e
from tests.conftest import SEEDS, LiveServer, cli

CHECKS = [
    "search",
    "dependents",
    "dependents-edge-evidence",
    "escalation",
    "escalation-pages",
    "measure",
    "entity",
    "unknown-entity",
]

# Ingest into Neo4j, start the server, the browser run: budgets for a busy machine.
pytestmark = [pytest.mark.neo4j, pytest.mark.browser, pytest.mark.timeout(RUN_TIMEOUT_S + 300)]


@pytest.fixture
def neo4j_explorer(neo4j_server, tmp_path):
    from graph.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_server.bolt_uri, *neo4j_server.auth, timeout_s=300)
    store.clear()
    store.close()
    user, password = neo4j_server.auth
    env = {
        "TRADEGRAPH_BACKEND": "neo4j",
        "NEO4J_URI": neo4j_server.bolt_uri,
        "NEO4J_USER": user,
        "NEO4J_PASSWORD": password,
        "TRADEGRAPH_NEO4J_BROWSER_URL": neo4j_server.browser_url,
    }
    done = cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    server = LiveServer(env, tmp_path)
    yield server, neo4j_server.browser_url
    server.stop()


def test_explorer_on_neo4j(neo4j_explorer, node_bin, chromium_bin, playwright_core, tmp_path):
    server, browser_url = neo4j_explorer
    report = run_e2e(
        server.url,
        node=node_bin,
        chromium=chromium_bin,
        workdir=tmp_path,
        checks=CHECKS,
        env={"NEO4J_BROWSER_URL": browser_url},
    )
    for name in CHECKS:
        check_result(report, name)
    origin = urlsplit(server.url).netloc
    assert all(urlsplit(r["url"]).netloc == origin for r in report["requests"]), "the page asked another host"
