"""Issue 20's time questions over HTTP, on both stores: the graph as it stood on a day (``as_of``),
as the store knew it at a moment (``known_at``), and a measure's lifecycle told by two documents."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.app.api.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TARIFF_155 = "measure:us-2025-11-01-tariff-155"

ANNOUNCED = "On March 4, 2025, the United States announced a 25% tariff on steel imports from Canada. The tariff took effect on March 12, 2025."
LIFTED = "The United States lifted its 25% tariff on Canadian steel on June 3, 2025."


def _measures(client, **params) -> dict[str, dict]:
    response = client.get("/v1/measures", params=params)
    assert response.status_code == 200, response.text
    return {view["entity"]["id"]: view for view in response.json()["data"]}


def test_measures_as_of_a_day_hold_only_what_had_happened(client):
    assert TARIFF_155 not in _measures(client, imposer="country:US", as_of="2025-10-15")
    listed = _measures(client, imposer="country:US", as_of="2025-10-24")
    assert listed[TARIFF_155]["measure"]["status"] == "threatened"
    # Every event shown had happened by the day asked for.
    for view in _measures(client, as_of="2025-10-12").values():
        assert all(e["date"] is None or e["date"] <= "2025-10-12" for e in view["measure"]["events"]), view["entity"]["id"]


def test_escalation_as_of_a_day_holds_what_was_announced_by_then(client):
    now = client.get("/v1/escalation", params={"a": "country:US", "b": "country:CN"}).json()
    then = client.get("/v1/escalation", params={"a": "country:US", "b": "country:CN", "as_of": "2025-10-12"}).json()
    first_day = {
        view["entity"]["id"]: min(e["date"] for e in view["measure"]["events"] if e.get("date"))
        for view in now["data"]
        if any(e.get("date") for e in view["measure"]["events"])
    }
    expected = {mid for mid, day in first_day.items() if day <= "2025-10-12"}
    assert expected and {view["entity"]["id"] for view in then["data"]} == expected
    assert then["summary"]["measures"] == len(expected) < now["summary"]["measures"]
    assert all(point["date"] <= "2025-10-12" for point in then["index"])
    # Taken with its whole lifecycle later, the rare-earth controls were only announced then.
    statuses = {view["entity"]["id"]: view["measure"]["status"] for view in then["data"]}
    assert statuses["measure:cn-2025-10-09-rare-earth-export-controls"] == "announced"


def test_a_misspelt_as_of_is_refused_naming_the_right_one(client):
    response = client.get("/v1/measures", params={"asof": "2025-10-15"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "asof" in response.json()["detail"] and "as_of" in response.json()["detail"]


@pytest.mark.parametrize("bad", ["2025-10-24T08:00:00", "yesterday"])
def test_known_at_needs_a_moment_with_its_zone(client, bad):
    response = client.get("/v1/measures", params={"known_at": bad})
    assert response.status_code == 422, response.text


def _post(client, text: str, published: str) -> str:
    response = client.post("/v1/documents", json={"text": text, "published": published, "language": "en"}, headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()["document"]["id"]


def _steel_tariff(client, **params) -> dict:
    (view,) = [v for v in _measures(client, imposer="country:US", **params).values() if "steel" in v["entity"]["id"]]
    return view


def test_a_measure_announced_put_in_force_and_lifted_in_two_documents(client):
    first = _post(client, ANNOUNCED, "2025-03-05")
    second = _post(client, LIFTED, "2025-06-04")
    view = _steel_tariff(client)
    events = [(e["stage"], e["date"], e["evidence"]["document_id"]) for e in view["measure"]["events"]]
    assert events == [("announced", "2025-03-04", first), ("in_force", "2025-03-12", first), ("lifted", "2025-06-03", second)]
    assert all(e["evidence"]["quote"] in (ANNOUNCED + LIFTED) for e in view["measure"]["events"])
    assert view["measure"]["status"] == "lifted"

    assert not [v for v in _measures(client, imposer="country:US", as_of="2025-03-03").values() if "steel" in v["entity"]["id"]]
    for day, status in (("2025-03-04", "announced"), ("2025-03-11", "announced"), ("2025-03-12", "in_force"), ("2025-06-02", "in_force"), ("2025-06-03", "lifted")):
        assert _steel_tariff(client, as_of=day)["measure"]["status"] == status, day

    # The escalation index moves on each event's day: up when announced, up again when in force,
    # down below where it started when lifted.
    index = client.get("/v1/escalation", params={"a": "country:US", "b": "country:CA"}).json()["index"]
    moves = {point["date"]: point["delta"] for point in index}
    assert list(moves) == ["2025-03-04", "2025-03-12", "2025-06-03"]
    assert moves["2025-03-04"] > 0 and moves["2025-03-12"] > 0 and moves["2025-06-03"] < 0
    assert index[-1]["index"] < 0
    stages = [change["stage"] for point in index for change in point["changes"]]
    assert stages == ["announced", "in_force", "lifted"]


def test_known_at_before_a_document_answers_without_its_facts(client):
    first = _post(client, ANNOUNCED, "2025-03-05")
    taken = client.get(f"/v1/documents/{first}").json()["ingested"]
    assert dt.datetime.fromisoformat(taken).tzinfo is not None
    second = _post(client, LIFTED, "2025-06-04")
    assert client.get(f"/v1/documents/{second}").json()["ingested"] > taken

    then = _steel_tariff(client, known_at=taken)
    assert [e["stage"] for e in then["measure"]["events"]] == ["announced", "in_force"]
    assert then["measure"]["status"] == "in_force"
    assert {e["document_id"] for e in then["evidence"]} == {first}
    now = _steel_tariff(client)
    assert now["measure"]["status"] == "lifted" and {e["document_id"] for e in now["evidence"]} == {first, second}

    before_any = client.get("/v1/measures", params={"known_at": "2000-01-01T00:00:00Z"}).json()
    seeded = [v for v in before_any["data"] if v["entity"]["id"] == TARIFF_155]
    assert not seeded, "the seed's documents were taken after 2000"
    stats = client.get("/v1/stats", params={"known_at": taken}).json()
    assert stats["counts"]["documents"] == client.get("/v1/stats").json()["counts"]["documents"] - 1


def test_an_entity_says_when_the_store_first_and_last_saw_it(client):
    first = _post(client, ANNOUNCED, "2025-03-05")
    second = _post(client, LIFTED, "2025-06-04")
    taken = {doc: client.get(f"/v1/documents/{doc}").json()["ingested"] for doc in (first, second)}
    measure = _steel_tariff(client)["entity"]["id"]
    seen = client.get(f"/v1/entities/{measure}").json()["seen"]
    assert (seen["first"], seen["last"]) == (taken[first], taken[second])
    then = client.get(f"/v1/entities/{measure}", params={"known_at": taken[first]}).json()["seen"]
    assert then["first"] == then["last"] == taken[first]
