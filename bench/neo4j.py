"""Sync throughput into a live Neo4j 5.26 and dependents latency on Neo4j beside the embedded store.

    .venv/bin/python -m bench.neo4j --size 100k [--samples 100] [--heap 1g]

Starts a real Neo4j 5.26 on loopback (tools/neo4j_server.py, Maven Central jars), writes the same
generated graph that bench/data/g<size>-s7.db holds with ``Neo4jStore.upsert(batch)`` per batch
(the planner plus one transaction of ``UNWIND $rows … MERGE`` per batch), then runs the same
dependents questions (depth 2 and 4, commodities drawn uniformly) on both stores and checks that
they give the same answer. The server is stopped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from bench.common import ROOT, ensure_db, label, percentiles, reproduce, save, size_of
from bench.generate import Spec, batches, make_plan
from graph.embedded import EmbeddedStore
from graph.model.enums import EntityType
from graph.queries import dependencies


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="100k")
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per query family at most")
    args = parser.parse_args(argv)
    n = size_of(args.size)
    db = ensure_db(n)
    sys.path.insert(0, str(ROOT / "tools"))
    from neo4j_server import Neo4jServer

    from graph.neo4j import Neo4jStore

    spec = Spec(relations=n)
    plan = make_plan(spec)
    all_batches = list(batches(plan, spec))
    del plan
    results: dict = {}
    print(f"neo4j at {n:,} relations: starting Neo4j 5.26 (heap {args.heap}) ...", flush=True)
    server = Neo4jServer(heap=args.heap).start()
    try:
        user, password = server.auth
        store = Neo4jStore(server.bolt_uri, user, password, timeout_s=120)
        t = time.perf_counter()
        written = 0
        for i, batch in enumerate(all_batches, start=1):
            store.upsert(batch)
            written += len(batch.relations)
            if i % 20 == 0:
                print(f"  {written:>9,} relations  {written / (time.perf_counter() - t):,.0f}/s", flush=True)
        sync_s = time.perf_counter() - t
        results["sync_relations_per_s"] = round(written / sync_s)
        print(f"  sync: {results['sync_relations_per_s']:,} relations/s ({sync_s:.0f} s)", flush=True)

        embedded = EmbeddedStore(db)
        rng = random.Random(11)
        commodities = embedded.entity_ids(EntityType.COMMODITY)
        sample = [rng.choice(commodities) for _ in range(args.samples)]
        same = True
        for depth in (2, 4):
            for name, target in (("embedded", embedded), ("neo4j", store)):
                samples = []
                deadline = time.perf_counter() + args.budget
                for c in sample:
                    t = time.perf_counter()
                    dependencies.dependents(target, c, max_depth=depth)
                    samples.append(time.perf_counter() - t)
                    if time.perf_counter() > deadline:
                        break
                results[f"dependents_d{depth}_{name}"] = r = percentiles(samples)
                print(f"  dependents depth {depth} {name:<9} n={r['n']:>4}  p50 {r['p50_ms']:>9.2f} ms  p99 {r['p99_ms']:>9.2f} ms", flush=True)
            for c in sample[:10]:
                a = dependencies.dependents(embedded, c, max_depth=depth).model_dump()
                b = dependencies.dependents(store, c, max_depth=depth).model_dump()
                same = same and a == b
            results[f"ratio_d{depth}_neo4j_vs_embedded_p50"] = round(
                results[f"dependents_d{depth}_neo4j"]["p50_ms"] / results[f"dependents_d{depth}_embedded"]["p50_ms"], 2)
        results["same_answers_first_10"] = same
        print(f"  same answers on both stores (first 10 per depth): {same}", flush=True)
        store.close()
        embedded.close()
    finally:
        server.stop()
    command = f".venv/bin/python -m bench.neo4j --size {args.size} --samples {args.samples} --heap {args.heap}"
    save(f"neo4j-{label(n)}", {"size": n, "results": results, "command": command})
    reproduce(command)
    return results


if __name__ == "__main__":
    sys.exit(main() and 0)
