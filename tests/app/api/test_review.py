"""Issue 21's review decisions over HTTP on both stores: a merge keeps the merged id working, a
rejected fact leaves every answer until it is undone, and decisions outlive the facts' documents."""

from __future__ import annotations

from graph.model.records import Batch, Document, Entity, Evidence, Relation
from tests.app.api.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
F35_MAGNETS = "product:f-35|DEPENDS_ON|commodity:ndfeb-magnets|country:CN"
SOYBEANS = "measure:cn-2025-us-soybean-purchase-halt"
RARE_EARTH_CONTROLS = "measure:cn-2025-10-09-rare-earth-export-controls"


def _decide(client, **body) -> dict:
    response = client.post("/v1/review/decisions", json={"reason": "a test", **body}, headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()["decision"]


def _dependents(client) -> set[str]:
    data = client.get("/v1/dependents", params={"commodity": "commodity:rare-earths", "max_depth": 4}).json()["data"]
    return {item["entity"]["id"] for item in data}


def _escalation(client) -> set[str]:
    data = client.get("/v1/escalation", params={"a": "country:US", "b": "country:CN"}).json()["data"]
    return {view["entity"]["id"] for view in data}


def _impact(client) -> set[str]:
    answer = client.get(f"/v1/measures/{RARE_EARTH_CONTROLS}/impact").json()
    return {item["entity"]["id"] for item in answer["hits"] + answer["elsewhere"]}


def test_a_rejected_fact_leaves_every_answer_and_comes_back_on_undo(client):
    before = (_dependents(client), _escalation(client), _impact(client))
    assert "product:f-35" in before[0] and SOYBEANS in before[1] and "product:f-35" in before[2]

    relation = _decide(client, kind="reject", subject=F35_MAGNETS)
    measure = _decide(client, kind="reject", subject=SOYBEANS, reason="a rumour")
    assert "product:f-35" not in _dependents(client)
    assert "product:f-35" not in _impact(client)
    assert _escalation(client) == before[1] - {SOYBEANS}
    assert client.get(f"/v1/entities/{SOYBEANS}").status_code == 404
    queue = client.get("/v1/review").json()["decisions"]
    assert [(d["decision"]["kind"], d["decision"]["subject"], d["in_force"]) for d in queue] == [
        ("reject", F35_MAGNETS, True), ("reject", SOYBEANS, True)
    ]
    assert queue[1]["decision"]["reason"] == "a rumour" and queue[1]["decision"]["at"]

    _decide(client, kind="undo", subject=relation["id"])
    _decide(client, kind="undo", subject=measure["id"])
    assert (_dependents(client), _escalation(client), _impact(client)) == before
    assert [d["in_force"] for d in client.get("/v1/review").json()["decisions"]] == [False, False, True, True]


def test_a_decision_posted_twice_is_recorded_once_and_one_naming_nothing_is_refused(client):
    first = client.post("/v1/review/decisions", json={"kind": "reject", "subject": SOYBEANS, "reason": "x"}, headers=AUTH)
    again = client.post("/v1/review/decisions", json={"kind": "reject", "subject": SOYBEANS, "reason": "x"}, headers=AUTH)
    assert first.json()["summary"]["changed"] and not again.json()["summary"]["changed"]
    assert first.json()["decision"] == again.json()["decision"]
    missing = client.post("/v1/review/decisions", json={"kind": "reject", "subject": "firm:nobody", "reason": "x"}, headers=AUTH)
    assert missing.status_code == 422 and missing.json()["field"] == "decisions[0].subject"
    unsigned = client.post("/v1/review/decisions", json={"kind": "reject", "subject": SOYBEANS, "reason": "y"})
    assert unsigned.status_code == 401
    mixed = client.post("/v1/review/decisions", json={"kind": "merge", "subject": "firm:boeing", "into": "country:US", "reason": "y"}, headers=AUTH)
    assert mixed.status_code == 422


def _firm_in_two_languages(store) -> None:
    english = Document(text="Acme Semiconductor depends on gallium from China.", language="en")
    chinese = Document(text="雅克半导体公司从中国进口镓。", language="zh")

    def quote(doc: Document, words: str) -> list[Evidence]:
        start = doc.text.index(words)
        return [Evidence(document_id=doc.id, quote=words, start=start, end=start + len(words), extractor="test")]

    store.upsert(Batch(
        documents=[english, chinese],
        entities=[
            Entity(id="firm:acme-semiconductor", names={"en": "Acme Semiconductor"}, evidence=quote(english, "Acme Semiconductor")),
            Entity(id="firm:yake-bandaoti", names={"zh": "雅克半导体"}, evidence=quote(chinese, "雅克半导体公司")),
            Entity(id="commodity:gallium", names={"en": "gallium", "zh": "镓"}, evidence=quote(english, "gallium")),
        ],
        relations=[
            Relation(source="firm:acme-semiconductor", type="DEPENDS_ON", target="commodity:gallium", origin="country:CN", evidence=quote(english, "depends on gallium from China")),
            Relation(source="firm:yake-bandaoti", type="DEPENDS_ON", target="commodity:gallium", origin="country:CN", evidence=quote(chinese, "从中国进口镓")),
            Relation(source="firm:yake-bandaoti", type="BASED_IN", target="country:CN", evidence=quote(chinese, "雅克半导体公司")),
        ],
    ))


def test_a_merged_firm_keeps_resolving_and_keeps_both_languages_evidence(client, seeded_store):
    _firm_in_two_languages(seeded_store)
    untouched = client.get("/v1/escalation", params={"a": "country:US", "b": "country:CN"}).json()
    _decide(client, kind="merge", subject="firm:yake-bandaoti", into="firm:acme-semiconductor")

    moved = client.get("/v1/entities/firm:yake-bandaoti", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/v1/entities/firm:acme-semiconductor"
    neighbours = client.get("/v1/entities/firm:yake-bandaoti/neighbors", params={"depth": 1}, follow_redirects=False)
    assert neighbours.status_code == 301 and neighbours.headers["location"].startswith("/v1/entities/firm:acme-semiconductor/neighbors?")
    kept = client.get("/v1/entities/firm:yake-bandaoti").json()  # followed
    assert kept["entity"]["id"] == "firm:acme-semiconductor"
    assert "雅克半导体" in kept["entity"]["aliases"] or kept["entity"]["names"].get("zh") == "雅克半导体"
    assert {e["quote"] for e in kept["entity"]["evidence"]} == {"Acme Semiconductor", "雅克半导体公司"}
    assert kept["relations"]["out"] == {"BASED_IN": 1, "DEPENDS_ON": 1}

    dependents = client.get("/v1/dependents", params={"commodity": "镓"}).json()["data"]
    assert [item["entity"]["id"] for item in dependents] == ["firm:acme-semiconductor"]
    (step,) = dependents[0]["paths"][0]["steps"]
    assert {e["quote"] for e in step["evidence"]} == {"depends on gallium from China", "从中国进口镓"}
    # A query parameter naming the old id resolves to the kept one; other answers are as they were.
    assert client.get("/v1/paths", params={"source": "firm:yake-bandaoti", "target": "commodity:gallium"}).status_code == 200
    assert client.get("/v1/search", params={"q": "雅克半导体"}).json()["data"][0]["entity"]["id"] == "firm:acme-semiconductor"
    assert client.get("/v1/escalation", params={"a": "country:US", "b": "country:CN"}).json() == untouched


def test_decisions_outlive_the_documents_they_judge(client, seeded_store, seed_batch):
    _decide(client, kind="reject", subject=SOYBEANS)
    article = next(d.id for d in seed_batch.documents if d.language == "zh")
    assert client.delete(f"/v1/documents/{article}", headers=AUTH).status_code == 200
    seeded_store.upsert(seed_batch)  # the same documents ingested again
    assert SOYBEANS in {i for i in seeded_store.entity_ids()}
    assert SOYBEANS not in _escalation(client)
    assert [d["in_force"] for d in client.get("/v1/review").json()["decisions"]] == [True]


def test_the_queue_proposes_pairs_and_forgets_those_decided(client, seeded_store):
    _firm_in_two_languages(seeded_store)
    seeded_store.upsert(Batch(
        documents=[doc := Document(text="Acme Semiconductor (雅克半导体) makes chips.", language="en")],
        entities=[
            Entity(id="firm:yake-bandaoti", names={"zh": "雅克半导体"}, aliases=["Acme Semiconductor"],
                   evidence=[Evidence(document_id=doc.id, quote="雅克半导体", start=20, end=25, extractor="rule:test", confidence=0.3)]),
            Entity(id="commodity:chips-of-doubt", names={"en": "chips"},
                   evidence=[Evidence(document_id=doc.id, quote="chips", start=33, end=38, extractor="rule:test", confidence=0.3)]),
        ],
    ))
    queue = client.get("/v1/review", params={"threshold": 0.9}).json()
    pairs = [{c["a"]["id"], c["b"]["id"]} for c in queue["candidates"]]
    assert {"firm:acme-semiconductor", "firm:yake-bandaoti"} in pairs
    assert [f["subject"] for f in queue["low_confidence"]] == ["commodity:chips-of-doubt"]
    assert queue["low_confidence"][0]["confidence"] == 0.3
    _decide(client, kind="distinct", subject="firm:yake-bandaoti", into="firm:acme-semiconductor")
    after = client.get("/v1/review").json()
    assert {"firm:acme-semiconductor", "firm:yake-bandaoti"} not in [{c["a"]["id"], c["b"]["id"]} for c in after["candidates"]]
    assert client.get("/v1/entities/firm:yake-bandaoti", follow_redirects=False).status_code == 200  # distinct is no merge


def test_a_fact_read_with_little_confidence_is_marked_doubtful_in_answers(client, make_client, seeded_store, monkeypatch):
    doc = Document(text="Beta Metals reportedly relies on gallium.", language="en")

    def said(words: str, confidence: float = 0.9) -> list[Evidence]:
        start = doc.text.index(words)
        return [Evidence(document_id=doc.id, quote=words, start=start, end=start + len(words), extractor="rule:test", confidence=confidence)]

    seeded_store.upsert(Batch(
        documents=[doc],
        entities=[
            Entity(id="firm:beta-metals", names={"en": "Beta Metals"}, evidence=said("Beta Metals")),
            Entity(id="commodity:gallium", names={"en": "gallium"}, evidence=said("gallium")),
        ],
        relations=[Relation(source="firm:beta-metals", type="DEPENDS_ON", target="commodity:gallium", evidence=said("relies on gallium", 0.3))],
    ))

    def step(asking) -> dict:
        (item,) = asking.get("/v1/dependents", params={"commodity": "commodity:gallium"}).json()["data"]
        return item["paths"][0]["steps"][0]

    assert step(client)["doubtful"] is True
    monkeypatch.setenv("TRADEGRAPH_DOUBT_BELOW", "0.2")  # a server started with a lower bar
    assert step(make_client(api_token=TOKEN))["doubtful"] is False
    seeded = client.get("/v1/dependents", params={"commodity": "commodity:rare-earths"}).json()["data"]
    assert not any(s["doubtful"] for item in seeded for path in item["paths"] for s in path["steps"])


def test_a_relation_is_rejected_by_the_key_answers_show_after_a_merge(client, seeded_store):
    _firm_in_two_languages(seeded_store)
    _decide(client, kind="merge", subject="firm:yake-bandaoti", into="firm:acme-semiconductor")
    moved = client.get("/v1/entities/firm:yake-bandaoti", follow_redirects=False)
    assert moved.headers["cache-control"] == "no-store"  # an undo must bring the old id back
    shown = "firm:acme-semiconductor|BASED_IN|country:CN|"  # stored under firm:yake-bandaoti
    _decide(client, kind="reject", subject=shown)
    assert client.get("/v1/entities/firm:acme-semiconductor").json()["relations"]["out"] == {"DEPENDS_ON": 1}


def test_a_decision_made_again_after_an_undo_is_recorded_anew(client):
    first = _decide(client, kind="reject", subject=SOYBEANS, reason="a rumour")
    _decide(client, kind="undo", subject=first["id"], reason="confirmed")
    again = _decide(client, kind="reject", subject=SOYBEANS, reason="a rumour")
    assert again["id"] != first["id"]
    assert SOYBEANS not in _escalation(client)
    assert [d["in_force"] for d in client.get("/v1/review").json()["decisions"]] == [False, True, True]


def test_an_ingested_document_comes_back_with_the_time_the_store_took_it(client):
    response = client.post("/v1/documents", json={"text": "China restricted gallium exports in July 2023.", "language": "en"}, headers=AUTH)
    taken = response.json()["document"]["ingested"]
    assert taken and taken == client.get(f"/v1/documents/{response.json()['document']['id']}").json()["ingested"]
