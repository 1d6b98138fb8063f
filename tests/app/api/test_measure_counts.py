"""Measures per month (issue 22's counts over time): GET /v1/measures/counts counts exactly the
measures /v1/measures lists for the same filter, over every page; on both stores."""

from __future__ import annotations

from collections import Counter

import pytest


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
