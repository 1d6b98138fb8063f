"""Where the harness finds the project: its root, seeds, eval texts and installed commands."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv's bin: ``tradegraph`` as a user runs it
SEEDS = ROOT / "seeds"
FACTS = SEEDS / "facts.yaml"
EVAL = ROOT / "tests" / "eval"
