"""Fixtures for the explorer's tests: Node, Debian's chromium, playwright-core from
explorer/package-lock.json, and a live server on the seed graph.

A missing tool skips the tests that need it, with the reason, except under CI=true, where it is a
failure: CI must run every layer. `make test` installs what is missing (mk/explorer.mk)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, LiveServer, cli, skip_unless_ci

EXPLORER = ROOT / "explorer"
NODE_MODULES = EXPLORER / "node_modules"
#: What the review page is tested on, beside the seeds (facts.yaml says what it plants).
REVIEW_FACTS = Path(__file__).with_name("review_facts") / "facts.yaml"


def require(ok: bool, reason: str) -> None:
    """Skip with the reason unless ``ok``, or fail when CI=true."""
    if not ok:
        skip_unless_ci(reason)


@pytest.fixture(scope="session")
def node_bin() -> str:
    node = shutil.which("node")
    require(
        node is not None, "node is not installed (the explorer's browser and unit tests run under Node 20)"
    )
    version = subprocess.run(
        [node, "--version"], check=False, capture_output=True, text=True, timeout=30
    ).stdout.strip()
    major = int(re.match(r"v(\d+)", version).group(1)) if re.match(r"v(\d+)", version) else 0
    require(major >= 18, f"node {version} is too old: the explorer's tests need Node 18 or later")
    return node


@pytest.fixture(scope="session")
def chromium_bin() -> str:
    """Debian's chromium (never one downloaded by a test tool); TRADEGRAPH_CHROMIUM overrides."""
    path = (
        os.environ.get("TRADEGRAPH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    require(
        path is not None,
        "Debian's chromium is not installed (make test installs it with apt-get when run as root)",
    )
    return path


@pytest.fixture(scope="session")
def playwright_core(node_bin) -> Path:
    package = NODE_MODULES / "playwright-core" / "package.json"
    require(
        package.is_file(), "explorer/node_modules is missing: run `cd explorer && npm ci` (make test does)"
    )
    return package.parent



@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    """`tradegraph serve` with an API token, on a store of its own holding the seeds and the review
    facts (a duplicate pair, a disputed rate, a doubtful fact): the review page decides, so it
    writes, and the other checks keep the unchanged seed graph. Yields the server and its token."""
    home = tmp_path_factory.mktemp("review-server")
    env = {"TRADEGRAPH_DB_PATH": str(home / "store.db")}
    for path in (SEEDS, REVIEW_FACTS):
        done = cli("ingest", str(path), env=env, cwd=home)
        assert done.returncode == 0, done.stderr
    token = secrets.token_urlsafe(24)
    server = LiveServer({**env, "TRADEGRAPH_API_TOKEN": token}, home)
    yield server, token
    server.stop()
