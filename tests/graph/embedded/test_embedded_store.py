"""What only the embedded store promises: durability, and seeing other processes' writes."""

import httpx

from graph.embedded import EmbeddedStore
from tests.conftest import SEEDS, cli


def test_data_survives_a_restart(db_path, seed_batch):
    with EmbeddedStore(db_path) as store:
        store.upsert(seed_batch)
        counts, version = store.counts(), store.data_version()
    with EmbeddedStore(db_path) as reopened:
        assert reopened.counts() == counts
        assert reopened.data_version() == version
        assert reopened.lookup("钕铁硼")[0].entity_id == "commodity:ndfeb-magnets"


def test_a_second_process_write_is_seen_without_reopening(embedded, db_path, tmp_path):
    assert embedded.counts().entities == 0
    result = cli("ingest", str(SEEDS), env={"TRADEGRAPH_DB_PATH": str(db_path)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert embedded.entity("commodity:rare-earths") is not None
    assert embedded.counts().relations > 50
    documents = embedded.documents()  # the seed's two texts and the HS lines its goods' codes cite
    result = cli("remove", documents[0].id, env={"TRADEGRAPH_DB_PATH": str(db_path)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(embedded.documents()) == len(documents) - 1


def test_a_running_server_sees_the_cli_write(live_server, db_path, tmp_path):
    env = {"TRADEGRAPH_DB_PATH": str(db_path)}
    server = live_server(env)
    assert httpx.get(server.url + "/v1/entities/commodity:rare-earths").status_code == 404
    assert cli("ingest", str(SEEDS), env=env, cwd=tmp_path).returncode == 0
    response = httpx.get(server.url + "/v1/entities/commodity:rare-earths")
    assert response.status_code == 200
    quotes = [e["quote"] for e in response.json()["entity"]["evidence"]]
    assert "稀土" in quotes
