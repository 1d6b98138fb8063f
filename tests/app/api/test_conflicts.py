"""Issue 21: reports that disagree about one measure stay one measure, with every value and its
sources, over HTTP on both stores."""

from __future__ import annotations

import pytest

from tests.app.api.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
FIRST = "On March 4, 2025, the United States announced a 25% tariff on steel imports from Canada. The tariff took effect on March 12, 2025."
SECOND = "Washington's 25% tariff on Canadian steel, announced on March 4, 2025, took effect on March 13, 2025, officials said."
RATE = "On March 4, 2025, the United States announced a 20% tariff on steel imports from Canada."


def _post(client, text: str, published: str) -> str:
    response = client.post("/v1/documents", json={"text": text, "published": published, "language": "en"}, headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()["document"]["id"]


def _steel(client) -> list[dict]:
    data = client.get("/v1/measures", params={"imposer": "country:US", "target": "country:CA"}).json()["data"]
    return [view for view in data if "steel" in view["entity"]["id"]]


def test_two_reports_of_different_effective_dates_are_one_measure_with_both(client):
    first, second = _post(client, FIRST, "2025-03-05"), _post(client, SECOND, "2025-03-14")
    (view,) = _steel(client)
    assert view["conflict"] is True
    (conflict,) = [c for c in view["conflicts"] if c["field"] == "effective"]
    assert conflict["stage"] == "in_force"
    stated = {v["value"]: {e["document_id"] for e in v["evidence"]} for v in conflict["values"]}
    assert stated == {"2025-03-12": {first}, "2025-03-13": {second}}
    assert all(e["quote"] in FIRST + SECOND for v in conflict["values"] for e in v["evidence"])
    # One source each: the latest report's date is shown, and the shown value is one of them.
    assert conflict["chosen"] == view["measure"]["effective"] == "2025-03-13"
    detail = client.get(f"/v1/entities/{view['entity']['id']}").json()
    assert [c["field"] for c in detail["conflicts"]] == ["effective"]


def test_the_most_cited_value_stands_and_a_third_report_can_tip_it(client):
    first, second = _post(client, FIRST, "2025-03-05"), _post(client, SECOND, "2025-03-14")
    assert _steel(client)[0]["measure"]["effective"] == "2025-03-13"
    _post(client, FIRST.replace("The tariff", "Officials said the tariff"), "2025-03-15")
    (view,) = _steel(client)
    assert view["measure"]["effective"] == "2025-03-12"  # two documents against one
    assert {v["value"] for c in view["conflicts"] for v in c["values"]} == {"2025-03-12", "2025-03-13"}
    assert first and second


def test_a_rate_two_sources_disagree_on_is_a_conflict_and_agreement_is_not(client):
    _post(client, FIRST, "2025-03-05")
    (view,) = _steel(client)
    assert view["conflict"] is False and view["conflicts"] == []
    _post(client, RATE, "2025-03-06")
    (view,) = _steel(client)
    (conflict,) = [c for c in view["conflicts"] if c["field"] == "rate"]
    assert {v["value"] for v in conflict["values"]} == {25.0, 20.0}
    assert conflict["chosen"] == view["measure"]["rate"]


@pytest.mark.parametrize(("rule", "shown"), [("curated,cited", "2025-03-12"), ("latest", "2025-03-13")])
def test_the_choice_rule_is_a_setting(client, monkeypatch, rule, shown):
    """Two reports of the 12th, then one of the 13th: the most cited by default, the latest when
    the rule says only "latest" (TRADEGRAPH_CHOICE_RULE)."""
    monkeypatch.setenv("TRADEGRAPH_CHOICE_RULE", rule)
    _post(client, FIRST, "2025-03-05")
    _post(client, FIRST.replace("The tariff", "Officials said the tariff"), "2025-03-06")
    _post(client, SECOND, "2025-03-14")
    assert _steel(client)[0]["measure"]["effective"] == shown


def test_an_unknown_choice_rule_is_an_error_naming_the_setting(monkeypatch):
    from graph.model.claims import choice_rule

    monkeypatch.setenv("TRADEGRAPH_CHOICE_RULE", "curated,loudest")
    with pytest.raises(ValueError, match="TRADEGRAPH_CHOICE_RULE"):
        choice_rule()


RELIES = "Japan relies on China for 60% of its rare earth imports, officials said."
RELIES_AGAIN = "Japan relies on China for about 90% of its rare earth imports, a report said."


def _reliance(client, **params) -> dict:
    """The step Japan DEPENDS_ON China in Japan's dependencies (the same in every path it is on)."""
    answer = client.get("/v1/entities/country:JP/dependencies", params=params)
    assert answer.status_code == 200, answer.text
    steps = {
        (s["source"], s["type"], s["target"], s["origin"]): s
        for item in answer.json()["data"] for s in item["path"]
        if s["type"] == "DEPENDS_ON" and s["target"] == "country:CN"
    }
    (step,) = steps.values()
    return step


def test_two_reports_of_a_share_are_one_relation_with_both_values(client):
    first, second = _post(client, RELIES, "2025-03-05"), _post(client, RELIES_AGAIN, "2025-03-06")
    step = _reliance(client)
    assert step["conflict"] is True
    (conflict,) = step["conflicts"]
    assert conflict["field"] == "share" and conflict["chosen"] == step["share"] == 0.9  # one source each: the latest
    assert {v["value"]: [e["document_id"] for e in v["evidence"]] for v in conflict["values"]} == {0.6: [first], 0.9: [second]}
    assert {e["quote"] for v in conflict["values"] for e in v["evidence"]} == {RELIES, RELIES_AGAIN}

    taken = client.get(f"/v1/documents/{first}").json()["ingested"]
    then = _reliance(client, known_at=taken)
    assert (then["share"], then["conflict"]) == (0.6, False)

    assert client.delete(f"/v1/documents/{second}", headers=AUTH).status_code == 200
    after = _reliance(client)
    assert (after["share"], after["conflict"], after["conflicts"]) == (0.6, False, [])
