"""The reads-during-ingest benchmark keeps working: run as its command, for a couple of seconds a
phase, it reports every figure it promises and counts the requests of each phase, and its windows
without writes have none (the CLI is stopped in them, so nothing commits). Whether they
succeed is the benchmark's finding (bench/reliability/results/reads_during_ingest.json), not
asserted here; nor is any duration."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness.paths import ROOT

PHASE_FIELDS = {
    "seconds", "requests", "failed", "torn", "requests_per_s", "p50_ms", "p99_ms", "max_ms", "requests_by_kind",
    "p50_ms_by_kind", "p99_ms_by_kind", "failed_by_kind", "statuses", "examples",
}
KINDS = {"measures", "dependents", "escalation", "entity", "export"}


def test_the_benchmark_reports_its_figures_and_counts_requests(tmp_path):
    out = tmp_path / "result.json"
    clients = 2
    done = subprocess.run(
        [sys.executable, "-m", "bench.reliability.reads_during_ingest", "--seconds", "2", "--clients", str(clients), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,  # server start, seeding and the CLI's first commit on a loaded 2-core machine
        check=False,
    )
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]  # 1: the goal was missed
    line = json.loads(done.stdout.splitlines()[0])
    assert json.loads(out.read_text())["phases"] == line["phases"]
    assert {"machine", "command"} <= set(json.loads(out.read_text()))
    assert set(line["phases"]) == {"no_writes", "writes"}
    for name, phase in line["phases"].items():
        assert PHASE_FIELDS <= set(phase), name
        assert phase["requests"] >= clients, (name, phase)  # every client sends at least one request a phase
        assert sum(phase["requests_by_kind"].values()) == phase["requests"] == sum(phase["statuses"].values())
        assert set(phase["requests_by_kind"]) <= KINDS
        assert 0 <= phase["failed"] <= phase["requests"] and 0 <= phase["torn"] <= phase["requests"]
        assert 0 <= phase["p50_ms"] <= phase["p99_ms"] <= phase["max_ms"]
        assert set(phase["p99_ms_by_kind"]) == set(phase["requests_by_kind"])
    assert line["requests"] == sum(p["requests"] for p in line["phases"].values())
    assert line["failed"] == sum(p["failed"] for p in line["phases"].values())
    assert line["writes"]["commits"] >= 0 and line["writes"]["commits_per_s"] >= 0 and line["writes"]["ingest_failures"] == []
    assert line["writes"]["commits_outside_write_windows"] == 0  # the readers without writes had none
    assert isinstance(line["p99_ratio"], float) and isinstance(line["meets_goal"], bool)
    assert done.returncode == (0 if line["meets_goal"] else 1)
    for words in ("no_writes", "writes", "commits during the write phase", "p99(writes) / p99(no writes)"):
        assert words in done.stdout
