"""Answers of the main questions on the seed graph, shown as the OpenAPI document's response
examples. Each file holds the request and the answer it got; tests/app/api/test_openapi_examples.py
asks each request again on the seed graph and checks the answer is still the one shown
(TRADEGRAPH_UPDATE_EXAMPLES=1 rewrites them)."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["ANSWERS", "example_file", "show_answer_examples"]

FOLDER = Path(__file__).resolve().parent
# Example name -> the path (GET) whose 200 answer it shows.
ANSWERS = {
    "dependents": "/v1/dependents",
    "escalation": "/v1/escalation",
    "impact": "/v1/measures/{measure}/impact",
}


def example_file(name: str) -> Path:
    return FOLDER / f"{name}.json"


def show_answer_examples(document: dict) -> dict:
    """Add the examples to the built document. Not through the routes' ``responses``: FastAPI
    drops every null while building the document, nulls inside examples included, and an answer
    without its nulls is not what the API sends (nor valid against its schema)."""
    for name, path in ANSWERS.items():
        example = json.loads(example_file(name).read_text(encoding="utf-8"))
        media = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        media["examples"] = {"seed": {"summary": f"GET {example['request']} on the seed graph", "value": example["answer"]}}
    return document
