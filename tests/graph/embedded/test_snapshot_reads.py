"""Snapshot reads on the embedded store: ``with store.snapshot() as r`` answers every read at the
version committed when it began, however long it is held and whoever writes meanwhile (another
thread, another process); the next snapshot sees what was committed; holding one never stops a
writer, and a write under way never stops one from starting.

Every check here compares answers read before and after a write committed (an order, not a
duration), so none depends on timing; waits have budgets far beyond what a loaded machine needs."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.model.records import Batch, Document, Entity, Relation
from graph.store import Direction, GraphReader
from tests.graph.test_store_contract import DOC_A, quote, small_batch

BUDGET_S = 120


def _later_batch(n: int = 0) -> Batch:
    """A new document naming a new firm that supplies gallium, and a changed share for China's."""
    doc = Document(text=f"Report {n}: Newland supplies gallium. China supplies 90% of gallium.", language="en")
    newland = f"firm:newland-{n}"
    return Batch(
        documents=[doc],
        entities=[
            Entity(id=newland, names={"en": f"Newland {n}"}, evidence=[quote(doc, "Newland")]),
            Entity(id="country:CN", names={"zh": "中国", "en": "China"}, aliases=["中方"], evidence=[quote(doc, "China")]),
            Entity(id="commodity:gallium", names={"zh": "镓", "en": "gallium"}, evidence=[quote(doc, "gallium")]),
        ],
        relations=[
            Relation(source=newland, type="SUPPLIES", target="commodity:gallium", share=0.01, evidence=[quote(doc, "Newland supplies gallium")]),
            Relation(source="country:CN", type="SUPPLIES", target="commodity:gallium", share=0.9 - n / 1000, evidence=[quote(doc, "China supplies 90% of gallium")]),
        ],
    )


def _view(r: GraphReader) -> dict:
    """What a reader answers, through every kind of read: entities, edges, links, counts,
    documents, whole iterations, name look-up, evidence and the version."""
    ids = ["commodity:gallium", "country:CN", "firm:acme", "firm:newland-0"]
    counts = r.counts()
    return {
        "version": r.data_version(),
        "entities": {k: v.model_dump() for k, v in r.entities(ids, evidence=True).items()},
        "entity_ids": r.entity_ids(),
        "edges": [e.model_dump() for e in r.edges(ids, Direction.BOTH)],
        "links": r.links(ids, Direction.IN),
        "neighbours": r.neighbour_ids(["commodity:gallium"]),
        "degrees": r.degrees(ids),
        "counts": (counts.documents, counts.entities, counts.relations, counts.evidence, counts.relations_by_type),
        "documents": [d.id for d in r.documents()],
        "relations": [rel.model_dump() for rel in r.iter_relations()],
        "all_entities": [e.id for e in r.iter_entities()],
        "lookup": [(m.entity_id, m.kind) for m in r.lookup("Newland")] + [(m.entity_id, m.kind) for m in r.lookup("gallium")],
        "evidence": r.evidence(["country:CN", "country:CN|SUPPLIES|commodity:gallium|"]),
        "subjects": {d.id: r.document_subjects(d.id) for d in r.documents()},
    }


def _changed(now: dict, before: dict) -> list[str]:
    """The kinds of read whose answer differs (a short failure message, not a diff of both)."""
    return sorted(k for k in before if now[k] != before[k])


def _store(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "s.db")
    store.upsert(small_batch(DOC_A))
    return store


def _in_thread(fn, *args) -> threading.Thread:  # noqa: ANN001
    thread = threading.Thread(target=fn, args=args, daemon=True)
    thread.start()
    return thread


def test_a_snapshot_does_not_see_a_write_from_another_thread(tmp_path):
    store = _store(tmp_path)
    with store.snapshot() as r:
        before = _view(r)
        writer = _in_thread(store.upsert, _later_batch())
        writer.join(BUDGET_S)
        assert not writer.is_alive(), "the write waited for the snapshot"
        assert _changed(_view(r), before) == []
    with store.snapshot() as r:
        after = _view(r)
    assert after["version"] == before["version"] + 1
    assert after["counts"][0] == 2 and "firm:newland-0" in after["all_entities"]
    assert ("firm:newland-0", "prefix") in after["lookup"] and not any(i == "firm:newland-0" for i, _ in before["lookup"])
    assert store.data_version() == after["version"] and store.counts().documents == 2
    store.close()


def test_a_snapshot_keeps_what_a_later_write_removes_or_changes(tmp_path):
    """A removed document, its entities and relations, and a relation whose share changed (it moves
    to a new slot of the index) are all still there, as they were, for a snapshot held across."""
    store = _store(tmp_path)
    later = _later_batch()
    store.upsert(later)
    with store.snapshot() as r:
        before = _view(r)
        store.upsert(_later_batch(1))  # China's share changes again, Newland 1 is added
        store.remove_document(later.documents[0].id)  # firm:newland-0 goes with its only document
        assert _changed(_view(r), before) == []
    with store.snapshot() as r:
        after = _view(r)
    assert "firm:newland-0" in before["all_entities"] and "firm:newland-0" not in after["all_entities"]
    assert ("firm:newland-0", "prefix") not in after["lookup"]
    shares = {rel["source"]: rel["share"] for rel in after["relations"] if rel["type"] == "SUPPLIES"}
    assert shares["country:CN"] == 0.899
    store.close()


WRITER = """
import sys
from graph.embedded import EmbeddedStore
from graph.model.records import Batch
with EmbeddedStore(sys.argv[1]) as store:
    store.upsert(Batch.model_validate_json(open(sys.argv[2]).read()))
"""


def test_a_snapshot_does_not_see_a_write_from_another_process(tmp_path):
    """Another process (the CLI's ingest) commits to the same file while a snapshot is held, in
    the middle of one of its iterations: the snapshot keeps its version to the end; the next one
    sees the commit, and so do the store's own reads."""
    store = _store(tmp_path)
    batch_file = tmp_path / "batch.json"
    batch_file.write_text(_later_batch().model_dump_json())
    with store.snapshot() as r:
        before = _view(r)
        relations = r.iter_relations()
        first = next(relations)
        subprocess.run([sys.executable, "-c", WRITER, str(store.path), str(batch_file)], check=True, timeout=BUDGET_S)
        assert [first.key, *(rel.key for rel in relations)] == [rel["source"] + "|" + rel["type"] + "|" + rel["target"] + "|" + (rel["origin"] or "") for rel in before["relations"]]
        assert _changed(_view(r), before) == []
    with store.snapshot() as r:
        after = _view(r)
    assert after["version"] == before["version"] + 1 and after["counts"][0] == 2
    assert "firm:newland-0" in after["all_entities"]
    assert store.lookup("Newland")[0].entity_id == "firm:newland-0"
    store.close()


def test_snapshots_in_parallel_with_a_writer_never_see_a_torn_state(tmp_path):
    """Four readers, each holding snapshots across a commit of the writer (it waits for one to
    land, not for a time), check that everything they read fits one version: documents counted
    and listed alike, one new document per version, every relation's evidence citing a listed
    document, the relations counted and iterated alike."""
    store = _store(tmp_path)
    base = store.data_version()
    writes = 12
    committed = threading.Condition()
    done = [0]

    def write() -> None:
        for n in range(writes):
            store.upsert(_later_batch(n))
            with committed:
                done[0] += 1
                committed.notify_all()

    failures: list[str] = []
    checked = [0]

    def read() -> None:
        while True:
            with store.snapshot() as r:
                with committed:
                    seen = done[0]
                version = r.data_version()
                documents = {d.id for d in r.documents()}
                with committed:  # a commit lands while this snapshot is held
                    committed.wait_for(lambda seen=seen: done[0] > seen or done[0] == writes, BUDGET_S)
                counts = r.counts()
                relations = list(r.iter_relations())
                cited = {e.document_id for rel in relations for e in rel.evidence}
                if not (len(documents) == counts.documents == 1 + version - base and cited <= documents
                        and len(relations) == counts.relations == r.counts().relations and r.data_version() == version):
                    failures.append(f"version {version}: {len(documents)} documents, {counts}, {len(relations)} relations")
                checked[0] += 1
            if seen == writes:
                return

    readers = [_in_thread(read) for _ in range(4)]
    writer = _in_thread(write)
    writer.join(BUDGET_S)
    for reader in readers:
        reader.join(BUDGET_S)
    assert not writer.is_alive() and not any(reader.is_alive() for reader in readers)
    assert failures == [] and checked[0] >= 4
    assert store.counts().documents == 1 + writes
    store.close()


class _PausedStore(EmbeddedStore):
    """A store whose writes stop in the middle of their transaction until released."""

    paused = threading.Event()
    release = threading.Event()

    def _apply(self, plan):  # noqa: ANN001, ANN202 - the write's rows, inside its transaction
        super()._apply(plan)
        if threading.current_thread().name == "writer":  # written, not committed
            self.paused.set()
            assert self.release.wait(BUDGET_S)


def test_a_write_under_way_does_not_stop_a_snapshot(tmp_path):
    """While a write holds its transaction (here stopped inside it), a snapshot starts and reads,
    and it reads the version before that write."""
    store = _PausedStore(tmp_path / "s.db")
    store.upsert(small_batch(DOC_A))
    version = store.data_version()
    writer = threading.Thread(target=store.upsert, args=(_later_batch(),), name="writer", daemon=True)
    writer.start()
    assert store.paused.wait(BUDGET_S)
    read: dict = {}

    def snapshot_read() -> None:
        with store.snapshot() as r:
            read["view"] = _view(r)

    reader = _in_thread(snapshot_read)
    reader.join(BUDGET_S)
    finished_during_write = not reader.is_alive()
    store.release.set()
    writer.join(BUDGET_S)
    assert finished_during_write, "the snapshot waited for the write"
    assert read["view"]["version"] == version and read["view"]["counts"][0] == 1
    assert store.data_version() == version + 1
    store.close()


class _SlowCatchUpStore(EmbeddedStore):
    """A store whose catch-up with another process's commit stops half-way until released."""

    paused = threading.Event()
    release = threading.Event()

    def _catch_up(self, db, current, version):  # noqa: ANN001, ANN202 - called with the publish lock held
        if threading.current_thread().name == "catching-up":
            self.paused.set()
            assert self.release.wait(3 * BUDGET_S)  # longer than the test waits for try_snapshot
        return super()._catch_up(db, current, version)


def test_try_snapshot_does_not_wait_for_a_catch_up(tmp_path):
    """try_snapshot is how the API reads on its event loop: while a snapshot catches up with
    another process's commit (here stopped inside it), try_snapshot answers at once, with no
    reader (the read goes to a worker thread), instead of holding the event loop until the
    catch-up is done. The catch-up, once released, publishes the commit for the next snapshot."""
    store = _SlowCatchUpStore(tmp_path / "s.db")
    store.upsert(small_batch(DOC_A))
    version = store.data_version()
    batch_file = tmp_path / "batch.json"
    batch_file.write_text(_later_batch().model_dump_json())
    subprocess.run([sys.executable, "-c", WRITER, str(store.path), str(batch_file)], check=True, timeout=BUDGET_S)

    def catch_up() -> None:
        with store.snapshot():
            pass

    catcher = threading.Thread(target=catch_up, name="catching-up", daemon=True)
    catcher.start()
    assert store.paused.wait(BUDGET_S)
    tried: list = []

    def try_read() -> None:
        with store.try_snapshot() as reader:
            tried.append(reader)

    trier = _in_thread(try_read)
    trier.join(BUDGET_S)
    answered_during_catch_up = not trier.is_alive()
    store.release.set()
    catcher.join(BUDGET_S)
    trier.join(BUDGET_S)
    assert answered_during_catch_up, "try_snapshot waited for the catch-up"
    assert tried == [None]
    assert store.data_version() == version + 1
    store.close()
