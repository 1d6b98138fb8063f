"""Cold start (open the store → first answer) and resident memory per relation, each in a fresh process.

    .venv/bin/python -m bench.coldstart --size 1m [--repeat 3] [--before PATH]

A child process imports the project, opens an empty store (the baseline for memory), then opens
the generated store and answers a first question: search "稀土" and the entity detail of the top
hit (what the explorer does first). Reported: seconds from ``EmbeddedStore(path)`` to that first
answer, both when the index is rebuilt from SQLite and when it is loaded from its snapshot, the time
of a heavy question after it (dependents of rare earths, depth 4: ``heavy_dependents_s``), and resident memory (VmRSS)
added by the open store, per relation: evidence, documents and entity bodies live in SQLite, so
this is the index's cost. ``after_trim`` is the same after ``malloc_trim(0)`` hands freed heap
back to the OS. ``--before PATH`` runs the same child against another checkout of the project
(e.g. the networkx store, ``git worktree add /tmp/before 8069693``) in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from bench.common import PY, ROOT, ensure_db, label, reproduce, save, size_of

CHILD = r"""
import ctypes, gc, json, os, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
t0 = time.perf_counter()
from graph.embedded import EmbeddedStore
from graph.queries import dependencies, explore
if sys.argv[3] == "sqlite":
    EmbeddedStore._load_snapshot = lambda self: False  # rebuild the index from every row
import_s = time.perf_counter() - t0
empty_dir = tempfile.mkdtemp()
empty = EmbeddedStore(os.path.join(empty_dir, "empty.db"))
explore.stats(empty)
gc.collect()
base = rss()
t = time.perf_counter()
store = EmbeddedStore(sys.argv[2])
open_s = time.perf_counter() - t
hits = explore.search(store, "稀土")
detail = explore.entity_detail(store, hits.data[0].entity.id)
first_s = time.perf_counter() - t
t = time.perf_counter()
answer = dependencies.dependents(store, "commodity:rare-earths", max_depth=4)
search_s = time.perf_counter() - t
gc.collect()
loaded = rss()
try:
    ctypes.CDLL("libc.so.6").malloc_trim(0)
except OSError:
    pass
trimmed = rss()
counts = store.counts()
print(json.dumps({"import_s": import_s, "open_s": open_s, "first_answer_s": first_s, "heavy_dependents_s": search_s,
                  "dependents": answer.count, "relations": counts.relations, "entities": counts.entities,
                  "rss_base": base, "rss_loaded": loaded, "rss_trimmed": trimmed}))
"""


def child(root: str, path: str, mode: str) -> dict:
    out = subprocess.run([PY, "-c", CHILD, root, path, mode], capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    data = json.loads(out.stdout.strip().splitlines()[-1])
    rel = max(1, data["relations"])
    data["bytes_per_relation"] = round((data["rss_loaded"] - data["rss_base"]) / rel)
    data["bytes_per_relation_after_trim"] = round((data["rss_trimmed"] - data["rss_base"]) / rel)
    return data


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="100k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", default=None, help="another checkout to measure in the same run")
    args = parser.parse_args(argv)
    n = size_of(args.size)
    path = str(ensure_db(n))
    from graph.embedded import EmbeddedStore

    with EmbeddedStore(path) as store:
        store.write_snapshot()  # so that the "snapshot" runs find one that is current
    variants = {"now, from snapshot": (str(ROOT), "snapshot"), "now, from SQLite": (str(ROOT), "sqlite")}
    if args.before:
        variants["before (networkx)"] = (args.before, "sqlite")
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    for i in range(args.repeat):
        for name, (root, mode) in variants.items():
            data = child(root, path, mode)
            runs[name].append(data)
            print(f"  [{name} {i + 1}] open {data['open_s']:.2f} s, first answer {data['first_answer_s']:.2f} s, "
                  f"{data['bytes_per_relation']} B/relation ({data['bytes_per_relation_after_trim']} after trim), "
                  f"RSS {data['rss_loaded'] / 2**20:.0f} MiB", flush=True)
    summary = {}
    for name, items in runs.items():
        items.sort(key=lambda d: d["first_answer_s"])
        mid = items[len(items) // 2]
        summary[name] = {k: mid[k] for k in ("open_s", "first_answer_s", "heavy_dependents_s", "bytes_per_relation",
                                             "bytes_per_relation_after_trim", "rss_loaded", "relations", "entities")}
        summary[name]["first_answer_s"] = round(summary[name]["first_answer_s"], 2)
        summary[name]["open_s"] = round(summary[name]["open_s"], 2)
    if "before (networkx)" in summary:
        before = summary["before (networkx)"]
        for name in ("now, from snapshot", "now, from SQLite"):
            summary[f"ratio_first_answer[{name}]_vs_before"] = round(summary[name]["first_answer_s"] / before["first_answer_s"], 3)
        summary["ratio_memory_now_vs_before"] = round(summary["now, from SQLite"]["bytes_per_relation"] / before["bytes_per_relation"], 3)
    print(json.dumps(summary, indent=2))
    command = f".venv/bin/python -m bench.coldstart --size {args.size} --repeat {args.repeat}" + (f" --before {args.before}" if args.before else "")
    save(f"coldstart-{label(n)}", {"size": n, "summary": summary, "runs": runs, "command": command})
    reproduce(command)
    return summary


if __name__ == "__main__":
    sys.exit(main() and 0)
