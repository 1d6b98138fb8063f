"""Reads during ingest: a dashboard's reads against a live server, first alone, then while
``tradegraph ingest`` writes small articles into the same store (issue 18's must-show).

    python -m bench.reliability.reads_during_ingest --seconds 60 --clients 4

A real uvicorn server on an embedded store holding the seed graph; ``--clients`` reading clients
(bench/harness/mixed_reads.py: measures, dependents at depth 4, escalation, entities, exports) read
for ``--seconds`` without writes, then for ``--seconds`` while the CLI ingests generated articles
(bench/harness/ingest_load.py), one commit per article; ``--after`` adds a third phase without
writes on the grown graph. It prints one JSON line and a table: requests, failed requests, torn
answers, p50/p99 per phase, the commits/s achieved and p99(writes)/p99(no writes). The goal:
0 failed, 0 torn, that ratio at most 3, at least 8 commits/s; exit status 1 when it is missed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import httpx

from bench.harness.ingest_load import IngestLoad
from bench.harness.mixed_reads import PhaseReport, run_phase
from bench.harness.paths import FACTS
from bench.harness.server import LiveServer
from bench.reliability.common import machine, save, workdir

GOAL = {"failed": 0, "torn": 0, "p99_ratio_at_most": 3.0, "commits_per_s_at_least": 8.0}


def _seeded_store(db: Path) -> None:
    from graph.embedded import EmbeddedStore
    from ingest.structured import load_facts

    with EmbeddedStore(db) as store:
        store.upsert(load_facts(FACTS))


def _entity_ids(url: str) -> list[str]:
    """The seed graph's entities, which the ingest never removes: what the entity reads ask for."""
    body = httpx.get(url + "/v1/export", params={"format": "json"}, timeout=300).json()
    return sorted(e["id"] for e in body["entities"])


def _with_writes(clients: list[httpx.Client], load: IngestLoad, db: Path, seconds: float, ids: list[str], seed: int) -> tuple[PhaseReport, dict]:
    """The readers' phase while the ingest writes; it starts once the CLI has committed, so the
    whole phase has writes under it. Returns the phase and the commits made during it."""
    from bench.harness.fingerprint import stored_version

    before = stored_version(db)
    load.start()
    try:
        load.wait_for_commit(before)
        start_version = stored_version(db)
        report = run_phase(clients, "writes", seconds, ids, seed)
        end_version = stored_version(db)
    finally:
        load.stop()
    commits = end_version - start_version
    writes = {
        "commits": commits,
        "commits_per_s": round(commits / report.seconds, 1) if report.seconds else 0.0,
        "ingest_rounds": load.rounds,
        "ingest_failures": load.failures,
    }
    return report, writes


def measure(folder: Path, *, seconds: float, clients: int, after: bool, seed: int) -> dict:
    """Run the phases against a fresh server in ``folder``; return every figure."""
    db = folder / "served.db"
    _seeded_store(db)
    server = LiveServer({"TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_BACKEND": "embedded"}, folder)
    load = IngestLoad(db, folder)
    http = [httpx.Client(base_url=server.url, timeout=120) for _ in range(clients)]
    try:
        ids = _entity_ids(server.url)
        phases = [run_phase(http, "no_writes", seconds, ids, seed)]
        during, writes = _with_writes(http, load, db, seconds, ids, seed + 1)
        phases.append(during)
        if after:
            phases.append(run_phase(http, "no_writes_after", seconds, ids, seed + 2))
    finally:
        for client in http:
            client.close()
        server.stop()
    figures = {p.name: p.figures() for p in phases}
    quiet, busy = figures["no_writes"], figures["writes"]
    ratio = round(busy["p99_ms"] / quiet["p99_ms"], 2) if quiet["p99_ms"] else None
    return {
        "clients": clients,
        "seconds_per_phase": seconds,
        "phases": figures,
        "writes": writes,
        "requests": sum(p["requests"] for p in figures.values()),
        "failed": sum(p["failed"] for p in figures.values()),
        "torn": sum(p["torn"] for p in figures.values()),
        "p99_ratio": ratio,
    }


def meets_goal(result: dict) -> bool:
    ratio = result["p99_ratio"]
    return (
        result["failed"] == GOAL["failed"]
        and result["torn"] == GOAL["torn"]
        and ratio is not None
        and ratio <= GOAL["p99_ratio_at_most"]
        and result["writes"]["commits_per_s"] >= GOAL["commits_per_s_at_least"]
    )


def table(result: dict) -> str:
    """The figures for a person: one row per phase, then the writes and the verdict."""
    rows = [f"{'phase':16} {'requests':>9} {'failed':>7} {'torn':>5} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>9} {'max ms':>9}"]
    for name, p in result["phases"].items():
        rows.append(
            f"{name:16} {p['requests']:>9,} {p['failed']:>7,} {p['torn']:>5,} {p['requests_per_s']:>7} "
            f"{p['p50_ms']:>8} {p['p99_ms']:>9} {p['max_ms']:>9}"
        )
    w = result["writes"]
    rows.append(f"commits during the write phase: {w['commits']:,} ({w['commits_per_s']}/s, goal >= {GOAL['commits_per_s_at_least']:g})")
    rows.append(f"p99(writes) / p99(no writes): {result['p99_ratio']} (goal <= {GOAL['p99_ratio_at_most']:g})")
    for name, p in result["phases"].items():
        if p["failed"] or p["torn"]:
            rows.append(f"{name}: failed by kind {p['failed_by_kind']}, statuses {p['statuses']}")
    rows.append("goal " + ("met" if result["meets_goal"] else "missed") + ": 0 failed, 0 torn, p99 ratio <= 3, >= 8 commits/s")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=4, help="reading clients (each its own thread and HTTP connection)")
    parser.add_argument("--after", action="store_true", help="a third phase without writes, on the graph the ingest grew")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, default=None, help="write the JSON here instead of bench/reliability/results/")
    parser.add_argument("--keep", action="store_true", help="keep the store, the articles and the logs")
    args = parser.parse_args(argv)

    folder = workdir("reads-during-ingest")
    started = time.monotonic()
    try:
        result = measure(folder, seconds=args.seconds, clients=args.clients, after=args.after, seed=args.seed)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    result["wall_s"] = round(time.monotonic() - started, 1)
    result["meets_goal"] = meets_goal(result)
    result["goal"] = GOAL
    result["command"] = "python -m bench.reliability.reads_during_ingest " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.out is not None:
        args.out.write_text(json.dumps({"machine": machine(), **result}, indent=2, ensure_ascii=False) + "\n")
        out = args.out
    else:
        out = save("reads_during_ingest", result)
    print(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    print(table(result))
    print(f"written to {out}")
    return 0 if result["meets_goal"] else 1


if __name__ == "__main__":
    sys.exit(main())
