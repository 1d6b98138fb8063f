"""Errors as RFC 9457 problem details: the one place where the error tree meets HTTP.

Every response body for an error has ``type``, ``title``, ``status``, ``detail`` and
``instance``, plus ``field`` or ``candidates`` where they help a client recover. No stack trace
and no file-system path of the server ever reaches a client.
"""

from __future__ import annotations

import logging
from typing import NamedTuple
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.errors import AuthError
from graph.model.errors import (
    AmbiguousNameError,
    InvalidDataError,
    LimitExceededError,
    MovedError,
    NotFoundError,
    QueryTimeoutError,
    StoreUnavailableError,
    TradeGraphError,
)
from graph.queries.common import EntityRef

__all__ = [
    "Problem",
    "ValidationIssue",
    "ProblemKind",
    "PROBLEMS",
    "problem_kind",
    "install_problem_handlers",
    "problem_responses",
    "declare_problem_media_type",
]

log = logging.getLogger("tradegraph.api")
MEDIA_TYPE = "application/problem+json"


class ProblemKind(NamedTuple):
    """What an error class is over HTTP: its status and the problem's title (its type is
    ``/problems/`` and the title in lower case with dashes)."""

    status: int
    title: str

    @property
    def type(self) -> str:
        return _slug(self.title)


# Each error class as the API answers it (a subclass takes its nearest listed ancestor's kind).
PROBLEMS: dict[type[TradeGraphError], ProblemKind] = {
    TradeGraphError: ProblemKind(500, "Internal error"),
    NotFoundError: ProblemKind(404, "Not found"),
    InvalidDataError: ProblemKind(422, "Invalid data"),
    AmbiguousNameError: ProblemKind(409, "Ambiguous name"),
    StoreUnavailableError: ProblemKind(503, "Store unavailable"),
    LimitExceededError: ProblemKind(422, "Limit exceeded"),
    QueryTimeoutError: ProblemKind(503, "Query timeout"),
    AuthError: ProblemKind(401, "Unauthorized"),
    MovedError: ProblemKind(301, "Moved permanently"),
}


def problem_kind(error: TradeGraphError) -> ProblemKind:
    """The status and title ``error`` is answered with."""
    return next(PROBLEMS[kind] for kind in type(error).__mro__ if kind in PROBLEMS)


class ValidationIssue(BaseModel):
    """One thing wrong with a request, as the validator saw it."""

    loc: list[str] = Field(description="where: `query`, `path` or `body`, then the parameter or field names", examples=[["query", "limit"]])
    msg: str = Field(description="what is wrong, in words", examples=["Input should be less than or equal to 1000"])
    type: str = Field(description="the kind of error, a stable code", examples=["less_than_equal"])


class Problem(BaseModel):
    """RFC 9457 problem details: every error answer of the API, sent as application/problem+json."""

    type: str = Field(description="a path naming the kind of problem", examples=["/problems/not-found"])
    title: str = Field(description="the kind of problem, in words", examples=["Not found"])
    status: int = Field(description="the HTTP status code", examples=[404])
    detail: str = Field(description="what went wrong in this request", examples=["no entity is called 'Atlantis'"])
    instance: str = Field(description="the path asked for", examples=["/v1/entities/Atlantis"])
    field: str | None = Field(default=None, description="the parameter or body field at fault, when one is", examples=["limit"])
    candidates: list[EntityRef] | None = Field(
        default=None, description="404 and 409 on a name: the entities it may have meant, to offer instead of guessing"
    )
    errors: list[ValidationIssue] | None = Field(
        default=None, description="422 from validation: every issue found; 400 on an unknown query parameter: each one named"
    )


# What each status means wherever a route lists it. Routes list the ones they can answer
# (``problem_responses``); the schema is moved to application/problem+json, the media type the
# handlers send, when the document is built (``declare_problem_media_type``).
_MEANINGS = {
    400: "Malformed request body, or an unknown query parameter",
    401: "Missing or wrong bearer token",
    404: "Unknown id or name (with candidates)",
    409: "Ambiguous name (with candidates)",
    413: "Request body too large",
    422: "Invalid parameter or body, or a hard cap exceeded",
    503: "The store is unavailable, or the query ran past its time budget",
}


def problem_responses(*codes: int) -> dict[int | str, dict]:
    """The ``responses`` declaration of a route that can answer these problem statuses."""
    return {code: {"model": Problem, "description": _MEANINGS[code]} for code in codes}


def declare_problem_media_type(document: dict) -> dict:
    """Put each Problem schema under application/problem+json alone. FastAPI places a response
    ``model`` under the route's own media type (application/json), which the handlers never send
    for an error; generated clients then typed every error as unknown."""
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for operation in (op for path in document.get("paths", {}).values() for op in path.values()):
        for response in operation.get("responses", {}).values():
            content = response.get("content", {})
            if content.get("application/json", {}).get("schema") == problem_ref:
                response["content"] = {MEDIA_TYPE: content["application/json"]}
    return document


def _slug(title: str) -> str:
    return "/problems/" + title.lower().replace(" ", "-")


def problem(
    request: Request, status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: object
) -> JSONResponse:
    body = {"type": _slug(title), "title": title, "status": status, "detail": detail, "instance": request.url.path}
    body |= {k: v for k, v in extra.items() if v is not None}
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _moved(request: Request, exc: MovedError) -> Response:
    """301 to the same route at the kept id: the merged id keeps working for every client."""
    path = request.scope["path"].replace(exc.gone, exc.kept, 1)
    location = quote(path, safe="/:") + (f"?{request.url.query}" if request.url.query else "")
    kind = problem_kind(exc)
    body = {"type": kind.type, "title": kind.title, "status": kind.status, "detail": str(exc), "instance": request.url.path}
    # Not cached: an undo of the merge must bring the old id back (browsers keep a plain 301 for good).
    return JSONResponse(body, status_code=301, headers={"Location": location, "Cache-Control": "no-store"}, media_type=MEDIA_TYPE)


async def _tradegraph_error(request: Request, exc: TradeGraphError) -> Response:
    if isinstance(exc, MovedError):
        return _moved(request, exc)
    kind = problem_kind(exc)
    extra: dict[str, object] = {}
    if isinstance(exc, InvalidDataError):
        extra["field"] = exc.field
        detail = exc.reason
    else:
        detail = str(exc)
    if isinstance(exc, (NotFoundError, AmbiguousNameError)):
        extra["candidates"] = exc.candidates
    headers = {}
    if isinstance(exc, QueryTimeoutError):
        # Our own message, naming nothing of the server: the client may see it.
        log.warning("read %s ran past its time budget", request.url.path)
        detail = (
            f"the query did not finish within its {exc.seconds:g} s budget (TRADEGRAPH_QUERY_TIMEOUT_S); "
            "narrow it (a smaller max_depth or limit, fewer ids) or retry later"
        )
        headers["Retry-After"] = "1"
    elif kind.status >= 500:
        # The message may name server paths or hosts: log it, tell the client only the kind.
        log.error("store error on %s: %s", request.url.path, exc)
        detail = f"{kind.title}; the error is logged"
    return problem(request, kind.status, kind.title, detail, headers=headers, **extra)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    field = ".".join(first["loc"][1:]) or None
    return problem(request, 422, "Invalid request", first["msg"], field=field, errors=errors)


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE and getattr(route, "methods", None):
            methods |= route.methods
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    titles = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 413: "Payload too large", 401: "Unauthorized"}
    title = titles.get(exc.status_code, "HTTP error")
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return problem(request, exc.status_code, title, str(exc.detail), headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path)
    return problem(request, 500, "Internal error", "the server failed to answer; the error is logged")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TradeGraphError, _tradegraph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)

