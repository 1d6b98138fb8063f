"""Dependencies declared once, as ``Annotated`` aliases the routes share.

They are ``async def`` although none awaits anything: FastAPI runs a plain ``def`` dependency in
a worker thread, and that hop would cost more than the dependency itself."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api.middleware import BUDGET_SCOPE_KEY, QueryBudget
from app.api.problems import QueryTimeoutError
from app.settings import Settings
from graph.errors import AuthError
from graph.queries.intensity import IntensityScale
from graph.store import GraphStore

__all__ = ["StoreDep", "SettingsDep", "ScaleDep", "WriterDep", "PUBLIC"]


class BudgetedStore:
    """A store whose every call first checks the read's time budget (and checks it again after the
    call returns), so a query past its budget stops at its next store call with a 503 problem
    instead of running on. Attributes other than methods are passed through unchanged."""

    def __init__(self, store: GraphStore, budget: QueryBudget) -> None:
        self._store = store
        self._budget = budget

    def _check(self) -> None:
        if self._budget.exceeded:
            raise QueryTimeoutError(
                f"the query did not finish within its {self._budget.seconds:g} s budget "
                "(TRADEGRAPH_QUERY_TIMEOUT_S); narrow it (a smaller max_depth or limit, fewer ids) or retry later"
            )

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value) or name.startswith("_") or name == "close":
            return value

        def budgeted(*args: Any, **kwargs: Any) -> Any:
            self._check()
            result = value(*args, **kwargs)
            self._check()
            return result

        return budgeted


async def get_store(request: Request) -> GraphStore:
    """The app's store; for a read under a time budget (app/api/middleware.py) wrapped so that the
    budget is enforced at every store call."""
    store = request.app.state.store
    budget = request.scope.get(BUDGET_SCOPE_KEY)
    if isinstance(budget, QueryBudget):
        return BudgetedStore(store, budget)  # type: ignore[return-value]
    return store


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
