"""The measure list's last filters (issue 22): MAST chapter, free text over names in either
Chinese script, goods by HS code, and the sort orders; on both stores."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.queries.measure_filters import code_of_goods
from graph.queries.measures import MeasureFilter, count_measures, list_measures

TEXT = "A tariff on steel. Tariffs on EVs. Gallium export controls. Sanctions on banks. A measure on rare-earth metals."
DOC = Document(text=TEXT, language="en")


def _said(words: str) -> list[Evidence]:
    start = TEXT.index(words)
    return [Evidence(document_id=DOC.id, quote=words, start=start, end=start + len(words), extractor="test")]


def _measure(key: str, kind: str, words: str, names: dict, *, day: dt.date | None = None, rate: float | None = None, aliases=()) -> Entity:
    return Entity(
        id=f"measure:{key}", names=names, aliases=list(aliases), evidence=_said(words),
        measure={"measure_type": kind, "status": "in_force", "announced": day, "rate": rate},
    )


def _good(entity_id: str, name: str, code: str | None, words: str) -> Entity:
    return Entity(id=entity_id, names={"en": name}, attributes={"hs": code} if code else {}, evidence=_said(words))


@pytest.fixture
def measures(store):
    store.upsert(Batch(
        documents=[DOC],
        entities=[
            _measure("steel", "tariff", "A tariff on steel", {"en": "Tariff on steel", "zh": "鋼鐵關稅"}, day=dt.date(2025, 1, 10), rate=25, aliases=["Section 232 duties"]),
            _measure("evs", "tariff", "Tariffs on EVs", {"en": "Tariffs on EVs", "zh": "电动汽车关税"}, day=dt.date(2025, 3, 1), rate=100),
            _measure("gallium", "export_control", "Gallium export controls", {"en": "Gallium export controls", "zh": "镓出口管制"}, day=dt.date(2025, 2, 1)),
            _measure("banks", "sanction", "Sanctions on banks", {"en": "Bank sanctions"}, day=dt.date(2025, 2, 1)),
            _measure("rare-metals", "other", "A measure on rare-earth metals", {"en": "Rare-earth metal measure"}),
            _good("commodity:steel", "steel", "7206", "steel"),
            _good("product:evs", "electric vehicles", "870380", "EVs"),
            _good("commodity:gallium", "gallium", "811292", "Gallium"),
            _good("commodity:hs-2805", "HS 2805: Rare-earth metals", "2805", "rare-earth metals"),
        ],
        relations=[
            Relation(source="measure:steel", type="COVERS", target="commodity:steel", evidence=_said("A tariff on steel")),
            Relation(source="measure:evs", type="COVERS", target="product:evs", evidence=_said("Tariffs on EVs")),
            Relation(source="measure:gallium", type="COVERS", target="commodity:gallium", evidence=_said("Gallium export controls")),
            Relation(source="measure:rare-metals", type="COVERS", target="commodity:hs-2805", evidence=_said("A measure on rare-earth metals")),
        ],
    ))
    return store


def _ids(store, sort: str = "date", **filters) -> list[str]:
    return [v.entity.id.removeprefix("measure:") for v in list_measures(store, MeasureFilter(**filters), sort=sort).data]


@pytest.mark.parametrize(
    ("mast", "expected"), [("F", ["steel", "evs"]), ("P", ["gallium"]), ("G", ["banks"]), ("D", [])]
)
def test_the_mast_chapter_of_the_measure_type(measures, mast, expected):
    assert _ids(measures, mast=mast) == expected
    assert count_measures(measures, where=MeasureFilter(mast=mast)).total == len(expected)


def test_an_unknown_chapter_is_refused_naming_mast(measures):
    with pytest.raises(InvalidDataError) as refused:
        _ids(measures, mast="Z")
    assert refused.value.field == "mast"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("鋼鐵", ["steel"]),  # traditional, as stored
        ("钢铁关税", ["steel"]),  # simplified finds the traditional name
        ("電動汽車", ["evs"]),  # traditional finds the simplified name
        ("section 232", ["steel"]),  # an alias
        ("TARIFF", ["steel", "evs"]),  # case, and the singular inside a plural
        ("tariffs", ["steel", "evs"]),  # the plural finds the singular
        ("rare earth", ["rare-metals"]),  # separators
        ("ｇａｌｌｉｕｍ", ["gallium"]),  # width (NFKC)
        ("measure:banks", ["banks"]),  # the id
        ("nothing-like-it", []),
    ],
)
def test_text_in_a_name_an_alias_or_the_id(measures, q, expected):
    assert _ids(measures, q=q) == expected


def test_text_without_a_letter_or_digit_is_refused_naming_q(measures):
    with pytest.raises(InvalidDataError) as refused:
        _ids(measures, q=" - ")
    assert refused.value.field == "q"


@pytest.mark.parametrize(
    ("covers", "expected"),
    [
        ("72", ["steel"]),
        ("7206", ["steel"]),
        ("8703.80", ["evs"]),
        ("HS 87", ["evs"]),
        ("2805", ["rare-metals"]),  # a code entity covered itself
        ("28", ["rare-metals"]),
        ("commodity:hs-81", ["gallium"]),  # a code's id names the code
        ("8471", []),  # no good under it
        ("steel", ["steel"]),  # a name works as before
    ],
)
def test_goods_by_hs_code_or_under_it(measures, covers, expected):
    assert _ids(measures, covers=covers) == expected
    assert count_measures(measures, where=MeasureFilter(covers=covers)).total == len(expected)


def test_what_names_a_code():
    assert [code_of_goods(t) for t in ["2805", "8541.40", "HS 8505 11", "commodity:hs-850511", "稀土", "commodity:steel", "155"]] == [
        "2805", "854140", "850511", "850511", None, None, None,
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ["steel", "banks", "gallium", "evs", "rare-metals"]),  # ties by id, undated last
        ("-date", ["evs", "banks", "gallium", "steel", "rare-metals"]),
        ("rate", ["steel", "evs", "banks", "gallium", "rare-metals"]),  # no rate last, then by date
        ("-rate", ["evs", "steel", "banks", "gallium", "rare-metals"]),
        ("name", ["banks", "gallium", "rare-metals", "steel", "evs"]),  # "Tariff on steel" < "Tariffs on EVs"
    ],
)
def test_sort_orders(measures, sort, expected):
    assert _ids(measures, sort=sort) == expected
    paged = [v.entity.id.removeprefix("measure:") for offset in range(0, 5, 2) for v in list_measures(measures, sort=sort, offset=offset, limit=2).data]
    assert paged == expected


def test_an_unknown_sort_is_refused_naming_sort(measures):
    with pytest.raises(InvalidDataError) as refused:
        _ids(measures, sort="size")
    assert refused.value.field == "sort"


def test_a_filters_rows_are_read_once_per_version_and_again_after_a_write(measures):
    """The rows of a filter are kept for the content they came from: two snapshots of one version
    share them (pages after the first are cut from them), and a commit makes the next ask read the
    new content (the new measure is listed, nothing stale is served)."""
    from graph.queries.measures import matching_rows

    with measures.snapshot() as one, measures.snapshot() as two:
        first = matching_rows(one, MeasureFilter(measure_type="tariff"))
        again = matching_rows(two, MeasureFilter(measure_type="tariff"))
        kept = one.content_owner() is not None
        assert (first is again) == kept
        assert [r.id for r in first] == ["measure:steel", "measure:evs"]
    measures.upsert(Batch(documents=[DOC], entities=[
        _measure("steel-2", "tariff", "A tariff on steel", {"en": "Second steel tariff"}, day=dt.date(2025, 4, 1))]))
    with measures.snapshot() as three:
        assert [r.id for r in matching_rows(three, MeasureFilter(measure_type="tariff"))] == ["measure:steel", "measure:evs", "measure:steel-2"]
        assert [v.entity.id for v in list_measures(three, MeasureFilter(measure_type="tariff"), offset=2, limit=1).data] == ["measure:steel-2"]
