"""GET /v1/search finds goods by HS code and by description (issue 19), on both stores: a code in
any spelling ranks its code entity first (``id``) and the goods classified under it after."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from ingest.pipeline import ingest_paths
from tests.conftest import SEEDS


@pytest.fixture
def client(store):
    results = ingest_paths(store, [SEEDS])  # the seed as `tradegraph ingest seeds/` loads it
    assert all(r.status != "rejected" for r in results), [r.error for r in results]
    return TestClient(create_app(Settings(), store=store))


def _ids(client, q: str) -> list[tuple[str, str]]:
    answer = client.get("/v1/search", params={"q": q})
    assert answer.status_code == 200, answer.text
    return [(hit["entity"]["id"], hit["match"]) for hit in answer.json()["data"]]


@pytest.mark.parametrize("q", ["850511", "8505.11", "8505 11", "HS 850511"])
def test_a_code_finds_its_code_entity_first_then_the_good(client, q):
    hits = _ids(client, q)
    assert hits[0] == ("commodity:hs-850511", "id")
    assert "commodity:ndfeb-magnets" in [i for i, _ in hits]


def test_a_heading_finds_the_heading_first_and_its_subheading(client):
    hits = _ids(client, "8505")
    assert hits[0] == ("commodity:hs-8505", "id")
    assert "commodity:hs-850511" in [i for i, _ in hits]


@pytest.mark.parametrize(
    ("q", "good"),
    [("NdFeB magnets", "commodity:ndfeb-magnets"), ("永磁", "commodity:ndfeb-magnets"), ("大豆", "commodity:soybeans")],
)
def test_a_description_word_finds_the_good_before_the_code_entities(client, q, good):
    hits = [i for i, _ in _ids(client, q)]
    assert hits[0] == good


def test_the_nomenclature_description_finds_the_code_entity(client):
    hits = [i for i, _ in _ids(client, "permanent magnets")]
    assert "commodity:hs-850511" in hits and "commodity:hs-8505" in hits
    assert "commodity:hs-8505" in [i for i, _ in _ids(client, "电磁铁")]
