"""/docs (Swagger UI) and /redoc (ReDoc) as files and headers, without a browser: every script,
style sheet and icon they name is served by this server, and their Content-Security-Policy names
each inline script and style they hold. tests/app/browser/test_explorer_e2e.py renders both in
Chromium (checks api-docs and api-redoc)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from app.api.routes.explorer import STATIC
from app.main import create_app
from app.settings import Settings

PAGES = ["/docs", "/redoc"]


@pytest.fixture
def client(embedded):
    return TestClient(create_app(Settings(), store=embedded))


def policy_of(answer) -> dict[str, list[str]]:
    directives = [d.split() for d in answer.headers["content-security-policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("path", PAGES)
def test_the_reference_pages_load_everything_from_this_server(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    refs = re.findall(r'(?:src|href)="([^"]*)"', answer.text)
    assert any(ref.endswith(".js") for ref in refs), refs
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//"), f"{path} names another host: {ref}"
        assert client.get(ref).status_code == 200, f"{path} names {ref}, which is not served"
    assert "googleapis" not in answer.text and "cdn." not in answer.text
    assert client.head(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_the_reference_pages_policy_allows_only_this_server(client, path):
    answer = client.get(path)
    policy = policy_of(answer)
    assert policy["default-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"] and policy["img-src"] == ["'self'", "data:", "blob:"]
    for directive in ("script-src", "style-src"):
        assert policy[directive][0] == "'self'"
        assert all(s.startswith("'sha256-") for s in policy[directive][1:]), policy[directive]
    assert "unsafe-inline" not in answer.headers["content-security-policy"]
    assert "unsafe-eval" not in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_every_inline_script_and_style_is_named_by_its_digest(client, path):
    answer = client.get(path)
    policy = policy_of(answer)
    inline = re.findall(r"<(script|style)>(.*?)</\1>", answer.text, flags=re.DOTALL)
    assert inline, f"{path} has an inline script or style (FastAPI's page)"
    for kind, body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy[f"{kind}-src"], f"{path}: inline {kind} not allowed"


def test_the_reference_pages_follow_a_path_prefix(embedded):
    """Behind a reverse proxy under /api, the pages name their files under /api too."""
    client = TestClient(create_app(Settings(), store=embedded), root_path="/api")
    for path in PAGES:
        refs = re.findall(r'(?:src|href)="([^"]*)"|url: \'([^\']*)\'', client.get(path).text)
        assert refs and all((a or b).startswith("/api/") for a, b in refs), refs


def test_the_vendored_redoc_fetches_no_logo_from_a_cdn():
    """ReDoc 2 draws its logo from a CDN; the copy under app/static/vendor has it replaced."""
    bundle = (STATIC / "vendor" / "redoc.standalone.js").read_text(encoding="utf-8")
    assert "cdn.redoc.ly" not in bundle
