"""The OpenAPI document as client generators read it: stable operation names, every parameter and
schema described, typed errors under the media type the server sends, no free-form or empty
schema, named enums, and responses and security as each operation really answers them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.query_params import UNKNOWN_QUERY_PARAMETER
from app.main import create_app
from app.settings import Settings

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
WRITES = {("post", "/v1/documents"), ("delete", "/v1/documents/{document_id}"), ("post", "/v1/review/decisions")}
UNKNOWN_PARAMETER = UNKNOWN_QUERY_PARAMETER[400]["description"]


@pytest.fixture(scope="module")
def document() -> dict:
    with TestClient(create_app(Settings())) as client:
        return client.get("/openapi.json").json()


def operations(document: dict) -> Iterator[tuple[str, str, dict]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def schemas_in(node: object, where: str = "") -> Iterator[tuple[str, dict]]:
    """Every schema object below ``node``, with where it is."""
    if isinstance(node, dict):
        if "schema" in node and isinstance(node["schema"], dict):
            yield f"{where}.schema", node["schema"]
        for key, value in node.items():
            yield from schemas_in(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from schemas_in(value, f"{where}[{i}]")


def test_operation_ids_are_chosen_names(document):
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if "_v1_" in i or i.endswith("_get") or "__" in i] == []
    named = {(m, p): op["operationId"] for m, p, op in operations(document)}
    assert named[("get", "/v1/dependents")] == "read_dependents"
    assert named[("get", "/v1/escalation")] == "read_escalation"
    assert named[("get", "/v1/measures/{measure}/impact")] == "read_measure_impact"


def test_every_operation_has_a_written_summary_and_description(document):
    """FastAPI's automatic summary is the function's name in Title Case ("Get Dependents")."""
    for method, path, op in operations(document):
        words = op.get("summary", "").split()
        assert words and (len(words) == 1 or not all(w[0].isupper() for w in words)), (method, path, op.get("summary"))
        assert op.get("description"), (method, path)


def test_every_parameter_is_described(document):
    missing = [
        f"{method} {path} {p['name']}" for method, path, op in operations(document) for p in op.get("parameters", []) if not p.get("description")
    ]
    assert missing == []


def test_every_component_schema_is_described(document):
    schemas = document["components"]["schemas"]
    assert [name for name, schema in schemas.items() if not schema.get("description")] == []
    # Names generators can use as they are: no -Input/-Output pairs of one model.
    assert [name for name in schemas if not name.isidentifier()] == []


def test_no_response_has_an_empty_schema(document):
    for method, path, op in operations(document):
        for status, response in op["responses"].items():
            for media_type, media in response.get("content", {}).items():
                assert media.get("schema") not in (None, {}), (method, path, status, media_type)


def test_errors_are_problems_under_the_media_type_sent(document):
    for method, path, op in operations(document):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert response["content"] == PROBLEM, (method, path, status)


def test_problem_fields_are_typed(document):
    schemas = document["components"]["schemas"]
    problem = schemas["Problem"]["properties"]
    assert problem["candidates"]["anyOf"][0] == {"type": "array", "items": {"$ref": "#/components/schemas/EntityRef"}}
    assert problem["errors"]["anyOf"][0] == {"type": "array", "items": {"$ref": "#/components/schemas/ValidationIssue"}}
    assert set(schemas["ValidationIssue"]["required"]) == {"loc", "msg", "type"}


def test_no_free_form_object_and_no_pattern_properties(document):
    """Every object says what it holds: properties, or typed additionalProperties."""
    found = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if "patternProperties" in node:
                found.append(f"{where}: patternProperties")
            if node.get("type") == "object" and "properties" not in node and not isinstance(node.get("additionalProperties"), dict):
                found.append(f"{where}: free-form object")
            if node.get("additionalProperties") == {}:
                found.append(f"{where}: additionalProperties {{}}")
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(document["components"], "components")
    walk(document["paths"], "paths")
    assert found == []


def test_enums_are_named_components(document):
    """An inline enum becomes a type named after its operation in generated code."""
    inline = [
        where
        for method, path, op in operations(document)
        for where, schema in schemas_in(op, f"{method} {path}")
        if "enum" in repr(schema)
    ]
    assert inline == []
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            assert "enum" not in repr(prop), f"{name}.{field}"
    schemas = document["components"]["schemas"]
    assert schemas["ChainDirection"]["enum"] == ["up", "down", "both"]
    assert schemas["Direction"]["enum"] == ["out", "in", "both"]
    assert schemas["ChainAnswer"]["properties"]["direction"] == {"$ref": "#/components/schemas/ChainDirection"}


def test_answers_mark_fields_that_are_always_there_required(document):
    schemas = document["components"]["schemas"]
    assert {"aliases", "attributes", "evidence"} <= set(schemas["Entity"]["required"])
    assert set(schemas["EntityDetail"]["properties"]["relations"].values()) == {"#/components/schemas/RelationCounts"}
    assert set(schemas["RelationCounts"]["required"]) == {"out", "in"}
    assert set(schemas["Step"]["required"]) == set(schemas["Step"]["properties"])
    for name in ("DependentsAnswer", "EscalationAnswer", "ImpactAnswer", "SearchAnswer", "EntityRef", "Evidence"):
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name


def test_export_declares_a_schema_per_media_type(document):
    content = document["paths"]["/v1/export"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/GraphExport"}
    assert content["application/graphml+xml"]["schema"]["type"] == "string"


def test_reads_are_public_and_writes_need_the_bearer_token(document):
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for method, path, op in operations(document):
        if (method, path) in WRITES:
            assert op["security"] == [{"HTTPBearer": []}], (method, path)
            assert "401" in op["responses"], (method, path)
        else:
            assert op["security"] == [], (method, path)


def test_reads_list_neither_body_errors_nor_401_and_their_400_is_an_unknown_parameter(document):
    """A read has no body and needs no token; the one 400 it can answer is an unknown query
    parameter, which every operation can answer (app/api/query_params.py)."""
    for method, path, op in operations(document):
        assert "400" in op["responses"], (method, path)
        if method == "get":
            assert not {"401", "413"} & set(op["responses"]), path
            assert op["responses"]["400"]["description"] == UNKNOWN_PARAMETER, path


def test_each_operation_lists_what_it_can_answer(document):
    listed = {(m, p): set(op["responses"]) for m, p, op in operations(document)}
    assert listed[("get", "/healthz")] == {"200", "400"}
    assert listed[("get", "/readyz")] == {"200", "400", "503"}
    assert listed[("get", "/v1/stats")] == {"200", "400", "422", "503"}  # 422: as_of, known_at
    assert listed[("get", "/v1/search")] == {"200", "400", "422", "503"}
    assert listed[("get", "/v1/dependents")] == {"200", "400", "404", "409", "422", "503"}
    assert listed[("post", "/v1/documents")] == {"201", "400", "401", "413", "422", "503"}
    assert listed[("delete", "/v1/documents/{document_id}")] == {"200", "400", "401", "404", "422", "503"}


def test_servers_licence_and_tags(document):
    assert document["servers"] and all(s.get("description") for s in document["servers"])
    assert document["info"]["license"] == {"name": "MIT", "identifier": "MIT"}
    tags = {t["name"]: t.get("description") for t in document["tags"]}
    used = {tag for _, _, op in operations(document) for tag in op["tags"]}
    assert used <= set(tags) and all(tags.values())
