"""Measures per month (issue 22's counts over time): GET /v1/measures/counts counts exactly the
measures /v1/measures lists for the same filter, over every page; on both stores."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from graph.model.records import Batch, Document, Entity, Evidence, MeasureAttributes, Relation


def _all_measures(client, **params) -> list[dict]:
    data, offset = [], 0
    while True:
        page = client.get("/v1/measures", params={**params, "offset": offset, "limit": 2}).json()
        data += page["data"]
        offset += 2
        if offset >= page["count"]:
            return data


@pytest.mark.parametrize("params", [{}, {"imposer": "中国"}, {"target": "中国"}, {"type": "export_control"}])
def test_the_counts_are_the_listed_measures_per_month(client, params):
    measures = _all_measures(client, **params)
    counts = client.get("/v1/measures/counts", params=params).json()
    assert counts["by"] == "none" and counts["total"] == len(measures) > 0
    expected = Counter(m["date"][:7] if m["date"] else None for m in measures)
    assert {row["month"]: row["count"] for row in counts["data"]} == dict(expected)
    months = [row["month"] for row in counts["data"]]
    assert months == sorted(months, key=lambda m: (m is None, m or ""))  # months in order, undated last


def test_counts_by_type_and_by_imposing_country(client):
    measures = _all_measures(client)
    by_type = client.get("/v1/measures/counts", params={"by": "type"}).json()
    assert Counter({(r["month"], r["group"]): r["count"] for r in by_type["data"]}) == Counter(
        (m["date"][:7] if m["date"] else None, m["measure"]["measure_type"]) for m in measures
    )
    by_imposer = client.get("/v1/measures/counts", params={"by": "imposer"}).json()
    assert {r["group"] for r in by_imposer["data"]} <= {"country:CN", "country:US"}
    chinese = client.get("/v1/measures/counts", params={"by": "imposer", "imposer": "中国"}).json()
    assert sum(r["count"] for r in chinese["data"] if r["group"] == "country:CN") == chinese["total"]


def test_a_bad_grouping_is_refused_naming_it(client):
    refused = client.get("/v1/measures/counts", params={"by": "colour"})
    assert refused.status_code == 422 and "by" in refused.text


@pytest.mark.parametrize("by", ["imposer", "target"])
def test_a_side_s_counts_are_the_measures_listed_for_it(client, by):
    """Per country or bloc, over every month, the counts by imposer (by target) are what
    /v1/measures lists with that side as imposer (target): what the explorer's map shades."""
    counts = client.get("/v1/measures/counts", params={"by": by}).json()
    assert counts["by"] == by
    per_side = Counter()
    for row in counts["data"]:
        per_side[row["group"]] += row["count"]
    sides = [g for g in per_side if g and g.startswith("country:")]
    assert len(sides) >= 2, per_side
    for side in sides:
        assert per_side[side] == client.get("/v1/measures", params={by: side, "limit": 1}).json()["count"], side
    assert sum(per_side.values()) >= counts["total"]


def test_counts_by_target_take_the_filter(client):
    """The map of measures China received from the United States: one side, every one counted."""
    measures = _all_measures(client, imposer="美国", target="中国")
    counts = client.get("/v1/measures/counts", params={"by": "target", "imposer": "美国", "target": "中国"}).json()
    assert counts["total"] == len(measures) > 0
    assert sum(r["count"] for r in counts["data"] if r["group"] == "country:CN") == len(measures)


def test_counts_by_target_as_csv(client):
    answer = client.get("/v1/measures/counts", params={"by": "target", "format": "csv"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.splitlines()
    assert lines[0].split(",") == ["month", "group", "count"]
    rows = client.get("/v1/measures/counts", params={"by": "target"}).json()["data"]
    assert len(lines) == 1 + len(rows) and "country:CN" in answer.text


def test_an_agency_and_a_firm_count_for_the_countries_they_are_based_in(client, seeded_store):
    """A measure imposed by an agency alone, aimed at a firm alone, counts for the agency's
    country and the firm's, as /v1/measures?imposer=&target= find it through BASED_IN."""
    doc = Document(text="METI put Acme Chips of Korea on its export list.", language="en")

    def said(words: str) -> list[Evidence]:
        start = doc.text.index(words)
        return [Evidence(document_id=doc.id, quote=words, start=start, end=start + len(words), extractor="test")]

    measure = "measure:jp-2025-10-20-acme-listing"
    seeded_store.upsert(Batch(
        documents=[doc],
        entities=[
            Entity(id="country:JP", names={"en": "Japan"}, evidence=said("METI")),
            Entity(id="country:KR", names={"en": "South Korea"}, evidence=said("Korea")),
            Entity(id="org:meti", names={"en": "METI"}, evidence=said("METI")),
            Entity(id="firm:acme-chips", names={"en": "Acme Chips"}, evidence=said("Acme Chips")),
            Entity(
                id=measure, names={"en": "Acme Chips export listing"}, evidence=said("put Acme Chips of Korea on its export list"),
                measure=MeasureAttributes(measure_type="entity_list", status="in_force", announced=dt.date(2025, 10, 20)),
            ),
        ],
        relations=[
            Relation(source="org:meti", type="BASED_IN", target="country:JP", evidence=said("METI")),
            Relation(source="firm:acme-chips", type="BASED_IN", target="country:KR", evidence=said("Acme Chips of Korea")),
            Relation(source="org:meti", type="IMPOSES", target=measure, evidence=said("METI put Acme Chips")),
            Relation(source=measure, type="TARGETS", target="firm:acme-chips", evidence=said("put Acme Chips of Korea")),
        ],
    ))
    by_imposer = client.get("/v1/measures/counts", params={"by": "imposer", "type": "entity_list"}).json()["data"]
    by_target = client.get("/v1/measures/counts", params={"by": "target", "type": "entity_list"}).json()["data"]
    assert {"month": "2025-10", "group": "country:JP", "count": 1} in by_imposer
    assert {"month": "2025-10", "group": "country:KR", "count": 1} in by_target
    assert client.get("/v1/measures", params={"imposer": "country:JP", "target": "country:KR"}).json()["count"] == 1
