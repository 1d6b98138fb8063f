"""The plot of query latency against graph size, from bench/results/queries-*.json.

    .venv/bin/python -m bench.report

Writes bench/latency_vs_size.png (needs matplotlib: `make bench-deps`) and prints a markdown table
of every queries result found, for BENCHMARKS.md.
"""

from __future__ import annotations

import json
import sys

from bench.common import RESULTS, ROOT

FAMILIES = [
    ("dependents_d2", "dependents depth 2"),
    ("dependents_d4", "dependents depth 4"),
    ("dependents_d4_roots", "dependents depth 4, taxonomy roots"),
    ("escalation", "escalation"),
    ("search", "search"),
    ("paths", "paths"),
    ("neighbors", "neighbours"),
    ("nx_bfs_d4", "raw networkx BFS depth 4 (baseline)"),
]


def load() -> list[dict]:
    found = []
    for path in sorted(RESULTS.glob("queries-*.json")):
        found.append(json.loads(path.read_text()))
    return sorted(found, key=lambda d: d["size"])


def table(results: list[dict]) -> str:
    sizes = [r["size"] for r in results]
    head = "| query | " + " | ".join(f"{s:,} p50 / p99 ms" for s in sizes) + " |"
    rule = "|---|" + "---|" * len(sizes)
    rows = [head, rule]
    for key, name in FAMILIES:
        cells = []
        for r in results:
            item = r["results"].get(key)
            cells.append(f"{item['p50_ms']:.2f} / {item['p99_ms']:.1f}" if item else "–")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def plot(results: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharex=True)
    for ax, stat in zip(axes, ("p50_ms", "p99_ms"), strict=True):
        for key, name in FAMILIES:
            xs = [r["size"] for r in results if key in r["results"]]
            ys = [r["results"][key][stat] for r in results if key in r["results"]]
            if xs:
                ax.plot(xs, ys, marker="o", label=name, linestyle="--" if key.startswith("nx_") else "-")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("relations in the graph")
        ax.set_ylabel(f"{stat[:3]} latency (ms)")
        ax.set_title(f"{stat[:3]} latency against graph size")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].axhline(20, color="grey", linewidth=0.8)
    axes[1].axhline(20, color="grey", linewidth=0.8)
    axes[1].text(axes[1].get_xlim()[0], 21, " 20 ms goal (dependents d4 p99 at 1M)", fontsize=7, color="grey")
    axes[1].axhline(10, color="grey", linewidth=0.8, linestyle=":")
    axes[1].legend(fontsize=7, loc="upper left")
    fig.suptitle("tradegraph embedded store, graph.queries on a 2-core VM (bench/queries.py)", fontsize=9)
    fig.tight_layout()
    out = ROOT / "bench" / "latency_vs_size.png"
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


def main() -> None:
    results = load()
    if not results:
        raise SystemExit("no bench/results/queries-*.json yet: run bench.queries first")
    print(table(results))
    plot(results)


if __name__ == "__main__":
    sys.exit(main())
