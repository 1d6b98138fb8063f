"""reconcile(): a measure already in the store is matched, not duplicated."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from ingest.coref import reconcile
from ingest.extract import default_extractor
from ingest.readers import read_text

FIRST = (
    "2025年10月9日，中国商务部与海关总署发布公告，宣布对稀土原矿和中重稀土实施出口管制，措施立即实施。"
)
SECOND = (
    "中方10月10日起落地的稀土出口管制已经实施，商务部表示管制对象包括稀土原矿。"
)
UNRELATED = "2025年3月4日，中方宣布对美国大豆加征10%的关税。"


def _measure_ids(batch) -> list[str]:  # noqa: ANN001
    return [e.id for e in batch.entities if e.measure is not None]


def test_second_article_reuses_the_stored_measure(tmp_path: Path) -> None:
    ex = default_extractor()
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        first = ex.extract(read_text(FIRST, published=date(2025, 10, 10)))
        store.upsert(reconcile(first, store))
        stored = _measure_ids(first)
        assert len(stored) == 1

        second = ex.extract(read_text(SECOND, published=date(2025, 10, 20)))
        assert _measure_ids(second) != stored  # read alone, the second article names it differently
        reconciled = reconcile(second, store)
        assert _measure_ids(reconciled) == stored
        assert all(stored[0] in (r.source, r.target) for r in reconciled.relations if "measure:" in r.source + r.target)
        store.upsert(reconciled)
        measure = store.entity(stored[0])
        assert len({ev.document_id for ev in measure.evidence}) == 2  # both articles' evidence, one measure
        assert len(store.entity_ids()) == len(set(store.entity_ids()))
    finally:
        store.close()


def test_different_measure_is_not_merged(tmp_path: Path) -> None:
    ex = default_extractor()
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        store.upsert(ex.extract(read_text(FIRST, published=date(2025, 10, 10))))
        other = ex.extract(read_text(UNRELATED, published=date(2025, 3, 5)))
        assert reconcile(other, store) == other
    finally:
        store.close()


def test_empty_store_changes_nothing(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        batch = default_extractor().extract(read_text(FIRST))
        assert reconcile(batch, store) == batch
    finally:
        store.close()


def test_a_document_read_again_keeps_the_measures_it_was_given(tmp_path: Path) -> None:
    """Reconciling is a fixed point: a document whose measures the store holds already gets the
    same ids again, even when another stored measure now matches as well or better."""
    ex = default_extractor()
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        first = ex.extract(read_text(FIRST, published=date(2025, 10, 10)))
        second = ex.extract(read_text(SECOND, published=date(2025, 10, 20)))
        store.upsert(first)  # each under its own id: two stored measures that match each other
        store.upsert(second)
        assert _measure_ids(first) != _measure_ids(second)
        assert reconcile(first, store) == first
        assert reconcile(second, store) == second
    finally:
        store.close()


def test_a_document_read_again_keeps_its_measure_after_the_measure_changed(tmp_path: Path) -> None:
    """The second article was matched to the first one's measure; a later document then moved that
    measure's date out of the matching window. Read again, the second article still goes to it."""
    ex = default_extractor()
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        first = ex.extract(read_text(FIRST, published=date(2025, 10, 10)))
        store.upsert(first)
        (measure_id,) = _measure_ids(first)
        second = reconcile(ex.extract(read_text(SECOND, published=date(2025, 10, 20))), store)
        assert _measure_ids(second) == [measure_id]
        store.upsert(second)
        later = read_text("稀土出口管制的公告与实施日期应为2026年6月1日。")
        stored = store.entity(measure_id)
        moved = stored.model_copy(update={
            # A curated correction (the evidence's extractor is "curated"), which the choice rule
            # puts before the two extracted reports of the old date; its lifecycle is its dates.
            "measure": stored.measure.model_copy(
                update={"announced": date(2026, 6, 1), "effective": date(2026, 6, 1), "events": [], "claims": []}
            ),
            "evidence": [Evidence(document_id=later.id, quote="稀土出口管制", start=0, end=6)],
        })
        store.upsert(Batch(documents=[later], entities=[moved]))
        assert store.entity(measure_id).measure.announced == date(2026, 6, 1)

        again = reconcile(ex.extract(read_text(SECOND, published=date(2025, 10, 20))), store)
        assert again == second
        assert not store.upsert(again).changed
    finally:
        store.close()


def _tariff(doc: Document, measure_id: str, imposer: str, target: str, announced: date, goods: str | None = None) -> Batch:
    """A tariff ``imposer`` puts on ``target`` (and on ``goods``), every fact quoting the whole text."""
    whole = [Evidence(document_id=doc.id, quote=doc.text, start=0, end=len(doc.text))]
    entities = [
        Entity(id=measure_id, names={"en": measure_id}, measure={"measure_type": "tariff", "status": "in_force", "announced": announced}, evidence=whole),
        Entity(id=imposer, names={"en": imposer}, evidence=whole),
        Entity(id=target, names={"en": target}, evidence=whole),
    ]
    relations = [
        Relation(source=imposer, type="IMPOSES", target=measure_id, evidence=whole),
        Relation(source=measure_id, type="TARGETS", target=target, evidence=whole),
    ]
    if goods:
        entities.append(Entity(id=goods, names={"en": goods}, evidence=whole))
        relations.append(Relation(source=measure_id, type="COVERS", target=goods, evidence=whole))
    return Batch(documents=[doc], entities=entities, relations=relations)


def test_a_sentence_naming_two_measures_goes_back_to_the_same_two(tmp_path: Path) -> None:
    """One sentence tells of a US tariff and China's answer, so it is the evidence of both
    measures; the answer was matched to a stored Chinese tariff. Another that matches as well
    (and wins the tie on its id) stored since changes nothing when the sentence is read again."""
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        earlier = Document(text="China's tariffs on US soybeans take effect.", language="en")
        store.upsert(_tariff(earlier, "measure:cn-2018-soybean-tariffs", "country:CN", "country:US", date(2018, 10, 1), "commodity:soybeans"))
        both = Document(text="Washington raised tariffs on China on 24 September, and Beijing answered with its own.", language="en")
        us, cn = (
            _tariff(both, "measure:us-2018-09-24-tariffs-on-cn", "country:US", "country:CN", date(2018, 9, 24)),
            _tariff(both, "measure:cn-2018-09-24-tariffs-on-us", "country:CN", "country:US", date(2018, 9, 24)),
        )
        read = Batch(documents=[both], entities=us.entities + cn.entities, relations=us.relations + cn.relations)
        first = reconcile(read, store)
        assert _measure_ids(first) == ["measure:us-2018-09-24-tariffs-on-cn", "measure:cn-2018-soybean-tariffs"]
        store.upsert(first)
        since = Document(text="Beijing's retaliatory tariffs of 24 September.", language="en")
        store.upsert(_tariff(since, "measure:cn-2018-tariffs-answering-us", "country:CN", "country:US", date(2018, 9, 24)))

        again = reconcile(read, store)
        assert again == first
        assert not store.upsert(again).changed
    finally:
        store.close()
