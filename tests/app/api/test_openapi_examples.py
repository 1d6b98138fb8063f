"""The response examples of the OpenAPI document (app/api/examples/) are real answers: each one's
request, asked again on the seed graph, gets exactly the answer shown.

After a change of the seeds or of an answer's shape, TRADEGRAPH_UPDATE_EXAMPLES=1 rewrites them."""

import json
import os

import pytest
from fastapi.testclient import TestClient

from app.api.examples import ANSWERS, example_file
from app.main import create_app
from app.settings import Settings

EXAMPLES = {
    "dependents": "/v1/dependents?commodity=稀土&limit=2",
    "escalation": "/v1/escalation?a=美国&b=中国&limit=2",
    "impact": "/v1/measures/measure:cn-2025-10-09-rare-earth-export-controls/impact?max_depth=1",
}


@pytest.fixture
def client(seeded):
    """The embedded store only: an example shows one answer, and the stores may order ties apart."""
    return TestClient(create_app(Settings(), store=seeded))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_example_is_the_seed_graphs_answer(client, name):
    request = EXAMPLES[name]
    response = client.get(request)
    assert response.status_code == 200, response.text
    if os.environ.get("TRADEGRAPH_UPDATE_EXAMPLES") == "1":
        example_file(name).write_text(
            json.dumps({"request": request, "answer": response.json()}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    shown = json.loads(example_file(name).read_text(encoding="utf-8"))
    assert shown["request"] == request
    assert shown["answer"] == response.json(), f"{example_file(name)} is out of date: rerun with TRADEGRAPH_UPDATE_EXAMPLES=1"


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_each_example_is_in_the_document(client, name):
    document = client.get("/openapi.json").json()
    shown = document["paths"][ANSWERS[name]]["get"]["responses"]["200"]["content"]["application/json"]["examples"]["seed"]
    assert shown["value"] == json.loads(example_file(name).read_text(encoding="utf-8"))["answer"]
