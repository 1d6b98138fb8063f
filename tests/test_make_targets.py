"""Every make target a document names works on a fresh clone by itself: it declares as
prerequisites the set-up its recipe needs (the venv and its extras, npm packages, Debian's
chromium), so nobody has to run another target first.

`make -n -B` prints what the target would run with nothing installed yet, as on a fresh clone;
each set-up step of NEEDS must be in it. A target newly named in a document must be added to NEEDS,
which makes someone decide what it needs."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT, skip_unless_ci

DEV = '-m pip install -q -e ".[dev]"'
RUN = "-m pip install -q -e ."
BENCH = '-m pip install -q -e ".[bench]"'
WRK = "apt-get install -y -q wrk"
EXPLORER_NPM = "cd explorer && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci"
BROWSER_CHECK_NPM = "cd tests/graph/neo4j/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci"
CYPHER_LINT_NPM = "cd tools/cypher-lint && npm ci"
API_CLIENTS_NPM = "cd tools/api-clients && npm ci"
CHROMIUM = "apt-get install -y -qq --no-install-recommends chromium"
# The whole suite, and its Neo4j half: that half holds browser tests too (the explorer on Neo4j,
# Neo4j Browser), and the Cypher lint of every statement.
SUITE = [DEV, CYPHER_LINT_NPM, EXPLORER_NPM, CHROMIUM, BROWSER_CHECK_NPM]

NEEDS: dict[str, list[str]] = {
    "run": [RUN],
    "test": [*SUITE, API_CLIENTS_NPM],
    "test-neo4j": SUITE,
    "neo4j": [DEV],
    "neo4j-compose-check": [DEV],
    "neo4j-screenshots": [DEV, BROWSER_CHECK_NPM, CHROMIUM],
    "explorer-screenshots": [DEV, EXPLORER_NPM, CHROMIUM],
    "explorer-vendor": ["npm install"],
    "reliability-test": [DEV],
    "reliability-crash": [DEV],
    "reliability-concurrency": [DEV],
    "reliability-fuzz": [DEV],
    "reliability-caps": [DEV],
    "reliability-reads": [DEV],
    "soak": [DEV],
    "bench": [BENCH, WRK],
    "bench-deps": [BENCH, WRK],
    "bench-report": [BENCH],
    "api-lint": [API_CLIENTS_NPM],
}


def documented_targets() -> set[str]:
    """`make X` in README.md, BENCHMARKS.md, docs/*.md and the comments of the makefiles."""
    texts = [(ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "BENCHMARKS.md")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
    for makefile in [ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))]:
        lines = makefile.read_text(encoding="utf-8").splitlines()
        texts.append("\n".join(line for line in lines if line.lstrip().startswith("#")))
    return {name for text in texts for name in re.findall(r"`make ([a-z][a-z0-9-]*)", text)}


def dry_run(target: str) -> str:
    """What `make TARGET` would run with nothing built yet (npm taken as present)."""
    make = shutil.which("make")
    if make is None:
        skip_unless_ci("make is not installed")
    done = subprocess.run(
        [make, "-n", "-B", "HAVE_NPM=yes", target],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, f"make -n {target}: {done.stderr}"
    return done.stdout


def test_every_documented_target_is_known():
    documented = documented_targets()
    assert {"run", "test", "test-neo4j", "soak"} <= documented
    assert documented <= set(NEEDS), f"decide what these need and add them to NEEDS: {documented - set(NEEDS)}"


@pytest.mark.parametrize("target", sorted(NEEDS))
def test_a_documented_target_sets_up_what_it_needs(target):
    plan = dry_run(target)
    missing = [step for step in NEEDS[target] if step not in plan]
    assert not missing, f"`make {target}` on a fresh clone would not run: {missing}"
