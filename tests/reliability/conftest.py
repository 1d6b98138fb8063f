"""Fixtures of the reliability suite: an app over each store backend, the OpenAPI operations with
valid values for every required parameter, and the checks every error response must pass."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from bench.harness.paths import ROOT

TOKEN = "reliability-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MEASURE = "measure:cn-2025-10-09-rare-earth-export-controls"

# A valid value for each parameter a route requires, so one parameter at a time can be made bad.
VALID = {
    "commodity": "稀土",
    "entity": "product:f-35",
    "country": "China",
    "measure": MEASURE,
    "a": "美国",
    "b": "中国",
    "actor": "China",
    "q": "China",
    "source": "China",
    "target": "product:f-35",
    "ids": "country:CN",
}

# What a response body may never contain: a traceback, a server path, driver internals.
LEAKS = ("Traceback", 'File "', str(ROOT), "site-packages", "sqlite3.", "neo4j.exceptions", "Neo.ClientError", "/tmp/pytest")


def assert_no_leak(text: str, *extra: str) -> None:
    for marker in (*LEAKS, *extra):
        assert marker not in text, f"response leaks {marker!r}: {text[:500]}"


def assert_problem(response, status: int | None = None) -> dict:  # noqa: ANN001
    """An error answer: problem details with the RFC 9457 members, and nothing of the server."""
    assert response.headers["content-type"].startswith("application/problem+json"), response.text[:300]
    body = response.json()
    for member in ("type", "title", "status", "detail", "instance"):
        assert member in body, (member, body)
    assert body["status"] == response.status_code
    if status is not None:
        assert response.status_code == status, response.text[:500]
    assert_no_leak(response.text)
    return body


def kind_of(schema: dict) -> str:
    """integer, number, date, enum, array or string: what a parameter takes."""
    options = schema.get("anyOf", [schema])
    for option in options:
        if option.get("format") == "date":
            return "date"
        if "enum" in option or "$ref" in option:
            return "enum"
        if option.get("type") in ("integer", "number", "array"):
            return option["type"]
    return "string"


def operations(spec: dict) -> list[dict]:
    """Every operation of the OpenAPI document with its parameters and their kinds."""
    found = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            params = [
                {"name": p["name"], "in": p["in"], "required": p.get("required", False), "kind": kind_of(p["schema"])}
                for p in op.get("parameters", [])
            ]
            found.append({"method": method.upper(), "path": path, "params": params})
    return found


def request_for(op: dict, document_id: str, bad: tuple[str, str] | None = None) -> tuple[str, dict]:
    """The URL and query of ``op`` with valid required parameters, and ``bad`` = (name, value)."""
    path = op["path"]
    query = {}
    for param in op["params"]:
        name = param["name"]
        if bad is not None and name == bad[0]:
            value = bad[1]
        elif param["required"]:
            value = document_id if name == "document_id" else VALID[name]
        else:
            continue
        if param["in"] == "path":
            path = path.replace("{" + name + "}", quote(value, safe=""))
        else:
            query[name] = value
    return path, query


@pytest.fixture
def app_for(tmp_path: Path):
    """``app_for(store, **settings)``: a TestClient over ``store`` with the write token set."""
    clients = []

    def make(store, **settings) -> TestClient:  # noqa: ANN001
        client = TestClient(create_app(Settings(api_token=TOKEN, **settings), store=store), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def spec() -> dict:
    return create_app(Settings()).openapi()


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
