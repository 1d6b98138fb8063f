"""Property-based: on random trade graphs, every query gives the same answer on both stores."""

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.model.records import Batch, Document, Entity, Evidence, MeasureAttributes, Relation
from graph.queries import dependencies as deps
from graph.queries import escalation as esc
from graph.queries import explore
from graph.queries import measures as meas

pytestmark = pytest.mark.neo4j

COUNTRIES = ["CN", "US", "JP", "DE", "AU"]
MEASURE_TYPES = ["tariff", "export_control", "import_ban", "sanction"]
STATUSES = ["threatened", "announced", "in_force", "lifted"]


@st.composite
def trade_graphs(draw) -> Batch:
    """A random graph: goods with a taxonomy, dependants with shares and origins, suppliers,
    measures between countries with retaliation links. Every fact quotes its own sentence."""
    sentences: list[str] = []
    facts: list[tuple[str, object]] = []

    def sentence(kind: str, payload: object) -> None:
        sentences.append(f"Fact {len(sentences)} about {kind}.")
        facts.append((sentences[-1], payload))

    n_goods = draw(st.integers(2, 6))
    goods = [f"commodity:good-{i}" for i in range(n_goods)]
    holders = [f"firm:firm-{i}" for i in range(draw(st.integers(1, 4)))] + [f"product:prod-{i}" for i in range(draw(st.integers(1, 3)))]
    countries = [f"country:{c}" for c in COUNTRIES]
    for entity_id in countries + goods + holders:
        sentence("entity", Entity.model_construct(id=entity_id, names={"en": entity_id.split(":")[1].replace("-", " ")}))
    for i in range(1, n_goods):
        if draw(st.booleans()):
            parent = goods[draw(st.integers(0, i - 1))]
            sentence("taxonomy", (goods[i], draw(st.sampled_from(["IS_A", "MADE_FROM"])), parent, None, None))
    for holder in holders:
        for _ in range(draw(st.integers(0, 2))):
            target = draw(st.sampled_from(goods + holders))
            if target != holder:
                share = draw(st.one_of(st.none(), st.sampled_from([0.1, 0.25, 0.5, 1.0])))
                origin = draw(st.one_of(st.none(), st.sampled_from(countries)))
                sentence("dependence", (holder, "DEPENDS_ON", target, share, origin))
    for good in goods:
        if draw(st.booleans()):
            sentence("supply", (draw(st.sampled_from(countries)), "SUPPLIES", good, draw(st.sampled_from([None, 0.6])), None))
    measures = []
    for i in range(draw(st.integers(0, 5))):
        imposer, target = draw(st.sampled_from(countries)), draw(st.sampled_from(countries))
        if imposer == target:
            continue
        measure_id = f"measure:m-{i}"
        day = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 300)))
        attrs = MeasureAttributes(measure_type=draw(st.sampled_from(MEASURE_TYPES)), status=draw(st.sampled_from(STATUSES)), announced=draw(st.one_of(st.none(), st.just(day))))
        sentence("measure", Entity.model_construct(id=measure_id, names={"en": f"measure {i}"}, measure=attrs))
        sentence("imposes", (imposer, "IMPOSES", measure_id, None, None))
        sentence("targets", (measure_id, "TARGETS", target, None, None))
        sentence("covers", (measure_id, "COVERS", draw(st.sampled_from(goods)), None, None))
        if measures and draw(st.booleans()):
            sentence("retaliation", (measure_id, "RETALIATES_AGAINST", draw(st.sampled_from(measures)), None, None))
        measures.append(measure_id)

    # One system time for both stores (as a sync carries it): each store would otherwise stamp its
    # own, and the entity answers' `seen` would differ by the moments the two writes happened.
    document = Document(text=" ".join(sentences), language="en", ingested=datetime(2026, 1, 1, tzinfo=UTC))
    entities, relations = [], []
    for quote, payload in facts:
        start = document.text.index(quote)
        evidence = [Evidence(document_id=document.id, quote=quote, start=start, end=start + len(quote))]
        if isinstance(payload, Entity):
            entities.append(Entity(**{**payload.__dict__, "evidence": evidence}))
        else:
            source, rtype, target, share, origin = payload
            relations.append(Relation(source=source, type=rtype, target=target, share=share, origin=origin, evidence=evidence))
    return Batch(documents=[document], entities=entities, relations=relations)


def answers(store, batch: Batch) -> dict:
    """Every query of the API on every entity of the graph."""
    ids = [e.id for e in batch.entities]
    goods = [i for i in ids if i.startswith(("commodity:", "product:"))]
    countries = [i for i in ids if i.startswith("country:")]
    measures = [i for i in ids if i.startswith("measure:")]
    result: dict = {"stats": (store.counts().entities, store.counts().relations, store.counts().evidence)}
    for good in goods:
        result[f"dependents {good}"] = deps.dependents(store, good, max_depth=4)
        result[f"dependents {good} CN"] = deps.dependents(store, good, origin="country:CN", max_depth=3)
    for entity_id in ids:
        result[f"dependencies {entity_id}"] = deps.dependencies(store, entity_id)
        result[f"neighbors {entity_id}"] = explore.neighbors(store, entity_id, depth=2)
        result[f"detail {entity_id}"] = explore.entity_detail(store, entity_id)
    for country in countries:
        result[f"leverage {country}"] = deps.leverage(store, country)
        result[f"timeline {country}"] = esc.timeline(store, country)
    result["escalation"] = esc.escalation(store, "country:CN", "country:US")
    for measure in measures:
        result[f"chain {measure}"] = meas.chain(store, measure)
        result[f"impact {measure}"] = meas.impact(store, measure)
    result["measures"] = meas.list_measures(store)
    result["search"] = [explore.search(store, q) for q in ("good", "firm 0", "cn", "measure")]
    result["paths"] = explore.paths(store, ids[0], ids[-1], max_length=4)
    result["subgraph"] = explore.subgraph(store, ids[:3], depth=1)
    return result


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=trade_graphs())
def test_both_stores_answer_alike(neo4j_store, batch):
    neo4j_store.clear()
    with tempfile.TemporaryDirectory() as folder:
        embedded = EmbeddedStore(Path(folder) / "p.db")
        try:
            embedded.upsert(batch)
            neo4j_store.upsert(batch)
            expected, actual = answers(embedded, batch), answers(neo4j_store, batch)
            for key in expected:
                assert actual[key] == expected[key], key
        finally:
            embedded.close()
