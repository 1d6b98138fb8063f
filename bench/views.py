"""What reading the past (as_of, known_at) and reading with review decisions in force cost, against
plain reads of the same store in the same run.

    .venv/bin/python -m bench.views --size 100k [--samples 60] [--budget 60]

A dated read goes through graph/time_view.py and a decided one through graph/review_view.py: both
are views over the store's generic read primitives, so the store's fast paths for walks (links
and neighbour ids straight from the compact index) do not apply. Each family runs the same calls
in each mode one after the other, call by call, the modes taking turns to go first (a busy machine
slows all alike, and the first read of a call warms what the next ones read), and the ratios are
p50 of the mode over p50 of the plain read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
from collections.abc import Callable

from bench.common import ensure_db, label, percentiles, reproduce, save, size_of
from graph.embedded import EmbeddedStore
from graph.model.decisions import Decision
from graph.model.enums import EntityType
from graph.queries import dependencies, escalation, explore
from graph.review_view import reviewed
from graph.store import GraphReader
from graph.time_view import TimeView

MODES = ("plain", "as_of", "known_at", "decided")


def _timed(call: Callable[[], object]) -> float:
    t = time.perf_counter()
    call()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="100k")
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per family at most")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    n = size_of(args.size)
    path = ensure_db(n)
    rng = random.Random(args.seed)
    store = EmbeddedStore(path)
    gc.freeze()
    commodities = store.entity_ids(EntityType.COMMODITY)
    # Undated entities: a measure may not exist yet on the as_of day (an answer of its own, not a cost).
    everything = [i for i in store.entity_ids() if not i.startswith("measure:")]
    countries = ["country:" + c for c in ("CN", "US", "DE", "JP", "KR", "GB", "FR", "IN", "IT", "NL")]
    measures = store.entity_ids(EntityType.MEASURE)
    days = sorted(d for e in store.entities(rng.sample(measures, min(200, len(measures)))).values() if (d := e.measure.timeline_date))
    as_of = days[len(days) // 2] if days else dt.date(2025, 1, 1)
    known_at = max((d.ingested for d in store.documents() if d.ingested), default=dt.datetime.now(dt.UTC))
    # One relation rejected and one entity merged: what a store with a reviewer at work reads.
    some = store.edges([rng.choice(commodities)], direction="in")
    standing = [Decision(kind="reject", subject=some[0].key, reason="bench")] if some else []
    firms = store.entity_ids(EntityType.FIRM)
    if len(firms) > 1:
        standing.append(Decision(kind="merge", subject=firms[0], into=firms[1], reason="bench"))

    def view(reader: GraphReader, mode: str) -> GraphReader:
        if mode == "as_of":
            return TimeView(reader, as_of=as_of)
        if mode == "known_at":
            return TimeView(reader, known_at=known_at)
        if mode == "decided":
            return reviewed(reader, standing)
        return reader

    k = args.samples
    goods, pairs, picked = [rng.choice(commodities) for _ in range(k)], [rng.sample(countries, 2) for _ in range(k)], [rng.choice(everything) for _ in range(k)]
    families: dict[str, list[Callable[[GraphReader], object]]] = {
        "dependents_d4": [lambda r, c=c: dependencies.dependents(r, c, max_depth=4) for c in goods],
        "escalation": [lambda r, p=p: escalation.escalation(r, *p) for p in pairs],
        "neighbors": [lambda r, e=e: explore.neighbors(r, e) for e in picked],
        "entity": [lambda r, e=e: explore.entity_detail(r, e) for e in picked],
    }
    results: dict[str, dict] = {}
    for family, calls in families.items():
        samples: dict[str, list[float]] = {mode: [] for mode in MODES}
        deadline = time.perf_counter() + args.budget
        for turn, call in enumerate(calls):
            # The modes take turns going first: the first read of a call warms what the others read.
            for mode in MODES[turn % len(MODES) :] + MODES[: turn % len(MODES)]:
                with store.snapshot() as snap:
                    reader = view(snap, mode)
                    samples[mode].append(_timed(lambda reader=reader, call=call: call(reader)))
            if time.perf_counter() > deadline:
                break
        stats = {mode: percentiles(s) for mode, s in samples.items()}
        plain = max(stats["plain"]["p50_ms"], 1e-6)
        results[family] = {mode: {**stats[mode], "ratio_p50_vs_plain": round(stats[mode]["p50_ms"] / plain, 2)} for mode in MODES}
        line = "  ".join(f"{mode} {stats[mode]['p50_ms']:.2f} ms ({results[family][mode]['ratio_p50_vs_plain']:.2f}x)" for mode in MODES)
        print(f"  {family:<14} n={stats['plain']['n']:>3}  {line}", flush=True)
    store.close()
    command = f".venv/bin/python -m bench.views --size {args.size} --samples {args.samples} --budget {args.budget:g}"
    payload = {"size": n, "as_of": as_of.isoformat(), "decisions": len(standing), "results": results, "command": command}
    save(f"views-{label(n)}", payload)
    reproduce(command)
    return payload


if __name__ == "__main__":
    sys.exit(main() and 0)
