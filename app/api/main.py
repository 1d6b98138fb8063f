"""All routers with their prefixes, in the order requests are matched against them."""

from fastapi import APIRouter, FastAPI

from app.api.routes import dependencies, documents, entities, explorer, measures, system

# No two routes' paths overlap, so the order changes no answer, only speed: FastAPI tries each
# included router in turn and each of its routes, so the most asked routes come first and the
# routers are included directly into the app rather than under one more router.
ROUTERS: list[tuple[APIRouter, str]] = [
    (entities.router, "/v1"),
    (dependencies.router, "/v1"),
    (measures.router, "/v1"),
    (documents.router, "/v1"),
    (system.router, ""),
    (explorer.router, ""),
]


def include_routers(app: FastAPI) -> None:
    for router, prefix in ROUTERS:
        app.include_router(router, prefix=prefix)
