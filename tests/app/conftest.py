"""What the app's tests share beyond the API's TestClient: a live server on the seeds."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS, LiveServer, cli


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory):
    """`tradegraph serve` on a temp store holding the seeds, as `make run` would have it."""
    home = tmp_path_factory.mktemp("seeded-server")
    # No API token, whatever the environment holds: the explorer checks that this server offers no
    # review page (an empty token refuses writes), and the dashboards' reads are public.
    env = {"TRADEGRAPH_DB_PATH": str(home / "store.db"), "TRADEGRAPH_API_TOKEN": ""}
    done = cli("ingest", str(SEEDS), env=env, cwd=home)
    assert done.returncode == 0, done.stderr
    server = LiveServer(env, home)
    yield server
    server.stop()
