"""The rule extractor on real text: spans, matching boundaries, measures, dates, rates, noise."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.harness.paths import ROOT
from graph.embedded import EmbeddedStore
from graph.model.enums import RelationType
from graph.model.records import Batch
from ingest.extract import Extractor, default_extractor
from ingest.extract.values import (
    find_dates,
    find_legal_references,
    find_percents,
    find_rate_change,
    reference_date,
)
from ingest.readers import read_document, read_text

EVAL = ROOT / "tests" / "eval"
SEED = EVAL / "seed_000.md"


@pytest.fixture(scope="module")
def seed_batch() -> Batch:
    return default_extractor().extract(read_document(SEED))


def _measures(batch: Batch) -> dict:
    return {e.id: e for e in batch.entities if e.measure is not None}


def _triples(batch: Batch) -> set[tuple[str, str, str]]:
    return {(r.source, r.type.value, r.target) for r in batch.relations}


def test_default_extractor_is_a_cached_extractor() -> None:
    assert default_extractor() is default_extractor()
    assert isinstance(default_extractor(), Extractor)


def test_every_fact_cites_its_exact_span(seed_batch: Batch) -> None:
    text = seed_batch.documents[0].text
    assert seed_batch.entities and seed_batch.relations
    for item in [*seed_batch.entities, *seed_batch.relations]:
        assert item.evidence, item
        for ev in item.evidence:
            assert text[ev.start : ev.end] == ev.quote
            assert ev.extractor.startswith("rule:")


def test_relation_ends_are_emitted_entities(seed_batch: Batch) -> None:
    ids = {e.id for e in seed_batch.entities}
    for r in seed_batch.relations:
        assert r.source in ids and r.target in ids and (r.origin is None or r.origin in ids)


def test_seed_batch_is_accepted_by_a_real_store_and_is_idempotent(seed_batch: Batch, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        first = store.upsert(seed_batch)
        assert first.entities_added == len({e.id for e in seed_batch.entities})
        again = default_extractor().extract(read_document(SEED))
        assert not store.upsert(again).changed
    finally:
        store.close()


def test_seed_rare_earth_controls(seed_batch: Batch) -> None:
    measure = _measures(seed_batch)["measure:cn-2025-10-09-rare-earth-export-controls"]
    assert measure.measure.measure_type.value == "export_control"
    assert measure.measure.status.value == "in_force"
    assert measure.measure.legal_reference == "Announcements No. 61, 62"
    triples = _triples(seed_batch)
    for imposer in ("country:CN", "org:mofcom", "org:gacc"):
        assert (imposer, "IMPOSES", measure.id) in triples
    assert (measure.id, "COVERS", "commodity:rare-earth-ore") in triples
    assert len(measure.evidence) >= 3  # named in several sentences, one measure with all of them


def test_seed_tariff_threat_rate_and_date(seed_batch: Batch) -> None:
    tariff = next(e for e in _measures(seed_batch).values() if e.measure.measure_type.value == "tariff")
    assert tariff.measure.rate == 155.0 and tariff.measure.previous_rate == 100.0
    assert tariff.measure.effective == date(2025, 11, 1)
    assert tariff.measure.status.value == "threatened"
    assert ("person:donald-trump", "IMPOSES", tariff.id) in _triples(seed_batch)


def test_seed_dependencies_carry_share_and_origin(seed_batch: Batch) -> None:
    deps = {(r.source, r.target): r for r in seed_batch.relations if r.type is RelationType.DEPENDS_ON}
    f35 = deps[("product:f-35", "commodity:ndfeb-magnets")]
    assert f35.share == 1.0 and f35.origin == "country:CN"


def test_trailing_headlines_yield_nothing(seed_batch: Batch) -> None:
    text = seed_batch.documents[0].text
    noise_start = text.index("干过5艘游轮")
    for item in [*seed_batch.entities, *seed_batch.relations]:
        assert all(ev.end <= noise_start for ev in item.evidence), item


def test_headline_only_document_yields_no_facts() -> None:
    doc = read_text("洛里昂vs巴黎圣日耳曼:姆武卡、永瓦-恩加梅尼首发,登贝莱、马尔基尼奥斯出战\n2026高校保研数据出炉:最高保研率72.47%")
    batch = default_extractor().extract(doc)
    assert batch.entities == [] and batch.relations == []
    assert batch.documents == [doc]


def _entity_ids(text: str, language: str | None = None) -> set[str]:
    batch = default_extractor().extract(read_text(text, language=language))
    return {e.id for e in batch.entities}


def test_longer_words_hide_shorter_names() -> None:
    assert "country:CN" not in _entity_ids("该中方案涉及出口管制和关税调整。")
    assert "country:CN" in _entity_ids("中方宣布对稀土实施出口管制。")


def test_latin_names_need_word_boundaries_and_case() -> None:
    assert "country:US" not in _entity_ids("Let us discuss the focus of export controls and tariffs on trade.")
    assert "country:US" in _entity_ids("The US imposed export controls on chips exports.")
    assert "country:CN" not in _entity_ids("Exports of fine china and tariffs on porcelain trade rose.")


def test_two_sentences_one_measure_with_both_evidence() -> None:
    text = (
        "China's Ministry of Commerce announced export controls on gallium on July 3, 2023. "
        "The export controls on gallium took effect on August 1, 2023."
    )
    batch = default_extractor().extract(read_text(text, published=date(2023, 8, 2)))
    measures = _measures(batch)
    assert len(measures) == 1
    measure = next(iter(measures.values()))
    assert len({(ev.start, ev.end) for ev in measure.evidence}) == 2
    assert measure.measure.announced == date(2023, 7, 3)
    assert measure.measure.effective == date(2023, 8, 1)
    assert measure.id == "measure:cn-2023-07-03-gallium-export-controls"


def test_lifting_is_the_same_measure_with_status_lifted() -> None:
    text = (
        "2020年5月18日，中国商务部宣布对原产于澳大利亚的进口大麦征收反倾销税。"
        "2023年8月4日，商务部宣布自8月5日起取消对澳大利亚大麦征收的反倾销税。"
    )
    measures = _measures(default_extractor().extract(read_text(text)))
    assert len(measures) == 1
    m = next(iter(measures.values())).measure
    assert m.status.value == "lifted" and m.ended == date(2023, 8, 5) and m.announced == date(2020, 5, 18)


def test_retaliation_cue_links_measures() -> None:
    text = (
        "On May 1, 2025, the United States imposed tariffs on Chinese steel. "
        "In retaliation, China imposed tariffs on US soybeans on May 10, 2025."
    )
    batch = default_extractor().extract(read_text(text))
    rel = [r for r in batch.relations if r.type is RelationType.RETALIATES_AGAINST]
    assert len(rel) == 1 and rel[0].source.startswith("measure:cn-") and rel[0].target.startswith("measure:us-")


def test_relative_dates_against_published() -> None:
    text = "10 月 9 日与 11 月 1 日"
    found = find_dates(text, 0, len(text), date(2025, 10, 24))
    assert [d.value for d in found] == [date(2025, 10, 9), date(2025, 11, 1)]
    january = "12 月 5 日"
    assert find_dates(january, 0, len(january), date(2026, 1, 10))[0].value == date(2025, 12, 5)
    en = "on Oct. 9 and on November 1"
    assert [d.value for d in find_dates(en, 0, len(en), date(2025, 10, 24))] == [date(2025, 10, 9), date(2025, 11, 1)]
    # a full date in the same sentence gives its year to the year-less ones
    mixed = "2019年7月4日宣布，自8月1日起实施"
    assert [d.value for d in find_dates(mixed, 0, len(mixed), date(2025, 10, 24))] == [date(2019, 7, 4), date(2019, 8, 1)]
    last_year = "去年10月"
    assert find_dates(last_year, 0, len(last_year), date(2023, 7, 4))[0].value == date(2022, 10, 1)


def test_reference_year_without_published_date() -> None:
    text = "2025 年上半年贸易额 ... 2025 年的 12.7% ... 到 2026 年才能 ... 预计 2026 年可实现"
    assert reference_date(text, None) == date(2025, 7, 1)


def test_rates_and_legal_references() -> None:
    text = "将关税税率从原定的 100% 提升至 155%，另有 80.5% 和 25 per cent"
    assert find_rate_change(text, 0, len(text))[0][2:] == (100.0, 155.0)
    assert [p[2] for p in find_percents(text, 0, len(text))] == [100.0, 155.0, 80.5, 25.0]
    refs = "发布第 61、62 号公告；公告2023年第23号；Section 232"
    assert [r[2] for r in find_legal_references(refs, 0, len(refs))] == [
        "Announcement No. 23 of 2023", "Announcements No. 61, 62", "Section 232",
    ]


def test_pure_python_scanner_agrees_with_the_automaton() -> None:
    from ingest.extract.matcher import _PythonScanner, fold
    from ingest.lexicon import default_lexicon

    lex = default_lexicon()
    text = fold(read_document(SEED).text)
    patterns = sorted({fold(k) for k in lex.entity_terms})
    ahocorasick_rs = pytest.importorskip("ahocorasick_rs")
    rust = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    assert _PythonScanner(patterns).find_matches_as_indexes(text) == rust.find_matches_as_indexes(text)
