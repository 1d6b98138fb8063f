"""Real news beyond the lexicon: names read from the text, finer measure kinds, filings, direction."""

from __future__ import annotations

import pytest

from bench.harness.paths import ROOT
from graph.model.enums import RelationType
from graph.model.records import Batch
from ingest.extract import default_extractor
from ingest.readers import read_document, read_text

EVAL = ROOT / "tests" / "eval"


def _read(text: str, language: str, published: str = "2024-08-19") -> Batch:
    from datetime import date

    return default_extractor().extract(read_text(text, language=language, published=date.fromisoformat(published)))


def _triples(batch: Batch) -> set[tuple[str, str, str]]:
    return {(r.source, r.type.value, r.target) for r in batch.relations}


def _names(batch: Batch) -> dict[str, str]:
    return {e.id: next(iter(e.names.values())) for e in batch.entities if e.attributes.get("source") == "text"}


def test_firms_no_lexicon_lists_are_read_from_english_text() -> None:
    batch = _read("On May 2, 2024 the United States imposed tariffs on steel from Jiaao Enprotech Ltd. and Risen Solar.", "en")
    names = _names(batch)
    assert names.get("firm:jiaao-enprotech") == "Jiaao Enprotech" and names.get("firm:risen-solar") == "Risen Solar"
    measure = next(e.id for e in batch.entities if e.measure is not None)
    assert (measure, "TARGETS", "firm:risen-solar") in _triples(batch)


def test_people_and_their_stated_home_are_read() -> None:
    batch = _read(
        "India restricted imports of palm oil on January 8, 2020. Malaysia's Primary Industries Minister Teresa Kok "
        "said the government opposed the curbs.", "en", "2020-01-15",
    )
    assert _names(batch).get("person:teresa-kok") == "Teresa Kok"
    assert ("person:teresa-kok", "BASED_IN", "country:MY") in _triples(batch)
    assert "firm:primary-industries" not in _names(batch)  # "Primary Industries Minister" is a title, not a firm


def test_chinese_names_after_titles_and_agencies_led_by_a_country() -> None:
    batch = _read(
        "美国国土安全部11日公布，香港制造货品须标示为「中国制造」。中国外交部发言人陆慷同日表示坚决反对美方的这一要求。", "zh", "2020-08-12"
    )
    names = set(_names(batch).values())
    assert {"美国国土安全部", "陆慷"} <= names  # 陆慷 is in no lexicon
    agency = next(k for k, v in _names(batch).items() if v == "美国国土安全部")
    measure = next(e for e in batch.entities if e.measure is not None)
    assert (agency, "IMPOSES", measure.id) in _triples(batch) and ("country:US", "IMPOSES", measure.id) in _triples(batch)
    assert measure.attributes.get("subtype") == "origin_marking_rule"


def test_traditional_text_ids_follow_the_simplified_name() -> None:
    simplified = _names(_read("无人机制造商极飞科技等企业被美国列入实体清单。", "zh", "2020-12-19"))
    traditional = _names(_read("無人機製造商極飛科技等企業被美國列入實體清單。", "zh", "2020-12-19"))
    assert simplified == traditional and "极飞科技" in simplified.values()


@pytest.mark.parametrize(
    ("text", "language", "subtype"),
    [
        ("商务部2018年2月4日对原产于美国的进口高粱发起反倾销立案调查。", "zh", "anti_dumping_investigation"),
        ("The European Commission on Friday imposed provisional anti-dumping duties on biodiesel from China.", "en", "provisional_anti_dumping_duty"),
        ("2023年8月24日，海关总署宣布全面暂停进口日本水产品，以防范核污染水带来的食品安全风险。", "zh", "food_safety_import_suspension"),
        ("商务部2023年2月16日将洛克希德·马丁公司列入不可靠实体清单。", "zh", "unreliable_entity_list"),
    ],
)
def test_finer_measure_kinds_are_kept_as_subtype(text: str, language: str, subtype: str) -> None:
    measures = [e for e in _read(text, language).entities if e.measure is not None]
    assert measures and measures[0].attributes.get("subtype") == subtype, [m.attributes for m in measures]


def test_a_wto_filing_is_not_a_measure_of_the_filer() -> None:
    batch = _read("On August 13, 2024 China filed a complaint at the WTO against tariffs imposed by Canada on Chinese electric vehicles.", "en")
    imposers = {source for source, rtype, _ in _triples(batch) if rtype == "IMPOSES"}
    assert "country:CN" not in imposers and imposers <= {"country:CA"}, imposers
    for text, language in [("Beijing on Monday launched a WTO case over the new steel tariffs.", "en"), ("中方周一就新的钢铁关税向世贸组织提起诉讼。", "zh")]:
        assert not [t for t in _triples(_read(text, language)) if t[1] == "IMPOSES"], text


def _eval_batches() -> list[Batch]:
    folders = [EVAL, EVAL / "heldout", EVAL / "heldout2", EVAL / "dev"]
    paths = [p for f in folders for p in sorted(f.glob("*.md")) if p.name != "README.md"]
    return [default_extractor().extract(read_document(p)) for p in paths]


def test_every_measure_has_an_imposer_and_a_quote_and_no_retaliation_points_back_in_time() -> None:
    for batch in _eval_batches():
        imposed = {r.target for r in batch.relations if r.type is RelationType.IMPOSES}
        measures = {e.id: e for e in batch.entities if e.measure is not None}
        for measure_id, entity in measures.items():
            assert measure_id in imposed and entity.evidence and all(ev.quote for ev in entity.evidence), measure_id
        for r in batch.relations:
            if r.type is RelationType.RETALIATES_AGAINST:
                answer, answered = measures[r.source].measure, measures[r.target].measure
                if answered.announced and (answer.announced or answer.effective):
                    assert min(d for d in (answer.announced, answer.effective) if d) >= answered.announced, (r.source, r.target)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("On May 2, 2024 India restricted palm oil imports. Malaysia relies on India for about a quarter of its palm oil exports.", "en",
         ("country:MY", "SELLS_TO", "country:IN", 0.25, None)),  # India buys: a market, not a supply
        ("On May 2, 2024 the EU imposed duties on biodiesel. China accounts for about 90% of the EU's biodiesel imports.", "en",
         ("org:eu", "DEPENDS_ON", "country:CN", 0.9, None)),
        ("2024年5月2日，中国对镓实施出口管制。美国80%的镓依赖从中国进口。", "zh",
         ("country:US", "DEPENDS_ON", "commodity:gallium", 0.8, "country:CN")),
    ],
)
def test_dependencies_and_shares_stated_in_the_text(text: str, language: str, expected: tuple) -> None:
    batch = _read(text, language, "2024-05-03")
    kinds = {RelationType.DEPENDS_ON, RelationType.SELLS_TO}
    found = {(r.source, r.type.value, r.target, r.share, r.origin) for r in batch.relations if r.type in kinds}
    assert expected in found, found


def test_a_country_possessive_or_based_names_a_firm_of_that_country() -> None:
    """"China's CMOC", "Swiss-based Glencore"-style names the lexicon does not list are firms of
    the country written before them; a title or an agency there is not a firm."""
    batch = _read(
        "Congo suspended cobalt exports on Feb. 22, 2025. Japan's Sumiko, the world's largest nickel producer, and "
        "Norway-based Elkem both buy from Congo. China's Commerce Minister Wang Wentao said nothing.", "en", "2025-02-23",
    )
    triples = _triples(batch)
    assert ("firm:sumiko", "BASED_IN", "country:JP") in triples and ("firm:elkem", "BASED_IN", "country:NO") in triples
    assert not any(k.startswith("firm:commerce") for k in _names(batch))


def test_after_the_long_name_a_short_country_name_is_the_same_country() -> None:
    """After "Democratic Republic of Congo", a bare "Congo" is the same country (the lexicon gives
    the short name to the Republic of the Congo)."""
    batch = _read(
        "Democratic Republic of Congo halted cobalt exports on Feb. 22, 2025. Congo produces about three-quarters of "
        "the world's mined cobalt.", "en", "2025-02-23",
    )
    triples = _triples(batch)
    assert ("country:CD", "SUPPLIES", "commodity:cobalt") in triples
    assert not any("country:CG" in t for t in triples)


def test_a_post_between_an_agency_and_a_person_is_membership() -> None:
    batch = _read(
        "The United States added 28 Chinese firms to its Entity List on Oct. 7, 2019. China's foreign ministry "
        "spokesman Geng Shuang said on Tuesday that Washington should stop.", "en", "2019-10-09",
    )
    assert ("person:geng-shuang", "MEMBER_OF", "org:china-mfa") in _triples(batch)


def test_the_items_of_a_coverage_list_are_goods_even_when_no_lexicon_lists_them() -> None:
    batch = _read(
        "The United States on Monday imposed 25% tariffs on cheese, handbags and porcelain tableware from France. "
        "Both duties took effect on Tuesday.", "en", "2019-12-03",
    )
    measure = next(e.id for e in batch.entities if e.measure is not None)
    covered = {t for s, r, t in _triples(batch) if s == measure and r == "COVERS"}
    assert {"commodity:handbags", "commodity:porcelain-tableware"} <= covered
    assert not any("took" in c or "effect" in c for c in covered)
