"""Health, stats, export, ETags, CORS, problem details, documents and write access."""

import json

import networkx as nx

from tests.app.api.conftest import TOKEN


def test_health_and_readiness(client, seeded_store):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["backend"] == seeded_store.backend


def test_etag_follows_the_data_version(client, seeded_store):
    first = client.get("/v1/stats")
    etag = first.headers["etag"]
    assert client.get("/v1/stats", headers={"If-None-Match": etag}).status_code == 304
    seeded_store.remove_document(seeded_store.documents()[0].id)
    changed = client.get("/v1/stats", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_cors_is_closed_by_default_and_configurable(make_client):
    closed = make_client().get("/v1/stats", headers={"Origin": "https://dash.example"})
    assert "access-control-allow-origin" not in closed.headers
    opened = make_client(cors_origins=["https://dash.example"]).get("/v1/stats", headers={"Origin": "https://dash.example"})
    assert opened.headers["access-control-allow-origin"] == "https://dash.example"


def test_export_formats(client):
    exported = json.loads(client.get("/v1/export", params={"format": "json"}).content)
    stats = client.get("/v1/stats").json()["counts"]
    assert len(exported["relations"]) == stats["relations"]
    graphml = client.get("/v1/export", params={"format": "graphml"})
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    import io

    assert nx.read_graphml(io.BytesIO(graphml.content)).number_of_edges() == stats["relations"]


def test_get_document_and_its_spans(client, seeded_store):
    doc_id = next(d.id for d in seeded_store.documents() if d.language == "zh")
    document = client.get(f"/v1/documents/{doc_id}").json()
    relation = client.get("/v1/dependents", params={"commodity": "稀土"}).json()["data"][0]["paths"][0]["steps"][0]
    evidence = relation["evidence"][0]
    assert document["text"][evidence["start"] : evidence["end"]] == evidence["quote"]
    assert client.get("/v1/documents/doc:0000000000000000").status_code == 404
    assert client.get("/v1/documents/not-an-id").status_code == 422


def test_writes_need_the_token(make_client, client, seeded_store):
    doc_id = seeded_store.documents()[0].id
    disabled = make_client().delete(f"/v1/documents/{doc_id}")
    assert disabled.status_code == 401 and "disabled" in disabled.json()["detail"]
    assert client.delete(f"/v1/documents/{doc_id}").status_code == 401
    wrong = client.delete(f"/v1/documents/{doc_id}", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    before = seeded_store.counts()
    removed = client.delete(f"/v1/documents/{doc_id}", headers={"Authorization": f"Bearer {TOKEN}"})
    assert removed.status_code == 200 and removed.json()["summary"]["changed"]
    assert seeded_store.counts().evidence < before.evidence


def test_oversized_bodies_are_refused(make_client):
    client = make_client(api_token=TOKEN, max_body_bytes=1000)
    response = client.post("/v1/documents", content=b"{" + b" " * 5000 + b"}", headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["title"] == "Payload too large"


def test_openapi_documents_every_route_with_a_response_model(client):
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ok = operation["responses"].get("200") or operation["responses"].get("201")
            assert operation.get("description") or operation.get("summary"), (path, method)
            if path != "/v1/export":
                assert "$ref" in json.dumps(ok["content"]["application/json"]["schema"]), (path, method)
