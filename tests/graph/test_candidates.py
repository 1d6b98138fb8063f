"""The review queue's two lists (graph/queries/candidates.py) on a real embedded store."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.model.enums import EntityType
from graph.model.errors import InvalidDataError, QueryTimeoutError
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.queries.candidates import (
    MAX_BLOCK,
    DuplicateCandidate,
    LowConfidenceFact,
    Signal,
    duplicate_candidates,
    low_confidence_facts,
)
from graph.queries.deadline import Deadline

TEXT = "Reports name firms, agencies and measures in many ways; some of them are one thing."
DOC = Document(text=TEXT, language="en")


def said(words: str = "Reports", *, extractor: str = "test", confidence: float = 1.0) -> Evidence:
    start = TEXT.index(words)
    return Evidence(document_id=DOC.id, quote=words, start=start, end=start + len(words), extractor=extractor, confidence=confidence)


def entity(entity_id: str, names: dict[str, str], aliases: tuple[str, ...] = (), **extra) -> Entity:
    return Entity(id=entity_id, names=names, aliases=list(aliases), evidence=[said()], **extra)


def based_in(source: str, country: str) -> Relation:
    return Relation(source=source, type="BASED_IN", target=country, evidence=[said("agencies")])


COUNTRIES = [
    entity("country:CN", {"en": "China", "zh": "中国"}),
    entity("country:US", {"en": "United States"}),
    entity("country:DE", {"en": "Germany"}),
]


def write(store, entities: list[Entity], relations: list[Relation] = ()) -> None:
    store.upsert(Batch(documents=[DOC], entities=[*COUNTRIES, *entities], relations=list(relations)))


def pairs(candidates: list[DuplicateCandidate]) -> list[tuple[str, str]]:
    return [(c.a.id, c.b.id) for c in candidates]


def signals(candidate: DuplicateCandidate) -> set[Signal]:
    return {r.signal for r in candidate.reasons}


# -- names across languages and scripts ---------------------------------------------------------


def test_english_name_found_as_the_chinese_alias_of_another(embedded):
    write(
        embedded,
        [
            entity("firm:huawei", {"en": "Huawei"}, ("华为",)),
            entity("firm:hua-wei", {"zh": "華為"}),  # Traditional script: folds to 华为
            entity("firm:zte", {"en": "ZTE", "zh": "中兴"}),
        ],
    )
    found = duplicate_candidates(embedded)
    assert pairs(found) == [("firm:hua-wei", "firm:huawei")]
    (pair,) = found
    assert pair.type is EntityType.FIRM
    assert pair.score >= 0.8
    assert signals(pair) == {Signal.NAME_IS_ALIAS}
    assert pair.reasons[0].detail == "华为"


def test_traditional_and_simplified_names_are_the_same_name(embedded):
    write(embedded, [entity("firm:a", {"zh": "華為技術"}), entity("firm:b", {"zh": "华为技术"}), entity("firm:c", {"zh": "中兴通讯"})])
    (pair,) = duplicate_candidates(embedded)
    assert (pair.a.id, pair.b.id) == ("firm:a", "firm:b")
    assert signals(pair) == {Signal.SAME_NAME}
    assert pair.score >= 0.9


def test_a_name_with_a_corporate_suffix_meets_the_bare_name(embedded):
    write(
        embedded,
        [
            entity("firm:huawei", {"en": "Huawei"}),
            entity("firm:huawei-technologies", {"en": "Huawei Technologies Co., Ltd."}),
            entity("firm:huawei-zh", {"zh": "华为技术有限公司"}, ("華為",)),
            entity("firm:hua", {"en": "Hua Co."}),  # its core, "hua", is no one else's name
        ],
    )
    found = {(c.a.id, c.b.id): c for c in duplicate_candidates(embedded)}
    suffixed = found[("firm:huawei", "firm:huawei-technologies")]
    assert signals(suffixed) == {Signal.SAME_NAME_BUT_SUFFIX}
    assert suffixed.reasons[0].detail == "huawei"
    assert suffixed.score == pytest.approx(0.7)
    # The Chinese one's alias 華為 is no one's name; its core 华为 is no one's either: not paired.
    assert set(found) == {("firm:huawei", "firm:huawei-technologies")}


def test_chinese_corporate_suffixes_are_dropped(embedded):
    write(embedded, [entity("firm:huawei-zh", {"zh": "华为技术有限公司"}), entity("firm:huawei", {"en": "Huawei", "zh": "华为"})])
    (pair,) = duplicate_candidates(embedded)
    assert signals(pair) == {Signal.SAME_NAME_BUT_SUFFIX}
    assert pair.reasons[0].detail == "华为"


def test_suffixes_are_dropped_only_from_firms(embedded):
    write(embedded, [entity("org:sinochem", {"en": "Sinochem Group"}), entity("org:sinochem-office", {"en": "Sinochem"})])
    assert duplicate_candidates(embedded) == []
    write(embedded, [entity("firm:sinochem", {"en": "Sinochem Group"}), entity("firm:sinochem-co", {"en": "Sinochem"})])
    assert pairs(duplicate_candidates(embedded)) == [("firm:sinochem", "firm:sinochem-co")]


# -- home country: supporting only ------------------------------------------------------------


def test_a_shared_home_country_alone_makes_no_candidate(embedded):
    write(
        embedded,
        [entity("firm:acme", {"en": "Acme"}), entity("firm:zenith", {"en": "Zenith"}), entity("firm:acme-cn", {"en": "Acme Group"})],
        [based_in("firm:acme", "country:CN"), based_in("firm:zenith", "country:CN"), based_in("firm:acme-cn", "country:CN")],
    )
    found = duplicate_candidates(embedded)
    # The two that share a name are found, with the country as support; Zenith is in no pair.
    assert pairs(found) == [("firm:acme", "firm:acme-cn")]
    assert signals(found[0]) == {Signal.SAME_NAME_BUT_SUFFIX, Signal.SAME_HOME_COUNTRY}
    assert found[0].score == pytest.approx(1 - 0.3 * 0.8)


def test_different_home_countries_lower_the_score(embedded):
    write(
        embedded,
        [
            entity("org:commerce-cn", {"en": "Ministry of Commerce"}),
            entity("org:commerce-us", {"en": "Department of Commerce"}, ("Ministry of Commerce",)),
            entity("org:commerce-de", {"en": "Ministry of Commerce"}),
        ],
        [based_in("org:commerce-cn", "country:CN"), based_in("org:commerce-us", "country:US"), based_in("org:commerce-de", "country:DE")],
    )
    found = {(c.a.id, c.b.id): c for c in duplicate_candidates(embedded)}
    same_name = found[("org:commerce-cn", "org:commerce-de")]
    assert signals(same_name) == {Signal.SAME_NAME, Signal.DIFFERENT_HOME_COUNTRY}
    assert same_name.score == pytest.approx(0.9 * 0.5)


# -- HS codes ----------------------------------------------------------------------------------


def test_goods_with_one_hs_code_are_candidates_but_not_with_the_code_itself(embedded):
    write(
        embedded,
        [
            entity("commodity:ndfeb-magnets", {"en": "NdFeB magnets"}, attributes={"hs": "850511"}),
            entity("commodity:neo-magnets", {"en": "neodymium permanent magnets"}, attributes={"hs": "850511"}),
            entity("commodity:hs-850511", {"en": "HS 8505.11: permanent magnets of metal"}, ("850511", "8505.11"), attributes={"hs": "850511"}),
            entity("commodity:soybeans", {"en": "soybeans"}, ("HS 1201",), attributes={"hs": "1201"}),
            entity("commodity:soya", {"en": "soya"}, ("HS 1201",), attributes={"hs": "120190"}),
        ],
    )
    found = duplicate_candidates(embedded)
    assert pairs(found) == [("commodity:ndfeb-magnets", "commodity:neo-magnets")]
    assert signals(found[0]) == {Signal.SAME_HS_CODE}
    assert found[0].score == pytest.approx(0.5)


# -- measures ----------------------------------------------------------------------------------


def measure(measure_id: str, measure_type: str, day: str, rate: float | None = None) -> Entity:
    return entity(measure_id, {"en": measure_id}, measure={"measure_type": measure_type, "status": "announced", "announced": day, "rate": rate})


def measure_links(measure_id: str, imposer: str = "country:US", covers: str = "commodity:steel", target: str = "country:CN") -> list[Relation]:
    return [
        Relation(source=imposer, type="IMPOSES", target=measure_id, evidence=[said("measures")]),
        Relation(source=measure_id, type="COVERS", target=covers, evidence=[said("measures")]),
        Relation(source=measure_id, type="TARGETS", target=target, evidence=[said("measures")]),
    ]


GOODS = [entity("commodity:steel", {"en": "steel"}), entity("commodity:soybeans", {"en": "soybeans"})]


def test_one_action_reported_as_two_measures_is_found_within_the_window(embedded):
    write(
        embedded,
        [
            *GOODS,
            measure("measure:us-steel-a", "tariff", "2025-03-01", rate=25),
            measure("measure:us-steel-b", "tariff", "2025-03-06", rate=25),
            measure("measure:us-steel-later", "tariff", "2025-09-17"),  # 200 days after the first
            measure("measure:us-steel-controls", "export_control", "2025-03-02"),  # another type
            measure("measure:de-steel", "tariff", "2025-03-03"),  # another imposer
            measure("measure:us-soy", "tariff", "2025-03-04"),  # nothing hit in common
        ],
        [
            *measure_links("measure:us-steel-a"),
            *measure_links("measure:us-steel-b"),
            *measure_links("measure:us-steel-later"),
            *measure_links("measure:us-steel-controls"),
            *measure_links("measure:de-steel", imposer="country:DE"),
            *measure_links("measure:us-soy", covers="commodity:soybeans", target="country:DE"),
        ],
    )
    assert dt.date(2025, 9, 17) - dt.date(2025, 3, 1) == dt.timedelta(days=200)
    found = duplicate_candidates(embedded)
    assert pairs(found) == [("measure:us-steel-a", "measure:us-steel-b")]
    (pair,) = found
    assert signals(pair) == {Signal.SAME_IMPOSER_AND_TYPE, Signal.SHARED_GOODS, Signal.SHARED_TARGETS, Signal.CLOSE_DATES, Signal.SAME_RATE}
    assert {r.signal: r.detail for r in pair.reasons}[Signal.CLOSE_DATES] == "5 days"
    closeness = 1 - 5 / 31  # full weight on the same day, none past the 30-day window
    assert pair.score == pytest.approx(1 - 0.6 * 0.7 * 0.8 * 0.8 * (1 - 0.3 * closeness), abs=1e-3)
    assert pair.score > 0.75
    assert duplicate_candidates(embedded, entity_type=EntityType.FIRM) == []


def test_measures_thirty_one_days_apart_are_not_candidates(embedded):
    write(
        embedded,
        [*GOODS, measure("measure:a", "tariff", "2025-03-01"), measure("measure:b", "tariff", "2025-03-31"), measure("measure:c", "tariff", "2025-05-01")],
        [*measure_links("measure:a"), *measure_links("measure:b"), *measure_links("measure:c")],
    )
    # a-b: 30 days, in; b-c: 31 days, out.
    assert pairs(duplicate_candidates(embedded)) == [("measure:a", "measure:b")]


# -- the seed graph ----------------------------------------------------------------------------


def test_the_seed_graph_has_no_candidates_and_a_planted_duplicate_is_the_only_one(seeded):
    # The seed (seeds/facts.yaml) is curated: every firm, agency and measure once, all at confidence 1.
    assert duplicate_candidates(seeded) == []
    assert low_confidence_facts(seeded, threshold=1.0) == []
    write(seeded, [entity("firm:synopsys-inc", {"en": "Synopsys, Inc.", "zh": "新思科技有限公司"})], [based_in("firm:synopsys-inc", "country:US")])
    found = duplicate_candidates(seeded)
    assert pairs(found) == [("firm:synopsys", "firm:synopsys-inc")]
    assert found[0].a.name == "Synopsys"


# -- shape, order, limits ----------------------------------------------------------------------


def test_best_first_ties_by_ids_and_limit(embedded):
    write(
        embedded,
        [
            entity("firm:b1", {"en": "Beta"}),
            entity("firm:b2", {"en": "Beta"}),
            entity("firm:a1", {"en": "Alpha"}),
            entity("firm:a2", {"en": "Alpha"}),
            entity("firm:c1", {"en": "Gamma"}, ("Gamma Works",)),
            entity("firm:c2", {"en": "Gamma Works"}),
        ],
    )
    found = duplicate_candidates(embedded)
    assert pairs(found) == [("firm:a1", "firm:a2"), ("firm:b1", "firm:b2"), ("firm:c1", "firm:c2")]
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert found[0].score > found[2].score
    assert pairs(duplicate_candidates(embedded, limit=1)) == [("firm:a1", "firm:a2")]
    assert all(c.a.id < c.b.id for c in found)


def test_a_name_everyone_shares_is_no_block(embedded):
    write(embedded, [entity(f"org:office-{n:03}", {"en": "Trade Office"}) for n in range(MAX_BLOCK + 1)])
    assert duplicate_candidates(embedded) == []


@pytest.mark.parametrize("limit", [0, 1001])
def test_limits_are_checked(embedded, limit):
    with pytest.raises(InvalidDataError):
        duplicate_candidates(embedded, limit=limit)
    with pytest.raises(InvalidDataError):
        low_confidence_facts(embedded, limit=limit)


def test_every_answer_field_is_described():
    for model in (DuplicateCandidate, LowConfidenceFact):
        schema = model.model_json_schema(mode="serialization")
        assert set(schema["required"]) == set(model.model_fields)
        for name, field in model.model_fields.items():
            assert field.description, (model.__name__, name)


# -- low-confidence facts ----------------------------------------------------------------------


def test_low_confidence_facts_lowest_first_and_none_at_or_above_the_threshold(embedded):
    write(
        embedded,
        [
            Entity(id="firm:shaky", names={"en": "Shaky"}, evidence=[said("firms", confidence=0.2)]),
            Entity(
                id="firm:twice",
                names={"en": "Twice"},
                evidence=[said("firms", extractor="rule-a", confidence=0.3), said("firms", extractor="rule-b", confidence=0.45)],
            ),
            Entity(id="firm:edge", names={"en": "Edge"}, evidence=[said("firms", confidence=0.5)]),
            Entity(
                id="firm:rescued",
                names={"en": "Rescued"},
                evidence=[said("firms", extractor="rule-a", confidence=0.1), said("firms", extractor="curated", confidence=0.9)],
            ),
        ],
        [Relation(source="firm:shaky", type="BASED_IN", target="country:CN", evidence=[said("agencies", confidence=0.35)])],
    )
    found = low_confidence_facts(embedded, threshold=0.5)
    assert [(f.subject, f.confidence) for f in found] == [
        ("firm:shaky", 0.2),
        ("firm:shaky|BASED_IN|country:CN|", 0.35),
        ("firm:twice", 0.45),
    ]
    assert [f.kind.value for f in found] == ["entity", "relation", "entity"]
    assert found[1].label == "Shaky BASED_IN China" and found[1].type == "BASED_IN"
    assert found[0].label == "Shaky" and found[0].type == "Firm"
    assert sorted(e.confidence for e in found[2].evidence) == [0.3, 0.45]
    assert [f.subject for f in low_confidence_facts(embedded, threshold=0.5, limit=2)] == ["firm:shaky", "firm:shaky|BASED_IN|country:CN|"]
    # At 0.51 the one at exactly 0.5 joins; the one with a confident reading never does.
    assert [f.subject for f in low_confidence_facts(embedded, threshold=0.51)][-1] == "firm:edge"
    assert "firm:rescued" not in {f.subject for f in low_confidence_facts(embedded, threshold=0.9)}
    with pytest.raises(InvalidDataError):
        low_confidence_facts(embedded, threshold=1.5)


def test_a_passed_deadline_stops_both_lists(embedded):
    write(embedded, [entity("firm:a1", {"en": "Alpha"}), entity("firm:a2", {"en": "Alpha"})])
    passed = Deadline(0.0)
    with pytest.raises(QueryTimeoutError):
        duplicate_candidates(embedded, deadline=passed)
    with pytest.raises(QueryTimeoutError):
        low_confidence_facts(embedded, deadline=passed)
    assert pairs(duplicate_candidates(embedded, deadline=Deadline(60))) == [("firm:a1", "firm:a2")]
