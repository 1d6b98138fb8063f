"""Shared by the reliability runs: results as JSON beside this file, with the machine they ran on."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def machine() -> dict:
    from bench.common import machine as bench_machine

    return bench_machine()


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps({"machine": machine(), **payload}, indent=2, ensure_ascii=False, default=str) + "\n")
    return out


def workdir(prefix: str) -> Path:
    """A temporary folder (under $TMPDIR) for one run's stores, corpora and logs."""
    return Path(tempfile.mkdtemp(prefix=f"tradegraph-{prefix}-"))


def show(report: dict, keys: list[str]) -> None:
    for key in keys:
        value = report
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        print(f"{key:55} {value}")
