"""A live uvicorn server answers several reading clients while another process ingests and
removes documents through the same SQLite file: no request fails, no read sees part of a
document, and the server ends with exactly what a fresh open of the file holds. The short version
of ``bench/reliability/concurrency.py``.

Below it, deterministic reproductions of the torn reads the long runs once observed: they inject
the other process's commit at the exact point where a read would tear."""

from __future__ import annotations

import json

import orjson
import pytest

from bench.harness.concurrency import run_concurrency
from graph.embedded import EmbeddedStore
from graph.export import export_json
from graph.model.records import Batch, Document, Entity, Evidence


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_concurrency(tmp_path_factory.mktemp("concurrency"), seconds=8, clients=3, docs=8, facts=3, export_every=0, seed=3)


def test_no_request_fails_while_another_process_writes(run):
    summary = json.dumps(run, indent=1)
    assert run["requests"] > 100 and run["writes"] > 30, summary
    assert run["failed"] == 0, summary
    assert set(run["statuses"]) <= {"200", "404"}, summary


def test_no_read_sees_half_a_document(run):
    assert run["half_documents"] == 0, json.dumps(run, indent=1)
    assert run["requests_by_kind"].get("subgraph", 0) > 10 and run["requests_by_kind"].get("entity", 0) > 10


def test_the_server_ends_with_exactly_what_the_file_holds(run):
    assert run["server_caught_up"], json.dumps(run, indent=1)


def test_stats_always_count_whole_documents(run):
    """The store's counts() could tear (test_counts_is_one_snapshot); the API reads /v1/stats inside
    one store snapshot (app/api/reads.py), so it never shows one."""
    assert run["torn_stats"] == 0, json.dumps(run, indent=1)
    assert run["requests_by_kind"].get("stats", 0) > 10


# -- deterministic reproductions ----------------------------------------------------------------


def test_counts_is_one_snapshot(tmp_path, seed_batch):
    reader = EmbeddedStore(tmp_path / "s.db")
    writer = EmbeddedStore(tmp_path / "s.db")
    begin = reader._begin
    fired = []

    def begin_then_other_process_commits(db):  # noqa: ANN001, ANN202 - the snapshot's connection
        generation = begin(db)
        if not fired:
            fired.append(True)
            writer.upsert(seed_batch)
        return generation

    reader._begin = begin_then_other_process_commits
    counts = reader.counts()
    whole = writer.counts()
    assert (counts.documents, counts.evidence) in ((0, 0), (whole.documents, whole.evidence))
    assert (counts.entities, counts.relations) == ((0, 0) if counts.documents == 0 else (whole.entities, whole.relations)), counts
    reader.close()
    writer.close()


def _new_document_batch() -> Batch:
    text = "A later report: China supplies gallium to everyone."
    document = Document(text=text, language="en")
    start = text.index("China")
    evidence = [Evidence(document_id=document.id, quote="China", start=start, end=start + 5)]
    return Batch(documents=[document], entities=[Entity(id="country:CN", names={"en": "China"}, evidence=evidence)])


def _dangling(exported: bytes) -> list[str]:
    body = orjson.loads(exported)
    held = {d["id"] for d in body["documents"]}
    return sorted(
        {e["document_id"] for item in (*body["entities"], *body["relations"]) for e in item.get("evidence", [])} - held
    )


def test_an_export_survives_a_document_removed_meanwhile(seeded_store):
    """A document removed between the export's listing and its reading is left out, not a crash mid-stream."""
    documents = seeded_store.documents
    removed = []

    def listed_then_removed():  # noqa: ANN202 - the DELETE lands right after the listing
        found = documents()
        if not removed:
            removed.append(found[-1].id)
            seeded_store.remove_document(found[-1].id)
        return found

    seeded_store.documents = listed_then_removed
    exported = b"".join(export_json(seeded_store))
    assert orjson.loads(exported)["documents"]


def test_an_export_is_one_snapshot(seeded_store):
    """An export reads the store in many calls (documents, then entities and relations by pages);
    it runs inside one snapshot, so a document ingested meanwhile is in it whole or not at all."""
    chunks = export_json(seeded_store)
    out = []
    for chunk in chunks:
        out.append(chunk)
        if chunk.startswith(b'],"entities":['):
            seeded_store.upsert(_new_document_batch())  # another client's POST, mid-export
    assert _dangling(b"".join(out)) == []
