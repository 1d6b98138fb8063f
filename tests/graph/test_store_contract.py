"""The GraphStore contract: what every store must do, run against each backend via ``store``."""

import threading
from datetime import date

import pytest

from graph.embedded import EmbeddedStore
from graph.model.enums import RelationType
from graph.model.errors import InvalidDataError, NotFoundError
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.store import Direction, GraphStore, Link


def make_doc(text: str) -> Document:
    return Document(text=text, language="zh")


def quote(doc: Document, words: str) -> Evidence:
    start = doc.text.index(words)
    return Evidence(document_id=doc.id, quote=words, start=start, end=start + len(words), extractor="test")


def small_batch(doc: Document) -> Batch:
    return Batch(
        documents=[doc],
        entities=[
            Entity(id="country:CN", names={"zh": "中国", "en": "China"}, aliases=["中方"], evidence=[quote(doc, "中国")]),
            Entity(id="commodity:gallium", names={"zh": "镓", "en": "gallium"}, evidence=[quote(doc, "镓")]),
            Entity(id="firm:acme", names={"en": "Acme"}, evidence=[quote(doc, "Acme")]),
        ],
        relations=[
            Relation(source="country:CN", type="SUPPLIES", target="commodity:gallium", share=0.98, evidence=[quote(doc, "中国供应全球 98% 的镓")]),
            Relation(source="firm:acme", type="DEPENDS_ON", target="commodity:gallium", origin="country:CN", evidence=[quote(doc, "Acme 依赖")]),
        ],
    )


DOC_A = make_doc("中国供应全球 98% 的镓。Acme 依赖中国的镓。")
DOC_B = make_doc("又一篇报道:中国供应全球 98% 的镓,Acme 依赖它。")


def snapshot(store):
    counts = store.counts()
    return (store.data_version(), counts.entities, counts.relations, counts.evidence, counts.documents)


def test_upsert_twice_is_one_write(store):
    first = store.upsert(small_batch(DOC_A))
    assert first.entities_added == 3 and first.relations_added == 2 and first.changed
    before = snapshot(store)
    second = store.upsert(small_batch(DOC_A))
    assert not second.changed
    assert second.entities_unchanged == 3 and second.relations_unchanged == 2
    assert snapshot(store) == before


GALLIUM_CONTROLS = "measure:cn-2023-gallium-export-controls"
SUPPLIES_GALLIUM = "country:CN|SUPPLIES|commodity:gallium|"


def gallium_reading(doc: Document, share: float | None, status: str, effective: str | None = None) -> Batch:
    """One document's reading of China's gallium controls: how much gallium China supplies, and
    the measure's status (two reports can disagree on both)."""
    return Batch(
        documents=[doc],
        entities=[
            Entity(id="country:CN", names={"zh": "中国"}, evidence=[quote(doc, "中国")]),
            Entity(id="commodity:gallium", names={"zh": "镓"}, evidence=[quote(doc, "镓")]),
            Entity(
                id=GALLIUM_CONTROLS,
                names={"zh": "镓出口管制"},
                measure={"measure_type": "export_control", "status": status, "effective": effective},
                evidence=[quote(doc, "出口管制")],
            ),
        ],
        relations=[
            Relation(source="country:CN", type="SUPPLIES", target="commodity:gallium", share=share, evidence=[quote(doc, "中国供应")]),
        ],
    )


GALLIUM_A = make_doc("中国供应全球 98% 的镓。中方宣布出口管制。")
GALLIUM_B = make_doc("另据报道，中国供应全球六成的镓，出口管制已经实施。")


def gallium_state(store) -> tuple:
    measure = store.entity(GALLIUM_CONTROLS).measure
    return store.relations([SUPPLIES_GALLIUM])[SUPPLIES_GALLIUM].share, measure.status, measure.effective


def test_reading_a_document_again_changes_nothing_whatever_another_says(store):
    """Two documents disagree; the newer reading's values stand, and reading the older document
    again (a folder ingested again) does not put its values back: no write, no version."""
    store.upsert(gallium_reading(GALLIUM_A, 0.98, "announced"))
    store.upsert(gallium_reading(GALLIUM_B, 0.6, "in_force"))
    assert gallium_state(store) == (0.6, "in_force", None)
    before = snapshot(store)
    for doc, share, status in ((GALLIUM_A, 0.98, "announced"), (GALLIUM_B, 0.6, "in_force"), (GALLIUM_A, 0.98, "announced")):
        again = store.upsert(gallium_reading(doc, share, status))
        assert not again.changed, again
        assert (again.entities_unchanged, again.relations_unchanged) == (3, 1)
    assert snapshot(store) == before
    assert gallium_state(store) == (0.6, "in_force", None)


def test_a_document_read_again_fills_what_is_missing_and_replaces_nothing(store):
    """A reading whose evidence is stored already (an improved extractor run again over the same
    texts) adds the values the store lacks, and leaves the values it has."""
    store.upsert(gallium_reading(GALLIUM_A, None, "announced"))
    filled = store.upsert(gallium_reading(GALLIUM_A, 0.98, "in_force", "2023-08-01"))
    assert (filled.entities_updated, filled.relations_updated, filled.evidence_added) == (1, 1, 0)
    assert gallium_state(store) == (0.98, "announced", date(2023, 8, 1))
    before = snapshot(store)
    assert not store.upsert(gallium_reading(GALLIUM_A, 0.5, "lifted", "2023-09-01")).changed
    assert snapshot(store) == before


def test_evidence_from_two_documents_is_merged_not_replaced(store):
    store.upsert(small_batch(DOC_A))
    store.upsert(small_batch(DOC_B))
    relation = store.relations(["country:CN|SUPPLIES|commodity:gallium|"])["country:CN|SUPPLIES|commodity:gallium|"]
    assert {e.document_id for e in relation.evidence} == {DOC_A.id, DOC_B.id}
    assert store.counts().relations == 2


def test_a_batch_with_one_bad_row_changes_nothing(store):
    store.upsert(small_batch(DOC_A))
    before = snapshot(store)
    bad = small_batch(DOC_B)
    bad.relations.append(
        Relation(source="firm:acme", type="DEPENDS_ON", target="commodity:germanium", evidence=[quote(DOC_B, "Acme")])
    )
    with pytest.raises(InvalidDataError) as info:
        store.upsert(bad)
    assert info.value.field == "relations[2].target"
    assert snapshot(store) == before
    assert store.document(DOC_B.id) is None


def test_a_quote_that_is_not_in_its_document_is_refused(store):
    batch = small_batch(DOC_A)
    wrong = Evidence(document_id=DOC_A.id, quote="美国", start=0, end=2)
    batch.entities[0] = Entity(id="country:CN", names={"zh": "中国"}, evidence=[wrong])
    with pytest.raises(InvalidDataError, match="not the text"):
        store.upsert(batch)
    assert store.counts().entities == 0


def test_facts_without_evidence_are_refused(store):
    batch = small_batch(DOC_A)
    batch.entities[1] = Entity(id="commodity:gallium", names={"en": "gallium"})
    with pytest.raises(InvalidDataError, match="evidence"):
        store.upsert(batch)


def test_removing_a_document_removes_what_only_it_supports(store):
    store.upsert(small_batch(DOC_A))
    store.upsert(small_batch(DOC_B))
    summary = store.remove_document(DOC_B.id)
    assert summary.relations_removed == 0 and summary.evidence_removed > 0
    assert store.counts().relations == 2
    store.remove_document(DOC_A.id)
    counts = store.counts()
    assert (counts.entities, counts.relations, counts.evidence, counts.documents) == (0, 0, 0, 0)
    with pytest.raises(NotFoundError):
        store.remove_document(DOC_A.id)


def _leave_acme_without_evidence(store) -> None:
    """A second document supports Acme's reliance on gallium, then the first one, the only one
    naming Acme and China, is removed: Acme and China stay, without evidence, for that relation."""
    other = make_doc("Acme 依赖镓,报道称。")
    store.upsert(small_batch(DOC_A))
    store.upsert(
        Batch(
            documents=[other],
            entities=[Entity(id="commodity:gallium", names={"zh": "镓"}, evidence=[quote(other, "镓")])],
            relations=[Relation(source="firm:acme", type="DEPENDS_ON", target="commodity:gallium", origin="country:CN", evidence=[quote(other, "Acme 依赖镓")])],
        )
    )
    store.remove_document(DOC_A.id)


def test_an_entity_without_evidence_stays_while_relations_need_it(store):
    _leave_acme_without_evidence(store)
    assert store.entity("firm:acme") is not None  # still an endpoint of a supported relation
    assert store.entity("firm:acme").evidence == []
    assert store.entity("country:CN") is not None  # the origin of that relation
    assert [r.key for r in store.edges(["commodity:gallium"], Direction.IN)] == ["firm:acme|DEPENDS_ON|commodity:gallium|country:CN"]


def test_lookup_finds_names_and_aliases_in_any_language(store):
    store.upsert(small_batch(DOC_A))
    for text in ("中国", "中方", "china", "CHINA"):
        assert store.lookup(text)[0].entity_id == "country:CN"
    assert [m.entity_id for m in store.lookup("gall")] == ["commodity:gallium"]
    assert store.lookup("镓", entity_type="Country") == []


def test_edges_by_direction_and_type(store):
    store.upsert(small_batch(DOC_A))
    into = store.edges(["commodity:gallium"], Direction.IN)
    assert [r.type for r in into] == ["SUPPLIES", "DEPENDS_ON"]  # sorted by key
    assert store.edges(["commodity:gallium"], Direction.OUT) == []
    only = store.edges(["commodity:gallium"], Direction.BOTH, ["SUPPLIES"])
    assert [r.source for r in only] == ["country:CN"] and only[0].share == 0.98
    assert [r.source for r in store.origin_edges("country:CN")] == ["firm:acme"]


def test_links_are_the_edges_in_brief(store):
    store.upsert(small_batch(DOC_A))
    for ids, direction, types in (
        (["commodity:gallium"], Direction.IN, None),
        (["commodity:gallium", "firm:acme", "country:CN"], Direction.BOTH, None),
        (["commodity:gallium"], Direction.IN, ["DEPENDS_ON"]),
        (["country:CN"], Direction.OUT, ["SUPPLIES", "IS_A"]),
        (["firm:nobody"], Direction.BOTH, None),
    ):
        edges = store.edges(ids, direction, types)
        assert store.links(ids, direction, types) == [
            Link(r.key, r.source, r.type, r.target, r.share, r.origin) for r in edges
        ]
    assert [link.key for link in store.links(["commodity:gallium"], Direction.BOTH, to=["firm:acme", "firm:nobody"])] == [
        "firm:acme|DEPENDS_ON|commodity:gallium|country:CN"
    ]
    assert store.links(["commodity:gallium"], Direction.OUT, to=["firm:acme"]) == []
    assert [link.key for link in store.links(["country:CN", "commodity:gallium"], Direction.OUT, to=["commodity:gallium"])] == [
        "country:CN|SUPPLIES|commodity:gallium|"
    ]
    (depends,) = store.links(["firm:acme"], Direction.OUT)
    assert depends == Link("firm:acme|DEPENDS_ON|commodity:gallium|country:CN", "firm:acme", RelationType.DEPENDS_ON,
                           "commodity:gallium", None, "country:CN")


def test_neighbour_ids_either_way_any_type(store):
    store.upsert(small_batch(DOC_A))
    assert store.neighbour_ids(["commodity:gallium"]) == {"country:CN", "firm:acme"}
    assert store.neighbour_ids(["firm:acme", "country:CN"]) == {"commodity:gallium"}
    assert store.neighbour_ids(["firm:nobody"]) == set()


def test_neighbour_ids_by_direction_and_type(store):
    store.upsert(small_batch(DOC_A))
    both = ["commodity:gallium", "country:CN", "firm:acme"]
    assert store.neighbour_ids(["commodity:gallium"], Direction.IN) == {"country:CN", "firm:acme"}
    assert store.neighbour_ids(["commodity:gallium"], Direction.OUT) == set()
    assert store.neighbour_ids(["commodity:gallium"], Direction.IN, [RelationType.SUPPLIES]) == {"country:CN"}
    assert store.neighbour_ids(["commodity:gallium"], Direction.BOTH, [RelationType.DEPENDS_ON]) == {"firm:acme"}
    assert store.neighbour_ids(["commodity:gallium"], Direction.BOTH, []) == set()
    # A relation between two of ``ids`` counts from its source for OUT, from its target for IN.
    assert store.neighbour_ids(both, Direction.OUT) == {"commodity:gallium"}
    assert store.neighbour_ids(both, Direction.IN) == {"country:CN", "firm:acme"}


def test_degrees_are_the_sum_of_relation_counts(store):
    store.upsert(small_batch(DOC_A))
    ids = ["commodity:gallium", "country:CN", "firm:acme", "firm:nobody"]
    assert store.degrees(ids) == {"commodity:gallium": 2, "country:CN": 1, "firm:acme": 1, "firm:nobody": 0}
    assert store.degrees(ids) == GraphStore.degrees(store, ids)
    assert store.degrees([]) == {}


def test_reading_primitives_override_the_contract_defaults_alike(embedded):
    """The Neo4j store answers links and neighbour_ids with GraphStore's own versions, built on
    edges; the embedded store's faster ones must give the same answers."""
    embedded.upsert(small_batch(DOC_A))
    everything = ["commodity:gallium", "firm:acme", "country:CN", "firm:nobody"]
    for ids in (everything[:1], everything[1:], everything):
        for direction in Direction:
            for to in (None, everything[:1], everything[1:3]):
                for types in (None, ["DEPENDS_ON"]):
                    assert embedded.links(ids, direction, types, to=to) == GraphStore.links(embedded, ids, direction, types, to=to)
        assert embedded.neighbour_ids(ids) == GraphStore.neighbour_ids(embedded, ids)
        for direction in Direction:
            for types in (None, ["DEPENDS_ON"], ["SUPPLIES", "DEPENDS_ON"]):
                assert embedded.neighbour_ids(ids, direction, types) == GraphStore.neighbour_ids(embedded, ids, direction, types)
        assert embedded.degrees(ids) == GraphStore.degrees(embedded, ids)


def test_iterating_everything_returns_evidence(store):
    store.upsert(small_batch(DOC_A))
    entities = list(store.iter_entities())
    relations = list(store.iter_relations())
    assert [e.id for e in entities] == sorted(e.id for e in entities)
    assert all(e.evidence for e in entities) and all(r.evidence for r in relations)


def test_relation_counts_by_type_and_side(store):
    store.upsert(small_batch(DOC_A))
    assert store.relation_counts("commodity:gallium") == {"out": {}, "in": {"DEPENDS_ON": 1, "SUPPLIES": 1}}
    assert store.relation_counts("country:CN") == {"out": {"SUPPLIES": 1}, "in": {}}
    assert store.relation_counts("firm:nobody") == {"out": {}, "in": {}}


def _hub_batch(i: int) -> Batch:
    """Report ``i`` citing China, and Acme relying on gallium from China."""
    doc = Document(text=f"Report {i}: China makes gallium; Acme relies on it.", language="en")
    return Batch(
        documents=[doc],
        entities=[
            Entity(id="country:CN", names={"en": "China"}, evidence=[quote(doc, "China")]),
            Entity(id="commodity:gallium", names={"en": "gallium"}, evidence=[quote(doc, "gallium")]),
            Entity(id="firm:acme", names={"en": "Acme"}, evidence=[quote(doc, "Acme")]),
        ],
        relations=[
            Relation(source="firm:acme", type="DEPENDS_ON", target="commodity:gallium", evidence=[quote(doc, "Acme relies on it")]),
        ],
    )


def test_stored_evidence_keys_names_only_the_stored_pairs(store):
    """Asked by (subject, Evidence.key), a store names the pairs it holds: an entity's pieces, the
    pieces a relation was created with and those added to it later; nothing for unknown subjects."""
    first, second = _hub_batch(1), _hub_batch(2)
    store.upsert(first)
    store.upsert(second)
    relation = first.relations[0].key
    held = [
        ("country:CN", first.entities[0].evidence[0].key),
        ("country:CN", second.entities[0].evidence[0].key),
        (relation, first.relations[0].evidence[0].key),
        (relation, second.relations[0].evidence[0].key),
    ]
    other = first.entities[1].evidence[0].key  # a piece of gallium, not of China
    not_held = [
        ("country:CN", other),
        ("country:CN", (second.documents[0].id, 0, 5, "test")),
        ("country:JP", held[0][1]),
        (relation, other),
        ("firm:acme|SUPPLIES|commodity:gallium|", held[2][1]),
        ("not|a relation key", held[2][1]),
    ]
    assert store.stored_evidence_keys(held + not_held) == set(held)
    assert store.stored_evidence_keys(held + not_held) == GraphStore.stored_evidence_keys(store, held + not_held)
    assert store.stored_evidence_keys([]) == set()


def test_a_write_citing_a_much_cited_entity_adds_only_its_own_pieces(store):
    """The write that cites China and the Acme relation for the 41st time adds one piece to each,
    and counts one; the entity's and the relation's other 40 pieces are kept, and the same write
    again changes nothing, not even the data version."""
    for i in range(40):
        store.upsert(_hub_batch(i))
    relation = _hub_batch(0).relations[0].key
    before = store.counts().evidence
    old_china = store.entity("country:CN").evidence
    old_relation = store.relations([relation])[relation].evidence
    assert len(old_china) == len(old_relation) == 40

    batch = _hub_batch(40)
    summary = store.upsert(batch)
    assert (summary.entities_unchanged, summary.relations_unchanged, summary.evidence_added) == (3, 1, 4)
    assert store.counts().evidence == before + 4
    new_piece = batch.entities[0].evidence[0]
    assert store.entity("country:CN").evidence == sorted([*old_china, new_piece], key=lambda e: e.key)
    assert store.relations([relation])[relation].evidence == sorted([*old_relation, batch.relations[0].evidence[0]], key=lambda e: e.key)

    version = store.data_version()
    assert not store.upsert(batch).changed
    assert not store.upsert(_hub_batch(7)).changed  # an old report read again
    assert (store.data_version(), store.counts().evidence) == (version, before + 4)

    # Removing one report in the middle takes only its pieces off.
    removed = _hub_batch(7).documents[0].id
    assert store.remove_document(removed).evidence_removed == 4
    assert store.counts().evidence == before
    assert [e for e in store.entity("country:CN").evidence if e.document_id == removed] == []
    assert len(store.entity("country:CN").evidence) == 40
    assert len(store.relations([relation])[relation].evidence) == 40


def test_a_snapshot_tried_without_waiting_is_none_or_reads_the_current_version(store):
    """try_snapshot lets the API answer a short read on its event loop: a store may always say
    "not now" (Neo4j, whose every call is a round trip, must), but a reader it yields reads the
    version committed when it was entered."""
    store.upsert(small_batch(DOC_A))
    version = store.data_version()
    with store.try_snapshot() as reader:
        if reader is not None:
            assert reader.data_version() == version
            assert reader.entity("country:CN") is not None
    if store.backend == "neo4j":
        assert reader is None
        return
    assert reader is not None  # nothing committed since: the embedded store reads at once
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store._write_lock:  # what a long write does
            held.set()
            release.wait(120)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(120)
    try:  # a write under way does not stand in the way: snapshots never wait for a writer
        with store.try_snapshot() as reader:
            assert reader is not None and reader.data_version() == version
    finally:
        release.set()
        holder.join(120)
    with EmbeddedStore(store.path) as other:  # another process's write, seen through the file
        other.upsert(small_batch(DOC_B))
    with store.try_snapshot() as reader:
        assert reader is None  # a commit to catch up on first: not on the event loop
    assert store.data_version() > version  # caught up by the ordinary read
    with store.try_snapshot() as reader:
        assert reader is not None and reader.data_version() == store.data_version()
        assert reader.entity("firm:acme") is not None


def test_an_entity_left_without_evidence_travels_with_the_relations_that_need_it(store, tmp_path):
    """A sync, and an export read back, carry an entity whose last document was removed: a write
    takes it beside a relation that needs it, and refuses it alone."""
    import json

    from graph.export import export_json
    from graph.sync import sync

    source = EmbeddedStore(tmp_path / "source.db")
    _leave_acme_without_evidence(source)
    exported = Batch.model_validate(json.loads(b"".join(export_json(source))))
    sync(source, store)
    assert store.entity("firm:acme").evidence == [] and store.entity("country:CN") is not None
    assert [r.key for r in store.edges(["commodity:gallium"], Direction.IN)] == ["firm:acme|DEPENDS_ON|commodity:gallium|country:CN"]
    assert not sync(source, store).changed  # a second sync changes nothing
    again = EmbeddedStore(tmp_path / "again.db")
    assert again.upsert(exported).relations_added == 1
    with pytest.raises(InvalidDataError, match="evidence"):
        again.upsert(Batch(entities=[Entity(id="firm:bare", names={"en": "Bare"})]))
    source.close()
    again.close()
