"""Fixtures of the Neo4j deployment tests: the test-server tool, a seeded Neo4j, a styled server."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT, skip_unless_ci

needs = skip_unless_ci  # the name these tests read best with


@pytest.fixture(scope="session")
def tool() -> ModuleType:
    """tools/neo4j_server.py as a module (it is a script, not a package)."""
    sys.path.insert(0, str(ROOT / "tools"))
    return importlib.import_module("neo4j_server")


@pytest.fixture
def seeded_neo4j(neo4j_store, seed_batch):
    """The session's Neo4j holding the seed graph (and nothing else)."""
    neo4j_store.upsert(seed_batch)
    return neo4j_store


@pytest.fixture(scope="session")
def styled_neo4j_server(request, tool):
    """A Neo4j whose Browser applies neo4j/browser/style.grass on connect.

    The session's server when it was started with the style (``extra_conf=browser_style_conf()``),
    else one of its own, stopped at the end of the session."""
    wanted = tool.browser_style_conf()
    session_server = request.getfixturevalue("neo4j_server")
    if all(session_server.extra_conf.get(k) == v for k, v in wanted.items()):
        yield session_server
        return
    server = tool.Neo4jServer(heap="512m", pagecache="64m", extra_conf=wanted, startup_timeout=240).start()
    yield server
    server.stop()
