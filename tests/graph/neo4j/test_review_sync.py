"""Review decisions travel with the graph: a sync to Neo4j and the Cypher export carry them, and
the synced store answers as its source does (issue 21)."""

from __future__ import annotations

import pytest

from graph.model.decisions import Decision, in_force
from graph.model.records import Batch
from graph.neo4j.export_cypher import cypher_script, split_statements
from graph.queries.escalation import escalation
from graph.queries.dependencies import dependents
from graph.review_view import reviewed
from graph.sync import sync

pytestmark = pytest.mark.neo4j

SOYBEANS = "measure:cn-2025-us-soybean-purchase-halt"
F35_MAGNETS = "product:f-35|DEPENDS_ON|commodity:ndfeb-magnets|country:CN"


def _decided(store):
    return reviewed(store, in_force(store.decisions()))


def _answers(store) -> tuple:
    view = _decided(store)
    measures = [m.entity.id for m in escalation(view, "country:US", "country:CN").data]
    needing = [d.entity.id for d in dependents(view, "commodity:rare-earths", max_depth=4).data]
    return measures, needing


def test_a_sync_carries_the_decisions_and_the_synced_store_answers_alike(seeded, neo4j_store):
    rejected = Decision(kind="reject", subject=SOYBEANS, reason="a rumour")
    seeded.upsert(Batch(decisions=[rejected, Decision(kind="reject", subject=F35_MAGNETS, reason="wrong reading")]))
    seeded.upsert(Batch(decisions=[Decision(kind="merge", subject="firm:cadence", into="firm:synopsys", reason="test")]))
    sync(seeded, neo4j_store)
    assert neo4j_store.decisions() == seeded.decisions()
    assert _answers(neo4j_store) == _answers(seeded)
    assert SOYBEANS not in _answers(neo4j_store)[0] and "product:f-35" not in _answers(neo4j_store)[1]
    assert _decided(neo4j_store).moved_to("firm:cadence") == "firm:synopsys"
    assert not sync(seeded, neo4j_store).changed  # again: nothing new


def test_a_snapshot_sees_only_the_decisions_made_by_its_version(seeded_neo4j):
    with seeded_neo4j.snapshot() as before:
        seeded_neo4j.upsert(Batch(decisions=[Decision(kind="reject", subject=SOYBEANS, reason="later")]))
        assert before.decisions() == []
    assert [d.subject for d in seeded_neo4j.decisions()] == [SOYBEANS]


def test_the_cypher_export_carries_the_decisions(seeded, neo4j_store):
    seeded.upsert(Batch(decisions=[Decision(kind="reject", subject=SOYBEANS, reason="a rumour")]))
    for statement in split_statements("".join(cypher_script(seeded))):
        neo4j_store._write_now(statement)
    assert neo4j_store.decisions() == seeded.decisions()
    assert _answers(neo4j_store) == _answers(seeded)
