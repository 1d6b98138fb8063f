"""The explorer as files and routes, without a browser: what `/` and `/static/...` serve, that the
page can only talk to its own origin, that every module it imports exists, and that the vendored
libraries are exactly the ones explorer/package-lock.json pins."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess

import pytest
from fastapi.testclient import TestClient

from app.api.routes.explorer import STATIC
from app.main import create_app
from app.settings import Settings
from graph.model.ontology import mast_chapters
from tests.app.browser.conftest import EXPLORER, NODE_MODULES
from tests.conftest import ROOT, skip_unless_ci

OWN = [p for p in STATIC.rglob("*") if p.is_file() and "vendor" not in p.relative_to(STATIC).parts]
MODULES = [p for p in OWN if p.suffix == ".mjs"]
VENDOR = STATIC / "vendor"


@pytest.fixture
def client(embedded):
    return TestClient(create_app(Settings(), store=embedded))


def test_the_page_is_served_at_the_root_with_a_same_origin_policy(client):
    answer = client.get("/")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    csp = answer.headers["content-security-policy"]
    for directive in ("default-src 'none'", "script-src 'self'", "connect-src 'self'", "style-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert 'src="static/js/main.mjs"' in answer.text
    assert client.head("/").status_code == 200


def test_static_files_have_their_types(client):
    for path, kind in [
        ("/static/js/main.mjs", "text/javascript"),
        ("/static/explorer.css", "text/css"),
        ("/static/vendor/cytoscape.esm.min.mjs", "text/javascript"),
        ("/static/favicon.svg", "image/svg+xml"),
    ]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith(kind), path
        assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/static/%2e%2e/settings.py",
        "/static/..%2f..%2fpyproject.toml",
        "/static/js",
        "/static/js/",
        "/static/nothing.mjs",
        "/static/vendor/manifest.jsonx",
        "/static/%2e%2e/%2e%2e/tests/conftest.py",
    ],
)
def test_nothing_outside_the_static_folder_is_served(client, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_config_names_the_backend_and_the_neo4j_browser(client, embedded):
    assert client.get("/explorer/config").json() == {
        "backend": "embedded",
        "neo4j_browser_url": None,
        "neo4j_database": None,
        "writes_enabled": False,
        "mast_chapters": [{"chapter": letter, "title": title} for letter, title in mast_chapters().items()],
    }
    browser = "http://127.0.0.1:7474/browser/"
    configured = TestClient(create_app(Settings(neo4j_browser_url=browser), store=embedded))
    assert configured.get("/explorer/config").json()["neo4j_browser_url"] == browser


def test_config_says_whether_writes_are_enabled_and_never_the_token(embedded):
    """The review page is offered when a token is configured; the open config route says only
    that, and an empty token (which refuses writes) counts as none."""
    token = "a-token-that-must-stay-secret-0123"
    answer = TestClient(create_app(Settings(api_token=token), store=embedded)).get("/explorer/config")
    assert answer.json()["writes_enabled"] is True
    assert token not in answer.text and token[:8] not in answer.text
    empty = TestClient(create_app(Settings(api_token=""), store=embedded)).get("/explorer/config")
    assert empty.json()["writes_enabled"] is False


def test_the_page_routes_stay_out_of_the_openapi_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p == "/" or p.startswith(("/static", "/explorer"))]


def test_the_page_names_no_other_host():
    """No absolute URL in the page's own files except the SVG namespace; no CSS import or url()."""
    allowed = {"http://www.w3.org/2000/svg"}
    for path in OWN:
        text = path.read_text(encoding="utf-8")
        urls = set(re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s'\"`)]*", text, flags=re.IGNORECASE))
        assert urls <= allowed, f"{path.relative_to(ROOT)} names {urls - allowed}"
        if path.suffix == ".css":
            assert "@import" not in text and "url(" not in text, path


def test_every_import_resolves_to_a_served_file():
    pattern = re.compile(
        r"""(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)""",
        re.MULTILINE,
    )
    seen = 0
    for module in MODULES:
        for match in pattern.finditer(module.read_text(encoding="utf-8")):
            spec = match.group(1) or match.group(2)
            assert spec.startswith(("./", "../")), (
                f"{module.name} imports {spec!r}: only relative imports are served"
            )
            target = (module.parent / spec).resolve()
            assert target.is_file() and target.is_relative_to(STATIC), f"{module.name} imports missing {spec}"
            seen += 1
    assert seen > 40
    index = (STATIC / "index.html").read_text(encoding="utf-8")
    for ref in re.findall(r'(?:src|href)="([^"]+)"', index):
        if ref.startswith(("#", "?", "./", "docs")):
            continue
        assert (STATIC.parent / ref).is_file(), ref


def test_vendored_libraries_match_the_lockfile():
    lock = json.loads((EXPLORER / "package-lock.json").read_text(encoding="utf-8"))
    manifest = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
    package = json.loads((EXPLORER / "package.json").read_text(encoding="utf-8"))
    assert set(manifest) == set(package["dependencies"]), (
        "every runtime dependency is vendored, and nothing else"
    )
    for name, entry in manifest.items():
        locked = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == locked["version"] == package["dependencies"][name], name
        assert entry["integrity"] == locked["integrity"], name
        for file, digest in entry["files"].items():
            assert hashlib.sha256((VENDOR / file).read_bytes()).hexdigest() == digest, (
                f"{file} differs from the manifest"
            )
    served = {p.name for p in VENDOR.iterdir()}
    listed = {f for entry in manifest.values() for f in entry["files"]} | {"manifest.json"}
    assert served == listed, f"unlisted files in app/static/vendor: {served - listed}"
    for spec in package["dependencies"].values():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec), (
            f"dependencies are pinned to exact versions, not {spec!r}"
        )


def test_vendored_libraries_match_node_modules(node_bin):
    """With explorer/node_modules installed, `npm run check` confirms the copies are what
    `npm run vendor` makes of it (the package files, with the edits vendor.mjs lists)."""
    if not (NODE_MODULES / "cytoscape").is_dir():
        skip_unless_ci("explorer/node_modules is not installed (make test runs npm ci)")
    done = subprocess.run(
        [node_bin, "scripts/vendor.mjs", "--check"],
        check=False,
        cwd=EXPLORER,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_screenshots_in_the_docs_exist():
    for name in ("dependents", "evidence", "escalation", "measure", "entity", "phone-dependents", "review"):
        assert (ROOT / "docs" / "screenshots" / f"{name}.png").is_file(), name
    assert (ROOT / "docs" / "explorer.md").is_file()


def test_the_map_s_country_codes_agree_with_pycountry():
    """The map joins the graph's countries (country:CN, ISO alpha-2 from pycountry) to the atlas's
    shapes (ISO numeric) through the vendored iso3166-codes.json: it must say what pycountry says."""
    import pycountry

    rows = json.loads((VENDOR / "iso3166-codes.json").read_text(encoding="utf-8"))
    numeric = {row[0]: row[2] for row in rows}
    known = {c.alpha_2: c.numeric for c in pycountry.countries}
    assert {code: numeric[code] for code in known if code in numeric} == {code: known[code] for code in known if code in numeric}
    assert len(set(known) & set(numeric)) >= 240
    atlas = json.loads((VENDOR / "countries-110m.json").read_text(encoding="utf-8"))
    shapes = {g.get("id") for g in atlas["objects"]["countries"]["geometries"]} - {None}
    assert shapes <= set(numeric.values()), f"atlas shapes with no alpha-2: {shapes - set(numeric.values())}"
