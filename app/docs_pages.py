"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc): the API's own reference pages, served with every
script and style sheet from this server (app/static/vendor, copied from explorer/package-lock.json
by ``npm run vendor``) and under the explorer's Content-Security-Policy, so they work offline and
load nothing from elsewhere.

FastAPI writes both pages. Swagger UI's page starts the UI with one inline script and ReDoc's page
sets the body margin with one inline style: each is allowed by its SHA-256 in the page's policy,
computed from the page as written. ReDoc adds ``<style>`` elements of its own at run time, allowed
by their digests below, and runs its search in a worker it builds from a blob of its own code;
nothing else inline runs. ReDoc's logo, which it would fetch from a CDN, is replaced by an empty
image when it is copied (EDITS in explorer/scripts/vendor.mjs)."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from app.api.routes.explorer import CSP, PAGE_HEADERS

__all__ = ["install_docs_pages"]

VENDOR = "static/vendor/"
FAVICON = "static/favicon.svg"
INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)
# The <style> elements ReDoc 2.5 adds: perfect-scrollbar's rules, and the empty ones that
# styled-components then fills through the CSSOM (the digest of the empty text). After an upgrade,
# the browser check "api-redoc" (tests/app/browser/explorer.e2e.mjs) fails naming the digest refused.
REDOC_STYLES = (
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
)


def install_docs_pages(app: FastAPI) -> None:
    """Add ``/docs`` and ``/redoc`` to an app built with ``docs_url=None, redoc_url=None``."""

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or ""),
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}/{VENDOR}swagger-ui-bundle.js",
            swagger_css_url=f"{root}/{VENDOR}swagger-ui.css",
            swagger_favicon_url=f"{root}/{FAVICON}",
        )
        return _with_policy(page.body.decode())

    @app.api_route("/redoc", methods=["GET", "HEAD"], include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = get_redoc_html(
            openapi_url=root + (app.openapi_url or ""),
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}/{VENDOR}redoc.standalone.js",
            redoc_favicon_url=f"{root}/{FAVICON}",
            with_google_fonts=False,
        )
        return _with_policy(page.body.decode(), styles=REDOC_STYLES, workers="blob:")


def _with_policy(html: str, styles: tuple[str, ...] = (), workers: str = "") -> HTMLResponse:
    """The page with the explorer's policy, widened by the digest of each inline script and style it
    holds, of the ``styles`` its scripts add, and by the ``workers`` sources it may start."""
    extra: dict[str, list[str]] = {"script": [], "style": list(styles)}
    for kind, body in INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        extra[kind].append(f"'sha256-{digest}'")
    policy = CSP
    for kind, sources in extra.items():
        if sources:
            policy = policy.replace(f"{kind}-src 'self'", f"{kind}-src 'self' {' '.join(sources)}", 1)
    if workers:
        policy += f"; worker-src {workers}"
    return HTMLResponse(html, headers={**PAGE_HEADERS, "Content-Security-Policy": policy})
