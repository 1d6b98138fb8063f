"""Embedded upsert throughput (relations/s) beside raw SQLite executemany of the same rows.

    .venv/bin/python -m bench.upsert --size 100k [--batch 5000]

The generated batches are built first (pydantic validation of every model is timed apart, as
"models"); then, in the same run and into fresh files on the same disk (a temp dir, never
bench/data):
- store: ``EmbeddedStore.upsert(batch)`` per batch: planning (quotes checked against documents,
  endpoints, merging), the SQLite transaction, and the in-memory index;
- raw, same schema: one transaction per batch with ``executemany`` of exactly the rows the store
  writes (documents, entities and relations with their evidence, citations, the evidence count,
  the version, one change row) from tuples made beforehand: the ceiling for this schema on this disk;
- raw, schema 1: the same, into the store's previous schema (one evidence row per piece,
  relations keyed by their text key) — what the schema change itself is worth;
- raw, relations only: the relation rows alone (text primary key only), as in LIMITS.md.
Rates are relations per second of wall time; the ratio store/raw is what the store adds.

With ``--before DIR`` (an older checkout), each round also times that checkout's store and this
one's, each in a fresh child process over the same generated batches: the "now ÷ before" ratio.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import label, reproduce, save, size_of
from bench.generate import Spec, batches, make_plan
from bench.harness.schema_1 import SCHEMA_1_TABLES
from graph.embedded import EmbeddedStore
from graph.embedded.rows import entity_body, evidence_blob, key_hash, relation_body
from graph.embedded.schema import SCHEMA


_HERE = Path(__file__).resolve().parent.parent  # this checkout


def _fresh(directory: Path, name: str) -> Path:
    path = directory / name
    for p in directory.glob(name + "*"):
        p.unlink()
    return path


# schema 1, with the meta rows a new store of that schema started with
SCHEMA_1 = SCHEMA_1_TABLES + "INSERT INTO meta VALUES ('version', '0'), ('schema', '1');\n"


def _rows(batch) -> dict:  # noqa: ANN001
    """The rows writing ``batch`` into an empty store puts in each table, in both schemas."""
    docs = [(d.id, d.title, d.url, d.published and d.published.isoformat(), d.language, d.source, d.text) for d in batch.documents]
    rows: dict = {"docs": docs, "ents": [], "ent_evidence": [], "rels": [], "ents1": [], "rels1": [], "evidence1": []}
    cited: dict = {}
    evidence_count = 0
    for e in batch.entities:
        body = entity_body(e)
        rows["ents"].append((e.id, e.type.value, body))
        rows["ent_evidence"] += [(e.id, x.document_id, x.start, x.end, x.extractor, x.quote, x.confidence) for x in e.evidence]
        rows["ents1"].append((e.id, e.type.value, body))
        rows["evidence1"] += [(e.id, x.document_id, x.start, x.end, x.extractor, x.quote, x.confidence) for x in e.evidence]
        for x in e.evidence:
            cited.setdefault(x.document_id, {})[e.id] = None
        evidence_count += len(e.evidence)
    for r in batch.relations:
        key, body = r.key, relation_body(r)
        rows["rels"].append((key_hash(key), key, r.source, r.type.value, r.target, body, evidence_blob(r.evidence)))
        rows["rels1"].append((key, r.source, r.type.value, r.target, body))
        rows["evidence1"] += [(key, x.document_id, x.start, x.end, x.extractor, x.quote, x.confidence) for x in r.evidence]
        for x in r.evidence:
            cited.setdefault(x.document_id, {})[key] = None
        evidence_count += len(r.evidence)
    rows["citations"] = [(d, "\n".join(s)) for d, s in cited.items()]
    rows["evidence_count"] = evidence_count
    rows["touched"] = "\n".join(sorted({r[1] for r in rows["rels"]} | {e[0] for e in rows["ents"]}))
    return rows


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def raw_same_schema(path: Path, prepared: list) -> float:
    """The store's own rows and schema, without the store."""
    db = _connect(path)
    db.executescript(SCHEMA)
    t = time.perf_counter()
    for version, rows in enumerate(prepared, start=1):
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO documents (id, title, url, published, language, source, text) VALUES (?,?,?,?,?,?,?)", rows["docs"])
        db.executemany("INSERT INTO entities (id, type, body) VALUES (?,?,?)", rows["ents"])
        db.executemany(
            "INSERT INTO evidence_rows (subject, document_id, start, end, extractor, quote, confidence) VALUES (?,?,?,?,?,?,?)",
            rows["ent_evidence"],
        )
        db.executemany("INSERT INTO relations (hash, key, source, type, target, body, evidence) VALUES (?,?,?,?,?,?,?)", rows["rels"])
        db.executemany("INSERT INTO citations (document_id, subjects) VALUES (?, ?)", rows["citations"])
        db.execute("UPDATE meta SET value = value + ? WHERE key = 'evidence'", (rows["evidence_count"],))
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(version),))
        db.execute("INSERT INTO changes (version, key) VALUES (?, ?)", (version, rows["touched"]))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - t
    db.close()
    return elapsed


def raw_schema_1(path: Path, prepared: list) -> float:
    """The rows the store wrote before schema 2, into schema 1."""
    db = _connect(path)
    db.executescript(SCHEMA_1)
    t = time.perf_counter()
    for version, rows in enumerate(prepared, start=1):
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO documents (id, title, url, published, language, source, text) VALUES (?,?,?,?,?,?,?)", rows["docs"])
        db.executemany("INSERT INTO entities (id, type, body) VALUES (?,?,?) ON CONFLICT(id) DO UPDATE SET type=excluded.type, body=excluded.body", rows["ents1"])
        db.executemany("INSERT INTO relations (key, source, type, target, body) VALUES (?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET body=excluded.body", rows["rels1"])
        db.executemany("INSERT OR IGNORE INTO evidence (subject, document_id, start, end, extractor, quote, confidence) VALUES (?,?,?,?,?,?,?)", rows["evidence1"])
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(version),))
        db.execute("INSERT INTO changes (version, key) VALUES (?, ?)", (version, rows["touched"]))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - t
    db.close()
    return elapsed


def raw_relations_only(path: Path, prepared: list) -> float:
    db = _connect(path)
    db.execute("CREATE TABLE relations (key TEXT PRIMARY KEY, source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, body BLOB NOT NULL)")
    t = time.perf_counter()
    for rows in prepared:
        db.execute("BEGIN")
        db.executemany("INSERT INTO relations VALUES (?,?,?,?,?)", rows["rels1"])
        db.execute("COMMIT")
    elapsed = time.perf_counter() - t
    db.close()
    return elapsed


def store_upsert(path: Path, all_batches: list, checkpoints: int = 10) -> tuple[float, list[dict]]:
    store = EmbeddedStore(path)
    total = sum(len(b.relations) for b in all_batches)
    step = max(1, total // checkpoints)
    curve = []
    written = 0
    elapsed = 0.0
    window_t = 0.0
    window_n = 0
    for batch in all_batches:
        t = time.perf_counter()
        store.upsert(batch)
        dt = time.perf_counter() - t
        elapsed += dt
        window_t += dt
        written += len(batch.relations)
        window_n += len(batch.relations)
        if window_n >= step:
            curve.append({"at": written, "relations_per_s": round(window_n / window_t)})
            window_t = 0.0
            window_n = 0
    t = time.perf_counter()
    again = store.upsert(all_batches[-1])
    repeat_s = time.perf_counter() - t
    assert not again.changed, "writing the same batch twice changed the store"
    store.close()
    return elapsed, curve, repeat_s


class _TimedConnection:
    """A sqlite3 connection whose statements add their wall time to ``times`` (commit apart)."""

    def __init__(self, db: sqlite3.Connection, times: dict) -> None:
        self._db, self._times = db, times

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._db, name)

    def _timed(self, label: str, fn, *args):  # noqa: ANN001, ANN202
        t = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self._times[label] = self._times.get(label, 0.0) + time.perf_counter() - t

    def execute(self, sql: str, *args):  # noqa: ANN201
        return self._timed("sql commit" if sql == "COMMIT" else "sql other", self._db.execute, sql, *args)

    def executemany(self, sql: str, rows):  # noqa: ANN001, ANN201
        return self._timed("sql inserts and updates", self._db.executemany, sql, rows)


def store_split(path: Path, all_batches: list) -> dict[str, float]:
    """One more store round, each part of a write timed: µs per relation in planning, in
    ``_apply`` outside SQLite (building rows), in SQLite statements, in the commit, and in
    updating the in-memory index."""
    import graph.embedded.store as embedded

    times: dict[str, float] = {}

    def timed(label: str, fn):  # noqa: ANN001, ANN202
        def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[label] = times.get(label, 0.0) + time.perf_counter() - t
        return run

    saved = embedded.plan_batch, embedded.EmbeddedStore._apply, embedded.EmbeddedStore._next_generation
    embedded.plan_batch = timed("planning", saved[0])
    embedded.EmbeddedStore._apply = timed("apply", saved[1])
    embedded.EmbeddedStore._next_generation = timed("index", saved[2])
    try:
        store = EmbeddedStore(path)
        store._db = _TimedConnection(store._db, times)
        t = time.perf_counter()
        for batch in all_batches:
            store.upsert(batch)
        total_s = time.perf_counter() - t
        store._db = store._db._db
        store.close()
    finally:
        embedded.plan_batch, embedded.EmbeddedStore._apply, embedded.EmbeddedStore._next_generation = saved
    n = sum(len(b.relations) for b in all_batches)
    sql_in_apply = times.get("sql inserts and updates", 0.0)
    parts = {
        "planning": times["planning"],
        "building rows (apply outside SQLite)": times["apply"] - sql_in_apply,
        "sql inserts and updates": sql_in_apply,
        "sql commit": times.get("sql commit", 0.0),
        "index": times["index"],
    }
    parts["other (lock, BEGIN, catching up, version)"] = total_s - sum(parts.values())
    return {"total_us_per_relation": round(total_s / n * 1e6, 2), **{k: round(v / n * 1e6, 2) for k, v in parts.items()}}


_BEFORE = """
import sys, time
from pathlib import Path
from bench.generate import Spec, batches, make_plan
from bench.upsert import store_upsert
spec = Spec(relations=int(sys.argv[1]), batch_size=int(sys.argv[2]))
all_batches = list(batches(make_plan(spec), spec))
print(store_upsert(Path(sys.argv[3]), all_batches)[0])
"""


def store_upsert_in_child(checkout: Path, path: Path, n: int, batch: int) -> float:
    """``EmbeddedStore.upsert`` of a checkout of tradegraph (this one, or an older one: ``git
    archive <commit> | tar -x -C DIR``), timed by that checkout's own ``store_upsert`` over the
    same generated batches, in a fresh child process; only the upserts are timed, into ``path``.
    Now and before are compared this way, each in a process of its own: timed in this process,
    the store runs beside the raw rounds' prepared rows and allocations, which cost it 10-20%."""
    out = subprocess.run(
        [sys.executable, "-c", _BEFORE, str(n), str(batch), str(path)],
        cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)}, check=True, capture_output=True, text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="100k")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default=None, help="where the scratch databases go (default: a fresh temp dir of the system's)")
    parser.add_argument("--split", action="store_true", help="one more store round, timing planning, rows, SQLite, commit and index apart")
    parser.add_argument("--before", default=None, help="an older checkout (git archive COMMIT | tar -x -C DIR) whose store is timed too, in the same rounds")
    args = parser.parse_args(argv)
    n = size_of(args.size)
    spec = Spec(relations=n, batch_size=args.batch)
    print(f"upsert at {n:,} relations, batches of {args.batch:,}", flush=True)
    t = time.perf_counter()
    plan = make_plan(spec)
    plan_s = time.perf_counter() - t
    t = time.perf_counter()
    all_batches = list(batches(plan, spec))
    models_s = time.perf_counter() - t
    del plan
    total = sum(len(b.relations) for b in all_batches)
    print(f"  models: {total / models_s:,.0f} relations/s to build and validate the Batch objects ({models_s:.1f} s)", flush=True)
    prepared = [_rows(b) for b in all_batches]

    # Never under bench/data: those are the shared generated stores, read-only for benchmarks.
    scratch = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="tradegraph-upsert-"))
    scratch.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    raw_runs, raw1_runs, rel_runs, store_runs, before_runs, now_runs = [], [], [], [], [], []
    for i in range(args.repeat):  # interleaved, so that a noisy neighbour hits them all alike
        if args.before:
            before_runs.append(total / store_upsert_in_child(Path(args.before).resolve(), _fresh(scratch, "before.db"), n, args.batch))
            now_runs.append(total / store_upsert_in_child(_HERE, _fresh(scratch, "now.db"), n, args.batch))
            print(f"  [{i + 1}] each in a child process: before ({args.before}) {before_runs[-1]:>9,.0f}/s   now {now_runs[-1]:>9,.0f}/s", flush=True)
        raw_runs.append(total / raw_same_schema(_fresh(scratch, "raw.db"), prepared))
        raw1_runs.append(total / raw_schema_1(_fresh(scratch, "raw1.db"), prepared))
        rel_runs.append(total / raw_relations_only(_fresh(scratch, "rel.db"), prepared))
        store_s, curve, repeat_s = store_upsert(_fresh(scratch, "store.db"), all_batches)
        store_runs.append(total / store_s)
        print(f"  [{i + 1}] raw same schema {raw_runs[-1]:>9,.0f}/s   raw schema 1 {raw1_runs[-1]:>9,.0f}/s   raw relations only {rel_runs[-1]:>9,.0f}/s   "
              f"EmbeddedStore.upsert {store_runs[-1]:>9,.0f}/s   (ratio {store_runs[-1] / raw_runs[-1]:.2f})", flush=True)
    results["raw_same_schema"] = round(statistics.median(raw_runs))
    results["raw_schema_1"] = round(statistics.median(raw1_runs))
    results["raw_relations_only"] = round(statistics.median(rel_runs))
    results["store"] = round(statistics.median(store_runs))
    results["ratios_per_round"] = [round(s / r, 3) for s, r in zip(store_runs, raw_runs, strict=True)]
    if before_runs:
        results["store_before"] = round(statistics.median(before_runs))
        results["store_before_runs"] = [round(r) for r in before_runs]
        results["before_checkout"] = args.before
        results["store_now_in_child"] = round(statistics.median(now_runs))
        results["store_now_in_child_runs"] = [round(r) for r in now_runs]
        results["ratio_now_vs_before"] = round(results["store_now_in_child"] / results["store_before"], 3)
        results["ratio_now_vs_before_per_round"] = [round(a / b, 3) for a, b in zip(now_runs, before_runs, strict=True)]
        print(f"  median, each in a child process: before {results['store_before']:,}/s, now {results['store_now_in_child']:,}/s "
              f"(now ÷ before {results['ratio_now_vs_before']:.2f})", flush=True)
    results["store_runs"] = [round(r) for r in store_runs]
    results["raw_same_schema_runs"] = [round(r) for r in raw_runs]
    results["raw_schema_1_runs"] = [round(r) for r in raw1_runs]
    print(f"  median: raw same schema {results['raw_same_schema']:,}/s, schema 1 {results['raw_schema_1']:,}/s, relations only {results['raw_relations_only']:,}/s, "
          f"EmbeddedStore.upsert {results['store']:,}/s", flush=True)
    print(f"  same batch again (no change): {repeat_s * 1000:,.0f} ms for {len(all_batches[-1].relations):,} relations", flush=True)
    if args.split:
        results["split_us_per_relation"] = split = store_split(_fresh(scratch, "split.db"), all_batches)
        print("  where a write's time goes (µs per relation): " + ", ".join(f"{k} {v}" for k, v in split.items()), flush=True)
    store_s = total / results["store"]
    results["ratio_store_vs_raw_same_schema"] = round(results["store"] / results["raw_same_schema"], 3)
    results["models_relations_per_s"] = round(total / models_s)
    results["store_including_models"] = round(total / (store_s + models_s))
    results["repeat_batch_ms"] = round(repeat_s * 1000, 1)
    results["curve"] = curve
    for p in scratch.glob("*"):
        p.unlink()
    scratch.rmdir()
    command = f".venv/bin/python -m bench.upsert --size {args.size} --batch {args.batch} --repeat {args.repeat}"
    if args.split:
        command += " --split"
    if args.before:
        command += f" --before {args.before}"
    payload = {"size": n, "relations": total, "batch": args.batch, "plan_s": round(plan_s, 2), "results": results, "command": command}
    save(f"upsert-{label(n)}", payload)
    reproduce(command)
    return payload


if __name__ == "__main__":
    sys.exit(main() and 0)
