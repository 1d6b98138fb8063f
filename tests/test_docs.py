"""The docs stay true: every CLI command and every route is documented, and every curl line of the
README and docs/*.md runs, as typed, with real curl against a live server on the seed graph."""

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from app.cli import COMMANDS
from app.main import create_app
from app.settings import Settings
from tests.conftest import ROOT, SEEDS, cli, skip_unless_ci

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Where the docs say the server is (`make run`'s default); the test swaps in its own server's port.
DOCUMENTED_SERVER = re.compile(r"(?:https?://)?(?:127\.0\.0\.1|localhost):8000")


def test_every_cli_command_is_documented():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"`tradegraph {name}" in text, name


def test_every_route_is_documented(embedded):
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    app = create_app(Settings(), store=embedded)
    paths = app.openapi()["paths"]
    for path, operations in paths.items():
        documented = re.sub(r"\{[^}]+\}", "{id}", path)  # the docs call every path parameter {id}
        for method in operations:
            assert re.search(rf"`{method.upper()} {re.escape(documented)}[?`]", text), f"{method.upper()} {path}"


def test_readme_first_screen_has_the_two_commands():
    first_screen = README.split("---", 1)[0]
    commands = re.findall(r"^make \w+", first_screen, flags=re.MULTILINE)
    assert commands == ["make run", "make test"]


def test_readme_first_screen_names_what_make_test_needs():
    """Beside the two commands: what `make test` needs beyond Python and make."""
    first_screen = README.split("---", 1)[0]
    for need in ("Python 3.11", "Node 20", "npm", "Java 17", "Maven", "chromium", "apt-get", "root"):
        assert need in first_screen, need


def curl_lines() -> list[tuple[str, str]]:
    """Every curl command of the README and docs/*.md, in a code block or an inline code span,
    with the file it is in; a line ending in a backslash goes on on the next."""
    found = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8").replace("\\\n", " ")
        blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
        lines = [line.strip() for block in blocks for line in block.splitlines()]
        lines += re.findall(r"`(curl [^`]+)`", text)
        found += [(path.name, line) for line in lines if line.startswith("curl ")]
    return found


def test_the_docs_have_curl_lines():
    assert any(name == "README.md" and "/v1/dependents" in line for name, line in curl_lines())


def test_every_curl_line_in_the_docs_answers_json(live_server, tmp_path: Path):
    """Each line as a user would paste it (real curl: it sends the bytes typed, unlike an HTTP
    library that percent-encodes for you) gets a 2xx and JSON from a server on the seed graph."""
    curl = shutil.which("curl")
    if curl is None:
        skip_unless_ci("curl is not installed: the docs' curl lines cannot be run")
    env = {"TRADEGRAPH_DB_PATH": str(tmp_path / "docs.db")}
    assert cli("ingest", str(SEEDS), env=env, cwd=tmp_path).returncode == 0
    server = live_server(env)
    for name, line in curl_lines():
        args = [DOCUMENTED_SERVER.sub(server.url, arg) for arg in shlex.split(line)[1:]]
        body = tmp_path / "body"
        done = subprocess.run(
            [curl, "--silent", "--show-error", "--max-time", "120", "--output", str(body),
             "--write-out", "%{http_code} %{content_type}", *args],
            capture_output=True, text=True, timeout=180,
        )
        assert done.returncode == 0, f"{name}: {line}\n{done.stderr}"
        status, _, content_type = done.stdout.partition(" ")
        answer = body.read_bytes()
        assert status.startswith("2"), f"{name}: {line}\n{status} {answer[:300]!r}"
        assert content_type.startswith("application/json"), f"{name}: {line}\n{content_type}"
        data = json.loads(answer)
        if "/v1/dependents" in line:
            assert {"product:f-35", "product:aegis-radar"} <= {d["entity"]["id"] for d in data["data"]}
