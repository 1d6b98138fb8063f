"""Schemathesis against a LIVE uvicorn server (not the in-process ASGI app of
tests/app/api/test_schema_fuzz.py): every operation, writes included (with the token), over real HTTP.
No 5xx, no answer off its schema, no trace or path in any answer, no traceback in the server's log.

The cases are generated from the app's OpenAPI document built in-process at import (what
``schemathesis.openapi.from_url`` would fetch: test_the_live_schema_is_the_one_fuzzed checks they
are the same) and sent to the live server; ``schemathesis.pytest.from_fixture`` cannot be used with
pytest 9 (it sets ``request.node._nodeid``, which pytest 9 no longer has).

TRADEGRAPH_LIVE_FUZZ_EXAMPLES sets the examples per operation (4 here; bench/reliability/fuzz.py
runs enough for well over 1,000 cases). With TRADEGRAPH_LIVE_FUZZ_REPORT set, the number of cases
run, by operation and status, is written there as JSON."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.main import create_app
from app.settings import Settings
from graph.embedded import EmbeddedStore
from ingest.structured import load_facts
from tests.conftest import FACTS, LiveServer
from tests.reliability.conftest import AUTH, TOKEN, assert_no_leak

EXAMPLES = int(os.environ.get("TRADEGRAPH_LIVE_FUZZ_EXAMPLES", "4"))
REPORT = os.environ.get("TRADEGRAPH_LIVE_FUZZ_REPORT")
CASES: Counter = Counter()


@pytest.fixture(scope="module")
def live_api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live-fuzz")
    db = folder / "fuzz.db"
    with EmbeddedStore(db) as store:
        store.upsert(load_facts(FACTS))
    server = LiveServer({"TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_API_TOKEN": TOKEN, "TRADEGRAPH_BACKEND": "embedded"}, folder)
    yield server
    server.stop()
    if REPORT:
        by_operation: dict[str, dict[str, int]] = {}
        for (operation, status), n in sorted(CASES.items()):
            by_operation.setdefault(operation, {})[str(status)] = n
        Path(REPORT).write_text(
            json.dumps({"cases": sum(CASES.values()), "examples_per_operation": EXAMPLES, "operations": by_operation}, indent=1)
        )


SPEC = create_app(Settings()).openapi()
schema = schemathesis.openapi.from_dict(SPEC)
# An invalid body can be refused for its size before it is read: 413 rejects it as a 422 would.
schema.config.checks.negative_data_rejection.expected_statuses.append("413")


def test_the_live_schema_is_the_one_fuzzed(live_api):
    import httpx

    assert httpx.get(live_api.url + "/openapi.json", timeout=30).json() == SPEC
    assert schemathesis.openapi.from_url(live_api.url + "/openapi.json") is not None


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_live_server_answers_every_generated_request(case, live_api):
    response = case.call(base_url=live_api.url, headers=AUTH, timeout=60)
    CASES[(f"{case.method.upper()} {case.path}", response.status_code)] += 1
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    if response.status_code >= 400:
        assert_no_leak(response.text)
    else:  # a document's `source` is the path it was read from: a path may be data, a trace never is
        assert "Traceback" not in response.text


def test_the_server_logged_no_traceback(live_api):
    """Runs after the generated cases (file order): nothing failed on the server's side either,
    not even after an answer had started."""
    log = live_api.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
    assert sum(CASES.values()) >= 20


def test_a_numeric_published_is_refused(live_api):
    """Found by this fuzz (negative_data_rejection): a JSON number was read as a Unix timestamp."""
    import httpx

    response = httpx.post(
        live_api.url + "/v1/documents",
        json={"text": "China announced export controls on gallium on 3 July 2023.", "published": 0},
        headers=AUTH,
        timeout=30,
    )
    assert response.status_code == 422, response.text[:300]
