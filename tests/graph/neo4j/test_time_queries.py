"""The Cypher of docs/neo4j.md's "Time" section, run as written on a live Neo4j: a measure's
``events`` is JSON of its lifecycle, and a Document's ``ingested`` a DateTime Cypher compares."""

import datetime as dt
import json
import re

import pytest

from graph.neo4j.export_cypher import split_statements
from tests.conftest import ROOT
from tests.graph.test_time_contract import ANNOUNCEMENT, LIFTING, TARIFF, announced, lifted, taken_at

pytestmark = pytest.mark.neo4j

SEED_TARIFF = "measure:us-2025-11-01-tariff-155"


def documented() -> list[str]:
    """The statements of the Cypher block in the "Time: lifecycles and system time" section."""
    text = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    section = text.split("## Time: lifecycles and system time", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```cypher\n(.*?)```", section, flags=re.DOTALL)
    return split_statements(block)


def run(store, statement: str) -> list[dict]:
    records, _, _ = store._driver.execute_query(statement, database_=store.database)
    return [r.data() for r in records]


def test_the_documented_time_queries_answer_from_the_stored_properties(seeded_neo4j):
    early = dt.datetime(2025, 7, 1, 8, 30, 0, 250000, tzinfo=dt.UTC)  # before the documented moment
    seeded_neo4j.upsert(announced(taken_at(ANNOUNCEMENT, early)))
    seeded_neo4j.upsert(lifted())  # taken now: after it
    lifecycle, liftings, taken = documented()

    (row,) = run(seeded_neo4j, lifecycle)
    seed = seeded_neo4j.entity(SEED_TARIFF).measure
    assert (row["id"], row["status"]) == (SEED_TARIFF, "threatened")
    assert json.loads(row["events"]) == [e.model_dump(mode="json", exclude_none=True) for e in seed.events]
    assert [e["stage"] for e in json.loads(row["events"])] == ["threatened"]

    assert run(seeded_neo4j, liftings) == [{"id": TARIFF, "status": "lifted"}]

    rows = run(seeded_neo4j, taken)
    assert [r["id"] for r in rows] == [ANNOUNCEMENT.id]
    assert rows[0]["ingested"].to_native() == early
    assert LIFTING.id in {d.id for d in seeded_neo4j.documents()}
