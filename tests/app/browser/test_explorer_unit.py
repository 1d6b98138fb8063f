"""The explorer's pure modules (formats, URL state, layouts, timeline scales) under `node --test`:
no browser and no npm package needed, only Node."""

from __future__ import annotations

import subprocess

from tests.conftest import ROOT


def test_explorer_modules(node_bin):
    done = subprocess.run(
        [node_bin, "--test", "tests/app/browser/unit/"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout
