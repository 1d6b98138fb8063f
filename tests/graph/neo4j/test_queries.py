"""neo4j/browser/queries.cypher: well formed, and each ready query answers on the seeded Neo4j as the
API's own queries (graph/queries) answer the same question on the same store."""

from __future__ import annotations

import re

import pytest

import neo4j
from graph.queries.dependencies import dependents
from graph.queries.escalation import escalation
from graph.queries.measures import impact
from tests.graph.neo4j.queries_file import QUERIES, statement, statements

RARE_EARTHS = "What depends on Chinese rare earths"
TIMELINE = "US–China escalation timeline"
ESCALATION_GRAPH = "US–China escalation as a graph"
IMPACT = "What a measure hits"
RARE_EARTH_CONTROLS = "measure:cn-2025-10-09-rare-earth-export-controls"


# -- the file ------------------------------------------------------------------------------------
def test_every_statement_is_named_and_ends_with_a_semicolon():
    found = statements()
    assert len(found) >= 4
    names = [s.name for s in found]
    assert len(set(names)) == len(names), "statement names must be unique"
    for s in found:
        assert s.text.startswith("// ") and s.text.endswith(";"), s.name
        assert s.cypher and not s.cypher.lstrip().startswith("//"), s.name


def test_the_main_questions_are_there():
    for prefix in (RARE_EARTHS, TIMELINE, IMPACT):
        assert statement(prefix).cypher


def test_no_deprecated_or_removed_syntax():
    """What the linter test checks too, spelled out: no id(n), no `CALL { WITH x`, no CYPHER 25."""
    for s in statements():
        flat = " ".join(s.cypher.split())
        assert not re.search(r"\bid\s*\(", flat), s.name
        assert "CALL { WITH" not in flat, s.name
        assert not flat.upper().startswith("CYPHER"), s.name
        assert "$" not in s.cypher, f"{s.name}: Browser users have no parameters set; write the ids in"


def test_format_errors_are_reported(tmp_path):
    bad = tmp_path / "bad.cypher"
    bad.write_text("// notes\n\n// a query\nMATCH (n) RETURN n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="end with `;`"):
        statements(bad)
    bad.write_text("MATCH (n) RETURN n;\n", encoding="utf-8")
    with pytest.raises(ValueError, match="`// name`"):
        statements(bad)
    bad.write_text("// two\nMATCH (n) RETURN n; MATCH (m) RETURN m;\n", encoding="utf-8")
    with pytest.raises(ValueError, match="one `;`"):
        statements(bad)
    assert QUERIES.is_file()


# -- on the seeded Neo4j -------------------------------------------------------------------------
def _records(store, cypher: str):
    return store._driver.execute_query(
        neo4j.Query(cypher, timeout=30), database_=store.database, routing_=neo4j.RoutingControl.READ
    )


def _run(store, cypher: str):
    records, summary, _ = _records(store, cypher)
    return [r.data() for r in records], summary


def _native(value):
    return value.to_native() if hasattr(value, "to_native") else value


@pytest.mark.neo4j
def test_every_statement_runs_and_answers(seeded_neo4j):
    for s in statements():
        rows, summary = _run(seeded_neo4j, s.text)  # exactly what a person pastes, `//` and `;` included
        assert rows, f"{s.name}: no rows on the seed graph"
        # GQLSTATUS class 01 is a warning: deprecated syntax, unknown labels, cartesian products...
        warnings = [f"{g.gql_status}: {g.status_description}" for g in summary.gql_status_objects
                    if g.gql_status.startswith("01")]
        assert not warnings, f"{s.name}: {warnings}"


@pytest.mark.neo4j
def test_rare_earth_dependents_match_the_api(seeded_neo4j):
    rows, _ = _run(seeded_neo4j, statement(RARE_EARTHS).cypher)
    expected = dependents(seeded_neo4j, "commodity:rare-earths", origin="country:CN", max_depth=4)
    assert [(r["id"], r["hops"], r["exposure"]) for r in rows] == [
        (d.entity.id, d.hops, d.exposure) for d in expected.data
    ]
    by_id = {r["id"]: r for r in rows}
    assert by_id["product:f-35"]["exposure"] == 1.0
    assert by_id["product:f-35"]["relies_on"] == ["NdFeB magnets"]
    assert by_id["product:aegis-radar"]["relies_on"] == ["dysprosium"]
    assert by_id["country:US"]["exposure"] is None  # the article gives no share: unknown stays unknown
    assert all(r["paths"] for r in rows)  # paths for Browser to draw


@pytest.mark.neo4j
def test_escalation_timeline_matches_the_api(seeded_neo4j):
    rows, _ = _run(seeded_neo4j, statement(TIMELINE).cypher)
    expected = escalation(seeded_neo4j, "country:US", "country:CN")
    assert [r["id"] for r in rows] == [v.entity.id for v in expected.data]
    assert [_native(r["date"]) for r in rows] == [v.date for v in expected.data]
    sides = {"a": "United States", "b": "China"}
    assert [r["imposed_by"] for r in rows] == [sides[v.side] for v in expected.data]
    by_id = {r["id"]: r for r in rows}
    assert by_id["measure:us-2025-10-23-software-export-controls"]["answers"] == [
        "China's rare-earth export controls (announcements No. 61 and 62)"
    ]
    assert by_id["measure:us-2025-11-01-tariff-155"]["rate"] == 155.0
    assert rows[0]["id"] == RARE_EARTH_CONTROLS and rows[-1]["date"] is None  # undated last


@pytest.mark.neo4j
def test_escalation_graph_draws_both_directions(seeded_neo4j):
    rows, _, _ = _records(seeded_neo4j, statement(ESCALATION_GRAPH).cypher)
    starts = {r["step"].start_node["id"] for r in rows}
    assert starts == {"country:US", "country:CN"}
    assert any(r["answer"] is not None for r in rows)


@pytest.mark.neo4j
def test_measure_impact_matches_the_api(seeded_neo4j):
    rows, _ = _run(seeded_neo4j, statement(IMPACT).cypher)
    expected = impact(seeded_neo4j, RARE_EARTH_CONTROLS)
    api = {(d.entity.id, True, d.hops, d.exposure) for d in expected.hits}
    api |= {(d.entity.id, False, d.hops, d.exposure) for d in expected.elsewhere}
    assert {(r["id"], r["in_targeted_country"], r["hops"], r["exposure"]) for r in rows} == api
    assert {"product:f-35", "product:aegis-radar", "country:US"} <= {r["id"] for r in rows}
    assert all(r["through"] for r in rows)
