"""What the hard caps cost: the worst capped query of each kind on a dense dependency web (every
product of a layer depends on every product of the layer below), timed through the API with the
default read budget, so the figures show how far the caps keep queries from the budget.

    python -m bench.reliability.caps --width 150 --layers 6
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from bench.reliability.common import save, workdir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=150, help="products per layer")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("TRADEGRAPH_QUERY_TIMEOUT_S", "10")

    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings
    from bench.harness.dense import dense_web

    folder = workdir("caps")
    started = time.monotonic()
    store = dense_web(folder / "dense.db", width=args.width, layers=args.layers)
    built_s = time.monotonic() - started
    counts = store.counts()
    top = f"product:p-{args.layers - 1}-0"
    middle = f"product:p-{args.layers // 2}-0"
    queries = {
        "dependents max_depth=6 limit=1000": ("/v1/dependents", {"commodity": "commodity:root", "max_depth": 6, "limit": 1000}),
        "dependencies max_depth=6": (f"/v1/entities/{top}/dependencies", {"max_depth": 6}),
        "neighbors depth=3": (f"/v1/entities/{middle}/neighbors", {"depth": 3}),
        "subgraph 100 ids depth=3": ("/v1/subgraph", {"ids": ",".join(f"product:p-{args.layers // 2}-{i}" for i in range(min(100, args.width))), "depth": 3}),
        "paths max_length=6": ("/v1/paths", {"source": "commodity:root", "target": top, "max_length": 6}),
        "search limit=200": ("/v1/search", {"q": "p", "limit": 200}),
        "stats": ("/v1/stats", {}),
    }
    results = {}
    with TestClient(create_app(Settings(), store=store)) as client:
        for name, (path, params) in queries.items():
            times, statuses, size = [], set(), 0
            for _ in range(args.repeat):
                t = time.perf_counter()
                response = client.get(path, params=params)
                times.append(time.perf_counter() - t)
                statuses.add(response.status_code)
                size = len(response.content)
            results[name] = {"best_s": round(min(times), 3), "worst_s": round(max(times), 3), "statuses": sorted(statuses), "bytes": size}
            print(f"{name:38} best {min(times):7.3f} s  worst {max(times):7.3f} s  {sorted(statuses)}  {size:,} bytes")
    store.close()
    payload = {
        "graph": {"entities": counts.entities, "relations": counts.relations, "width": args.width, "layers": args.layers, "built_s": round(built_s, 1)},
        "budget_s": float(os.environ["TRADEGRAPH_QUERY_TIMEOUT_S"]),
        "queries": results,
        "command": "python -m bench.reliability.caps " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    out = save("caps", payload)
    print(f"graph {counts.entities:,} entities, {counts.relations:,} relations (built in {built_s:.1f} s)")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
