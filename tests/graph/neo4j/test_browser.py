"""Neo4j Browser as a person sees it: the test server serves Browser 5.24 at /browser/; headless
Chromium (Debian's) opens it, connects, gets the project's style from the server's post-connect
command, runs the rare-earth query and the escalation graph, and takes screenshots: into
docs/screenshots/ when TRADEGRAPH_UPDATE_SCREENSHOTS=1 (`make neo4j-screenshots`) or when they are
missing there, else into the test's temporary folder, so that a test run leaves the work tree
alone. Needs chromium, node and tests/graph/neo4j/browser/node_modules (make test installs them);
skipped with the reason without them, except under CI=true.

The assertions read the graph Browser holds (each node's labels, name and fill, each relationship's
type and full caption, the overview panel's counts and colours), never the captions as drawn: a
caption Browser shortens on a short edge, or a layout still moving on a busy machine, changes
nothing checked here. Budgets are for a loaded 2-core machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.graph.neo4j.conftest import needs
from tests.graph.neo4j.queries_file import statement

CHECK_DIR = Path(__file__).with_name("browser")
SCREENSHOTS = ROOT / "docs" / "screenshots"
BUDGET_S = 540  # the whole browser run (launch, connect, two queries, screenshots) on a busy machine
STEP_MS = 120_000  # each wait inside it
PICTURES = ("neo4j-browser.png", "neo4j-browser-escalation.png")


def picture_folder(tmp_path: Path) -> Path:
    update = os.environ.get("TRADEGRAPH_UPDATE_SCREENSHOTS") == "1"
    if update or not all((SCREENSHOTS / name).is_file() for name in PICTURES):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    needs("Debian's chromium is not installed (apt-get install chromium)")
    raise AssertionError  # needs() does not return


def node_path() -> str:
    node = shutil.which("node")
    if node is None:
        needs("node is not installed")
    if not (CHECK_DIR / "node_modules" / "playwright-core").is_dir():
        needs(f"playwright-core is not installed in {CHECK_DIR} (make test, or npm ci there)")
    return node


@pytest.fixture(scope="module")
def browser_tools():
    return chromium_path(), node_path()


@pytest.fixture(scope="module")
def styled_seeded(styled_neo4j_server, seed_batch):
    from graph.neo4j import Neo4jStore

    store = Neo4jStore(styled_neo4j_server.bolt_uri, *styled_neo4j_server.auth, timeout_s=300)
    store.clear()
    store.upsert(seed_batch)
    yield styled_neo4j_server
    store.close()


@pytest.mark.neo4j
def test_server_hands_browser_the_style(styled_neo4j_server, tool):
    """What Browser reads on connect (dbms.clientConfig) is the command, byte for byte: neo4j.conf
    keeps the JSON's quotes, braces and '#' colours."""
    rows = tool.http_query(styled_neo4j_server, "CALL dbms.clientConfig() YIELD name, value RETURN name, value")
    config = dict(rows["data"]["values"])
    assert config["browser.post_connect_cmd"] == tool.browser_style_command()
    assert config["client.allow_telemetry"] == "false"


@pytest.mark.neo4j
@pytest.mark.browser
@pytest.mark.timeout(BUDGET_S + 300)  # the run, and the Neo4j it may have to start first
def test_browser_draws_the_rare_earth_dependents_in_the_project_style(browser_tools, styled_seeded, tool, tmp_path):
    chromium, node = browser_tools
    server = styled_seeded
    pictures = picture_folder(tmp_path)
    style = tool.parse_grass(tool.BROWSER_STYLE.read_text(encoding="utf-8"))
    request = {
        "browserUrl": server.browser_url,
        "boltUrl": server.bolt_uri,
        "user": server.user,
        "password": server.password,
        "chromium": chromium,
        "timeoutMs": STEP_MS,
        "failureScreenshot": str(tmp_path / "failure.png"),
        "runs": [
            {
                "name": "rare-earths",
                "query": statement("What depends on Chinese rare earths").text,  # as pasted: `//` name, `;`
                "expect": {
                    "names": ["F-35 fighter", "Aegis radar system", "rare earths", "United States"],
                    "types": ["DEPENDS_ON"],
                },
                "screenshot": str(pictures / PICTURES[0]),
            },
            {
                "name": "escalation",
                "query": statement("US–China escalation as a graph").text,
                "expect": {"names": ["China", "United States"], "types": ["IMPOSES", "RETALIATES_AGAINST"]},
                "screenshot": str(pictures / PICTURES[1]),
            },
        ],
    }
    try:
        proc = subprocess.run(
            [node, "browser_check.mjs"], cwd=CHECK_DIR, input=json.dumps(request),
            capture_output=True, text=True, timeout=BUDGET_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the Browser check took more than {BUDGET_S} s; last picture: {tmp_path / 'failure.png'}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert result["ok"], f"{result['error']}\ntimings {result['timings']}\npicture {tmp_path / 'failure.png'}"

    # the post-connect command ran, and Browser now reports the project's style as its own
    assert result["styleFrame"]
    assert "node.Product" in result["styleText"] and style["node.Product"]["color"] in result["styleText"]

    rare, escalation = result["runs"]
    fills = {node["name"]: node["fill"] for node in rare["nodes"]}
    assert fills["F-35 fighter"] == fills["Aegis radar system"] == style["node.Product"]["color"]
    assert fills["United States"] == style["node.Country"]["color"]
    assert fills["rare earths"] == style["node.Commodity"]["color"]
    # relationship captions carry the share: the caption Browser computed, whatever it had room to draw
    assert "DEPENDS_ON 1.0" in {r["caption"] for r in rare["relationships"] if r["type"] == "DEPENDS_ON"}
    assert rare["overview"]["labels"]["Product"]["color"] == style["node.Product"]["color"]

    measures = [n for n in escalation["nodes"] if "Measure" in n["labels"]]
    assert len(measures) == escalation["overview"]["labels"]["Measure"]["count"] >= 4
    assert {n["fill"] for n in measures} == {style["node.Measure"]["color"]}
    retaliations = [r for r in escalation["relationships"] if r["type"] == "RETALIATES_AGAINST"]
    assert retaliations and {r["caption"] for r in retaliations} == {"RETALIATES_AGAINST"}
    assert escalation["overview"]["types"]["RETALIATES_AGAINST"] == {
        "count": len(retaliations), "color": style["relationship.RETALIATES_AGAINST"]["color"],
    }

    for name in PICTURES:
        picture = pictures / name
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 20_000
