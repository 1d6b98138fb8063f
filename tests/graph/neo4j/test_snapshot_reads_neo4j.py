"""Neo4jStore.snapshot(): a reader held at one version while writes commit (graph.neo4j.snapshot).

Each test begins a snapshot, commits a write through the store, and then reads through the
snapshot: every answer must be the one the store gave before the write. The store's own reads and
the next snapshot see the write."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from graph.model.errors import StoreUnavailableError
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.neo4j import Neo4jStore
from graph.neo4j.export_admin import export_neo4j_admin
from graph.neo4j.export_cypher import cypher_script
from graph.store import Direction, GraphReader, GraphStore

pytestmark = pytest.mark.neo4j

NEW_FIRM = "firm:snapshot-magnet-works"
CHINA = "country:CN"
RARE_EARTHS = "commodity:rare-earths"


def _quoted(document: Document, quote: str) -> Evidence:
    start = document.text.index(quote)
    return Evidence(document_id=document.id, quote=quote, start=start, end=start + len(quote))


def later_batch() -> Batch:
    """A document that adds a firm, a dependency of it on Chinese rare earths, an alias of China
    and evidence to China and to rare earths: new and changed entities, a new relation, a new
    document."""
    text = "Snapshot Magnet Works relies on the Middle Kingdom for rare earths, said a later report."
    document = Document(text=text, language="en")
    firm = Entity(id=NEW_FIRM, names={"en": "Snapshot Magnet Works"}, evidence=[_quoted(document, "Snapshot Magnet Works")])
    china = Entity(id=CHINA, names={"en": "China"}, aliases=["Middle Kingdom"], evidence=[_quoted(document, "Middle Kingdom")])
    rare_earths = Entity(id=RARE_EARTHS, names={"en": "rare earths"}, evidence=[_quoted(document, "rare earths")])
    relies = Relation(
        source=NEW_FIRM, type="DEPENDS_ON", target=RARE_EARTHS, origin=CHINA, share=0.9, evidence=[_quoted(document, "relies on")]
    )
    return Batch(documents=[document], entities=[firm, china, rare_earths], relations=[relies])


def answers(reader: GraphReader) -> dict[str, Any]:
    """What a page, a query and an export read, through every kind of read the contract has."""
    ids = [NEW_FIRM, CHINA, RARE_EARTHS]
    documents = reader.documents()
    return {
        "data_version": reader.data_version(),
        "entities": reader.entities(ids, evidence=True),
        "entity_ids": reader.entity_ids(),
        "known": reader.known(ids),
        "edges": reader.edges([RARE_EARTHS], Direction.BOTH),
        "links": reader.links([RARE_EARTHS], Direction.IN),
        "neighbours": reader.neighbour_ids([RARE_EARTHS], Direction.IN),
        "degrees": reader.degrees(ids),
        "relation_counts": reader.relation_counts(RARE_EARTHS),
        "origin_edges": reader.origin_edges(CHINA),
        "counts": reader.counts(),
        "documents": documents,
        "subjects": {d.id: reader.document_subjects(d.id) for d in documents},
        "relations": list(reader.iter_relations()),
        "iter_entities": list(reader.iter_entities()),
        "lookup_alias": reader.lookup("Middle Kingdom"),
        "lookup_firm": reader.lookup("Snapshot Magnet"),
        "lookup_near": reader.lookup("Snapshot Magnet Workz"),
        "lookup_id": reader.lookup(NEW_FIRM),
    }


@pytest.fixture
def seeded(neo4j_store: Neo4jStore, seed_batch: Batch) -> Neo4jStore:
    neo4j_store.upsert(seed_batch)
    return neo4j_store


def test_a_snapshot_does_not_see_a_write_committed_after_it_began(seeded: Neo4jStore) -> None:
    before = answers(seeded)
    with seeded.snapshot() as reader:
        assert reader.data_version() == before["data_version"]
        seeded.upsert(later_batch())
        assert answers(reader) == before
        assert answers(reader) == before  # and again: repeated reads agree
    after = answers(seeded)
    assert after["data_version"] > before["data_version"]
    assert NEW_FIRM in after["entities"] and after["counts"].documents == before["counts"].documents + 1
    assert after["lookup_alias"] and not before["lookup_alias"]
    with seeded.snapshot() as reader:
        assert answers(reader) == after


def test_a_snapshot_reads_a_removed_document_as_it_was(seeded: Neo4jStore) -> None:
    batch = later_batch()
    seeded.upsert(batch)
    before = answers(seeded)
    with seeded.snapshot() as reader:
        seeded.remove_document(batch.documents[0].id)
        assert answers(reader) == before
        assert reader.document(batch.documents[0].id) is not None
    assert seeded.document(batch.documents[0].id) is None
    assert NEW_FIRM not in seeded.entities([NEW_FIRM])


def test_a_snapshot_read_between_writes_holds_its_version(seeded: Neo4jStore) -> None:
    """Reads before, between and after several writes: the history of each write is put back."""
    before = answers(seeded)
    batch = later_batch()
    with seeded.snapshot() as reader:
        assert answers(reader) == before
        seeded.upsert(batch)
        assert answers(reader) == before
        seeded.remove_document(batch.documents[0].id)
        seeded.upsert(batch)
        assert answers(reader) == before


def test_a_held_snapshot_does_not_block_a_writer(seeded: Neo4jStore) -> None:
    done = threading.Event()

    def write() -> None:
        seeded.upsert(later_batch())
        done.set()

    with seeded.snapshot() as reader:
        list(reader.iter_entities())  # the snapshot has read everything a writer will change
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        # A budget for a loaded machine, not an expectation: the write takes well under a second.
        assert done.wait(timeout=240), "the write waited for the snapshot to end"
        assert seeded.entity(NEW_FIRM) is not None  # the store's own reads see it at once
        assert reader.entity(NEW_FIRM) is None


def test_threads_share_one_snapshot(seeded: Neo4jStore) -> None:
    """One snapshot read from four threads at once, while a write commits: every thread gets the
    answers of the snapshot's version (the transaction is used by one thread at a time)."""
    before = answers(seeded)
    found: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    with seeded.snapshot() as reader:
        start = threading.Barrier(5)

        def read() -> None:
            start.wait()
            try:
                found.append(answers(reader))
            except BaseException as e:  # noqa: BLE001 - reported below, in the test's thread
                errors.append(e)

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        start.wait()
        seeded.upsert(later_batch())
        for thread in threads:
            thread.join(timeout=600)
    assert errors == []
    assert found == [before] * 4


def test_a_snapshot_past_the_kept_history_refuses_to_read(seeded: Neo4jStore, neo4j_server: Any) -> None:
    """A store keeping no history: a snapshot whose version's history is gone says so instead of
    answering with later writes in it."""
    forgetful = Neo4jStore(neo4j_server.bolt_uri, *neo4j_server.auth, timeout_s=300, history_s=0)
    batch = later_batch()
    try:
        with forgetful.snapshot() as reader:
            forgetful.upsert(batch)
            forgetful.remove_document(batch.documents[0].id)  # drops the first write's history
            with pytest.raises(StoreUnavailableError, match="older than the history"):
                reader.entities([NEW_FIRM])
    finally:
        forgetful.close()


@contextmanager
def writing_when_a_snapshot_begins(store: GraphStore, batch: Batch) -> Iterator[None]:
    """Commit ``batch`` right after the store's next snapshot begins, before it reads anything."""
    begin = store.snapshot

    @contextmanager
    def snapshot() -> Iterator[GraphReader]:
        with begin() as reader:
            store.upsert(batch)
            yield reader

    store.snapshot = snapshot  # type: ignore[method-assign]
    try:
        yield
    finally:
        del store.snapshot


def test_the_cypher_export_is_one_snapshot(seeded: Neo4jStore) -> None:
    expected = "".join(cypher_script(seeded))
    with writing_when_a_snapshot_begins(seeded, later_batch()):
        assert "".join(cypher_script(seeded)) == expected
    assert NEW_FIRM in "".join(cypher_script(seeded))


def test_the_cypher_export_holds_its_version_while_it_is_read(seeded: Neo4jStore) -> None:
    """A write committed while the script is half read (documents written, entities not)."""
    expected = "".join(cypher_script(seeded))
    script, written = [], False
    for chunk in cypher_script(seeded):
        script.append(chunk)
        if not written and "MERGE (d:Document" in chunk:
            seeded.upsert(later_batch())
            written = True
    assert written
    assert "".join(script) == expected


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_the_neo4j_admin_export_is_one_snapshot(seeded: Neo4jStore, tmp_path: Path) -> None:
    export_neo4j_admin(seeded, tmp_path / "before")
    with writing_when_a_snapshot_begins(seeded, later_batch()):
        export_neo4j_admin(seeded, tmp_path / "during")
    assert _files(tmp_path / "during") == _files(tmp_path / "before")
    export_neo4j_admin(seeded, tmp_path / "after")
    assert _files(tmp_path / "after") != _files(tmp_path / "before")


def test_a_write_keeps_only_what_it_changes(seeded: Neo4jStore) -> None:
    """The history of a write that cites a much-cited entity holds the piece it adds and the
    properties it sets, never a copy of the entity's whole evidence list."""
    seeded.upsert(later_batch())
    version = seeded.data_version()
    rows = seeded._read(
        "MATCH (u:Undo {undo_version: $version, undo_subject: $id}) RETURN properties(u) AS props", version=version, id=CHINA
    )
    assert len(rows) == 1
    kept = rows[0]["props"]
    assert "evidence" not in kept and kept["undo_copied"] and not kept["undo_whole"]
    assert len(kept["undo_added"]) == 1 and "Middle Kingdom" in kept["undo_added"][0]
    assert len(seeded.entity(CHINA).evidence) > 1
