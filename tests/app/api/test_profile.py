"""GET /v1/countries/{country}/profile over HTTP on both stores: its totals are what
/v1/measures lists for the country as imposer and as target, and it answers as of a day."""

from __future__ import annotations


def test_the_profile_counts_what_the_measure_list_holds(client):
    answer = client.get("/v1/countries/中国/profile")
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["entity"]["id"] == "country:CN"
    imposed = client.get("/v1/measures", params={"imposer": "中国"}).json()["count"]
    received = client.get("/v1/measures", params={"target": "中国"}).json()["count"]
    assert (page["imposed_total"], page["received_total"]) == (imposed, received) and imposed > 0
    assert sum(r["count"] for r in page["imposed"]) == imposed
    assert page["counterparts"][0]["entity"]["id"] == "country:US"
    assert page["leverage"]["country"]["id"] == "country:CN"


def test_the_profile_as_of_a_day_and_for_unknown_names(client):
    before = client.get("/v1/countries/中国/profile", params={"as_of": "2025-10-01"}).json()
    assert before["imposed_total"] < client.get("/v1/countries/中国/profile").json()["imposed_total"]
    assert client.get("/v1/countries/Atlantis/profile").status_code == 404
