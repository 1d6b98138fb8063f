"""Trade flows through the API on the seed graph (both stores): dependents that combine text and
trade, flows as data, and the trade value a measure bears on."""

from __future__ import annotations

import pytest

from graph.hs import describe
from graph.model.records import Batch
from ingest.trade_derive import ingest_trade_file
from tests.ingest.test_trade_ingest import FLOWS, US_IMPORTS

MAGNETS = f"HS 8505.11: {describe('850511').description}"  # the code entity's name (graph.hs)
CONTROLS = "measure:cn-2025-10-09-rare-earth-export-controls"


@pytest.fixture
def trade_client(make_client, seeded_store):
    ingest_trade_file(seeded_store, FLOWS)
    return make_client(query_timeout_s=0)  # a loaded machine must not turn an answer into a 503


def test_dependents_of_850511_from_china_list_the_us_with_its_import_share(trade_client):
    answer = trade_client.get("/v1/dependents", params={"commodity": "850511", "origin": "CN"}).json()
    assert answer["commodity"]["id"] == "commodity:hs-850511"
    us = next(d for d in answer["data"] if d["entity"]["id"] == "country:US")
    assert us["exposure"] == round(412_345_678 / US_IMPORTS, 6)
    (step,) = us["paths"][0]["steps"]
    assert (step["provenance"], step["dataset"], step["year"]) == ("trade", "BACI HS17 V202401", 2023)
    assert step["origin"] == "country:CN" and step["attributes"]["value_usd"] == 412_345_678.0
    assert "BACI_HS17_Y2023_V202401.csv line 7" in step["evidence"][0]["quote"]
    by_name = trade_client.get("/v1/dependents", params={"commodity": MAGNETS, "origin": "China"}).json()
    assert by_name == answer
    dotted = trade_client.get("/v1/dependents", params={"commodity": "8505.11", "origin": "CN"}).json()
    assert dotted == answer


def test_search_finds_the_good_by_its_code(trade_client):
    for query in ("850511", "8505.11"):
        hits = trade_client.get("/v1/search", params={"q": query}).json()["data"]
        assert hits[0]["entity"]["id"] == "commodity:hs-850511", query


def test_answers_label_text_and_trade_relations(trade_client):
    leverage = trade_client.get("/v1/countries/CN/leverage", params={"limit": 1000}).json()
    kinds = {(item["path"][0]["provenance"], item["path"][0]["year"]) for item in leverage["data"]}
    assert ("trade", 2023) in kinds and ("text", None) in kinds
    us = trade_client.get("/v1/entities/country:US/dependencies").json()
    magnets = next(item for item in us["data"] if item["entity"]["id"] == "commodity:hs-850511")
    assert magnets["suppliers"][0]["entity"]["id"] == "country:CN" and magnets["path"][0]["provenance"] == "trade"
    assert any(item["path"][0]["provenance"] == "text" for item in us["data"])


def test_flows_by_exporter_importer_hs_and_year(trade_client):
    answer = trade_client.get("/v1/flows", params={"exporter": "CN", "importer": "US", "hs": "8505", "year": 2023}).json()
    assert answer["count"] == 1
    assert answer["data"][0] == {
        "dataset": "BACI HS17 V202401", "year": 2023, "exporter": "CN", "importer": "US", "hs6": "850511",
        "value_usd": 412_345_678.0, "quantity": 15000.5, "file": FLOWS.name, "line": 7,
    }
    by_name = trade_client.get("/v1/flows", params={"exporter": "China", "importer": "United States", "hs": "8505.11"}).json()
    assert by_name == answer
    assert trade_client.get("/v1/flows", params={"importer": "US", "limit": 2}).json()["count"] == 7


def test_bad_flow_filters_are_problems_naming_the_field(trade_client):
    response = trade_client.get("/v1/flows", params={"hs": "85x"})
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/problem+json")
    unknown = trade_client.get("/v1/flows", params={"exporter": "Atlantis"})
    assert unknown.status_code == 404


def test_rare_earth_export_controls_show_the_trade_they_bear_on(trade_client, seeded_store):
    # The HS codes the hs-codes work gives these seed goods (rare-earth compounds, rare-earth metals).
    goods = seeded_store.entities(evidence=True, ids=["commodity:rare-earths", "commodity:medium-heavy-rare-earths"])
    seeded_store.upsert(Batch(entities=[
        goods["commodity:rare-earths"].model_copy(update={"attributes": {"hs": "2846"}}),
        goods["commodity:medium-heavy-rare-earths"].model_copy(update={"attributes": {"hs": "280530"}}),
    ]))
    answer = trade_client.get(f"/v1/measures/{CONTROLS}/impact").json()
    (trade,) = answer["trade"]
    assert (trade["exporter"]["id"], trade["importer"]["id"]) == ("country:CN", "country:US")
    assert trade["hs"] == ["280530", "2846"]
    # China's exports to the US: 150,000 (284690) + 30,000 (280530) thousand USD; to the world also 90,000 to Japan.
    assert trade["by_year"] == [
        {"year": 2023, "dataset": "BACI HS17 V202401", "value_usd": 180_000_000.0, "world_value_usd": 270_000_000.0, "rows": 2}
    ]


def test_impact_without_flows_has_no_trade(make_client):
    assert make_client(query_timeout_s=0).get(f"/v1/measures/{CONTROLS}/impact").json()["trade"] == []
