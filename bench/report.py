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


def _json(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _when(d: dict) -> str:
    m = d["machine"]
    if "load_1m_at_start" in m:
        return f"{m['started']} to {m['when']}, load {m['load_1m_at_start']} at the start"
    return f"{m['when']}, load {m['load_1m']} at the end"  # files written before the start was kept


def extraction_table() -> str:
    d = _json("extraction")
    if not d:
        return ""
    rows = ["| texts | documents | KB | documents/s | MB/s | `read_text` alone, documents/s | ratio |", "|---|---|---|---|---|---|---|"]
    for group, r in d["results"].items():
        rows.append(f"| {group} | {r['documents']} | {r['bytes'] / 1000:.1f} | {r['documents_per_s']:,.0f} | {r['mb_per_s']:.2f} | "
                    f"{r['read_text_only_documents_per_s']:,} | {r['ratio_vs_read_text']:.3f} |")
    return "\n".join(rows) + f"\n\n({_when(d)}; `{d['command']}`)"


def upsert_table() -> str:
    rows = ["| size | store | EmbeddedStore.upsert | raw executemany, same schema | ratio | raw, relation rows only | building the Batch models | upsert + models |",
            "|---|---|---|---|---|---|---|---|"]
    notes = []
    found = False
    for path in sorted(RESULTS.glob("upsert-*.json")):
        d = json.loads(path.read_text())
        r = d["results"]
        found = True
        store = "networkx (before)" if "before" in path.name else "compact index (now)"
        rows.append(f"| {d['size']:,} | {store} | {r['store']:,}/s | {r['raw_same_schema']:,}/s | {r['ratio_store_vs_raw_same_schema']:.2f} "
                    f"(rounds {', '.join(f'{x:.2f}' for x in r.get('ratios_per_round', []))}) | {r['raw_relations_only']:,}/s | "
                    f"{r['models_relations_per_s']:,}/s | {r['store_including_models']:,}/s |")
        notes.append(f"- {store}: {_when(d)}; `{d['command']}`; writing the last batch again, which changes nothing: {r['repeat_batch_ms']:.0f} ms")
    return "\n".join(rows) + "\n\n" + "\n".join(notes) if found else ""


def cold_table() -> str:
    rows = ["| size | variant | open s | first answer s | B/relation resident | after malloc_trim | RSS MiB |", "|---|---|---|---|---|---|---|"]
    notes = []
    for label in ("10k", "100k", "1m", "5m"):
        d = _json(f"coldstart-{label}")
        if not d:
            continue
        for name, v in d["summary"].items():
            if isinstance(v, dict):
                rows.append(f"| {d['size']:,} | {name} | {v['open_s']:.2f} | {v['first_answer_s']:.2f} | {v['bytes_per_relation']:,} | "
                            f"{v['bytes_per_relation_after_trim']:,} | {v['rss_loaded'] / 2**20:,.0f} |")
        ratios = {k: v for k, v in d["summary"].items() if k.startswith("ratio")}
        notes.append(f"- {d['size']:,}: {_when(d)}; median of {len(next(iter(d['runs'].values())))} runs; ratios {ratios}")
    return "\n".join(rows) + "\n\n" + "\n".join(notes)


def api_table() -> str:
    out = []
    for label in ("100k", "1m"):
        d = _json(f"api-{label}")
        if not d:
            continue
        rows = [f"At {d['size']:,} relations ({_when(d)}):", "", "| endpoint | requests/s | p50 ms | p99 ms |", "|---|---|---|---|"]
        for name, r in d["results"].items():
            rows.append(f"| {name} | {r['requests_per_s']:,} | {r['p50_ms']} | {r['p99_ms']} |")
        rows.append("")
        rows.append("Ratios: " + ", ".join(f"{k} {v:.3f}" for k, v in d["ratios"].items()))
        out.append("\n".join(rows))
    return "\n\n".join(out)


def neo4j_table() -> str:
    d = _json("neo4j-100k")
    if not d:
        return ""
    r = d["results"]
    rows = ["| | embedded | Neo4j 5.26 | ratio (p50) |", "|---|---|---|---|",
            f"| write (sync) relations/s | see upsert | {r['sync_relations_per_s']:,} | |"]
    for depth in (2, 4):
        e, n = r[f"dependents_d{depth}_embedded"], r[f"dependents_d{depth}_neo4j"]
        rows.append(f"| dependents depth {depth} p50 / p99 ms | {e['p50_ms']:.1f} / {e['p99_ms']:.0f} | {n['p50_ms']:.1f} / {n['p99_ms']:.0f} | "
                    f"{r[f'ratio_d{depth}_neo4j_vs_embedded_p50']:.1f}× |")
    return "\n".join(rows) + f"\n\n({_when(d)}; same answers: {r['same_answers_first_10']})"


def main() -> None:
    results = load()
    if not results:
        raise SystemExit("no bench/results/queries-*.json yet: run bench.queries first")
    for title, text in (("queries", table(results)), ("extraction", extraction_table()), ("upsert", upsert_table()),
                        ("cold start", cold_table()), ("api", api_table()), ("neo4j", neo4j_table())):
        print(f"\n### {title}\n\n{text}")
    plot(results)


if __name__ == "__main__":
    sys.exit(main())
