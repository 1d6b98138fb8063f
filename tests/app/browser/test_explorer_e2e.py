"""The explorer and the API's reference pages (/docs, /redoc) in headless Chromium against a live
server on the seed graph, and the review page against a second server that takes decisions.

One run of tests/app/browser/explorer.e2e.mjs (playwright-core driving Debian's chromium) performs
every check of a suite in one browser and writes a JSON report; each test below asserts one check,
so a failure names what broke. The main suite runs on the seed graph with no API token; the review
suite on a server with a token and the review facts (tests/app/browser/review_facts), since its
decisions change the graph. Screenshots go to a temp directory, or to docs/screenshots with
TRADEGRAPH_UPDATE_SCREENSHOTS=1 (`make explorer-screenshots`)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.app.browser.conftest import EXPLORER
from tests.conftest import ROOT

SCRIPT = Path(__file__).with_name("explorer.e2e.mjs")
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHECKS = [
    "home",
    "search",
    "dependents",
    "dependents-edge-evidence",
    "escalation",
    "escalation-pages",
    "escalation-as-of",
    "timeline-lifecycle",
    "timeline-undated",
    "measure",
    "measure-as-of",
    "dependents-as-of",
    "entity",
    "unknown-entity",
    "shareable-urls",
    "keyboard",
    "phone",
    "measures",
    "measures-pages",
    "measures-filters",
    "measures-counts",
    "measures-chart-map",
    "csv-links",
    "country",
    "country-as-of",
    "measures-as-of",
    "country-links",
    "country-unknown",
    "csv-downloads",
    "accessibility",
    "review-off",
    "api-docs",
    "api-redoc",
]
# On the server with a token, in this order: the last two read the graph as decided.
REVIEW_CHECKS = ["review-offered", "review-pair", "review-decide", "review-conflicts", "review-accessibility"]
SHOTS = [
    "home",
    "search",
    "dependents",
    "evidence",
    "document",
    "escalation",
    "escalation-as-of",
    "timeline-lifecycle",
    "measure",
    "entity",
    "unknown",
    "phone-dependents",
    "phone-escalation",
    "measures",
    "measures-chart",
    "measures-map",
    "phone-measures",
    "country",
]
RUN_TIMEOUT_S = 540  # the whole run on a busy machine

# The first test also waits for the seeded server and the whole browser run (its fixture).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(RUN_TIMEOUT_S + 300)]


def run_e2e(
    base_url: str,
    *,
    node: str,
    chromium: str,
    workdir: Path,
    checks: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> dict:
    update = os.environ.get("TRADEGRAPH_UPDATE_SCREENSHOTS") == "1" and checks is None
    shots = SCREENSHOTS if update else workdir / "screenshots"
    report_path = workdir / "report.json"
    run_env = {
        **os.environ,
        "BASE_URL": base_url.rstrip("/") + "/",
        "CHROMIUM": chromium,
        "EXPLORER_DIR": str(EXPLORER),
        "SHOTS": str(shots),
        "FAILURE_SHOTS": str(workdir / "failures"),
        "REPORT": str(report_path),
        **(env or {}),
    }
    if checks:
        run_env["CHECKS"] = ",".join(checks)
    done = subprocess.run(
        [node, str(SCRIPT)],
        check=False,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        cwd=ROOT,
    )
    if not report_path.is_file():
        pytest.fail(f"the browser run wrote no report (exit {done.returncode}):\n{done.stderr[-4000:]}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report["stderr"] = done.stderr
    report["shots_dir"] = str(shots)
    return report


def check_result(report: dict, name: str) -> None:
    if report.get("fatal"):
        pytest.fail(f"the browser run failed before {name}: {report['fatal']}")
    found = [c for c in report["checks"] if c["name"] == name]
    assert found, f"check {name} did not run:\n{report['stderr'][-3000:]}"
    assert found[0]["ok"], found[0].get("error")


@pytest.fixture(scope="module")
def e2e(seeded_server, node_bin, chromium_bin, playwright_core, tmp_path_factory) -> dict:
    return run_e2e(
        seeded_server.url,
        node=node_bin,
        chromium=chromium_bin,
        workdir=tmp_path_factory.mktemp("explorer-e2e"),
    )


@pytest.mark.parametrize("name", CHECKS)
def test_explorer(e2e, name):
    check_result(e2e, name)


def origin_of(url: str) -> tuple[str, str]:
    """Scheme and host of a request; a blob: URL belongs to the origin that made it."""
    parts = urlsplit(url.removeprefix("blob:"))
    return parts.scheme, parts.netloc


def test_the_page_talks_to_its_own_origin_only(e2e, seeded_server):
    """The explorer, /docs and /redoc ask nothing of another host: every script, style sheet and
    font comes from this server."""
    origin = origin_of(seeded_server.url)
    requests = e2e["requests"]
    assert len(requests) > 100, "the run recorded the page's requests"
    assert {"document", "script", "stylesheet", "fetch"} <= {r["type"] for r in requests}
    assert {"api-docs", "api-redoc"} <= {r["check"] for r in requests}
    foreign = [r for r in requests if origin_of(r["url"]) != origin]
    assert not foreign, f"requests to other hosts: {foreign[:10]}"


def test_no_page_breaks_its_content_security_policy(e2e):
    """The explorer, /docs and /redoc run whole under their policies: nothing refused, no inline
    script or style the policy does not name."""
    assert {c["name"] for c in e2e["checks"]} >= {"home", "api-docs", "api-redoc"}
    assert e2e["cspViolations"] == []


def test_screenshots_of_every_view(e2e):
    shots = Path(e2e["shots_dir"])
    for name in SHOTS:
        png = shots / f"{name}.png"
        assert png.is_file(), png
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 8_000, f"{png} looks blank"


@pytest.fixture(scope="module")
def e2e_review(review_server, node_bin, chromium_bin, playwright_core, tmp_path_factory) -> dict:
    server, token = review_server
    return run_e2e(
        server.url,
        node=node_bin,
        chromium=chromium_bin,
        workdir=tmp_path_factory.mktemp("explorer-review"),
        env={"SUITE": "review", "REVIEW_TOKEN": token},
    )


@pytest.mark.parametrize("name", REVIEW_CHECKS)
def test_review_page(e2e_review, name):
    check_result(e2e_review, name)


def test_the_review_page_keeps_the_token_out_of_every_url(e2e_review, review_server):
    """The token goes in the Authorization header of the decisions and nowhere else: no request
    the pages made has it in its address; they asked nothing of another host and broke no policy."""
    server, token = review_server
    requests = e2e_review["requests"]
    assert {"review-offered", "review-decide"} <= {r["check"] for r in requests}
    assert any(r["url"].endswith("/v1/review/decisions") for r in requests), (
        "the run recorded the decisions posted"
    )
    assert not [r["url"] for r in requests if token in r["url"]]
    origin = origin_of(server.url)
    assert not [r for r in requests if origin_of(r["url"]) != origin]
    assert e2e_review["cspViolations"] == []


def test_screenshot_of_the_review_page(e2e_review):
    png = Path(e2e_review["shots_dir"]) / "review.png"
    assert png.is_file(), png
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 8_000, f"{png} looks blank"
