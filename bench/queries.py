"""Query latency on the embedded store at one graph size, beside a raw networkx BFS baseline.

    .venv/bin/python -m bench.queries --size 100k [--budget 60]

Families (each through graph.queries, the code the API runs; ids are passed, so name resolution
is an id check):
- dependents depth 2 and 4 of commodities drawn uniformly (mostly leaves and mid-level goods) and,
  separately, of the 16 taxonomy roots (rare earths, steel, ... : the heavy end);
- escalation between country pairs drawn from the 30 biggest traders;
- search: exact names, 4-character prefixes and 3-character substrings of random entities, en and zh;
- paths between random entity pairs (max_length 4) and neighbours (depth 1) of random entities.
Baseline: the same dependents walks as a bare breadth-first search over a networkx DiGraph built
from the same rows (IS_A/MADE_FROM widening, then DEPENDS_ON backwards), no objects, no evidence.
"""

from __future__ import annotations

import argparse
import gc
import random
import sqlite3
import sys
import time
from collections.abc import Callable

import networkx as nx

from bench.common import ensure_db, label, machine, percentiles, reproduce, save, size_of
from bench.generate import ROOTS
from graph.embedded import EmbeddedStore
from graph.model.enums import EntityType
from graph.queries import dependencies, escalation, explore


def _run(name: str, calls: list[Callable[[], object]], budget_s: float) -> dict:
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    for call in calls:
        t = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t)
        if time.perf_counter() > deadline:
            break
    result = percentiles(samples)
    print(f"  {name:<26} n={result['n']:>4}  p50 {result['p50_ms']:>9.3f} ms  p99 {result['p99_ms']:>9.3f} ms  max {result['max_ms']:>9.1f} ms", flush=True)
    return result


def _nx_baseline(path: str) -> nx.DiGraph:
    db = sqlite3.connect(path)
    graph = nx.DiGraph()
    for source, rtype, target in db.execute(
        "SELECT source, type, target FROM relations WHERE type IN ('IS_A','MADE_FROM','DEPENDS_ON')"
    ):
        graph.add_edge(source, target, type=rtype)
    db.close()
    return graph


def _nx_dependents(graph: nx.DiGraph, root: str, depth: int) -> int:
    """The bare walk dependents() does: widen through IS_A/MADE_FROM (in-edges), then DEPENDS_ON
    backwards ``depth`` hops, counting what is reached."""
    if root not in graph:
        return 0
    pred = graph._pred
    widened = {root}
    frontier = [root]
    for _ in range(8):
        nxt = [s for n in frontier for s, d in pred[n].items() if d["type"] != "DEPENDS_ON" and s not in widened]
        if not nxt:
            break
        widened.update(nxt)
        frontier = nxt
    seen = set(widened)
    frontier = list(widened)
    found = 0
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for s, d in pred[n].items():
                if d["type"] == "DEPENDS_ON" and s not in seen:
                    seen.add(s)
                    nxt.append(s)
        if not nxt:
            break
        found += len(nxt)
        frontier = nxt
    return found


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="10k")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per query family at most")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", default=None,
                        help="comma-separated families to re-run (e.g. search), merged into the existing results file")
    args = parser.parse_args(argv)
    n = size_of(args.size)
    path = ensure_db(n)
    rng = random.Random(args.seed)
    print(f"queries at {n:,} relations ({path})", flush=True)
    t = time.perf_counter()
    store = EmbeddedStore(path)
    gc.freeze()  # as the server does once its store is open (app/main.py)
    open_s = time.perf_counter() - t
    print(f"  open {open_s:.2f} s", flush=True)

    commodities = store.entity_ids(EntityType.COMMODITY)
    roots = [f"commodity:{slug}" for slug, _, _ in ROOTS]
    countries = ["country:" + c for c in ("CN", "US", "DE", "JP", "KR", "GB", "FR", "IN", "IT", "NL", "CA", "MX", "RU",
                                          "BR", "AU", "TW", "SG", "VN", "ES", "CH", "SA", "ID", "MY", "TH", "PL", "BE",
                                          "SE", "TR", "AE", "ZA")]
    everything = store.entity_ids()
    k = args.samples
    uniform = [rng.choice(commodities) for _ in range(k)]
    pairs = [tuple(rng.sample(countries, 2)) for _ in range(max(30, k // 3))]
    picked = [rng.choice(everything) for _ in range(k)]
    names = store.entities(picked)
    queries = []
    for entity in names.values():
        for name in list(entity.names.values())[:2]:
            queries.append(name)
            queries.append(name[:4])
            if len(name) > 6:
                mid = rng.randrange(1, len(name) - 4)
                queries.append(name[mid : mid + 3])
    queries = [q for q in queries if q.strip()][: k * 2]
    path_pairs = [tuple(rng.sample(everything, 2)) for _ in range(k)]

    results: dict[str, dict] = {}
    b = args.budget
    only = set(args.only.split(",")) if args.only else None

    def want(name: str) -> bool:
        return only is None or name in only

    t = time.perf_counter()
    explore.stats(store)
    results["first_answer_after_open_ms"] = round((time.perf_counter() - t) * 1000, 2)
    families = {
        "dependents_d2": ("dependents depth 2", [lambda c=c: dependencies.dependents(store, c, max_depth=2) for c in uniform]),
        "dependents_d4": ("dependents depth 4", [lambda c=c: dependencies.dependents(store, c, max_depth=4) for c in uniform]),
        "dependents_d4_roots": ("dependents d4, 16 roots", [lambda c=c: dependencies.dependents(store, c, max_depth=4) for c in roots * 2]),
        "escalation": ("escalation", [lambda p=p: escalation.escalation(store, *p) for p in pairs]),
        "search": ("search", [lambda q=q: explore.search(store, q) for q in queries]),
        "paths": ("paths (max 4)", [lambda p=p: explore.paths(store, *p) for p in path_pairs]),
        "neighbors": ("neighbours depth 1", [lambda e=e: explore.neighbors(store, e) for e in picked]),
    }
    for key, (name, calls) in families.items():
        if want(key):
            results[key] = _run(name, calls, b)
    counts = store.counts()
    store.close()

    if only is None or any(f.startswith("dependents") for f in only):
        print("  baseline: networkx BFS over the same rows", flush=True)
        graph = _nx_baseline(str(path))
        results["nx_bfs_d2"] = _run("nx BFS depth 2", [lambda c=c: _nx_dependents(graph, c, 2) for c in uniform], b)
        results["nx_bfs_d4"] = _run("nx BFS depth 4", [lambda c=c: _nx_dependents(graph, c, 4) for c in uniform], b)
        results["nx_bfs_d4_roots"] = _run("nx BFS d4, 16 roots", [lambda c=c: _nx_dependents(graph, c, 4) for c in roots * 2], b)
        reached = [_nx_dependents(graph, c, 4) for c in uniform[:100]]
        results["dependents_d4_reach_mean"] = round(sum(reached) / len(reached), 1)
        results["dependents_d4_roots_reach_mean"] = round(sum(_nx_dependents(graph, c, 4) for c in roots) / max(1, len(roots)), 1)
        for fam in ("d2", "d4", "d4_roots"):
            base = results[f"nx_bfs_{fam}"]
            mine = results.get(f"dependents_{fam}")
            if mine:
                results[f"ratio_dependents_{fam}_vs_nx_p50"] = round(mine["p50_ms"] / max(base["p50_ms"], 1e-6), 1)
    command = f".venv/bin/python -m bench.queries --size {args.size} --budget {args.budget:g} --samples {args.samples}" + (f" --only {args.only}" if args.only else "")
    reruns: list[dict] = []
    whole: dict = {}
    if only is not None:
        import json

        from bench.common import RESULTS

        previous = RESULTS / f"queries-{label(n)}.json"
        if previous.exists():
            # A re-run of some families replaces their figures only: the file keeps the command
            # of the whole run, and says which families were run again, when and how.
            old = json.loads(previous.read_text())
            merged = old["results"]
            merged.update({k: v for k, v in results.items() if k != "first_answer_after_open_ms"})
            merged.pop("rerun", None)
            results = merged
            reruns = old.get("reruns", [])
            reruns.append({"families": sorted(only), "command": command, "machine": machine()})
            whole = {"command": old.get("command", command), "machine": old["machine"]}
    payload = {"size": n, "relations": counts.relations, "entities": counts.entities, "open_s": round(open_s, 2),
               "results": results, "command": command, "reruns": reruns, **whole}
    save(f"queries-{label(n)}", payload)
    reproduce(command)
    return payload


if __name__ == "__main__":
    sys.exit(main() and 0)
