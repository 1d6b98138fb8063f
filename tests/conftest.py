"""Shared fixtures: real SQLite files, the real seed facts, real processes.

``store`` is the contract fixture: every test that takes it runs against each store backend the
session has (the embedded store always; Neo4j when a live server was started, see
tests/neo4j_fixtures.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

# Where things are, and the live server, are the harness's (bench/harness); many tests import them from here.
from bench.harness.paths import BIN, FACTS, ROOT, SEEDS  # noqa: F401
from bench.harness.server import LiveServer
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from ingest.structured import load_facts


@pytest.fixture(scope="session")
def seed_batch():
    return load_facts(FACTS)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def embedded(db_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(db_path)
    yield store
    store.close()


@pytest.fixture
def seeded(embedded: EmbeddedStore, seed_batch) -> EmbeddedStore:
    embedded.upsert(seed_batch)
    return embedded


@pytest.fixture(scope="session")
def neo4j_server():
    """One real Neo4j 5.26 for the whole session, started from Maven Central's jars.

    Without Java 17/21 or Maven the Neo4j half is skipped with the reason, except under CI=true,
    where a missing Neo4j is a failure."""
    sys.path.insert(0, str(ROOT / "tools"))
    from neo4j_server import Neo4jServer, Neo4jUnavailable, browser_style_conf

    try:
        server = Neo4jServer(heap="768m", pagecache="128m", extra_conf=browser_style_conf()).start()
    except Neo4jUnavailable as e:
        skip_unless_ci(f"the Neo4j half needs Java 17 and Maven: {e}")
    yield server
    server.stop()


@pytest.fixture
def neo4j_store(neo4j_server):
    from graph.neo4j import Neo4jStore

    # A budget, not an expectation: a cold first seed write took 34 s at load 18 on two cores.
    store = Neo4jStore(neo4j_server.bolt_uri, *neo4j_server.auth, timeout_s=300)
    store.clear()
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request) -> GraphStore:
    """An empty store of each backend in turn: the contract suite runs once per store."""
    return request.getfixturevalue("embedded" if request.param == "embedded" else "neo4j_store")


@pytest.fixture
def seeded_store(store: GraphStore, seed_batch) -> GraphStore:
    store.upsert(seed_batch)
    return store


def skip_unless_ci(reason: str) -> NoReturn:
    """A missing outer tool (Java, node, chromium...) skips with the reason, except under CI=true,
    where it is a failure: CI must run every layer."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``tradegraph`` command in a subprocess, as a user would."""
    return subprocess.run(
        [str(BIN / "tradegraph"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        input=input,
        timeout=120,
    )


@pytest.fixture
def live_server(tmp_path: Path):
    """Start servers on a store file in tmp_path; each is stopped at the end of the test."""
    servers: list[LiveServer] = []

    def start(env: dict[str, str]) -> LiveServer:
        server = LiveServer(env, tmp_path)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
