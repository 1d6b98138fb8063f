"""Per-value provenance beyond measures (issue 21): a relation's share and attributes and an
entity's curated attributes are kept as claims, one per source, on both stores; the value shown
is the choice rule's; a document's removal, a snapshot, ``known_at``, an export read back and a
sync to Neo4j all keep to that."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph.export import export_json
from graph.model.records import Batch, Document, Entity, Evidence, Relation, with_stated_claims
from graph.queries.conflicts import claim_conflicts
from graph.queries.explore import entity_detail
from graph.time_view import in_time

KEY = "country:US|DEPENDS_ON|commodity:gallium|country:CN"
FIRST = Document(text="美国约80%的镓依赖从中国进口。美国商务部长表示将研究对策。", language="zh")
SECOND = Document(text="另据报道，美国镓进口的七成来自中国。该部长曾任商务部副部长。", language="zh")


def _said(doc: Document, words: str, extractor: str = "curated") -> Evidence:
    start = doc.text.index(words)
    return Evidence(document_id=doc.id, quote=words, start=start, end=start + len(words), extractor=extractor)


def _batch(doc: Document, share: float, role: str, share_words: str, role_words: str) -> Batch:
    """One document's reading, its values stated as claims (as the facts loader and the rule
    extractor give them)."""
    batch = Batch(
        documents=[doc],
        entities=[
            Entity(id="country:US", names={"en": "United States"}, evidence=[_said(doc, "美国")]),
            Entity(id="country:CN", names={"en": "China"}, evidence=[_said(doc, "中国")]),
            Entity(id="commodity:gallium", names={"en": "gallium", "zh": "镓"}, evidence=[_said(doc, "镓")]),
            Entity(id="person:minister", names={"en": "The minister"}, attributes={"role": role}, evidence=[_said(doc, role_words)]),
        ],
        relations=[
            Relation(source="country:US", type="DEPENDS_ON", target="commodity:gallium", origin="country:CN", share=share,
                     evidence=[_said(doc, share_words, "rule:zh.depends_on.cue")]),
        ],
    )
    return batch.model_copy(update={"entities": [with_stated_claims(e) for e in batch.entities], "relations": [with_stated_claims(r) for r in batch.relations]})


def _both(store) -> None:
    store.upsert(_batch(FIRST, 0.8, "Commerce Secretary", "美国约80%的镓依赖从中国进口", "美国商务部长"))
    store.upsert(_batch(SECOND, 0.7, "Deputy Commerce Secretary", "美国镓进口的七成来自中国", "商务部副部长"))


def _stated(claims) -> dict:
    return {(c.field, c.value): c.evidence.document_id for c in claims}


def test_each_source_keeps_its_value_and_the_shown_one_is_chosen(store):
    _both(store)
    relation = store.relations([KEY])[KEY]
    assert _stated(relation.claims) == {("share", 0.8): FIRST.id, ("share", 0.7): SECOND.id}
    assert relation.share == 0.7  # one source each, both read by rules: the latest
    (conflict,) = claim_conflicts(relation)
    assert conflict.field == "share" and conflict.chosen == 0.7
    assert {v.value: [e.quote for e in v.evidence] for v in conflict.values} == {
        0.8: ["美国约80%的镓依赖从中国进口"], 0.7: ["美国镓进口的七成来自中国"],
    }
    detail = entity_detail(store, "person:minister")
    assert detail.conflict is True
    assert detail.entity.attributes["role"] == "Deputy Commerce Secretary"
    (conflict,) = detail.conflicts
    assert conflict.field == "attributes.role"
    assert {v.value for v in conflict.values} == {"Commerce Secretary", "Deputy Commerce Secretary"}


def test_reading_a_document_again_changes_nothing(store):
    _both(store)
    version = store.data_version()
    summary = store.upsert(_batch(FIRST, 0.8, "Commerce Secretary", "美国约80%的镓依赖从中国进口", "美国商务部长"))
    assert not summary.changed and store.data_version() == version
    assert store.relations([KEY])[KEY].share == 0.7


def test_removing_a_document_takes_its_values_away(store):
    _both(store)
    store.remove_document(SECOND.id)
    relation = store.relations([KEY])[KEY]
    assert relation.share == 0.8 and _stated(relation.claims) == {("share", 0.8): FIRST.id}
    assert claim_conflicts(relation) == []
    minister = store.entity("person:minister")
    assert minister.attributes["role"] == "Commerce Secretary" and len(minister.claims) == 1


def test_what_the_store_knew_then_shows_the_value_it_showed_then(store):
    store.upsert(_batch(FIRST, 0.8, "Commerce Secretary", "美国约80%的镓依赖从中国进口", "美国商务部长"))
    first_taken = store.document(FIRST.id).ingested
    store.upsert(_batch(SECOND, 0.7, "Deputy Commerce Secretary", "美国镓进口的七成来自中国", "商务部副部长"))
    then = in_time(store, known_at=first_taken + dt.timedelta(microseconds=1))
    assert then.relations([KEY])[KEY].share == 0.8
    (edge,) = then.edges(["country:US"], "out")
    assert edge.share == 0.8 and len(edge.claims) == 1
    assert then.entity("person:minister").attributes["role"] == "Commerce Secretary"


def test_a_snapshot_and_an_export_read_back_keep_the_claims(store):
    _both(store)
    with store.snapshot() as reader:
        assert _stated(reader.relations([KEY])[KEY].claims) == _stated(store.relations([KEY])[KEY].claims)
    batch = Batch.model_validate(json.loads(b"".join(export_json(store))))
    (relation,) = [r for r in batch.relations if r.key == KEY]
    assert _stated(relation.claims) == {("share", 0.8): FIRST.id, ("share", 0.7): SECOND.id}
    (minister,) = [e for e in batch.entities if e.id == "person:minister"]
    assert {c.value for c in minister.claims} == {"Commerce Secretary", "Deputy Commerce Secretary"}


def test_a_claim_names_a_value_its_subject_can_have():
    from graph.model.errors import InvalidDataError
    from graph.model.records import Claim

    with pytest.raises(ValueError, match="share and its attributes"):
        Relation(source="country:US", type="DEPENDS_ON", target="commodity:gallium", claims=[Claim(field="rate", value=1.0)])
    with pytest.raises(ValueError, match="attributes"):
        Entity(id="person:x", names={"en": "X"}, claims=[Claim(field="share", value=0.5)])
    with pytest.raises(InvalidDataError, match="reserved"):
        Relation(source="country:US", type="DEPENDS_ON", target="commodity:gallium", attributes={"@claims": "x"})


@pytest.mark.neo4j
@pytest.mark.parametrize("carried_by", ["sync", "cypher script"])
def test_a_sync_and_the_cypher_script_carry_the_claims(tmp_path, neo4j_store, carried_by):
    from graph.embedded import EmbeddedStore
    from graph.neo4j.export_cypher import cypher_script, split_statements
    from graph.sync import sync

    with EmbeddedStore(tmp_path / "source.db") as source:
        _both(source)
        if carried_by == "sync":
            sync(source, neo4j_store)
        else:
            for statement in split_statements("".join(cypher_script(source))):
                neo4j_store._write_now(statement)
        carried, held = neo4j_store.relations([KEY])[KEY], source.relations([KEY])[KEY]
        assert _stated(carried.claims) == _stated(held.claims) == {("share", 0.8): FIRST.id, ("share", 0.7): SECOND.id}
        assert carried.share == held.share == 0.7
        assert neo4j_store.entity("person:minister").claims == source.entity("person:minister").claims


def test_a_merge_keeps_the_claims_of_both_entities(store):
    from graph.model.decisions import Decision, in_force
    from graph.review_view import reviewed

    store.upsert(_batch(FIRST, 0.8, "Commerce Secretary", "美国约80%的镓依赖从中国进口", "美国商务部长"))
    second = _batch(SECOND, 0.7, "Deputy Commerce Secretary", "美国镓进口的七成来自中国", "商务部副部长")
    second.entities[-1] = second.entities[-1].model_copy(update={"id": "person:deputy"})
    store.upsert(second)
    store.upsert(Batch(decisions=[Decision(kind="merge", subject="person:deputy", into="person:minister", reason="one person")]))
    view = reviewed(store, in_force(store.decisions()))
    minister = view.entity("person:minister")
    assert minister.attributes["role"] == "Commerce Secretary"  # the kept entity's value stays shown
    assert {c.value: c.evidence.document_id for c in minister.claims} == {"Commerce Secretary": FIRST.id, "Deputy Commerce Secretary": SECOND.id}
    (conflict,) = claim_conflicts(minister)
    assert conflict.chosen == "Commerce Secretary"
