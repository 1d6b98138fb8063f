"""Embedded upsert throughput (relations/s) beside raw SQLite executemany of the same rows.

    .venv/bin/python -m bench.upsert --size 100k [--batch 5000]

The generated batches are built first (pydantic validation of every model is timed apart, as
"models"); then, in the same run and into fresh files on the same disk:
- store: ``EmbeddedStore.upsert(batch)`` per batch: planning (quotes checked against documents,
  endpoints, merging), the SQLite transaction, and the in-memory index;
- raw, same schema: one transaction per batch with ``executemany`` of exactly the rows the store
  writes (documents, entities, relations, evidence, one change row) from tuples made beforehand:
  the ceiling for this schema on this disk;
- raw, relations only: the relation rows alone (primary key only), as in LIMITS.md.
Rates are relations per second of wall time; the ratio store/raw is what the store adds.
"""

from __future__ import annotations

import argparse
import statistics
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import orjson

from bench.common import label, reproduce, save, size_of
from bench.generate import Spec, batches, make_plan
from graph.embedded import SCHEMA, EmbeddedStore


def _fresh(directory: Path, name: str) -> Path:
    path = directory / name
    for p in directory.glob(name + "*"):
        p.unlink()
    return path


def _rows(batch) -> tuple[list, list, list, list]:  # noqa: ANN001
    docs = [(d.id, d.title, d.url, d.published and d.published.isoformat(), d.language, d.source, d.text) for d in batch.documents]
    ents = [
        (e.id, e.type.value, orjson.dumps(e.model_dump(mode="json", exclude={"id", "type", "evidence"}, exclude_none=True), option=orjson.OPT_SORT_KEYS))
        for e in batch.entities
    ]
    rels = []
    evidence = []
    for r in batch.relations:
        key = r.key
        body = orjson.dumps(r.model_dump(mode="json", include={"share", "origin", "valid_from", "valid_to", "attributes"}, exclude_none=True), option=orjson.OPT_SORT_KEYS)
        rels.append((key, r.source, r.type.value, r.target, body))
        evidence += [(key, e.document_id, e.start, e.end, e.extractor, e.quote, e.confidence) for e in r.evidence]
    for e in batch.entities:
        evidence += [(e.id, x.document_id, x.start, x.end, x.extractor, x.quote, x.confidence) for x in e.evidence]
    return docs, ents, rels, evidence


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def raw_same_schema(path: Path, prepared: list) -> float:
    db = _connect(path)
    db.executescript(SCHEMA)
    t = time.perf_counter()
    for version, (docs, ents, rels, evidence, touched) in enumerate(prepared, start=1):
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO documents (id, title, url, published, language, source, text) VALUES (?,?,?,?,?,?,?)", docs)
        db.executemany("INSERT INTO entities (id, type, body) VALUES (?,?,?) ON CONFLICT(id) DO UPDATE SET type=excluded.type, body=excluded.body", ents)
        db.executemany("INSERT INTO relations (key, source, type, target, body) VALUES (?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET body=excluded.body", rels)
        db.executemany("INSERT OR IGNORE INTO evidence (subject, document_id, start, end, extractor, quote, confidence) VALUES (?,?,?,?,?,?,?)", evidence)
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(version),))
        db.execute("INSERT INTO changes (version, key) VALUES (?, ?)", (version, touched))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - t
    db.close()
    return elapsed


def raw_relations_only(path: Path, prepared: list) -> float:
    db = _connect(path)
    db.execute("CREATE TABLE relations (key TEXT PRIMARY KEY, source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, body BLOB NOT NULL)")
    t = time.perf_counter()
    for _, _, rels, _, _ in prepared:
        db.execute("BEGIN")
        db.executemany("INSERT INTO relations VALUES (?,?,?,?,?)", rels)
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


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="100k")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default=None, help="where the scratch databases go (default: a temp dir under bench/data)")
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
    prepared = []
    for b in all_batches:
        docs, ents, rels, evidence = _rows(b)
        touched = "\n".join(sorted({r[0] for r in rels} | {e[0] for e in ents}))
        prepared.append((docs, ents, rels, evidence, touched))

    data = Path(__file__).parent / "data"
    data.mkdir(parents=True, exist_ok=True)
    scratch = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="upsert-", dir=data))
    scratch.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    raw_runs, rel_runs, store_runs = [], [], []
    for i in range(args.repeat):  # interleaved, so that a noisy neighbour hits all three alike
        raw_runs.append(total / raw_same_schema(_fresh(scratch, "raw.db"), prepared))
        rel_runs.append(total / raw_relations_only(_fresh(scratch, "rel.db"), prepared))
        store_s, curve, repeat_s = store_upsert(_fresh(scratch, "store.db"), all_batches)
        store_runs.append(total / store_s)
        print(f"  [{i + 1}] raw same schema {raw_runs[-1]:>9,.0f}/s   raw relations only {rel_runs[-1]:>9,.0f}/s   "
              f"EmbeddedStore.upsert {store_runs[-1]:>9,.0f}/s   (ratio {store_runs[-1] / raw_runs[-1]:.2f})", flush=True)
    results["raw_same_schema"] = round(statistics.median(raw_runs))
    results["raw_relations_only"] = round(statistics.median(rel_runs))
    results["store"] = round(statistics.median(store_runs))
    results["ratios_per_round"] = [round(s / r, 3) for s, r in zip(store_runs, raw_runs, strict=True)]
    print(f"  median: raw same schema {results['raw_same_schema']:,}/s, relations only {results['raw_relations_only']:,}/s, "
          f"EmbeddedStore.upsert {results['store']:,}/s", flush=True)
    print(f"  same batch again (no change): {repeat_s * 1000:,.0f} ms for {len(all_batches[-1].relations):,} relations", flush=True)
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
    payload = {"size": n, "relations": total, "batch": args.batch, "plan_s": round(plan_s, 2), "results": results, "command": command}
    save(f"upsert-{label(n)}", payload)
    reproduce(command)
    return payload


if __name__ == "__main__":
    sys.exit(main() and 0)
