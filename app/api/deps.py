"""Dependencies declared once, as ``Annotated`` aliases the routes share.

They are ``async def`` although none awaits anything: FastAPI runs a plain ``def`` dependency in
a worker thread, and that hop would cost more than the dependency itself."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api.reads import DatedReadDep, ListReadDep, ReadDep, UndatedListReadDep
from app.errors import AuthError
from app.settings import Settings
from graph.queries.intensity import IntensityScale
from graph.model.errors import MovedError
from graph.store import GraphReader, GraphStore

__all__ = ["StoreDep", "ReadDep", "DatedReadDep", "ListReadDep", "UndatedListReadDep", "at_home", "SettingsDep", "ScaleDep", "WriterDep", "PUBLIC"]


async def get_store(request: Request) -> GraphStore:
    """The app's store, for writes and for what is not a read of the graph (its backend's name).
    Reads get a reader from the read runner (``ReadDep``, app/api/reads.py) instead."""
    return request.app.state.store


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_scale(request: Request) -> IntensityScale:
    return request.app.state.scale


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ScaleDep = Annotated[IntensityScale, Depends(get_scale)]

_bearer = HTTPBearer(auto_error=False, description="TRADEGRAPH_API_TOKEN; writes are refused when none is configured")


async def require_writer(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Writes need the configured bearer token, compared in constant time."""
    if settings.api_token is None or not settings.api_token.get_secret_value():
        raise AuthError("writes are disabled: no TRADEGRAPH_API_TOKEN is configured")
    expected = settings.api_token.get_secret_value().encode()
    given = credentials.credentials.encode() if credentials else b""
    if not hmac.compare_digest(given, expected):
        raise AuthError("a valid bearer token is required for writes")


WriterDep = Annotated[None, Depends(require_writer)]

# ``openapi_extra`` of every read: no token needed, said outright (writes list the bearer scheme
# through WriterDep).
PUBLIC = {"security": []}


def at_home(reader: GraphReader, entity: str) -> str:
    """An entity named in a route's path, unless a review merged it away: then the route answers
    301 to the kept entity (app/api/problems.py), so links and bookmarks keep working."""
    kept = reader.moved_to(entity.strip())
    if kept is not None:
        raise MovedError(entity.strip(), kept)
    return entity
