"""Extraction rules for the shapes trade news takes: conjoined and passive subjects, exemptions,
retaliation written many ways, status modality, compound goods, month-only dates.

Each case is a sentence written for the test, not taken from the gold texts, so the rules are
checked on wording they were not tuned on."""

from __future__ import annotations

from datetime import date

import pytest

from graph.model.enums import RelationType
from graph.model.records import Batch
from ingest.extract import default_extractor
from ingest.extract.matcher import fold, required_literals
from ingest.readers import read_text


def _extract(text: str, published: date | None = None, language: str | None = None) -> Batch:
    return default_extractor().extract(read_text(text, published=published, language=language))


def _measures(batch: Batch) -> dict:
    return {e.id: e for e in batch.entities if e.measure is not None}


def _triples(batch: Batch, rtype: RelationType | None = None) -> set[tuple[str, str, str]]:
    return {(r.source, r.type.value, r.target) for r in batch.relations if rtype is None or r.type is rtype}


def _imposers(batch: Batch) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s, _t, m in _triples(batch, RelationType.IMPOSES):
        out.setdefault(m, set()).add(s)
    return out


def test_two_countries_in_one_subject_are_two_measures() -> None:
    batch = _extract("On March 3, 2021, Brazil and Chile imposed tariffs on Argentine wine.")
    imposers = _imposers(batch)
    assert len(imposers) == 2
    assert sorted(tuple(sorted(v)) for v in imposers.values()) == [("country:BR",), ("country:CL",)]
    for measure in imposers:
        assert (measure, "TARGETS", "country:AR") in _triples(batch)


def test_two_agencies_of_one_country_are_one_measure() -> None:
    batch = _extract("2023年7月3日，商务部和海关总署宣布对镓实施出口管制。")
    assert len(_measures(batch)) == 1
    assert {"org:mofcom", "org:gacc", "country:CN"} <= next(iter(_imposers(batch).values()))


def test_an_exempted_country_neither_imposes_nor_is_aimed_at() -> None:
    batch = _extract("Canada was exempted from the tariffs on steel imports that the United States imposed in 2018.")
    imposers = _imposers(batch)
    assert all("country:CA" not in v for v in imposers.values())
    assert not any(t == "country:CA" for _s, _r, t in _triples(batch, RelationType.TARGETS))


def test_a_passive_subject_is_the_target() -> None:
    batch = _extract("In May 2019, Huawei was added to the Entity List by the Commerce Department.")
    (measure,) = _measures(batch)
    assert (measure, "TARGETS", "firm:huawei") in _triples(batch)
    assert "firm:huawei" not in _imposers(batch)[measure]
    zh = _extract("2019年5月16日，华为被美国商务部列入实体清单。")
    (measure,) = _measures(zh)
    assert (measure, "TARGETS", "firm:huawei") in _triples(zh)
    assert "country:US" in _imposers(zh)[measure]


@pytest.mark.parametrize(
    "text",
    [
        "On June 1, 2024, India imposed tariffs on Chinese steel. China hit back with tariffs on Indian cotton.",
        "On June 1, 2024, India imposed tariffs on Chinese steel. China answered with duties on Indian cotton.",
        "On June 1, 2024, India imposed tariffs on Chinese steel. Days later China imposed retaliatory tariffs on Indian cotton.",
        "2024年6月1日，印度对中国钢铁加征关税。中方随后对印度棉花加征关税作为反制。",
        "2024年6月1日，印度对中国钢铁加征关税。中方予以还击，对印度棉花加征关税。",
    ],
)
def test_retaliation_written_many_ways(text: str) -> None:
    batch = _extract(text)
    links = _triples(batch, RelationType.RETALIATES_AGAINST)
    assert len(links) == 1, links
    (source, _r, target), = links
    assert source.startswith("measure:cn-") and target.startswith("measure:in-")


def test_an_anaphor_answering_a_named_side() -> None:
    text = (
        "On May 2, 2024, the European Union imposed duties on Chinese steel. "
        "On May 20, 2024, China banned exports of gallium to the European Union. "
        "Beijing said the ban was a response to the EU measures."
    )
    links = _triples(_extract(text), RelationType.RETALIATES_AGAINST)
    assert any(s.startswith("measure:cn-") and t.startswith("measure:eu-") for s, _r, t in links)


def test_retaliation_answers_the_latest_measure_of_the_other_side() -> None:
    text = (
        "On July 6, 2018, the US imposed tariffs on Chinese machinery. "
        "On September 24, 2018, the US imposed a further round of tariffs on Chinese furniture. "
        "China hit back with tariffs on American pork."
    )
    batch = _extract(text)
    measures = _measures(batch)
    assert len([m for m in measures if m.startswith("measure:us-")]) == 2
    links = _triples(batch, RelationType.RETALIATES_AGAINST)
    assert len(links) == 1
    (_s, _r, target), = links
    assert measures[target].measure.announced == date(2018, 9, 24)


def test_a_trigger_verb_is_not_the_measures_status() -> None:
    batch = _extract("2019年8月，中方暂停采购美国农产品，包括大豆。", published=date(2019, 9, 1))
    (measure,) = _measures(batch).values()
    assert measure.measure.measure_type.value == "purchase_suspension"
    assert measure.measure.status.value != "suspended"


def test_dropping_a_country_from_a_list_is_not_lifting_a_measure() -> None:
    batch = _extract("In response, Japan dropped South Korea from its white list of trusted partners.", published=date(2019, 9, 1))
    (measure,) = _measures(batch).values()
    assert measure.measure.status.value != "lifted"
    assert (measure.id, "TARGETS", "country:KR") in _triples(batch)


@pytest.mark.parametrize(
    ("text", "status", "published"),
    [
        ("China said on August 15, 2024 that it would impose export controls on antimony from September 15, 2024.", "announced", date(2024, 8, 20)),
        ("The United States would impose tariffs on Chinese cars if talks fail.", "threatened", date(2024, 12, 1)),
        ("Washington is considering export controls on chip design software.", "threatened", date(2024, 12, 1)),
        ("2023年7月3日，商务部宣布将于8月1日起对镓实施出口管制。", "announced", date(2023, 7, 4)),
        ("美方威胁对中国商品加征关税。", "threatened", date(2024, 12, 1)),
        # read after the start date, an announced measure is in force (its lifecycle has moved on)
        ("China said on August 15, 2024 that it would impose export controls on antimony from September 15, 2024.", "in_force", date(2024, 12, 1)),
        ("2023年7月3日，商务部宣布将于8月1日起对镓实施出口管制。", "in_force", date(2024, 12, 1)),
    ],
)
def test_status_modality(text: str, status: str, published: date) -> None:
    (measure,) = _measures(_extract(text, published=published)).values()
    assert measure.measure.status.value == status


def test_the_head_of_a_compound_good_is_what_is_covered() -> None:
    batch = _extract("美方考虑对 C919 大型客机发动机实施出口管制。")
    covers = {t for _s, _r, t in _triples(batch, RelationType.COVERS)}
    assert covers == {"commodity:aircraft-engines"}


def test_a_month_only_date_is_kept_with_its_precision() -> None:
    batch = _extract("In October 2022, the United States imposed export controls on advanced chips to China.")
    (measure,) = _measures(batch).values()
    assert measure.measure.announced == date(2022, 10, 1)
    assert measure.attributes["announced_precision"] == "month"
    assert measure.id.startswith("measure:us-2022-10-")


def test_a_day_after_dates_the_earlier_act() -> None:
    text = "On December 3, 2024, a day after Washington added Chinese firms to its Entity List, China banned exports of gallium to the United States."
    measures = _measures(_extract(text))
    by_country = {m.split("-")[0]: e.measure.announced for m, e in measures.items()}
    assert by_country["measure:cn"] == date(2024, 12, 3)
    assert by_country["measure:us"] == date(2024, 12, 2)


def test_a_blocs_body_acts_for_the_bloc() -> None:
    batch = _extract("On July 4, 2024, the European Commission imposed countervailing duties on Chinese electric vehicles.")
    (measure,) = _imposers(batch)
    assert measure.startswith("measure:eu-")
    assert {"org:european-commission", "org:eu"} <= _imposers(batch)[measure]


def test_investigation_and_duties_are_one_measure() -> None:
    text = (
        "2024年1月5日，商务部对原产于欧盟的进口白兰地发起反倾销调查。"
        "2024年10月8日，商务部宣布对欧盟白兰地实施临时反倾销措施。"
    )
    measures = _measures(_extract(text))
    assert len(measures) == 1
    m = next(iter(measures.values())).measure
    assert m.announced == date(2024, 1, 5)


def test_a_coalition_is_not_a_measure() -> None:
    assert _measures(_extract("美方试图构建统一制裁联盟。")) == {}


def test_stance_on_the_previous_sentences_measures() -> None:
    text = (
        "2020年5月18日，商务部宣布对澳大利亚大麦征收反倾销税和反补贴税。"
        "澳方对此表示强烈不满。"
    )
    opposed = {t for s, _r, t in _triples(_extract(text), RelationType.OPPOSES) if s == "country:AU"}
    assert len(opposed) == 2


def test_required_literals_gate_patterns_soundly() -> None:
    import re

    heads, must = required_literals(re.compile("禁止[^，]{0,12}出口"))
    assert heads == ("禁止",) and must in {"禁止", "出口"}
    heads, must = required_literals(re.compile("(?:a|b)c|d"))
    assert must is None
    assert fold("Ab中C") == "ab中c" and len(fold("İx")) == 2


def _dependences(text: str) -> dict[tuple[str, str, str], float | None]:
    """(source, type, target) -> share of the DEPENDS_ON and SELLS_TO relations read from ``text``."""
    batch = _extract(text)
    return {(r.source, r.type.value, r.target): r.share for r in batch.relations if r.type.value in {"DEPENDS_ON", "SELLS_TO"}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Intel relies on China for roughly a quarter of its revenue.", ("firm:intel", "country:CN", 0.25)),
        ("Nvidia depends on China for 17% of its sales.", ("firm:nvidia", "country:CN", 0.17)),
        ("Japan depends on the Chinese market for 22% of its exports.", ("country:JP", "country:CN", 0.22)),
        ("China is Australia's biggest market for iron ore.", ("country:AU", "country:CN", None)),
        ("Brazil relies on China as the largest buyer of its soybeans.", ("country:BR", "country:CN", None)),
        ("苹果公司约有19%的营收来自中国。", ("firm:apple", "country:CN", 0.19)),
        ("韩国半导体产业高度依赖中国市场。", ("country:KR", "country:CN", None)),
        ("美国市场占日本汽车出口的 30%。", ("country:JP", "country:US", 0.3)),
        ("中国是澳大利亚最大的铁矿石出口市场。", ("country:AU", "country:CN", None)),
        ("德国对华出口的依赖度有所上升。", ("country:DE", "country:CN", None)),
    ],
)
def test_reliance_on_a_buyer_is_a_market_not_a_supply(text: str, expected: tuple[str, str, float | None]) -> None:
    """Revenue, sales, exports and "market" words make the dependence one on a buyer (SELLS_TO)."""
    source, target, share = expected
    found = _dependences(text)
    assert found == {(source, "SELLS_TO", target): share}, text


@pytest.mark.parametrize(
    "text",
    [
        "Japan relies on China for 60% of its rare-earth imports.",
        "中国是日本进口商品的最大来源国，占日本进口总量的 24%。",
        "Japan relies on China's exports of rare earths.",
        "日本高度依赖中国出口。",
    ],
)
def test_reliance_on_a_source_stays_a_supply(text: str) -> None:
    """Imports, a source, or the other side's own exports: a supply (DEPENDS_ON), never a market."""
    found = _dependences(text)
    assert [(s, rtype) for s, rtype, _t in found] == [("country:JP", "DEPENDS_ON")], (text, found)


def test_a_country_supplied_depends_on_its_supplier_with_the_share() -> None:
    batch = _extract(
        "The US raised duties on Canadian lumber on Aug. 8, 2025. Canada supplies about a quarter of the softwood "
        "lumber used in the United States.", date(2025, 8, 9), "en",
    )
    depends = {(r.source, r.target, r.share) for r in batch.relations if r.type is RelationType.DEPENDS_ON}
    assert ("country:US", "country:CA", 0.25) in depends and ("country:CA", "country:US", 0.25) not in depends


def test_a_share_in_tenths_is_read() -> None:
    from ingest.extract.values import find_shares

    text = "台湾出口约四成销往大陆，成本则上升两成。成为最大市场。"
    assert [v for _, _, v in find_shares(text, 0, len(text))] == [40.0, 20.0]


def test_a_status_word_on_prices_is_not_the_measures_status() -> None:
    batch = _extract(
        "Congo has extended its suspension of cobalt exports by three months, prolonging a ban that has lifted prices "
        "of the metal.", date(2025, 6, 22), "en",
    )
    (measure,) = _measures(batch).values()
    assert measure.measure.status.value != "lifted"


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        # a short country name is rewritten only after a long name without a compass word
        ("North Korea tested a missile. Korea imposed tariffs on Chinese steel on May 2, 2024.", "country:KP"),
        # a body the lexicon knows (the WTO) never joins another's measure as its imposer
        ("The US imposed tariffs on steel on March 8, 2018. The WTO authorized tariffs on EU goods.", "org:wto"),
        # "the WTO and President Macron": no post between them, so no membership
        ("The EU imposed tariffs on US goods in 2019, drawing criticism from the WTO and President Emmanuel Macron.", "MEMBER_OF"),
        # "such as export controls", "including chipmakers": measures and makers are not goods
        ("China imposed export controls on gallium on July 3, 2023, measures such as export controls and investment "
         "screening. The ban hit firms including chipmakers and solar panel producers.", "commodity:chipmakers"),
        ("China imposed export controls on gallium on July 3, 2023, measures such as export controls and investment "
         "screening.", "commodity:investment-screening"),
        # a possessive before a speaker names a person, not a firm
        ("The US raised tariffs on March 4, 2025. Canada's Justin Trudeau criticised the tariffs.", "firm:justin-trudeau"),
    ],
)
def test_what_the_new_rules_must_not_read(text: str, unwanted: str) -> None:
    batch = _extract(text, date(2025, 3, 5), "en")
    said = {part for r in batch.relations for part in (r.source, r.type.value, r.target)}
    assert unwanted not in said


def test_names_listed_after_a_target_are_targets_not_imposers() -> None:
    batch = _extract(
        "商务部3日发布公告，公布对原产于美国、日本、韩国和新加坡的进口丁腈橡胶反倾销调查的最终裁定。", date(2024, 6, 4), "zh"
    )
    imposers = _imposers(batch)
    assert list(imposers.values()) and all(v <= {"org:mofcom", "country:CN"} for v in imposers.values())
    (measure,) = imposers
    targets = {t for s, _r, t in _triples(batch, RelationType.TARGETS) if s == measure}
    assert targets == {"country:US", "country:JP", "country:KR", "country:SG"}


def test_a_trade_remedy_case_is_announced_when_it_opens() -> None:
    batch = _extract(
        "商务部20日发布公告，对原产于欧盟的进口猪肉征收反倾销税，自2025年9月10日起实施。"
        "今年2月20日，商务部作出初裁。本案于去年6月17日立案。",
        date(2025, 9, 9), "zh",
    )
    (measure,) = _measures(batch).values()
    assert measure.measure.measure_type.value == "anti_dumping"
    assert (measure.measure.announced, measure.measure.effective) == (date(2024, 6, 17), date(2025, 9, 10))


def test_a_bar_on_selling_to_a_named_firm_targets_the_firm_not_its_country() -> None:
    batch = _extract(
        "The Commerce Department on Monday issued a denial order that bars American suppliers from selling chips to "
        "China's ZTE for seven years.", date(2018, 4, 17), "en",
    )
    (measure,) = _measures(batch).values()
    assert measure.measure.measure_type.value == "export_control"
    targets = {t for s, _r, t in _triples(batch, RelationType.TARGETS) if s == measure.id}
    assert targets == {"firm:zte"}


def test_a_clause_listing_coverage_names_the_goods() -> None:
    batch = _extract(
        "越南政府6日宣布对部分进口商品提高关税，税率最高达35%，涉及玩具、家具和鞋类等。", date(2025, 3, 7), "zh"
    )
    (measure,) = _measures(batch).values()
    covered = {t for s, _r, t in _triples(batch, RelationType.COVERS) if s == measure.id}
    assert {"commodity:toys", "commodity:furniture", "commodity:footwear"} <= covered


def test_last_october_is_placed_by_the_reports_day() -> None:
    from ingest.extract.values import find_dates

    text = "The Commission opened the probe last October and will rule this March or next January."
    dates = [(d.value, d.precision) for d in find_dates(text, 0, len(text), date(2024, 5, 14))]
    assert dates == [(date(2023, 10, 1), "month"), (date(2024, 3, 1), "month"), (date(2025, 1, 1), "month")]


def _opposers(batch: Batch) -> set[str]:
    return {s for s, _r, _t in _triples(batch, RelationType.OPPOSES)}


@pytest.mark.parametrize(
    ("text", "language", "opposer"),
    [
        ("Canada imposed tariffs on steel from Brazil on Monday. Brazil's foreign ministry called the decision deeply regrettable.", "en", "country:BR"),
        ("Australia banned exports of wool to Vietnam on Tuesday. Vietnam's government called the ban disappointing.", "en", "country:VN"),
        ("Argentina banned beef exports on Monday. The European Union urged Argentina to lift the ban.", "en", "org:eu"),
        ("The United States imposed sanctions on Cuban sugar firms on Friday. Cuba called the move gross interference in its internal affairs.", "en", "country:CU"),
        ("日本6月10日宣布对韩国钢材加征关税。韩国产业通商资源部表示，这一决定令人失望。", "zh", "org:motie"),
        ("欧盟10日宣布对印度钢铁征收关税。印度商工部表示，该措施违背世贸组织规则。", "zh", "org:india-commerce"),
    ],
)
def test_stance_wording_of_ministries_and_lenders(text: str, language: str, opposer: str) -> None:
    assert opposer in _opposers(_extract(text, date(2024, 6, 12), language))


def test_the_side_told_to_stop_is_not_the_speaker() -> None:
    batch = _extract(
        "The United States added Vietnamese chipmakers to the Entity List on Monday. "
        "Vietnam's foreign ministry said Washington should stop interfering in Vietnam's internal affairs.",
        date(2024, 6, 12), "en",
    )
    assert _opposers(batch) == {"country:VN"}
    batch = _extract("美国商务部10日宣布将多家越南企业列入实体清单。越南外交部表示，美方应停止无理打压越南企业。", date(2024, 6, 12), "zh")
    assert _opposers(batch) and "country:US" not in _opposers(batch)


def test_the_owner_of_the_measure_called_an_attack_does_not_oppose_it() -> None:
    batch = _extract(
        "The United States imposed tariffs on Brazilian steel on March 3, 2024. President Ana Costa, who has called the U.S. "
        "duties an attack on Brazilian workers, said on Monday that Brazil would answer with duties on American whiskey.",
        date(2024, 6, 12), "en",
    )
    assert "country:US" not in _opposers(batch)


def test_the_government_acting_at_another_date_is_another_measure_of_its_country() -> None:
    batch = _extract(
        "Zambia will ban exports of copper concentrate from March 2026, the mines minister said on Tuesday. "
        "The government banned exports of raw copper ore in October 2021, citing smuggling.",
        date(2024, 6, 12), "en",
    )
    imposers = _imposers(batch)
    assert len(imposers) == 2 and all(v == {"country:ZM"} for v in imposers.values())
    assert {m.measure.announced for m in _measures(batch).values()} == {date(2024, 6, 11), date(2021, 10, 1)}
    batch = _extract("赞比亚矿业部10日宣布，将自2026年3月起禁止铜精矿出口。政府曾于2021年10月禁止铜矿石出口。", date(2024, 6, 12), "zh")
    assert len(_measures(batch)) == 2 and all("country:ZM" in v for v in _imposers(batch).values())


def _types(batch: Batch) -> dict[str, str]:
    return {m.id: m.measure.measure_type.value for m in _measures(batch).values()}


@pytest.mark.parametrize(
    ("text", "imposer", "measure_type"),
    [
        ("The Group of Seven agreed on Friday to a price cap on Russian seaborne oil from Monday.", "org:g7", "sanction"),
        ("Japan said on Friday it would enforce the G7 price cap from next month.", "country:JP", "sanction"),
        ("Canada will observe the $55-a-barrel cap on Monday, the finance ministry said.", "country:CA", "sanction"),
        ("The European Union's embargo on Russian crude took effect on Monday.", "org:eu", "import_ban"),
        ("Britain said its coal embargo would take effect on Monday.", "country:GB", "import_ban"),
    ],
)
def test_price_caps_are_sanctions_and_fuel_embargoes_are_import_bans(text: str, imposer: str, measure_type: str) -> None:
    batch = _extract(text, date(2024, 6, 12), "en")
    assert any(measure_type == _types(batch).get(m) and imposer in v for m, v in _imposers(batch).items())


def test_agents_listed_after_by_are_not_aimed_at() -> None:
    batch = _extract(
        "Shipping firms must observe the $60-a-barrel cap set by the Group of Seven, the European Union and Australia "
        "since Monday.", date(2024, 6, 12), "en",
    )
    assert _imposers(batch) and not {t for _s, _r, t in _triples(batch, RelationType.TARGETS)} & {"country:AU", "org:eu"}


@pytest.mark.parametrize(
    ("text", "language", "imposer"),
    [
        ("Italy's digital services tax took effect on Monday, charging 3% on the revenue of large platforms.", "en", "country:IT"),
        ("加拿大的数字服务税10日起正式实施，对大型平台的收入征收3%。", "zh", "country:CA"),
        ("China's market regulator said on Monday that Qualcomm was suspected of violating the anti-monopoly law.", "en", "country:CN"),
    ],
)
def test_digital_taxes_and_antitrust_cases_are_other_measures(text: str, language: str, imposer: str) -> None:
    batch = _extract(text, date(2024, 6, 12), language)
    assert any(_types(batch).get(m) == "other" and imposer in v for m, v in _imposers(batch).items())


def test_a_ministry_named_without_its_country_acts_for_the_one_country_of_the_text() -> None:
    batch = _extract("Thailand banned exports of sugar on Monday. A day earlier the finance ministry raised the export duty on rice to 15%.",
                     date(2024, 6, 12), "en")
    assert sorted(_types(batch).values()) == ["export_control", "tariff"]
    assert all(v == {"country:TH"} for v in _imposers(batch).values())
    batch = _extract("泰国10日宣布禁止糖出口。此前一天，政府将大米出口关税提高至15%。", date(2024, 6, 12), "zh")
    assert sorted(_types(batch).values()) == ["export_control", "tariff"]
    assert all(v == {"country:TH"} for v in _imposers(batch).values())


def test_usual_trade_officials_are_members_of_their_agencies() -> None:
    batch = _extract(
        "The United States raised tariffs on Chinese steel on Monday, Trade Representative Robert Lighthizer said.", date(2019, 5, 14), "en"
    )
    assert ("person:robert-lighthizer", "MEMBER_OF", "org:ustr") in _triples(batch)
    batch = _extract("美国10日宣布对中国钢铁加征关税。外交部发言人毛宁11日表示，中方坚决反对。", date(2024, 6, 12), "zh")
    assert ("person:mao-ning", "MEMBER_OF", "org:china-mfa") in _triples(batch)


def test_a_post_is_read_in_a_sentence_with_no_trade_word() -> None:
    batch = _extract(
        "The United States imposed tariffs on Chinese steel on Monday. Commerce Secretary Wilbur Ross spoke to reporters "
        "in Washington on Tuesday.", date(2018, 3, 14), "en",
    )
    assert ("person:wilbur-ross", "MEMBER_OF", "org:us-commerce") in _triples(batch)


def test_the_country_inside_a_ministry_before_a_post_is_the_persons_home() -> None:
    batch = _extract("美国10日宣布对中国钢铁加征关税。中国外交部发言人汪文斌11日表示，美方的做法严重违反世贸规则。", date(2024, 6, 12), "zh")
    assert ("person:wang-wenbin", "BASED_IN", "country:CN") in _triples(batch)


def test_a_split_year_the_text_says_is_over_dates_an_undated_report() -> None:
    from ingest.extract.values import reference_date

    text = "JAKARTA, June 3 (Wire) - Indonesia halted palm oil exports. Shipments hit a record in the 2022/23 marketing year that ended in September."
    assert reference_date(text, None) == date(2023, 6, 3)
    assert reference_date("JAKARTA, June 3 - 出口量在2022/23财年创下纪录，该财年已于去年9月结束。", None).year == 2023


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The United States raised tariffs on imported washing machines on Monday. The countries most affected include Vietnam, Thailand and South Korea.", "en"),
        ("The United States raised tariffs on imported washing machines on Monday, a levy that falls hardest on Vietnam, Thailand and South Korea.", "en"),
        ("美国10日宣布对进口洗衣机加征关税。受影响的国家包括越南、泰国和韩国。", "zh"),
    ],
)
def test_the_countries_a_measure_hits_hardest_are_its_targets(text: str, language: str) -> None:
    batch = _extract(text, date(2024, 6, 12), language)
    (measure,) = _measures(batch)
    assert {"country:VN", "country:TH", "country:KR"} <= {t for s, _r, t in _triples(batch, RelationType.TARGETS) if s == measure}


@pytest.mark.parametrize(
    ("text", "firm", "country"),
    [
        ("美国10日宣布对英伟达芯片加征关税，韩国芯片企业三星电子表示将评估影响。", "firm:samsung", "country:KR"),
        ("美国10日宣布对字节跳动、阿里巴巴和腾讯等中国企业实施制裁。", "firm:tencent", "country:CN"),
        ("美国10日宣布对字节跳动、阿里巴巴和腾讯等中国企业实施制裁。", "firm:bytedance", "country:CN"),
    ],
)
def test_a_firms_home_written_as_a_descriptor_or_after_a_list(text: str, firm: str, country: str) -> None:
    assert (firm, "BASED_IN", country) in _triples(_extract(text, date(2024, 6, 12), "zh"))


def test_a_country_marked_as_aimed_at_before_the_measure_is_its_target_not_its_owner() -> None:
    batch = _extract("欧盟理事会2023年6月23日通过第11轮对俄罗斯制裁方案，次日生效。", language="zh")
    assert {"org:council-of-the-eu", "org:eu"} <= set().union(*_imposers(batch).values())
    assert all("country:RU" not in v for v in _imposers(batch).values())
    assert any(t == "country:RU" for _s, _r, t in _triples(batch, RelationType.TARGETS))


def test_a_stance_on_a_named_countrys_measure_keeps_that_country_the_owner() -> None:
    batch = _extract("日本政府对美国芯片出口管制表示强烈反对。", language="zh")
    assert any("country:US" in v for v in _imposers(batch).values())


def test_evading_a_measure_is_no_new_measure() -> None:
    batch = _extract("报告称，多家贸易商经由第三国转运，帮助俄方规避出口管制。", language="zh")
    assert not _measures(batch)


@pytest.mark.parametrize("person", ["埃布拉德", "卢特尼克"])  # one no lexicon lists, one it does
def test_the_head_of_a_ministry_takes_its_country_as_home(person: str) -> None:
    batch = _extract(f"美国商务部长{person}表示，提高关税是为了保护就业。", language="zh")
    people = [e.id for e in batch.entities if e.type.value == "Person"]
    assert len(people) == 1
    assert (people[0], "BASED_IN", "country:US") in _triples(batch)


@pytest.mark.parametrize(
    ("text", "agency", "country"),
    [
        ("Vietnam's Ministry of Industry and Trade imposed provisional anti-dumping duties on steel from China on March 7, 2025.", "org:vietnam-moit", "country:VN"),
        ("印度贸易救济总局建议对进口钢材征收12%的临时保障措施税。", "org:dgtr", "country:IN"),
        ("Brazil's Gecex raised import tariffs on 11 steel products to 25% above quota in 2024.", "org:brazil-gecex", "country:BR"),
    ],
)
def test_a_trade_authority_acts_for_its_country(text: str, agency: str, country: str) -> None:
    batch = _extract(text)
    imposers = set().union(*_imposers(batch).values()) if _imposers(batch) else set()
    assert {agency, country} <= imposers


def test_a_threat_on_another_day_than_the_act_in_force_is_a_measure_of_its_own() -> None:
    text = ("WASHINGTON, May 9 (Wire) - The United States on Thursday imposed sanctions on Hebei Xinhai Chemical Group. "
            "Trump last Thursday threatened secondary sanctions on any country buying oil from Iran.")
    measures = _measures(_extract(text, published=date(2025, 5, 9)))
    assert sorted((m.measure.status.value, m.measure.announced) for m in measures.values()) == [
        ("in_force", date(2025, 5, 8)), ("threatened", date(2025, 5, 1))]


def test_a_traditional_script_text_tagged_zh_hant_is_read_with_the_chinese_rules() -> None:
    batch = _extract("美國參議員盧比奧、克魯茲及霍利聯署提案，要求制裁中國企業。", language="zh-Hant")
    people = {e.id: e.names.get("zh") for e in batch.entities if e.type.value == "Person"}
    based = {people[s] for s, _r, t in _triples(batch, RelationType.BASED_IN) if s in people and t == "country:US"}
    assert based == {"卢比奥", "克鲁兹", "霍利"}


def test_people_listed_after_a_titled_one_and_named_with_a_post_after_a_sanction_are_its_targets() -> None:
    batch = _extract("美国财政部3日宣布制裁行政长官张伟明等5名官员，被制裁的还有官员李志强、王海涛及陈立军。", published=date(2024, 5, 6), language="zh")
    people = {e.id: e.names.get("zh") for e in batch.entities if e.type.value == "Person"}
    targets = {people[t] for _s, _r, t in _triples(batch, RelationType.TARGETS) if t in people}
    assert {"张伟明", "李志强", "王海涛", "陈立军"} <= targets
    assert not any(s in people and t == "country:US" for s, _r, t in _triples(batch, RelationType.BASED_IN))  # 宣布制裁 parts them


def test_the_object_of_a_suspending_verb_is_aimed_at_not_acting() -> None:
    batch = _extract("美国商务部6月29日宣布，暂停香港在出口管制方面享有的优惠待遇。", published=date(2020, 7, 1), language="zh")
    assert {"org:us-commerce", "country:US"} <= set().union(*_imposers(batch).values())
    assert ("country:HK" in {t for _s, _r, t in _triples(batch, RelationType.TARGETS)})


def test_a_reason_clause_names_who_provoked_the_measure_not_who_imposes_it() -> None:
    batch = _extract(
        "中国外交部10日宣布，鉴于美国日前向台湾地区出售武器，依据《反外国制裁法》，决定对北辰动力公司（Beichen）、"
        "格兰德·米勒科技公司和海岳系统公司实施制裁。", published=date(2024, 10, 11), language="zh")
    imposers = _imposers(batch)
    assert len(imposers) == 1  # the law's title is no second measure
    (measure, who), = imposers.items()
    assert "country:CN" in who and "country:US" not in who
    firms = {e.id: e.names.get("zh") for e in batch.entities if e.type.value == "Firm"}
    targets = {firms.get(t, t) for _s, _r, t in _triples(batch, RelationType.TARGETS)}
    assert {"北辰动力公司", "格兰德·米勒科技公司", "海岳系统公司"} <= targets
    assert "country:TW" not in targets


def test_words_after_a_role_noun_that_begin_with_a_verb_are_no_firm() -> None:
    batch = _extract("该公司表示，正与其他供应商洽谈供货，以减少对中国供应商的依赖。", language="zh")
    assert not [e for e in batch.entities if e.type.value == "Firm"]
