"""GET /v1/search, /v1/entities/{id}, /neighbors, /v1/paths, /v1/subgraph."""

import pytest


@pytest.mark.parametrize(("q", "expected"), [("稀土", "commodity:rare-earths"), ("rare earths", "commodity:rare-earths"), ("中方", "country:CN"), ("China", "country:CN"), ("PRC", "country:CN")])
def test_search_in_any_language(client, q, expected):
    answer = client.get("/v1/search", params={"q": q}).json()
    assert answer["data"][0]["entity"]["id"] == expected and answer["data"][0]["score"] == 3


def test_entity_detail_with_evidence(client):
    answer = client.get("/v1/entities/commodity:rare-earths").json()
    assert answer["entity"]["names"]["zh"] == "稀土"
    assert answer["entity"]["evidence"][0]["quote"] == "稀土"
    assert answer["relations"]["in"]["IS_A"] >= 2


def test_unknown_and_ambiguous_names_list_candidates(client, seeded_store):
    # a plural folds away (rare earth = rare earths); a word cut short does not
    assert client.get("/v1/entities/rare%20earth").json()["entity"]["id"] == "commodity:rare-earths"
    unknown = client.get("/v1/entities/rare%20eart")
    assert unknown.status_code == 404
    assert "commodity:rare-earths" in [c["id"] for c in unknown.json()["candidates"]]
    from graph.model.records import Batch, Entity

    us = seeded_store.entity("country:US")
    twin = Entity(id="firm:us-steel", names={"en": "US Steel"}, aliases=["US"], evidence=us.evidence[:1])
    seeded_store.upsert(Batch(entities=[twin]))
    ambiguous = client.get("/v1/entities/US")
    assert ambiguous.status_code == 409
    assert {c["id"] for c in ambiguous.json()["candidates"]} == {"country:US", "firm:us-steel"}
    # where the parameter takes only countries, the type settles it
    assert client.get("/v1/dependents", params={"commodity": "稀土", "origin": "US"}).status_code == 200


def test_neighbors_by_type_and_direction(client):
    answer = client.get("/v1/entities/F-35/neighbors", params={"relation": "DEPENDS_ON", "direction": "out", "depth": 2}).json()
    assert [(e["source"], e["target"]) for e in answer["edges"]] == [("product:f-35", "commodity:ndfeb-magnets")]
    wider = client.get("/v1/entities/F-35/neighbors", params={"depth": 2}).json()
    assert len(wider["nodes"]) > 3


def test_shortest_paths(client):
    answer = client.get("/v1/paths", params={"source": "F-35", "target": "稀土"}).json()
    assert answer["length"] == 2  # F-35 -BASED_IN-> US -DEPENDS_ON-> rare earths
    routes = [[(s["source"], s["target"]) for s in path] for path in answer["paths"]]
    assert [("product:f-35", "country:US"), ("country:US", "commodity:rare-earths")] in routes
    assert all(len(path) == 2 and all(step["evidence"] for step in path) for path in answer["paths"])
    none = client.get("/v1/paths", params={"source": "F-35", "target": "稀土", "max_length": 1}).json()
    assert none["length"] is None and none["paths"] == []


def test_subgraph_as_cytoscape_elements(client):
    answer = client.get("/v1/subgraph", params={"ids": "F-35,镝", "depth": 1}).json()
    node_ids = {e["data"]["id"] for e in answer["elements"] if e["group"] == "nodes"}
    assert {"product:f-35", "commodity:dysprosium"} <= node_ids
    for edge in (e for e in answer["elements"] if e["group"] == "edges"):
        assert edge["data"]["source"] in node_ids and edge["data"]["target"] in node_ids
