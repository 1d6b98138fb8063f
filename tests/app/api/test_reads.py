"""The read runner (app/api/reads.py): every read answers from the one snapshot it entered, a write
landing while it is read never makes it fail or run again, and conditional requests are answered
from the snapshot's version."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

import app.api.routes.system as system_routes
import graph.queries.dependencies as dependencies_queries
from app.main import create_app
from app.settings import Settings
from graph.embedded import EmbeddedStore
from graph.model.records import Batch, Document, Entity, Evidence
from graph.store import GraphReader, GraphStore


def _new_document(n: int) -> Batch:
    """A batch that moves the data version each time (a new document citing China)."""
    text = f"Report {n}: China supplies gallium to everyone."
    document = Document(text=text, language="en")
    start = text.index("China")
    evidence = [Evidence(document_id=document.id, quote="China", start=start, end=start + 5)]
    return Batch(documents=[document], entities=[Entity(id="country:CN", names={"en": "China"}, evidence=evidence)])


@contextmanager
def _other_writer(store: GraphStore) -> Iterator[GraphStore]:
    """A writer beside the server's: another connection to the same SQLite file (as the CLI
    would be), or the same Neo4j database."""
    if isinstance(store, EmbeddedStore):
        with EmbeddedStore(store.path) as other:
            yield other
    else:
        yield store


def test_a_read_whose_version_moves_mid_request_answers_200_once(client, seeded_store, monkeypatch):
    """A write commits between two store calls of the dependents walk (after the names are
    resolved, before the walk): the read still answers 200, is run once (no retry), and its ETag
    names the version it started reading at. Before the read runner this was re-run 50 times and
    answered 503 /problems/graph-changing."""
    walk = dependencies_queries._walk
    before = seeded_store.data_version()
    runs = []
    with _other_writer(seeded_store) as other:

        def write_then_walk(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            runs.append(True)
            other.upsert(_new_document(len(runs)))
            return walk(*args, **kwargs)

        monkeypatch.setattr(dependencies_queries, "_walk", write_then_walk)
        response = client.get("/v1/dependents", params={"commodity": "稀土", "origin": "中国"})
    assert response.status_code == 200, response.text[:300]
    assert len(runs) == 1
    assert response.json()["data"]
    assert response.headers["etag"] == f'W/"{seeded_store.backend}-{before}"'
    assert seeded_store.data_version() != before  # the write did land


def test_an_export_whose_version_moves_mid_stream_is_sent_whole(client, seeded_store, monkeypatch):
    """A write commits after the export's first chunk: the export is still a 200 with a whole JSON
    document, produced once. Before the read runner it was spooled, found moved, tried 5 times
    and refused with 503 /problems/graph-changing."""
    export_json = system_routes.export_json
    runs = []
    with _other_writer(seeded_store) as other:

        def export_with_a_write(reader: GraphReader) -> Iterator[bytes]:
            runs.append(True)
            chunks = export_json(reader)
            yield next(chunks)
            other.upsert(_new_document(100 + len(runs)))
            yield from chunks

        monkeypatch.setattr(system_routes, "export_json", export_with_a_write)
        response = client.get("/v1/export")
    assert response.status_code == 200, response.text[:300]
    assert len(runs) == 1
    body = orjson.loads(response.content)
    assert body["documents"] and body["entities"] and body["relations"]


class _Frozen(EmbeddedStore):
    """A store whose snapshots read another store: whatever is written to this one, a read that
    goes through its snapshot cannot see it."""

    frozen: GraphReader

    @contextmanager
    def snapshot(self) -> Iterator[GraphReader]:
        yield type(self).frozen

    @contextmanager
    def try_snapshot(self) -> Iterator[GraphReader | None]:
        yield type(self).frozen  # the short reads the runner answers on the event loop


def test_every_read_answers_from_the_snapshot_it_entered(tmp_path: Path, seed_batch):
    """Routes read the reader the runner's snapshot gives them, never the app's store: with a
    store whose snapshot reads a copy, a document removed from the store is still served, counted
    and exported, and the ETag names the copy's version."""
    frozen = EmbeddedStore(tmp_path / "frozen.db")
    frozen.upsert(seed_batch)
    store = type("Frozen", (_Frozen,), {"frozen": frozen})(tmp_path / "live.db")
    store.upsert(seed_batch)
    removed = next(d.id for d in store.documents() if d.language == "zh")
    store.remove_document(removed)
    with EmbeddedStore(tmp_path / "live.db") as live:  # the store's own reads are snapshots too, so frozen ones
        assert live.document(removed) is None
    etag = f'W/"embedded-{frozen.data_version()}"'
    with TestClient(create_app(Settings(), store=store)) as client:
        document = client.get(f"/v1/documents/{removed}")
        assert document.status_code == 200 and document.headers["etag"] == etag
        stats = client.get("/v1/stats").json()
        assert stats["counts"]["documents"] == frozen.counts().documents and stats["data_version"] == frozen.data_version()
        assert client.get("/readyz").json()["data_version"] == frozen.data_version()
        exported = client.get("/v1/export")
        assert removed in {d["id"] for d in exported.json()["documents"]} and exported.headers["etag"] == etag
        dependents = client.get("/v1/dependents", params={"commodity": "稀土"})
        assert dependents.status_code == 200 and dependents.headers["etag"] == etag
        assert client.get("/v1/search", params={"q": "稀土"}).headers["etag"] == etag
    store.close()
    frozen.close()


class _CountingVersions(EmbeddedStore):
    asked = 0

    def data_version(self) -> int:
        type(self).asked += 1
        return super().data_version()


@pytest.mark.parametrize("cache_mb", [0, 64])
def test_the_data_version_is_asked_at_most_once_per_read(tmp_path: Path, seed_batch, cache_mb: int):
    """One snapshot, one version: it tags the answer, keys the cache and answers If-None-Match.
    (The ETag middleware asked twice or more: before the answer, after it, and again per retry.)"""
    store = type("Counting", (_CountingVersions,), {})(tmp_path / "counting.db")
    store.upsert(seed_batch)
    with TestClient(create_app(Settings(answer_cache_mb=cache_mb), store=store)) as client:
        for _ in range(3):
            type(store).asked = 0
            response = client.get("/v1/entities/country:CN")
            assert response.status_code == 200
            assert type(store).asked <= 1
            type(store).asked = 0
            assert client.get("/v1/entities/country:CN", headers={"If-None-Match": response.headers["etag"]}).status_code == 304
            assert type(store).asked <= 1
    store.close()


def test_if_none_match_is_answered_from_the_snapshots_version(client, seeded_store):
    """304 without a body while the version holds, for the tag alone, in a list, or compared
    weakly; a 200 with the new tag once a write moved it."""
    first = client.get("/v1/entities/稀土")
    etag = first.headers["etag"]
    assert etag == f'W/"{seeded_store.backend}-{seeded_store.data_version()}"'
    assert first.headers["cache-control"] == "no-cache"
    for held in (etag, f'"other", {etag}', etag.removeprefix("W/"), "*"):
        unchanged = client.get("/v1/entities/稀土", headers={"If-None-Match": held})
        assert unchanged.status_code == 304, held
        assert unchanged.content == b"" and unchanged.headers["etag"] == etag
    assert client.get("/v1/entities/稀土", headers={"If-None-Match": 'W/"embedded-0", "x"'}).status_code == 200
    seeded_store.upsert(_new_document(7))
    moved = client.get("/v1/entities/稀土", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["etag"] != etag and moved.json()["entity"]["id"]
