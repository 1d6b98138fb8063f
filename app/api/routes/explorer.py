"""The explorer page: ``/`` serves app/static/index.html, ``/static/...`` its modules, styles and the
vendored front-end libraries, ``/explorer/config`` what the page needs to know about the server.

Nothing here is built at run time: the page is hand-written ES modules and the libraries are copied
from explorer/node_modules (pinned by explorer/package-lock.json) by ``npm run vendor`` and
committed, so ``make run`` needs no Node. The page only ever talks to its own origin; the
Content-Security-Policy below makes the browser enforce that too. None of these routes are in the
OpenAPI document: they are the page, not the API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse

from app.api.deps import SettingsDep, StoreDep
from graph.model.errors import NotFoundError
from graph.model.ontology import mast_chapters

STATIC = Path(__file__).resolve().parents[2] / "static"

# The page may load and fetch from its own origin only. Cytoscape sets element styles from script
# (CSSOM, which style-src does not govern) and draws on canvas; no inline script or style is used.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}

router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"])
def explorer_page() -> FileResponse:
    """The explorer: search, dependents, escalation, measure and entity views."""
    return FileResponse(STATIC / "index.html", media_type=MEDIA_TYPES[".html"], headers=PAGE_HEADERS)


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"])
def explorer_static(path: Annotated[str, PathParam(max_length=300)]) -> FileResponse:
    """A file under app/static; nothing outside it, no directory listings, no dotfiles."""
    file = (STATIC / path).resolve()
    suffix = file.suffix.lower()
    if (
        not file.is_relative_to(STATIC)
        or any(part.startswith(".") for part in file.relative_to(STATIC).parts)
        or suffix not in MEDIA_TYPES
        or not file.is_file()
    ):
        raise NotFoundError(f"no static file {path!r}")
    return FileResponse(file, media_type=MEDIA_TYPES[suffix], headers=PAGE_HEADERS)


@router.get("/explorer/config")
def explorer_config(settings: SettingsDep, store: StoreDep) -> JSONResponse:
    """What the page needs from the server: the backend (for the badge), where Neo4j Browser is
    (TRADEGRAPH_NEO4J_BROWSER_URL), for links from the entity view (null when not set), and
    whether writes are enabled (a TRADEGRAPH_API_TOKEN is configured), which shows the review page;
    and the UNCTAD MAST chapters the ontology maps measure types to, letter and title, for the
    measures view's chapter filter (the API's ``mast`` takes the letters; the titles are data).

    Only whether a token is configured, never the token, nor anything derived from it: this route
    is open to every visitor, and the reviewer types the token into the page."""
    backend = store.backend
    token = settings.api_token.get_secret_value() if settings.api_token is not None else ""
    return JSONResponse(
        {
            "backend": backend,
            "neo4j_browser_url": settings.neo4j_browser_url or None,
            "neo4j_database": settings.neo4j_database if backend == "neo4j" else None,
            # The same test require_writer (app/api/deps.py) makes: an empty token refuses writes.
            "writes_enabled": bool(token),
            "mast_chapters": [{"chapter": letter, "title": title} for letter, title in mast_chapters().items()],
        },
        headers={"Cache-Control": "no-cache"},
    )
