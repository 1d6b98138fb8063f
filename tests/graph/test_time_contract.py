"""Issue #20's time model on both stores (the ``store`` fixture runs each test on each): a measure's
lifecycle (``MeasureAttributes.events``) and each document's system time (``Document.ingested``)
read back as written, through the store and its snapshot, and ``TimeView`` answering ``as_of`` and
``known_at`` alike on both. Then the copies of a store (sync, the Cypher export) answer as their
source does."""

import datetime as dt
import json
import time

import pytest

from graph.export import export_json
from graph.model.enums import EntityType, LifecycleStage, MeasureStatus
from graph.model.records import Batch, Document, Entity, Evidence, Relation, relation_key
from graph.store import Direction
from graph.time_view import TimeView

UTC = dt.UTC
TARIFF = "measure:us-2025-test-tariff"
US, CN, CA = "country:US", "country:CN", "country:CA"
IMPOSES = relation_key(US, "IMPOSES", TARIFF)
TARGETS = relation_key(TARIFF, "TARGETS", CN)
OPPOSES = relation_key(CA, "OPPOSES", TARIFF)

ANNOUNCEMENT = Document(text="美国4月2日宣布对中国商品加征关税。", language="zh", title="announced", published=dt.date(2025, 4, 2))
LIFTING = Document(text="对中国的该关税(税率25%)于4月9日生效,5月12日取消。加拿大随后反对该关税。", language="zh", title="lifted", published=dt.date(2025, 6, 1))


def quote(doc: Document, words: str) -> Evidence:
    start = doc.text.index(words)
    return Evidence(document_id=doc.id, quote=words, start=start, end=start + len(words), extractor="test")


def event(doc: Document, stage: str, day: dt.date | None, words: str) -> dict:
    return {"stage": stage, "date": day, "evidence": quote(doc, words)}


def announced(doc: Document = ANNOUNCEMENT) -> Batch:
    """The first document: the US announces a tariff on China on 2 April."""
    return Batch(
        documents=[doc],
        entities=[
            Entity(id=US, names={"zh": "美国"}, evidence=[quote(doc, "美国")]),
            Entity(id=CN, names={"zh": "中国"}, evidence=[quote(doc, "中国")]),
            Entity(
                id=TARIFF,
                names={"zh": "加征关税"},
                measure={
                    "measure_type": "tariff",
                    "status": "announced",
                    "announced": dt.date(2025, 4, 2),
                    "events": [event(doc, "announced", dt.date(2025, 4, 2), "4月2日宣布")],
                },
                evidence=[quote(doc, "加征关税")],
            ),
        ],
        relations=[
            Relation(source=US, type="IMPOSES", target=TARIFF, evidence=[quote(doc, "美国4月2日宣布")]),
            Relation(source=TARIFF, type="TARGETS", target=CN, evidence=[quote(doc, "对中国商品加征关税")]),
        ],
    )


def lifted(doc: Document = LIFTING) -> Batch:
    """The second document: the tariff (25%) took force on 9 April and was lifted on 12 May;
    Canada opposes it (an entity and a relation only this document supports)."""
    return Batch(
        documents=[doc],
        entities=[
            Entity(id=CN, names={"zh": "中国"}, evidence=[quote(doc, "中国")]),
            Entity(id=CA, names={"zh": "加拿大"}, evidence=[quote(doc, "加拿大")]),
            Entity(
                id=TARIFF,
                names={"zh": "加征关税"},
                measure={
                    "measure_type": "tariff",
                    "status": "lifted",
                    "effective": dt.date(2025, 4, 9),
                    "ended": dt.date(2025, 5, 12),
                    "rate": 25.0,
                    "unit": "%",
                    "events": [
                        event(doc, "in_force", dt.date(2025, 4, 9), "4月9日生效"),
                        event(doc, "lifted", dt.date(2025, 5, 12), "5月12日取消"),
                    ],
                },
                evidence=[quote(doc, "该关税")],
            ),
        ],
        relations=[
            Relation(source=TARIFF, type="TARGETS", target=CN, evidence=[quote(doc, "对中国的该关税")]),
            Relation(source=CA, type="OPPOSES", target=TARIFF, evidence=[quote(doc, "加拿大随后反对该关税")]),
        ],
    )


def both_written(store) -> None:
    """Both documents, one write each, taken at two distinct moments."""
    store.upsert(announced())
    time.sleep(0.01)  # two system times a clock tick cannot merge
    store.upsert(lifted())


def told(events) -> list[tuple]:
    """A lifecycle as data: (stage, date, document, quote) of each event."""
    return [(e.stage, e.date, e.evidence and e.evidence.document_id, e.evidence and e.evidence.quote) for e in events]


LIFECYCLE = [
    (LifecycleStage.ANNOUNCED, dt.date(2025, 4, 2), ANNOUNCEMENT.id, "4月2日宣布"),
    (LifecycleStage.IN_FORCE, dt.date(2025, 4, 9), LIFTING.id, "4月9日生效"),
    (LifecycleStage.LIFTED, dt.date(2025, 5, 12), LIFTING.id, "5月12日取消"),
]


def ingested(reader, document_id: str) -> dt.datetime:
    return reader.document(document_id).ingested


def taken_at(doc: Document, when: dt.datetime) -> Document:
    """``doc`` as a batch read from JSON carries it, with the time a store first took it."""
    return Document.model_validate(doc.model_dump() | {"ingested": when})


# -- what the stores hold -------------------------------------------------------------------------
def test_a_lifecycle_told_by_two_documents_is_one_list_of_events(store):
    store.upsert(announced())
    assert told(store.entity(TARIFF).measure.events) == LIFECYCLE[:1]
    store.upsert(lifted())
    measure = store.entity(TARIFF).measure
    assert told(measure.events) == LIFECYCLE
    assert measure.status is MeasureStatus.LIFTED
    assert (measure.announced, measure.effective, measure.ended) == (dt.date(2025, 4, 2), dt.date(2025, 4, 9), dt.date(2025, 5, 12))
    # Every way of reading an entity gives the same lifecycle, the snapshot's included.
    assert told(next(e for e in store.iter_entities() if e.id == TARIFF).measure.events) == LIFECYCLE
    with store.snapshot() as reader:
        assert told(reader.entity(TARIFF).measure.events) == LIFECYCLE
        assert told(next(e for e in reader.iter_entities() if e.id == TARIFF).measure.events) == LIFECYCLE
    # Reading a document again adds nothing: no event twice, no write.
    again = store.upsert(lifted())
    assert not again.changed
    assert told(store.entity(TARIFF).measure.events) == LIFECYCLE


def test_ingested_is_when_the_store_first_took_the_document(store):
    before = dt.datetime.now(UTC)
    store.upsert(announced())
    after = dt.datetime.now(UTC)
    taken = ingested(store, ANNOUNCEMENT.id)
    assert taken.utcoffset() == dt.timedelta(0)
    assert before <= taken <= after
    assert [(d.id, d.ingested) for d in store.documents()] == [(ANNOUNCEMENT.id, taken)]
    assert store.ingestion_times([ANNOUNCEMENT.id, LIFTING.id]) == {ANNOUNCEMENT.id: taken}
    time.sleep(0.01)
    store.upsert(announced())  # taken again: still the first time
    assert ingested(store, ANNOUNCEMENT.id) == taken


def test_a_given_ingested_is_kept_to_the_microsecond_in_utc(store):
    """What a sync or an export read back carries: kept as given, not stamped anew."""
    given = dt.datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    store.upsert(announced(taken_at(ANNOUNCEMENT, given)))
    with store.snapshot() as snap:
        for read in (snap.document(ANNOUNCEMENT.id), snap.documents()[0], store.document(ANNOUNCEMENT.id), store.documents()[0]):
            assert read.ingested == given
            assert read.ingested.utcoffset() == dt.timedelta(0)
            assert read.model_dump(mode="json")["ingested"] == "2025-01-01T19:04:05.678901Z"
        assert snap.ingestion_times([ANNOUNCEMENT.id]) == {ANNOUNCEMENT.id: given}


def test_a_snapshot_keeps_the_lifecycle_and_the_document_times_a_later_write_changes(store):
    store.upsert(announced())
    taken = ingested(store, ANNOUNCEMENT.id)
    with store.snapshot() as snap:
        store.upsert(lifted())  # adds two events to the measure the snapshot holds
        store.remove_document(ANNOUNCEMENT.id)  # and takes the first document away
        assert told(store.entity(TARIFF).measure.events) == LIFECYCLE[1:]  # the first one's event gone with it
        assert [d.id for d in store.documents()] == [LIFTING.id]

        assert told(snap.entity(TARIFF).measure.events) == LIFECYCLE[:1]
        assert [(d.id, d.ingested) for d in snap.documents()] == [(ANNOUNCEMENT.id, taken)]
        assert snap.document(ANNOUNCEMENT.id).ingested == taken
        assert snap.document(LIFTING.id) is None
        assert snap.publication_dates([ANNOUNCEMENT.id, LIFTING.id]) == {ANNOUNCEMENT.id: dt.date(2025, 4, 2)}
        assert snap.ingestion_times([ANNOUNCEMENT.id, LIFTING.id]) == {ANNOUNCEMENT.id: taken}
        then = TimeView(snap, as_of=dt.date(2025, 6, 1), known_at=dt.datetime.now(UTC))
        assert then.entity(TARIFF).measure.status is MeasureStatus.ANNOUNCED
        assert [d.id for d in then.documents()] == [ANNOUNCEMENT.id]


def test_removing_a_document_takes_away_what_only_it_reported(store):
    both_written(store)
    assert (store.entity(TARIFF).measure.rate, store.entity(TARIFF).measure.unit) == (25.0, "%")  # the second's only
    store.remove_document(LIFTING.id)
    assert [d.id for d in store.documents()] == [ANNOUNCEMENT.id]
    assert store.entities([CA]) == {}
    assert store.relations([OPPOSES, TARGETS]).keys() == {TARGETS}
    with store.snapshot() as snap:
        for reader in (store, snap):
            tariff = reader.entity(TARIFF)
            assert {e.document_id for e in tariff.evidence} == {ANNOUNCEMENT.id}
            measure = tariff.measure
            assert told(measure.events) == LIFECYCLE[:1]
            assert (measure.status, measure.rate, measure.unit, measure.claims) == (MeasureStatus.ANNOUNCED, None, None, [])
    assert TimeView(store, as_of=dt.date(2025, 6, 1)).entity(TARIFF).measure.status is MeasureStatus.ANNOUNCED
    now = TimeView(store, known_at=dt.datetime.now(UTC)).entity(TARIFF)
    assert (now.measure.status, told(now.measure.events)) == (MeasureStatus.ANNOUNCED, LIFECYCLE[:1])


def test_removing_a_document_takes_the_dates_only_it_stated_away(store):
    both_written(store)
    store.remove_document(LIFTING.id)
    measure = store.entity(TARIFF).measure
    assert (measure.status, measure.announced, measure.effective, measure.ended) == (MeasureStatus.ANNOUNCED, dt.date(2025, 4, 2), None, None)
    assert TimeView(store, as_of=dt.date(2025, 6, 1)).entity(TARIFF).measure.ended is None


# -- as_of: the world on a day --------------------------------------------------------------------
@pytest.mark.parametrize("through_snapshot", [False, True], ids=["store", "snapshot"])
def test_as_of_gives_the_status_the_lifecycle_left_on_the_day(store, through_snapshot):
    both_written(store)
    with store.snapshot() as snap:
        reader = snap if through_snapshot else store
        before = TimeView(reader, as_of=dt.date(2025, 4, 1))
        assert before.entities([TARIFF]) == {} and before.known([TARIFF, US]) == {US}
        assert before.entity_ids(EntityType.MEASURE) == []
        assert before.edges([US, CN, CA], Direction.BOTH) == []

        for day, status, happened, ended in [
            (dt.date(2025, 4, 2), MeasureStatus.ANNOUNCED, 1, None),
            (dt.date(2025, 4, 8), MeasureStatus.ANNOUNCED, 1, None),
            (dt.date(2025, 4, 9), MeasureStatus.IN_FORCE, 2, None),
            (dt.date(2025, 5, 11), MeasureStatus.IN_FORCE, 2, None),
            (dt.date(2025, 5, 12), MeasureStatus.LIFTED, 3, dt.date(2025, 5, 12)),
            (dt.date(2026, 1, 1), MeasureStatus.LIFTED, 3, dt.date(2025, 5, 12)),
        ]:
            view = TimeView(reader, as_of=day)
            measure = view.entity(TARIFF).measure
            assert (measure.status, told(measure.events), measure.ended) == (status, LIFECYCLE[:happened], ended), day
            assert view.entity_ids(EntityType.MEASURE) == [TARIFF]
            assert {r.key for r in view.edges([TARIFF], Direction.BOTH)} == {IMPOSES, TARGETS, OPPOSES}


def test_an_undated_event_is_placed_at_its_documents_publication_date(store):
    report = Document(text="镓出口管制已生效。", language="zh", published=dt.date(2025, 3, 1))
    undated = Document(text="另一项出口管制已宣布。", language="zh")  # no publication date either
    controls, other = "measure:cn-test-gallium-controls", "measure:cn-test-other-controls"
    store.upsert(
        Batch(
            documents=[report, undated],
            entities=[
                Entity(
                    id=controls,
                    names={"zh": "镓出口管制"},
                    measure={"measure_type": "export_control", "status": "in_force", "events": [event(report, "in_force", None, "已生效")]},
                    evidence=[quote(report, "镓出口管制")],
                ),
                Entity(
                    id=other,
                    names={"zh": "另一项出口管制"},
                    measure={"measure_type": "export_control", "status": "announced", "events": [event(undated, "announced", None, "已宣布")]},
                    evidence=[quote(undated, "出口管制")],
                ),
            ],
        )
    )
    assert told(store.entity(controls).measure.events) == [(LifecycleStage.IN_FORCE, None, report.id, "已生效")]
    assert store.publication_dates([report.id, undated.id]) == {report.id: dt.date(2025, 3, 1), undated.id: None}
    assert TimeView(store, as_of=dt.date(2025, 2, 28)).entities([controls]) == {}
    on_the_day = TimeView(store, as_of=dt.date(2025, 3, 1)).entity(controls).measure
    assert on_the_day.status is MeasureStatus.IN_FORCE and told(on_the_day.events) == [(LifecycleStage.IN_FORCE, None, report.id, "已生效")]
    # An event with neither its own date nor its document's is in no dated view, whatever the day.
    assert TimeView(store, as_of=dt.date(2100, 1, 1)).entity_ids(EntityType.MEASURE) == [controls]
    assert sorted(TimeView(store, known_at=dt.datetime.now(UTC)).entity_ids(EntityType.MEASURE)) == [controls, other]

    # A snapshot still places it after its document is removed: the date comes from the history.
    with store.snapshot() as snap:
        store.remove_document(report.id)
        assert TimeView(store, as_of=dt.date(2025, 3, 1)).entities([controls]) == {}
        assert TimeView(snap, as_of=dt.date(2025, 2, 28)).entities([controls]) == {}
        assert TimeView(snap, as_of=dt.date(2025, 3, 1)).entity(controls).measure.status is MeasureStatus.IN_FORCE


def test_a_relation_holds_only_inside_its_validity(store):
    doc = Document(text="Acme 在2025年第一季度依赖中国的镓。中国供应镓。", language="zh")
    acme, gallium = "firm:acme", "commodity:gallium"
    depends = Relation(
        source=acme, type="DEPENDS_ON", target=gallium, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 3, 31),
        evidence=[quote(doc, "Acme 在2025年第一季度依赖中国的镓")],
    )
    supplies = Relation(source=CN, type="SUPPLIES", target=gallium, evidence=[quote(doc, "中国供应镓")])
    store.upsert(
        Batch(
            documents=[doc],
            entities=[
                Entity(id=acme, names={"en": "Acme"}, evidence=[quote(doc, "Acme")]),
                Entity(id=gallium, names={"zh": "镓"}, evidence=[quote(doc, "镓")]),
                Entity(id=CN, names={"zh": "中国"}, evidence=[quote(doc, "中国")]),
            ],
            relations=[depends, supplies],
        )
    )
    stored = store.relations([depends.key])[depends.key]
    assert (stored.valid_from, stored.valid_to) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    for day, holds in [
        (dt.date(2024, 12, 31), False),
        (dt.date(2025, 1, 1), True),
        (dt.date(2025, 2, 14), True),
        (dt.date(2025, 3, 31), True),
        (dt.date(2025, 4, 1), False),
    ]:
        view = TimeView(store, as_of=day)
        expected = {depends.key, supplies.key} if holds else {supplies.key}
        assert {r.key for r in view.edges([gallium], Direction.IN)} == expected, day
        assert view.relations([depends.key, supplies.key]).keys() == expected, day
        assert {r.key for r in view.iter_relations()} == expected, day
        assert view.counts().relations == len(expected), day


# -- known_at: what the store knew at a moment ----------------------------------------------------
@pytest.mark.parametrize("through_snapshot", [False, True], ids=["store", "snapshot"])
def test_known_at_the_first_documents_time_shows_none_of_the_second(store, through_snapshot):
    both_written(store)
    first, second = ingested(store, ANNOUNCEMENT.id), ingested(store, LIFTING.id)
    assert first < second
    with store.snapshot() as snap:
        reader = snap if through_snapshot else store
        assert {d.id for d in reader.documents()} == {ANNOUNCEMENT.id, LIFTING.id}
        view = TimeView(reader, known_at=first)

        assert [d.id for d in view.documents()] == [ANNOUNCEMENT.id]
        assert view.document(LIFTING.id) is None and view.document(ANNOUNCEMENT.id).ingested == first
        assert view.document_subjects(LIFTING.id) == []
        assert view.counts().documents == 1

        tariff = view.entity(TARIFF)
        assert told(tariff.measure.events) == LIFECYCLE[:1]
        assert tariff.measure.status is MeasureStatus.ANNOUNCED
        assert {e.document_id for e in tariff.evidence} == {ANNOUNCEMENT.id}
        assert {e.document_id for e in view.evidence([TARIFF, TARGETS])[TARGETS]} == {ANNOUNCEMENT.id}
        assert view.entities([CA]) == {} and view.known([CA, CN, US]) == {CN, US}
        assert view.relations([OPPOSES, TARGETS, IMPOSES]).keys() == {TARGETS, IMPOSES}
        assert [e.quote for e in view.relations([TARGETS])[TARGETS].evidence] == ["对中国商品加征关税"]
        assert {r.key for r in view.edges([TARIFF], Direction.BOTH)} == {TARGETS, IMPOSES}
        # On a day after the lifting, the store knew it only as announced.
        assert TimeView(reader, as_of=dt.date(2025, 6, 1), known_at=first).entity(TARIFF).measure.status is MeasureStatus.ANNOUNCED

        # A microsecond earlier the store knew nothing of either; at the second's time, all of it.
        assert TimeView(reader, known_at=first - dt.timedelta(microseconds=1)).documents() == []
        assert TimeView(reader, known_at=first - dt.timedelta(microseconds=1)).entities([TARIFF, US]) == {}
        everything = TimeView(reader, known_at=second)
        assert told(everything.entity(TARIFF).measure.events) == LIFECYCLE
        assert everything.relations([OPPOSES]).keys() == {OPPOSES}
        assert len(everything.documents()) == 2


# -- the same answers, and copies that answer as their source -------------------------------------
def views(reader, first: dt.datetime) -> dict[str, object]:
    """A dated view's whole graph, as the JSON export writes it, for several days and moments."""
    cases = {
        "now": TimeView(reader, known_at=dt.datetime.now(UTC) + dt.timedelta(days=1)),
        "known_at_first": TimeView(reader, known_at=first),
        "as_of_announced": TimeView(reader, as_of=dt.date(2025, 4, 5)),
        "as_of_in_force": TimeView(reader, as_of=dt.date(2025, 4, 20)),
        "as_of_lifted": TimeView(reader, as_of=dt.date(2025, 6, 1)),
        "both": TimeView(reader, as_of=dt.date(2025, 6, 1), known_at=first),
    }
    return {name: json.loads(b"".join(export_json(view))) for name, view in cases.items()}


@pytest.mark.neo4j
def test_both_stores_give_the_same_dated_views(embedded, neo4j_store):
    taken = [dt.datetime(2025, 7, 1, 8, 0, 0, 123456, tzinfo=UTC), dt.datetime(2025, 7, 2, 8, 0, 0, 654321, tzinfo=UTC)]
    for store in (embedded, neo4j_store):
        store.upsert(announced(taken_at(ANNOUNCEMENT, taken[0])))
        store.upsert(lifted(taken_at(LIFTING, taken[1])))
    mine, theirs = views(embedded, taken[0]), views(neo4j_store, taken[0])
    assert mine["both"]["documents"][0]["ingested"] == "2025-07-01T08:00:00.123456Z"
    assert [len(mine[n]["documents"]) for n in ("now", "known_at_first", "as_of_lifted")] == [2, 1, 2]
    assert mine == theirs


@pytest.mark.neo4j
def test_a_synced_neo4j_store_answers_known_at_like_its_source(embedded, neo4j_store):
    from graph.sync import sync

    both_written(embedded)
    first = ingested(embedded, ANNOUNCEMENT.id)
    time.sleep(0.01)
    sync(embedded, neo4j_store, batch_size=2)
    assert [(d.id, d.ingested) for d in neo4j_store.documents()] == [(d.id, d.ingested) for d in embedded.documents()]
    assert told(neo4j_store.entity(TARIFF).measure.events) == LIFECYCLE
    assert [d.id for d in TimeView(neo4j_store, known_at=first).documents()] == [ANNOUNCEMENT.id]
    assert views(neo4j_store, first) == views(embedded, first)


@pytest.mark.neo4j
def test_the_cypher_export_carries_the_lifecycle_and_the_system_times(embedded, neo4j_store):
    from graph.neo4j.export_cypher import cypher_script, split_statements

    both_written(embedded)
    first = ingested(embedded, ANNOUNCEMENT.id)
    script = split_statements("".join(cypher_script(embedded, batch_size=3)))
    with neo4j_store._driver.session(database=neo4j_store.database) as session:
        for statement in script:
            session.run(statement).consume()
    assert [(d.id, d.ingested) for d in neo4j_store.documents()] == [(d.id, d.ingested) for d in embedded.documents()]
    assert told(neo4j_store.entity(TARIFF).measure.events) == LIFECYCLE
    assert views(neo4j_store, first) == views(embedded, first)
