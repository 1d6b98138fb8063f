"""Unknown query parameters are refused with a 400 problem naming them and the parameters the
route takes (app/api/query_params.py): a misspelt filter is never silently ignored."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.api.problems import Problem, install_problem_handlers
from app.api.query_params import refuse_unknown_query_parameters
from tests.app.api.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
RARE_EARTH = "measure:cn-2025-10-09-rare-earth-export-controls"
TEXT = "China announced export controls on gallium on 3 July 2023."


def problem(response, status: int) -> dict:
    """The body of a problem answer with ``status``, in the shape of every problem of the API."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    Problem.model_validate(body)
    assert body["status"] == status and {"type", "title", "detail", "instance"} <= set(body)
    return body


def takes(detail: str) -> set[str]:
    """The parameter names a 400's detail lists after "takes: "."""
    _, _, listed = detail.partition(" takes: ")
    return set(listed.split(", ")) if listed else set()


def test_a_misspelt_filter_is_a_400_naming_it_and_the_parameters_taken(client):
    response = client.get("/v1/measures?asof=2025-10-15")
    body = problem(response, 400)
    assert body["type"] == "/problems/unknown-query-parameter" and body["title"] == "Unknown query parameter"
    assert body["instance"] == "/v1/measures"
    assert body["detail"].startswith("unknown query parameter 'asof'; /v1/measures takes: ")
    document = client.get("/openapi.json").json()
    listed = {p["name"] for p in document["paths"]["/v1/measures"]["get"]["parameters"] if p["in"] == "query"}
    assert {"imposer", "covers", "since", "limit"} <= listed
    assert takes(body["detail"]) == listed
    assert body["field"] == "asof"
    assert body["errors"] == [{"loc": ["query", "asof"], "msg": "not a query parameter of /v1/measures", "type": "extra_forbidden"}]


def test_a_known_parameter_still_filters_and_only_the_unknown_one_is_named(client):
    every = client.get("/v1/measures").json()
    by_china = client.get("/v1/measures", params={"imposer": "中方"})
    assert by_china.status_code == 200 and 0 < by_china.json()["count"] < every["count"]
    repeated = client.get("/v1/measures?limit=1&limit=2")  # a repeated known parameter: FastAPI's last value
    assert repeated.status_code == 200 and repeated.json()["limit"] == 2
    body = problem(client.get("/v1/measures", params={"imposer": "中方", "asof": "2025-10-15"}), 400)
    assert body["field"] == "asof" and [e["loc"] for e in body["errors"]] == [["query", "asof"]]
    assert "'imposer'" not in body["detail"]


def test_several_unknown_parameters_are_all_named_once(client):
    response = client.get("/v1/escalation?a=US&b=CN&sinse=2025-10-01&untill=2025-12-31&sinse=2025-10-02")
    body = problem(response, 400)
    assert body["detail"].startswith("unknown query parameters 'sinse', 'untill'; /v1/escalation takes: ")
    assert [e["loc"] for e in body["errors"]] == [["query", "sinse"], ["query", "untill"]]
    assert body["field"] == "sinse"
    assert {"a", "b", "since", "until", "offset", "limit"} <= takes(body["detail"])


def test_every_operation_lists_exactly_the_query_parameters_the_document_gives_it(client):
    """Whatever declares them (the route, or a dependency such as the read runner's), the names a
    400 lists are the operation's query parameters in the OpenAPI document, and no others."""
    document = client.get("/openapi.json").json()
    checked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            url = re.sub(r"\{[^}]+\}", "x", path)
            body = problem(client.request(method.upper(), url, params={"zz_unknown": "1"}, headers=AUTH), 400)
            assert body["field"] == "zz_unknown", (method, path)
            assert takes(body["detail"]) == declared, (method, path, body["detail"])
            checked += 1
    assert checked > 20


class Window(BaseModel):
    since: date | None = None
    until: date | None = None


async def dated(as_of: Annotated[date | None, Query()] = None) -> date | None:
    """A dependency declaring a query parameter, as the read runner's does."""
    return as_of


def test_a_parameter_a_dependency_declares_is_taken():
    """A shared dependency's query parameter (as the read runner's ``as_of``), a model read from
    the query and an alias count as the route's own, with no list kept anywhere."""
    router = APIRouter()

    @router.get("/dated")
    async def read(
        on: Annotated[date | None, Depends(dated)],
        window: Annotated[Window, Query()],
        q_: Annotated[str | None, Query(alias="q")] = None,
    ) -> dict:
        return {"on": on.isoformat() if on else None, "since": window.since.isoformat() if window.since else None, "q": q_}

    app = FastAPI()
    install_problem_handlers(app)
    refuse_unknown_query_parameters(app)
    app.include_router(router, prefix="/v1")
    client = TestClient(app)
    taken = client.get("/v1/dated", params={"as_of": "2025-10-15", "since": "2025-01-01", "q": "x"})
    assert taken.status_code == 200 and taken.json() == {"on": "2025-10-15", "since": "2025-01-01", "q": "x"}
    body = problem(client.get("/v1/dated", params={"asof": "2025-10-15", "q_": "x"}), 400)
    assert body["detail"] == "unknown query parameters 'asof', 'q_'; /v1/dated takes: as_of, q, since, until"


def test_a_write_naming_an_unknown_parameter_is_refused_before_it_writes(client, seeded_store):
    before = seeded_store.counts()
    body = problem(client.post("/v1/documents", params={"dry_run": "true"}, json={"text": TEXT}, headers=AUTH), 400)
    assert body["detail"] == "unknown query parameter 'dry_run'; /v1/documents takes no query parameters"
    assert body["field"] == "dry_run"
    doc_id = seeded_store.documents()[0].id
    problem(client.delete(f"/v1/documents/{doc_id}", params={"cascade": "1"}, headers=AUTH), 400)
    assert seeded_store.counts() == before
    # Without the token a write is 401 whatever it names, as before any other check (a token
    # sent in the query is no token).
    refused = client.post("/v1/documents", params={"token": TOKEN}, json={"text": TEXT})
    assert problem(refused, 401)["title"] == "Unauthorized" and refused.headers["www-authenticate"] == "Bearer"
    assert seeded_store.counts() == before


def test_only_a_route_that_answers_checks_its_query(client):
    """A path no route serves is still 404 and a method the route does not serve 405."""
    problem(client.get("/v1/nowhere", params={"x": "1"}), 404)
    problem(client.delete("/v1/measures", params={"x": "1"}), 405)
    body = problem(client.get(f"/v1/measures/{RARE_EARTH}/chain", params={"direction": "up", "x": "1"}), 400)
    assert body["instance"] == f"/v1/measures/{RARE_EARTH}/chain" and "direction" in takes(body["detail"])


def test_pages_and_files_take_no_query_but_the_explorer_page_keeps_its_state(client):
    for path in ("/healthz", "/openapi.json", "/docs", "/redoc", "/explorer/config", "/static/explorer.css", "/static/js/main.mjs"):
        body = problem(client.get(path, params={"v": "2"}), 400)
        assert body["detail"] == f"unknown query parameter 'v'; {path} takes no query parameters", path
        assert client.get(path).status_code == 200, path
    # The page's state is its query string, read by app/static/js/state.mjs in the browser.
    page = client.get("/", params={"view": "escalation", "a": "美国", "b": "中国"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
