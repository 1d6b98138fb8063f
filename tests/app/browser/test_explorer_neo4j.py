"""The explorer on the Neo4j store: the same page, the same answers, plus a link to the node in
Neo4j Browser, and the review page deciding against Neo4j. Runs with the Neo4j half of the suite
(a real Neo4j 5.26 from Maven Central)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import pytest

from tests.app.browser.conftest import REVIEW_FACTS
from tests.app.browser.test_explorer_e2e import REVIEW_CHECKS, RUN_TIMEOUT_S, check_result, run_e2e
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
    "measures",
    "measures-pages",
    "measures-filters",
    "measures-counts",
    "measures-chart-map",
    "csv-links",
    "country",
    "country-links",
    "country-unknown",
    "csv-downloads",
]

# Ingest into Neo4j, start the server, the browser run: budgets for a busy machine.
pytestmark = [pytest.mark.neo4j, pytest.mark.browser, pytest.mark.timeout(RUN_TIMEOUT_S + 300)]


def _neo4j_holding(neo4j_server, tmp_path, *paths) -> dict[str, str]:
    """The settings of a server on the test Neo4j, emptied and then given ``paths`` to ingest."""
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
    for path in paths:
        done = cli("ingest", str(path), env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    return env


@pytest.fixture
def neo4j_explorer(neo4j_server, tmp_path):
    server = LiveServer(_neo4j_holding(neo4j_server, tmp_path, SEEDS), tmp_path)
    yield server, neo4j_server.browser_url
    server.stop()


@pytest.fixture
def neo4j_review(neo4j_server, tmp_path):
    """A server with a token on Neo4j holding the seeds and the review facts (a duplicate pair, a
    disputed rate, a doubtful fact), as the embedded review suite's server does."""
    token = secrets.token_urlsafe(24)
    env = _neo4j_holding(neo4j_server, tmp_path, SEEDS, REVIEW_FACTS)
    server = LiveServer({**env, "TRADEGRAPH_API_TOKEN": token}, tmp_path)
    yield server, token
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


def test_review_page_on_neo4j(neo4j_review, node_bin, chromium_bin, playwright_core, tmp_path):
    """The review page's checks (a pair side by side, one-click decisions, the disputed rate,
    accessibility) with the decisions written to and read back from Neo4j."""
    server, token = neo4j_review
    report = run_e2e(
        server.url,
        node=node_bin,
        chromium=chromium_bin,
        workdir=tmp_path,
        checks=REVIEW_CHECKS,
        env={"SUITE": "review", "REVIEW_TOKEN": token},
    )
    for name in REVIEW_CHECKS:
        check_result(report, name)
    assert report["cspViolations"] == []
