"""POST and DELETE /v1/documents: a text goes through the extractor into the store and back out."""

from tests.app.api.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = (
    "On 3 July 2023 China's Ministry of Commerce announced export controls on gallium and germanium, "
    "taking effect on 1 August 2023. The move was widely seen as a response to US chip export controls."
)


def test_a_posted_text_is_extracted_with_evidence(client, seeded_store):
    before = seeded_store.counts()
    response = client.post("/v1/documents", json={"text": TEXT, "published": "2023-07-04", "language": "en"}, headers=AUTH)
    assert response.status_code == 201, response.text
    body = response.json()
    document = body["document"]
    measures = [e for e in body["entities"] if e["type"] == "Measure"]
    assert measures and measures[0]["measure"]["measure_type"] == "export_control"
    for item in body["entities"] + body["relations"]:
        for evidence in item["evidence"]:
            assert document["text"][evidence["start"] : evidence["end"]] == evidence["quote"]
    assert body["summary"]["changed"] and seeded_store.counts().relations > before.relations
    stored = client.get(f"/v1/documents/{document['id']}").json()
    assert stored["text"] == document["text"]

    again = client.post("/v1/documents", json={"text": TEXT, "published": "2023-07-04", "language": "en"}, headers=AUTH)
    assert again.status_code == 201 and not again.json()["summary"]["changed"]

    removed = client.delete(f"/v1/documents/{document['id']}", headers=AUTH)
    assert removed.status_code == 200
    after = seeded_store.counts()
    assert (after.entities, after.relations, after.evidence, after.documents) == (before.entities, before.relations, before.evidence, before.documents)


def test_bad_bodies_are_refused_and_change_nothing(client, seeded_store):
    version = seeded_store.data_version()
    for body in ({"text": ""}, {"text": "x", "language": "fr"}, {"text": "x", "published": "2025-13-40"}, {"text": "x", "colour": "red"}):
        response = client.post("/v1/documents", json=body, headers=AUTH)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    assert seeded_store.data_version() == version
