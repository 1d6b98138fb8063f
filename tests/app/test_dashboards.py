"""The Grafana dashboard in dashboards/ (issue 22): its structure is what Grafana and the Infinity
data source read, and every URL it calls, with its variables at their defaults, is answered by a
live `tradegraph serve` on the seeds, with the fields its columns select."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT

DASHBOARDS = sorted((ROOT / "dashboards").glob("*.json"))
INFINITY = "yesoreyeram-infinity-datasource"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _targets(dashboard: dict) -> list[dict]:
    return [t for panel in dashboard["panels"] for t in panel["targets"]]


def _defaults(dashboard: dict, base_url: str) -> dict[str, str]:
    values = {v["name"]: v.get("current", {}).get("value", v.get("query")) for v in dashboard["templating"]["list"]}
    values["tradegraph"] = base_url.rstrip("/")
    return values


def _filled(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], text)


def _select(value: object, selector: str) -> object:
    for key in selector.split(".") if selector else ():
        assert isinstance(value, dict) and key in value, f"no {key!r} in {str(value)[:200]}"
        value = value[key]
    return value


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_the_dashboard_is_one_grafana_reads(path):
    dashboard = _load(path)
    assert dashboard["title"] and dashboard["uid"] and dashboard["panels"]
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "tradegraph"} <= variables
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["type"] in {"stat", "timeseries", "table", "barchart"} and set(panel["gridPos"]) == {"x", "y", "w", "h"}
        assert panel["targets"]
        for target in panel["targets"]:
            assert target["datasource"]["type"] == INFINITY and target["type"] == "json" and target["source"] == "url"
            assert target["url"].startswith("${tradegraph}/v1/")
            assert target["columns"] and all(c["selector"] and c["type"] in {"string", "number", "timestamp", "boolean"} for c in target["columns"])
            used = set(re.findall(r"\$\{(\w+)\}", json.dumps(target) + panel["title"]))
            assert used <= variables, f"{panel['title']} uses undeclared variables {used - variables}"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_every_url_the_dashboard_calls_is_answered_with_what_its_columns_select(path, seeded_server):
    dashboard = _load(path)
    values = _defaults(dashboard, seeded_server.url)
    with httpx.Client(timeout=60) as http:
        for target in _targets(dashboard):
            url = _filled(target["url"], values)
            response = http.get(url)
            assert response.status_code == 200, (url, response.text[:300])
            rows = _select(response.json(), target["root_selector"])
            rows = rows if isinstance(rows, list) else [rows]
            assert rows, f"{url} gives no rows at {target['root_selector']!r}"
            for column in target["columns"]:
                _select(rows[0], column["selector"])
