"""The benchmark generator makes valid graphs that load through the store's own write path, and a
loaded store reopens to the same answers, from SQLite or from its index snapshot."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.generate import Spec, batches, make_plan
from graph.embedded import EmbeddedStore
from graph.model.enums import EntityType, RelationType
from graph.queries import dependencies, escalation, explore
from graph.store import Direction

SPEC = Spec(relations=3000, seed=3, batch_size=700)


@pytest.fixture(scope="module")
def plan():
    return make_plan(SPEC)


def _answers(store: EmbeddedStore) -> tuple:
    commodity = "commodity:rare-earths"
    return (
        store.counts(),
        store.data_version(),
        [m for m in store.lookup("rare")],
        [r.key for r in store.edges([commodity, "country:CN"], Direction.BOTH)],
        [r.key for r in store.origin_edges("country:CN")],
        dependencies.dependents(store, commodity, max_depth=4).model_dump(),
        escalation.escalation(store, "country:US", "country:CN").model_dump(),
        explore.search(store, "稀土").model_dump(),
    )


def test_same_seed_same_graph(plan):
    again = make_plan(SPEC)
    assert [n.id for n in again.nodes] == [n.id for n in plan.nodes]
    assert [(f.source, f.type, f.target, f.share) for f in again.facts] == [(f.source, f.type, f.target, f.share) for f in plan.facts]


def test_the_graph_has_the_promised_shape(plan):
    assert len(plan.facts) == SPEC.relations
    types = Counter(f.type for f in plan.facts)
    for rtype in (RelationType.IS_A, RelationType.MADE_FROM, RelationType.DEPENDS_ON, RelationType.SUPPLIES,
                  RelationType.BASED_IN, RelationType.IMPOSES, RelationType.TARGETS, RelationType.COVERS,
                  RelationType.RETALIATES_AGAINST, RelationType.MEMBER_OF):
        assert types[rtype] > 0, rtype
    assert sum(f.share is not None for f in plan.facts if f.type is RelationType.DEPENDS_ON) > 0
    assert any(f.origin is not None for f in plan.facts)
    measures = [n for n in plan.nodes if n.measure]
    assert {m.measure["status"] for m in measures} >= {"threatened", "in_force"}


def test_every_batch_loads_through_upsert_and_every_quote_is_checked(plan, tmp_path):
    with EmbeddedStore(tmp_path / "g.db") as store:
        for batch in batches(plan, SPEC):
            assert batch.relations and batch.documents
            for item in [*batch.entities, *batch.relations]:
                assert item.evidence
            summary = store.upsert(batch)
            assert summary.relations_added == len(batch.relations)
        counts = store.counts()
        assert counts.relations == SPEC.relations
        assert counts.entities_by_type[EntityType.COUNTRY] == 249  # every ISO 3166 country
        assert counts.evidence == counts.relations + counts.entities
        # Writing a batch again changes nothing.
        assert not store.upsert(next(iter(batches(plan, SPEC)))).changed
        doc = store.documents()[0]
        subject = store.document_subjects(doc.id)[0]
        ev = store.evidence([subject])[subject][0]
        assert store.document(doc.id).text[ev.start : ev.end] == ev.quote


def test_a_reopened_store_answers_the_same_from_sqlite_and_from_its_snapshot(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(EmbeddedStore, "SNAPSHOT_MIN_RELATIONS", 100)
    path = tmp_path / "g.db"
    all_batches = list(batches(plan, SPEC))
    with EmbeddedStore(path) as store:
        for batch in all_batches[:-1]:
            store.upsert(batch)
        live = _answers(store)
    assert store.snapshot_path.exists()
    with EmbeddedStore(path) as from_snapshot:
        assert from_snapshot._snapshot_version == live[1]
        assert _answers(from_snapshot) == live
    # A write made after the snapshot (by another store, as the CLI would) is replayed on open.
    snapshot_bytes = store.snapshot_path.read_bytes()
    with EmbeddedStore(path) as writer:
        writer.upsert(all_batches[-1])
        doc = writer.documents()[0].id
        writer.remove_document(doc)
        expected = _answers(writer)
    store.snapshot_path.write_bytes(snapshot_bytes)  # the stale snapshot, as if the writer had not closed cleanly
    with EmbeddedStore(path) as reopened:
        assert reopened._snapshot_version == live[1]
        assert _answers(reopened) == expected
    store.snapshot_path.unlink()
    with EmbeddedStore(path) as rebuilt:
        assert _answers(rebuilt) == expected
