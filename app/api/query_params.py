"""Unknown query parameters are refused: 400, a problem naming them and the parameters the route
takes.

FastAPI reads the query parameters a route declares and passes over the rest, so a misspelt
filter changed nothing: ``/v1/measures?asof=2025-10-15`` (for ``as_of``) answered 200 with every
measure, as if the question had been asked without it, and nothing told the client its filter was
not applied. Nothing a client sends is ignored without a word now.

The names a route takes are FastAPI's own: the query parameters of the route's dependant and of
every dependency under it, so a parameter declared by a shared dependency (the read runner's,
``get_reads`` in app/api/reads.py) is taken by every route that uses it, with no list to keep.
They are worked out once per route, at its first request with a query string.

The check is a dependency of every route, ahead of the route's own (``refuse_unknown_query_parameters``
is called before the routers are included). So it runs only once the router has chosen a route (a
path no route serves is still 404, a method the route does not serve 405) and before anything of the
route runs. A write's token is checked first all the same: without it a write is 401 whatever it
names, as before any other check of the request, and a token sent as ``?token=`` still gets the 401
that says to send it as a bearer token. A repeated known parameter is left to FastAPI (a single value
takes the last). ``/openapi.json``, the one route that is not FastAPI's, takes no query parameter.
The explorer page (``/``) is the one exception: its query string is the page's own state
(``?view=escalation&a=…``), read in the browser by app/static/js/state.mjs, not by the server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from pydantic import BaseModel
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.deps import require_writer
from app.api.problems import Problem, problem
from app.api.routes.explorer import explorer_page

__all__ = ["UNKNOWN_QUERY_PARAMETER", "UnknownQueryParameters", "accepted_query_parameters", "refuse_unknown_query_parameters"]

TITLE = "Unknown query parameter"
# The 400 every operation can answer, as the OpenAPI document declares it (a route's own 400, a
# malformed body, takes its place there: app/api/problems.py says both).
UNKNOWN_QUERY_PARAMETER = {
    400: {"model": Problem, "description": "Unknown query parameter (the problem names it and the parameters the operation takes)"}
}
# Routes whose query string is read by the page they serve, not by the server.
_PAGE_STATE = (explorer_page,)
_BEARER = HTTPBearer(auto_error=False)


class UnknownQueryParameters(Exception):
    """A request named query parameters its route does not take."""

    def __init__(self, unknown: list[str], accepted: frozenset[str]) -> None:
        super().__init__(", ".join(unknown))
        self.unknown = unknown
        self.accepted = accepted


def accepted_query_parameters(route: BaseRoute) -> frozenset[str] | None:
    """The query parameter names ``route`` reads, its dependencies' included; None when it takes
    any (a page that keeps its state in its query string)."""
    if getattr(route, "endpoint", None) in _PAGE_STATE:
        return None
    dependant = getattr(route, "dependant", None)
    if not isinstance(dependant, Dependant):
        return frozenset()
    return frozenset(name for sub in _dependants(dependant) for field in sub.query_params for name in _names(field))


def refuse_unknown_query_parameters(app: FastAPI) -> None:
    """Answer a request naming an unknown query parameter with a 400 problem, on every route of
    ``app``. Call it before the routers are included: the check and the 400 it declares in the
    OpenAPI document are given to each route as it is added."""
    # Per route: the names it takes and whether it needs the write token. The route is kept beside
    # them, so its id is not reused by another while it is a key.
    known: dict[int, tuple[BaseRoute, frozenset[str] | None, bool]] = {}

    async def check_query_parameters(request: Request) -> None:
        if not request.scope.get("query_string"):
            return
        route = request.scope.get("route")
        if route is None:
            return
        if (kept := known.get(id(route))) is None:
            kept = known[id(route)] = (route, accepted_query_parameters(route), _needs_token(route))
        _, accepted, needs_token = kept
        if accepted is None:
            return
        unknown = [name for name in request.query_params if name not in accepted]
        if unknown:
            if needs_token:  # raises the 401 the write would have had
                await require_writer(request.app.state.settings, await _BEARER(request))
            raise UnknownQueryParameters(unknown, accepted)

    app.router.dependencies = [Depends(check_query_parameters), *app.router.dependencies]
    app.router.responses = {**app.router.responses, **UNKNOWN_QUERY_PARAMETER}
    app.add_exception_handler(UnknownQueryParameters, _unknown_query_parameters)
    for route in app.router.routes:
        if isinstance(route, Route) and not isinstance(route, APIRoute):
            route.app = _taking_no_query(route.app)


async def _unknown_query_parameters(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UnknownQueryParameters)
    path = request.url.path
    takes = f"{path} takes: {', '.join(sorted(exc.accepted))}" if exc.accepted else f"{path} takes no query parameters"
    named = ", ".join(repr(name) for name in exc.unknown)
    detail = f"unknown query parameter{'s' if len(exc.unknown) > 1 else ''} {named}; {takes}"
    errors = [{"loc": ["query", name], "msg": f"not a query parameter of {path}", "type": "extra_forbidden"} for name in exc.unknown]
    return problem(request, 400, TITLE, detail, field=exc.unknown[0], errors=errors)


def _taking_no_query(app: ASGIApp) -> ASGIApp:
    """``app`` refusing every query parameter (a route that is not FastAPI's reads none)."""

    async def checked(scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("query_string"):
            unknown = list(QueryParams(scope["query_string"]).keys())
            if unknown:
                raise UnknownQueryParameters(unknown, frozenset())
        await app(scope, receive, send)

    return checked


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    """``dependant`` and every dependency below it."""
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _needs_token(route: BaseRoute) -> bool:
    dependant = getattr(route, "dependant", None)
    return isinstance(dependant, Dependant) and any(sub.call is require_writer for sub in _dependants(dependant))


def _names(field: Any) -> Iterator[str]:
    """The names a query parameter is read under: its alias (its name when it has none) and a
    validation alias; for a model read from the query (``Annotated[Filters, Query()]``), its
    fields' names."""
    annotation = field.field_info.annotation
    model = next((t for t in (annotation, *get_args(annotation)) if isinstance(t, type) and issubclass(t, BaseModel)), None)
    if model is not None:
        for name, model_field in model.model_fields.items():
            yield model_field.alias or name
        return
    yield field.alias
    if isinstance(alias := field.field_info.validation_alias, str):
        yield alias
