"""Clients generated from the live /openapi.json, as a dashboard developer makes them, asking a
live uvicorn server on the seed graph: openapi-python-client (Python) and openapi-typescript with
openapi-fetch (TypeScript, type-checked by tsc and run by node). Answers and problems come back
typed; and Redocly's recommended rules find no error in the document.

The npm tools are pinned in tools/api-clients (`make test` runs npm ci there); without npm, node
or openapi-python-client these tests are skipped with the reason, and under CI=true they fail.
The seed graph gets one extra entity, a firm also called "US", so that a name is ambiguous (409)."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from graph.embedded import EmbeddedStore
from graph.model.records import Batch, Entity
from ingest.structured import load_facts
from tests.conftest import BIN, FACTS, ROOT, LiveServer, skip_unless_ci

TOOLS = ROOT / "tools" / "api-clients"
NODE_BIN = TOOLS / "node_modules" / ".bin"
TOKEN = "client-test-token-0123456789"
IMPACT = "measure:cn-2025-10-09-rare-earth-export-controls"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture(scope="module")
def live_api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clients")
    db = folder / "seed.db"
    with EmbeddedStore(db) as store:
        store.upsert(load_facts(FACTS))
        us = store.entity("country:US")
        store.upsert(Batch(entities=[Entity(id="firm:us-steel", names={"en": "US Steel"}, aliases=["US"], evidence=us.evidence[:1])]))
    server = LiveServer({"TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_API_TOKEN": TOKEN, "TRADEGRAPH_BACKEND": "embedded"}, folder)
    document = folder / "openapi.json"
    document.write_bytes(httpx.get(server.url + "/openapi.json", timeout=30).content)
    yield server, document
    server.stop()


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **env})
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def need_node_tools() -> None:
    if shutil.which("node") is None or not (NODE_BIN / "openapi-typescript").exists():
        skip_unless_ci("node or tools/api-clients/node_modules is missing (make test runs npm ci there)")


# --- Python: openapi-python-client ------------------------------------------------------------


@pytest.fixture(scope="module")
def py_client(live_api, tmp_path_factory):
    """The generated package, imported; the command is the one docs/api.md gives."""
    server, document = live_api
    if not (BIN / "openapi-python-client").exists():
        skip_unless_ci("openapi-python-client is missing (it is in the dev extra: pip install -e '.[dev]')")
    folder = tmp_path_factory.mktemp("python-client")
    # ruff, which formats the generated code, is installed beside it.
    run(
        [str(BIN / "openapi-python-client"), "generate", "--path", str(document), "--meta", "none", "--output-path", "tradegraph_client"],
        cwd=folder,
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    sys.path.insert(0, str(folder))
    try:
        yield server, importlib.import_module("tradegraph_client")
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == "tradegraph_client" or m.startswith("tradegraph_client.")]:
            del sys.modules[name]


def test_python_client_answers_are_typed(py_client):
    server, package = py_client
    from tradegraph_client import Client
    from tradegraph_client.api.dependencies import read_dependents
    from tradegraph_client.api.entities import read_entity, search_entities
    from tradegraph_client.api.measures import read_escalation, read_measure_impact
    from tradegraph_client.models import (
        DependentsAnswer,
        EntityDetail,
        EscalationAnswer,
        ImpactAnswer,
        SearchAnswer,
    )

    client = Client(base_url=server.url, timeout=60)
    dependents = read_dependents.sync(client=client, commodity="稀土", limit=5)
    assert isinstance(dependents, DependentsAnswer)
    assert dependents.commodity.id == "commodity:rare-earths" and dependents.count >= len(dependents.data) > 0
    assert dependents.data[0].paths[0].steps[0].evidence[0].quote

    escalation = read_escalation.sync(client=client, a="美国", b="中国")
    assert isinstance(escalation, EscalationAnswer)
    assert escalation.summary.by_a > 0 and escalation.summary.by_b > 0 and escalation.chains

    impact = read_measure_impact.sync(IMPACT, client=client)
    assert isinstance(impact, ImpactAnswer)
    assert impact.measure.entity.id == IMPACT and impact.hits

    search = search_entities.sync(client=client, q="中方")
    assert isinstance(search, SearchAnswer) and search.data[0].entity.id == "country:CN"

    entity = read_entity.sync("稀土", client=client)
    assert isinstance(entity, EntityDetail)
    assert entity.entity.names.additional_properties["zh"] == "稀土"
    assert entity.relations.in_.additional_properties["IS_A"] >= 2


def test_python_client_problems_are_typed(py_client):
    server, package = py_client
    from tradegraph_client import AuthenticatedClient, Client
    from tradegraph_client.api.dependencies import read_dependents
    from tradegraph_client.api.documents import ingest_document
    from tradegraph_client.api.entities import read_entity
    from tradegraph_client.models import DocumentCreate, EntityRef, Problem, ValidationIssue

    client = Client(base_url=server.url, timeout=60)
    unknown = read_entity.sync("rare eart", client=client)  # a near miss: 404 with candidates
    assert isinstance(unknown, Problem) and unknown.status == 404 and unknown.title == "Not found"
    assert all(isinstance(c, EntityRef) for c in unknown.candidates)
    assert "commodity:rare-earths" in [c.id for c in unknown.candidates]

    ambiguous = read_entity.sync("US", client=client)
    assert isinstance(ambiguous, Problem) and ambiguous.status == 409
    assert {c.id for c in ambiguous.candidates} == {"country:US", "firm:us-steel"}

    invalid = read_dependents.sync(client=client, commodity="稀土", limit=0)
    assert isinstance(invalid, Problem) and invalid.status == 422 and invalid.field == "limit"
    assert isinstance(invalid.errors[0], ValidationIssue) and invalid.errors[0].loc == ["query", "limit"]

    wrong_token = AuthenticatedClient(base_url=server.url, token="not-the-token", timeout=60)
    refused = ingest_document.sync(client=wrong_token, body=DocumentCreate(text="China announced export controls on gallium."))
    assert isinstance(refused, Problem) and refused.status == 401 and refused.title == "Unauthorized"


# --- TypeScript: openapi-typescript + openapi-fetch, tsc, node ------------------------------------


@pytest.fixture(scope="module")
def ts_calls(live_api, tmp_path_factory):
    """tools/api-clients/typed-calls with schema.d.ts generated from the live document."""
    need_node_tools()
    server, document = live_api
    folder = tmp_path_factory.mktemp("ts-client") / "typed-calls"
    shutil.copytree(TOOLS / "typed-calls", folder)
    (folder / "node_modules").symlink_to(TOOLS / "node_modules", target_is_directory=True)
    run([str(NODE_BIN / "openapi-typescript"), str(document), "--output", "schema.d.ts"], cwd=folder)
    return server, folder


def test_typescript_types_answers_and_problems(ts_calls):
    """calls.ts uses answers and `error.title`, `error.candidates`... without a cast, and checks at
    compile time that every `error` is exactly the Problem type: tsc fails when it is not."""
    _, folder = ts_calls
    run([str(NODE_BIN / "tsc"), "-p", ".", "--noEmit"], cwd=folder)


def test_typescript_client_against_the_live_server(ts_calls):
    server, folder = ts_calls
    run([str(NODE_BIN / "tsc"), "-p", "."], cwd=folder)
    got = json.loads(run(["node", "out/calls.js", server.url], cwd=folder).stdout)
    assert got["dependents"]["first"] and got["dependents"]["count"] > 0
    assert got["escalation"]["byA"] > 0 and got["escalation"]["chains"] > 0
    assert got["impact"]["measure"] == IMPACT and got["impact"]["hits"]
    assert got["search"][0] == "country:CN"
    assert got["entity"]["names"]["zh"] == "稀土" and got["entity"]["isA"] >= 2
    assert got["notFound"]["status"] == 404 and "commodity:rare-earths" in got["notFound"]["candidates"]
    assert got["ambiguous"]["status"] == 409 and set(got["ambiguous"]["candidates"]) == {"country:US", "firm:us-steel"}
    assert got["invalid"]["status"] == 422 and got["invalid"]["errors"] == ["query.limit"]
    assert got["unauthorized"]["status"] == 401 and got["unauthorized"]["title"] == "Unauthorized"
    assert {got[k]["contentType"] for k in ("notFound", "ambiguous", "invalid", "unauthorized")} == {PROBLEM_JSON}


# --- Redocly -----------------------------------------------------------------------------------


def test_redocly_recommended_rules_find_no_error(live_api, tmp_path):
    need_node_tools()
    _, document = live_api
    result = subprocess.run(
        [str(NODE_BIN / "redocly"), "lint", str(document), "--extends", "recommended", "--format", "json"],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    report = json.loads(result.stdout[result.stdout.index("{") :])
    errors = [f"{p['ruleId']}: {p['message']}" for p in report["problems"] if p["severity"] == "error"]
    assert errors == [] and report["totals"]["errors"] == 0 and result.returncode == 0, result.stderr
