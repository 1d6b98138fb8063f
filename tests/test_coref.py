"""reconcile(): a measure already in the store is matched, not duplicated."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from graph.embedded import EmbeddedStore
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
