"""Relations that held in several disjoint periods (graph/model/periods.py): kept apart when two
sources give different intervals, and honoured by as-of reads."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.model.errors import InvalidDataError
from graph.model.periods import holds_on, parse_periods, union
from graph.model.records import Batch, Relation, parse
from graph.store import Direction
from graph.time_view import TimeView
from tests.graph.test_store_contract import make_doc, quote


def _depends(valid_from: str | None = None, valid_to: str | None = None, **attributes) -> Relation:
    return Relation(
        source="country:JP", type="DEPENDS_ON", target="commodity:rare-earths",
        valid_from=valid_from, valid_to=valid_to, attributes=attributes,
    )


def test_two_readings_with_disjoint_intervals_keep_both():
    merged = _depends("2010-01-01", "2012-12-31").merged(_depends("2020-01-01", None))
    assert merged.attributes["periods"] == ["2010-01-01/2012-12-31", "2020-01-01/.."]
    assert (merged.valid_from, merged.valid_to) == (dt.date(2010, 1, 1), None)
    assert merged.periods == [(dt.date(2010, 1, 1), dt.date(2012, 12, 31)), (dt.date(2020, 1, 1), None)]
    # Reading either again changes nothing.
    assert merged.merged(_depends("2020-01-01", None)) == merged


def test_overlapping_or_touching_intervals_join():
    merged = _depends("2010-01-01", "2012-12-31").merged(_depends("2013-01-01", "2015-06-30"))
    assert "periods" not in merged.attributes
    assert (merged.valid_from, merged.valid_to) == (dt.date(2010, 1, 1), dt.date(2015, 6, 30))
    assert union([(dt.date(2011, 1, 1), None), (dt.date(2010, 1, 1), dt.date(2011, 6, 1))]) == [(dt.date(2010, 1, 1), None)]


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (["2010-01-01"], "start/end"),
        (["2012-01-01/2010-01-01", "2013-01-01/.."], "ends before"),
        (["2010-01-01/2012-01-01"], "at least two"),
        (["2013-01-01/..", "2010-01-01/2012-01-01"], "date order"),
        (["2010-01-01/2012-01-01", "2011-01-01/.."], "disjoint"),
    ],
)
def test_bad_periods_are_refused_naming_the_field(periods, message):
    with pytest.raises(InvalidDataError) as caught:
        parse(Relation, {"source": "country:JP", "type": "DEPENDS_ON", "target": "commodity:rare-earths", "attributes": {"periods": periods}})
    assert message in str(caught.value)


def test_an_envelope_that_disagrees_with_the_periods_is_refused():
    with pytest.raises(InvalidDataError, match="first period's start") as caught:
        _depends("2009-01-01", None, periods=["2010-01-01/2012-12-31", "2020-01-01/.."])
    assert caught.value.field == "valid_from"


def test_an_open_ended_gap_is_honoured_by_as_of_reads(seeded):
    doc = make_doc("日本依赖中国稀土。")
    relation = _depends(None, "2012-12-31").merged(_depends("2020-01-01", None))
    assert (relation.valid_from, relation.valid_to) == (None, None) and relation.attributes["periods"] == ["../2012-12-31", "2020-01-01/.."]
    seeded.upsert(Batch(documents=[doc], relations=[relation.model_copy(update={"evidence": [quote(doc, "日本依赖中国稀土")]})]))
    for day, held in (("2011-06-01", True), ("2016-01-01", False), ("2024-01-01", True)):
        assert (relation.key in TimeView(seeded, as_of=dt.date.fromisoformat(day)).relations([relation.key])) is held, day


def test_as_of_reads_see_a_relation_only_inside_its_periods(seeded):
    relation = _depends("2010-01-01", "2012-12-31").merged(_depends("2020-01-01", None))
    doc = make_doc("日本依赖中国稀土。")
    relation = relation.model_copy(update={"evidence": [quote(doc, "日本依赖中国稀土")]})
    seeded.upsert(Batch(documents=[doc], relations=[relation]))
    key = relation.key
    for day, held in (("2011-06-01", True), ("2016-01-01", False), ("2024-01-01", True), ("2009-12-31", False)):
        view = TimeView(seeded, as_of=dt.date.fromisoformat(day))
        assert (key in view.relations([key])) is held, day
        assert (key in {r.key for r in view.edges(["country:JP"], direction=Direction.OUT)}) is held, day
    assert holds_on(parse_periods(seeded.relations([key])[key].attributes["periods"]), dt.date(2011, 6, 1))
