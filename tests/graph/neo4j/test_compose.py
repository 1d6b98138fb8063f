"""docker-compose.yml, Dockerfile and .dockerignore: valid against the Compose specification,
pinned to the test server's Neo4j, pointing at files that exist, and configured with names that
the app, the CLI and Neo4j 5.26 really read. Docker is not run here (no engine on these machines);
what can be run without it is: the healthcheck command against a live Neo4j 5.26, and the
settings the Neo4j image would write, against that server's own list."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from app.cli import build_parser
from app.settings import Backend, Settings
from tests.conftest import ROOT
from tests.graph.neo4j.conftest import needs

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
# Environment variables with the NEO4J_ prefix that the image's entrypoint does not turn into
# settings (docker-neo4j, docker-image-src/5/coredb/docker-entrypoint.sh, `not_configs`).
IMAGE_CONTROL_VARIABLES = {
    "NEO4J_ACCEPT_LICENSE_AGREEMENT", "NEO4J_AUTH", "NEO4J_AUTH_PATH", "NEO4J_DEBUG", "NEO4J_EDITION",
    "NEO4J_HOME", "NEO4J_PLUGINS", "NEO4J_SHA256", "NEO4J_TARBALL", "NEO4J_DEPRECATION_WARNING",
}


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR and $$."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        op, default = match.group("op"), match.group("default") or ""
        if op == ":-" and not env.get(name):
            return default
        if op == "-" and name not in env:
            return default
        return env.get(name, "")

    pattern = r"\$\$|\$\{(?P<braced>\w+)(?:(?P<op>:?-)(?P<default>[^}]*))?\}|\$(?P<bare>\w+)"
    return re.sub(pattern, one, value)


def service_env(service: str, env: dict[str, str] | None = None) -> dict[str, str]:
    raw = compose()["services"][service]["environment"]
    return {k: interpolate(str(v), env or {}) for k, v in raw.items()}


def image_setting(variable: str) -> str:
    """The neo4j.conf key the Neo4j image writes for an environment variable (its own sed rules)."""
    return variable.removeprefix("NEO4J_").replace("_", ".").replace("..", "_")


# -- the Compose specification ---------------------------------------------------------------------
def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    try:
        import check_jsonschema  # noqa: F401
    except ImportError:
        needs("check-jsonschema is not installed (pip install -e '.[dev]')")
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True, text=True, timeout=120,
    )


def test_compose_file_follows_the_compose_specification():
    result = _check_jsonschema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_file(tmp_path):
    """The check is real: an unknown depends_on condition and a misspelt key both fail it."""
    broken = compose()
    broken["services"]["api"]["depends_on"]["neo4j"]["condition"] = "service_ready"
    broken["services"]["neo4j"]["helthcheck"] = broken["services"]["neo4j"].pop("healthcheck")
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    result = _check_jsonschema(path)
    assert result.returncode != 0
    assert "service_ready" in result.stdout + result.stderr


# -- what the compose file refers to ----------------------------------------------------------------
def test_neo4j_image_is_the_version_the_test_server_runs(tool):
    assert compose()["services"]["neo4j"]["image"] == f"neo4j:{tool.neo4j_version()}-community"


def test_compose_refers_to_files_that_exist():
    services = compose()["services"]
    declared_volumes = set(compose().get("volumes") or {})
    for name, service in services.items():
        build = service.get("build")
        if build:
            context = ROOT / (build if isinstance(build, str) else build.get("context", "."))
            assert context.is_dir(), name
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            assert (context / dockerfile).is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name}: bind mount {source} does not exist"
            else:
                assert source in declared_volumes, f"{name}: volume {source} is not declared"


def test_api_starts_after_neo4j_is_healthy_and_loads_the_seeds():
    api = compose()["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert "healthcheck" in compose()["services"]["neo4j"]
    command = api["command"]
    assert command[:2] == ["sh", "-c"]
    steps = [shlex.split(step.strip()) for step in command[2].split("&&")]
    assert [s[:2] for s in steps] == [["tradegraph", "ingest"], ["exec", "tradegraph"]]
    ingest, serve = steps[0][1:], steps[1][2:]
    parser = build_parser()
    assert parser.parse_args(ingest).paths == [Path("seeds")]
    args = parser.parse_args(serve)
    assert (args.command, args.host, args.port) == ("serve", "0.0.0.0", 8000)
    assert (ROOT / "seeds").is_dir()
    published = [p.split(":") for p in api["ports"]]
    assert [p[-1] for p in published] == ["8000"]


def test_api_environment_is_what_the_settings_read(monkeypatch):
    env = service_env("api")
    for key in list(os.environ):
        if key.startswith(("NEO4J_", "TRADEGRAPH_")):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert settings.backend is Backend.NEO4J
    assert settings.neo4j_uri == "bolt://neo4j:7687"  # the service name, on the compose network
    assert settings.neo4j_user == "neo4j"
    assert settings.neo4j_database == "neo4j"
    auth = service_env("neo4j")["NEO4J_AUTH"]
    assert auth == f"neo4j/{settings.neo4j_password.get_secret_value()}"


def test_password_comes_from_one_variable_with_a_local_default():
    default_api, default_db = service_env("api")["NEO4J_PASSWORD"], service_env("neo4j")["NEO4J_AUTH"]
    assert len(default_api) >= 8 and default_db == f"neo4j/{default_api}"  # Neo4j wants 8 characters
    chosen = {"NEO4J_PASSWORD": "a-better-secret"}
    assert service_env("api", chosen)["NEO4J_PASSWORD"] == "a-better-secret"
    assert service_env("neo4j", chosen)["NEO4J_AUTH"] == "neo4j/a-better-secret"


def test_ports_are_published_on_loopback_only():
    for name, service in compose()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name}: {port}"
    assert {p.split(":")[-1] for p in compose()["services"]["neo4j"]["ports"]} == {"7474", "7687"}


def test_browser_style_in_compose_is_the_grass_file(tool):
    command = service_env("neo4j")["NEO4J_browser_post__connect__cmd"]
    verb, _, body = command.partition(" ")
    assert verb == "style"
    expected = tool.parse_grass(tool.BROWSER_STYLE.read_text(encoding="utf-8"))
    # rule order matters: Browser applies matching rules in order, later ones win
    assert list(json.loads(body).items()) == list(expected.items()), (
        "docker-compose.yml's style is not neo4j/browser/style.grass: paste the output of "
        "`python tools/neo4j_server.py --print-style`"
    )
    assert "\n" not in command and ";" not in command  # one post-connect command, on one conf line


# -- against a live Neo4j 5.26 ----------------------------------------------------------------------
@pytest.mark.neo4j
def test_neo4j_environment_names_settings_that_exist(neo4j_store):
    """Strict config validation stops Neo4j on an unknown setting: every variable must name one."""
    known = {r["name"] for r in neo4j_store._read("SHOW SETTINGS YIELD name RETURN name")}
    for variable in service_env("neo4j"):
        if variable in IMAGE_CONTROL_VARIABLES:
            continue
        assert image_setting(variable) in known, f"{variable} -> {image_setting(variable)}"


@pytest.mark.neo4j
def test_healthcheck_passes_on_a_ready_neo4j_and_fails_on_a_wrong_password(neo4j_server):
    if shutil.which("wget") is None:
        needs("wget is not installed (the Neo4j image has it; apt-get install wget here)")
    test = compose()["services"]["neo4j"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    command = interpolate(test[1], {})  # compose turns $$ into $; the container's shell does the rest
    assert "http://localhost:7474/" in command
    command = command.replace("http://localhost:7474/", f"{neo4j_server.http_uri}/")

    def run(password: str) -> int:
        env = {**os.environ, "NEO4J_AUTH": f"neo4j/{password}"}
        return subprocess.run(["sh", "-c", command], env=env, capture_output=True, timeout=30).returncode

    assert run(neo4j_server.password) == 0
    assert run("not-the-password") != 0


# -- Dockerfile and .dockerignore ---------------------------------------------------------------------
def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def dockerignored(path: str) -> bool:
    """Whether .dockerignore leaves ``path`` (relative to the context) out: its patterns in order,
    the last match winning, `!` re-including, a pattern matching a directory covering its files."""
    ignored = False
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        parts = path.strip("/").split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(re.fullmatch(regex, p) for p in prefixes):
            ignored = not negate
    return ignored


def test_dockerfile_builds_the_api_as_the_brief_says():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    runs = " ".join(rest for keyword, rest in instructions if keyword == "RUN")
    assert "pip install /src" in runs
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}, "the API must not run as root"
    cmd = json.loads(next(rest for keyword, rest in reversed(instructions) if keyword == "CMD"))
    args = build_parser().parse_args(cmd[1:])
    assert cmd[0] == "tradegraph" and (args.command, args.host) == ("serve", "0.0.0.0")


def test_dockerfile_copies_what_exists_and_what_the_package_needs():
    copied: list[str] = []
    for keyword, rest in dockerfile_instructions():
        if keyword in {"COPY", "ADD"}:
            sources = [s for s in shlex.split(rest)[:-1] if not s.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
                assert not dockerignored(source), f"COPY {source}: left out by .dockerignore"
                copied.append(source.strip("/"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["readme"] in copied
    assert "pyproject.toml" in copied and "seeds" in copied
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()]
    wanted = {p for p in packages if any(re.fullmatch(pat.replace("*", ".*"), p) for pat in include)}
    assert wanted and wanted <= set(copied), f"packages the image does not get: {wanted - set(copied)}"


def test_dockerignore_keeps_the_context_small_but_not_the_sources():
    for heavy in (".git", ".venv", "data/tradegraph.db", "tools/neo4j-server/target/lib/x.jar",
                  "explorer/node_modules/x/index.js", "graph/__pycache__/model.cpython-311.pyc"):
        assert dockerignored(heavy), heavy
    for needed in ("pyproject.toml", "README.md", "graph/model/records.py", "ingest/lexicon", "app/static",
                   "seeds/facts.yaml"):
        assert not dockerignored(needed), needed
