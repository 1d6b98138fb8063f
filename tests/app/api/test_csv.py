"""Every list endpoint answers CSV (issue 22): ``?format=csv`` or ``Accept: text/csv``, the same
items, filters and page as its JSON, one row per item of ``data``; on both stores."""

from __future__ import annotations

import csv
import io

import pytest

LISTS = [
    "/v1/measures?imposer=中国",
    "/v1/measures/measure:cn-2025-10-09-rare-earth-export-controls/chain",
    "/v1/escalation?a=美国&b=中国",
    "/v1/timeline?actor=中国",
    "/v1/search?q=China",
    "/v1/dependents?commodity=稀土",
    "/v1/entities/F-35/dependencies",
    "/v1/countries/China/leverage",
    "/v1/flows",
    "/v1/measures/counts?by=type",
]


def _table(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def _with(url: str, extra: str) -> str:
    return url + ("&" if "?" in url else "?") + extra


@pytest.mark.parametrize("url", LISTS)
def test_a_list_answers_csv_with_a_row_per_item(client, url):
    data = client.get(url).json()["data"]
    rows = _table(client.get(_with(url, "format=csv")))
    assert len(rows) == len(data)
    header = client.get(_with(url, "format=csv")).text.splitlines()[0]
    assert header  # a header even when the page is empty
    if rows and "entity.id" in rows[0]:
        assert [r["entity.id"] for r in rows] == [item["entity"]["id"] for item in data]


def test_the_measures_csv_holds_the_json_rows(client):
    data = client.get("/v1/measures").json()["data"]
    rows = _table(client.get("/v1/measures?format=csv"))
    assert data and len(rows) == len(data)
    for row, item in zip(rows, data, strict=True):
        assert row["entity.id"] == item["entity"]["id"]
        assert row["entity.name"] == item["entity"]["name"]
        assert row["measure.measure_type"] == item["measure"]["measure_type"]
        assert row["measure.status"] == item["measure"]["status"]
        assert row["measure.announced"] == (item["measure"]["announced"] or "")
        assert row["measure.rate"] == ("" if item["measure"]["rate"] is None else str(item["measure"]["rate"]))
        assert row["imposers"].split("; ") == [ref["id"] for ref in item["imposers"]] or (row["imposers"] == "" and not item["imposers"])
        assert row["conflict"] == ("true" if item["conflict"] else "false")


def test_filters_and_pages_are_the_same_as_the_json(client):
    page = "/v1/measures?offset=1&limit=2"
    assert [r["entity.id"] for r in _table(client.get(page + "&format=csv"))] == [m["entity"]["id"] for m in client.get(page).json()["data"]]
    chinese = _table(client.get("/v1/measures?imposer=中国&format=csv"))
    everything = _table(client.get("/v1/measures?format=csv"))
    assert 0 < len(chinese) < len(everything)
    assert all("country:CN" in r["imposers"].split("; ") for r in chinese)


def test_the_accept_header_asks_for_csv_and_the_answers_are_told_apart(client):
    as_csv = client.get("/v1/measures", headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.headers["vary"] == "Accept"
    assert as_csv.text == client.get("/v1/measures?format=csv").text
    as_json = client.get("/v1/measures", headers={"Accept": "application/json, text/csv;q=0.5"})
    assert as_json.headers["content-type"] == "application/json"
    # another representation, another ETag: a client holding the JSON is not told the CSV is unchanged
    assert as_csv.headers["etag"] != as_json.headers["etag"]
    again = client.get("/v1/measures", headers={"Accept": "text/csv", "If-None-Match": as_json.headers["etag"]})
    assert again.status_code == 200 and again.text == as_csv.text
    assert client.get("/v1/measures", headers={"Accept": "text/csv", "If-None-Match": as_csv.headers["etag"]}).status_code == 304


def test_a_format_nobody_serves_is_refused_and_non_lists_take_none(client):
    refused = client.get("/v1/measures?format=xml")
    assert refused.status_code == 422 and "format" in refused.text
    assert client.get("/v1/entities/China?format=csv").status_code == 400  # not a list: no format parameter


def test_the_openapi_document_declares_the_csv_where_it_is_served(client):
    """As a second media type of the 200 answer of exactly the list endpoints, and in their
    ``format`` parameter; a typed client asks for the JSON by name (tools/api-clients/typed-calls)."""
    document = client.get("/openapi.json").json()
    with_csv, with_format = set(), set()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            if "text/csv" in operation.get("responses", {}).get("200", {}).get("content", {}):
                with_csv.add(path)
            if any(p["name"] == "format" and "AnswerFormat" in str(p["schema"]) for p in operation.get("parameters", ())):
                with_format.add(path)
    assert with_csv == with_format == {
        "/v1/measures", "/v1/measures/counts", "/v1/measures/{measure}/chain", "/v1/escalation", "/v1/timeline", "/v1/search", "/v1/dependents",
        "/v1/entities/{entity}/dependencies", "/v1/countries/{country}/leverage", "/v1/flows",
    }
    assert document["components"]["schemas"]["AnswerFormat"]["enum"] == ["json", "csv"]
