"""Reads during ingest: a dashboard's reads against a live server, in turns without writes and
while ``tradegraph ingest`` writes small articles into the same store (issue 18's must-show).

    python -m bench.reliability.reads_during_ingest --seconds 60 --clients 4

A real uvicorn server on an embedded store holding the seed graph; ``--clients`` reading clients
(bench/harness/mixed_reads.py: measures, dependents at depth 4, escalation, entities, exports) read
in windows of ``--window`` seconds, taking turns: a window without writes (the CLI stopped with
SIGSTOP) and a window while the CLI ingests generated articles (bench/harness/ingest_load.py), one
commit per article, until each kind of window has had ``--seconds``. Taking turns matters: every
article adds a document and its evidence, and a minute of ingest makes an export of the seed graph
some 75 times larger, so readers without writes must read the same graph as the readers with them,
not the seed graph before the ingest began. ``--hog`` adds a third kind of window in which the CLI
is stopped and a process that only burns one core runs instead (bench/harness/hog.py): what the
ingest's CPU alone costs the readers on a small machine. A write window comes first and the order is
reversed every other round, so every kind reads, on average, a graph grown by as many write windows
(a first window without writes would read the seed graph alone, 75 times smaller in an export).

It prints one JSON line and a table: requests, failed requests, torn answers, p50/p99 per kind of
window, the commits/s achieved in write windows and p99(writes)/p99(no writes). The goal: 0 failed,
0 torn, that ratio at most 3, at least 8 commits/s; exit status 1 when it is missed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import httpx

from bench.harness.hog import CpuHog
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


def _windows(kinds: list[str], seconds: float, window: float) -> list[tuple[str, float]]:
    """The schedule: rounds of one window of each kind, every other round in reverse order, until
    each kind has had ``seconds``."""
    schedule: list[tuple[str, float]] = []
    left = dict.fromkeys(kinds, seconds)
    while any(v > 0 for v in left.values()):
        for kind in kinds if len(schedule) // len(kinds) % 2 == 0 else kinds[::-1]:
            length = min(window, left[kind])
            if length > 0:
                schedule.append((kind, length))
                left[kind] -= length
    return schedule


def _take_turns(clients: list[httpx.Client], load: IngestLoad, hog: CpuHog | None, db: Path, schedule: list[tuple[str, float]], ids: list[str], seed: int) -> tuple[dict[str, PhaseReport], dict]:
    """Read through ``schedule``, the CLI running only in write windows and the hog only in its
    own. The CLI is started and has committed before the first window. Returns each kind's report
    and the commits made in write windows (and, as a check, in the others: none)."""
    from bench.harness.fingerprint import stored_version

    reports = {kind: PhaseReport(kind) for kind, _ in schedule}
    commits = {kind: 0 for kind in reports}
    before = stored_version(db)
    load.start()
    try:
        load.wait_for_commit(before)
        load.pause()
        for n, (kind, length) in enumerate(schedule):
            start_version = stored_version(db)
            if kind == "writes":
                load.resume()
            elif kind == "cpu_hog" and hog is not None:
                hog.resume()
            try:
                run_phase(clients, kind, length, ids, seed + n, report=reports[kind])
            finally:
                load.pause()
                if hog is not None:
                    hog.pause()
            commits[kind] += stored_version(db) - start_version
    finally:
        load.stop()
    seconds = reports["writes"].seconds
    writes = {
        "commits": commits["writes"],
        "commits_per_s": round(commits["writes"] / seconds, 1) if seconds else 0.0,
        "commits_outside_write_windows": sum(v for k, v in commits.items() if k != "writes"),
        "ingest_rounds": load.rounds,
        "ingest_failures": load.failures,
    }
    return reports, writes


def measure(folder: Path, *, seconds: float, clients: int, window: float, hog: bool, seed: int) -> dict:
    """Run the windows against a fresh server in ``folder``; return every figure."""
    db = folder / "served.db"
    _seeded_store(db)
    server = LiveServer({"TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_BACKEND": "embedded"}, folder)
    load = IngestLoad(db, folder)
    burner = CpuHog() if hog else None
    http = [httpx.Client(base_url=server.url, timeout=120) for _ in range(clients)]
    # Write windows first, every other round reversed: each kind then reads, on average, a graph
    # grown by the same number of write windows (none reads the seed graph alone).
    kinds = ["writes", "no_writes", *(["cpu_hog"] if hog else [])]
    schedule = _windows(kinds, seconds, window)
    try:
        ids = _entity_ids(server.url)
        reports, writes = _take_turns(http, load, burner, db, schedule, ids, seed)
    finally:
        for client in http:
            client.close()
        if burner is not None:
            burner.stop()
        server.stop()
    figures = {kind: reports[kind].figures() for kind in ["no_writes", *(k for k in kinds if k != "no_writes")]}
    quiet, busy = figures["no_writes"], figures["writes"]
    ratio = round(busy["p99_ms"] / quiet["p99_ms"], 2) if quiet["p99_ms"] else None
    result = {
        "clients": clients,
        "seconds_per_phase": seconds,
        "window_s": window,
        "windows": len(schedule),
        "phases": figures,
        "writes": writes,
        "requests": sum(p["requests"] for p in figures.values()),
        "failed": sum(p["failed"] for p in figures.values()),
        "torn": sum(p["torn"] for p in figures.values()),
        "p99_ratio": ratio,
    }
    if hog:
        hogged = figures["cpu_hog"]["p99_ms"]
        result["p99_ratio_cpu_hog"] = round(hogged / quiet["p99_ms"], 2) if quiet["p99_ms"] else None
    return result


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
    rows.append(
        f"commits during the write phase: {w['commits']:,} ({w['commits_per_s']}/s, goal >= {GOAL['commits_per_s_at_least']:g}); "
        f"outside it: {w['commits_outside_write_windows']}; {result['windows']} windows of up to {result['window_s']:g} s"
    )
    rows.append(f"p99(writes) / p99(no writes): {result['p99_ratio']} (goal <= {GOAL['p99_ratio_at_most']:g})")
    if "p99_ratio_cpu_hog" in result:
        rows.append(f"p99(cpu hog, no writes) / p99(no writes): {result['p99_ratio_cpu_hog']}")
    for name, p in result["phases"].items():
        if p["failed"] or p["torn"]:
            rows.append(f"{name}: failed by kind {p['failed_by_kind']}, statuses {p['statuses']}")
    rows.append("goal " + ("met" if result["meets_goal"] else "missed") + ": 0 failed, 0 torn, p99 ratio <= 3, >= 8 commits/s")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=4, help="reading clients (each its own thread and HTTP connection)")
    parser.add_argument("--window", type=float, default=10.0, help="length of one window; kinds of window take turns")
    parser.add_argument("--hog", action="store_true", help="a third kind of window: the CLI stopped, a process burning one core instead")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, default=None, help="write the JSON here instead of bench/reliability/results/")
    parser.add_argument("--keep", action="store_true", help="keep the store, the articles and the logs")
    args = parser.parse_args(argv)

    folder = workdir("reads-during-ingest")
    started = time.monotonic()
    try:
        result = measure(folder, seconds=args.seconds, clients=args.clients, window=args.window, hog=args.hog, seed=args.seed)
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
