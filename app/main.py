"""The FastAPI application: store opened and closed with the lifespan, errors as problem details."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api.answer_cache import AnswerCache
from app.api.main import LICENSE, SERVERS, TAGS, include_routers, install_openapi
from app.api.middleware import BodyLimitMiddleware, ConditionalMiddleware
from app.api.problems import install_problem_handlers
from app.docs_pages import install_docs_pages
from app.settings import Settings, get_settings
from app.stores import open_store
from graph.model.claims import choice_rule
from graph.queries.common import doubt_below
from graph.queries.intensity import default_scale, load_scale
from graph.store import GraphStore

__all__ = ["create_app"]

DESCRIPTION = """
A trade-dispute knowledge graph: countries, firms, measures, commodities and products, linked by
who imposes what on whom, what covers what, who depends on what and which measure answered which.
Every fact carries the sentence that supports it.

Any parameter that names an entity takes an id (`country:CN`), a name or an alias in any language
(`中国`, `中方`, `China`, `PRC`). Errors are RFC 9457 problem details. Reads carry an ETag from the
store's data version. Writes need `Authorization: Bearer <TRADEGRAPH_API_TOKEN>`.
"""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. A store passed in is used as is and left open; otherwise the configured one
    is opened at start-up and closed at shutdown (one driver or connection per process)."""
    settings = settings or get_settings()
    # Settings read from the environment where they apply (graph/): a bad one fails here, at start.
    choice_rule()
    doubt_below()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
        # The store's index lives as long as the process: out of the cyclic collector's sight,
        # no full collection has to walk it (at 1M relations each one paused a query ~28 ms).
        gc.freeze()
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    # /docs and /redoc are served by install_docs_pages: their scripts from this server, not a CDN.
    app = FastAPI(
        title="tradegraph",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        servers=SERVERS,
        license_info=LICENSE,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.answers = AnswerCache(settings.answer_cache_mb * 1024 * 1024)
    app.state.scale = load_scale(settings.intensity_file) if settings.intensity_file else default_scale()
    if store is not None:
        app.state.store = store
    install_problem_handlers(app)
    include_routers(app)
    install_openapi(app)
    install_docs_pages(app)
    app.add_middleware(ConditionalMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag"],
        )
    logging.getLogger("tradegraph").setLevel(logging.INFO)
    return app
