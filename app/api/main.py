"""All routers with their prefixes, in the order requests are matched against them, and the
OpenAPI document they make."""

from fastapi import APIRouter, FastAPI

from app.api.examples import show_answer_examples
from app.api.problems import declare_problem_media_type
from app.api.query_params import refuse_unknown_query_parameters
from app.api.routes import dependencies, documents, entities, explorer, flows, measures, review, system
from app.api.tables import declare_csv_answers

# No two routes' paths overlap, so the order changes no answer, only speed: FastAPI tries each
# included router in turn and each of its routes, so the most asked routes come first and the
# routers are included directly into the app rather than under one more router.
ROUTERS: list[tuple[APIRouter, str]] = [
    (entities.router, "/v1"),
    (dependencies.router, "/v1"),
    (measures.router, "/v1"),
    (documents.router, "/v1"),
    (flows.router, "/v1"),
    (review.router, "/v1"),
    (system.router, ""),
    (explorer.router, ""),
]

# The document's tags, in the order a reader meets them (generated clients group operations by tag).
TAGS = [
    {"name": "entities", "description": "Search the graph and browse it: an entity, its neighbours, paths, subgraphs."},
    {"name": "dependencies", "description": "Who depends on what: dependents of a commodity, an entity's dependencies, a country's leverage."},
    {"name": "measures", "description": "Trade measures: listed, their retaliation chains, their impact, the escalation between two actors."},
    {"name": "trade", "description": "Bilateral trade flows by HS code, the data behind trade-based dependencies (docs/trade.md)."},
    {"name": "documents", "description": "The source texts: read one; ingest or remove one with the bearer token."},
    {"name": "review", "description": "Reviewers' decisions: merge two entities, reject a fact, undo; reading is open, deciding needs the bearer token."},
    {"name": "system", "description": "Health, readiness, counts and the whole graph as a file."},
]
SERVERS = [{"url": "/", "description": "the server that serves this document"}]
LICENSE = {"name": "MIT", "identifier": "MIT"}


def include_routers(app: FastAPI) -> None:
    refuse_unknown_query_parameters(app)  # first: each route gets the check as it is included
    for router, prefix in ROUTERS:
        app.include_router(router, prefix=prefix)


def install_openapi(app: FastAPI) -> None:
    """Build the document as FastAPI does, then declare problems under the media type they are
    sent as and show the main questions' answers as examples."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = declare_csv_answers(show_answer_examples(declare_problem_media_type(build())))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
