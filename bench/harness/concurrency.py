"""Concurrent reads while another process writes: a live uvicorn server on a seeded store answers
reading clients (bench/harness/readers.py) while bench/harness/writer.py ingests and removes the
synthetic documents through the same SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx

from bench.harness.corpus import make_corpus
from bench.harness.paths import FACTS, ROOT
from bench.harness.readers import ReadReport, percentile, reader
from bench.harness.server import LiveServer
from graph.embedded import EmbeddedStore
from graph.export import export_json
from ingest.structured import load_facts


def run_concurrency(
    workdir: Path,
    *,
    seconds: float = 10.0,
    clients: int = 4,
    docs: int = 12,
    facts: int = 4,
    export_every: int = 0,
    write_pause_s: float = 0.0,
    seed: int = 7,
) -> dict[str, Any]:
    """A live uvicorn server on a seeded store answers ``clients`` reading threads while another
    process ingests and removes the synthetic documents for ``seconds`` (pausing ``write_pause_s``
    after each write; 0 is a churn of a hundred or more commits a second), then ingests them all.

    Returns the figures: requests, failed requests (5xx, transport errors, unexpected statuses),
    reads that saw part of a document, /v1/stats answers that match no whole number of documents,
    exports citing documents they do not hold, latencies, and whether the server ends up with
    exactly what a fresh open of the file sees."""
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(workdir / "corpus", docs, facts)
    db = workdir / "served.db"
    with EmbeddedStore(db) as store:
        store.upsert(load_facts(FACTS))
        base = store.counts()
    per = corpus.per_doc()
    allowed = {
        (
            base.documents + m * per["documents"],
            base.entities + m * per["entities"],
            base.relations + m * per["relations"],
            base.evidence + m * per["evidence"],
        )
        for m in range(docs + 1)
    }
    server = LiveServer({"TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_BACKEND": "embedded"}, workdir)
    report = ReadReport()
    try:
        baseline = {"seed": httpx.get(server.url + "/v1/dependents", params={"commodity": "稀土", "origin": "中国"}, timeout=30).json()}
        stop = threading.Event()
        lock = threading.Lock()
        threads = [
            threading.Thread(
                target=reader,
                args=(server.url, corpus, allowed, stop, seed + k, report, lock, baseline, export_every),
                daemon=True,
            )
            for k in range(clients)
        ]
        writer_log = workdir / "writer.json"
        writer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.harness.writer",
                str(db),
                json.dumps([str(p) for p in corpus.files]),
                str(seconds),
                str(writer_log),
                json.dumps([corpus.doc_ids[i] for i in range(docs)]),
                str(write_pause_s),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for t in threads:
            t.start()
        try:
            output, _ = writer.communicate(timeout=seconds + 300)
        finally:
            if writer.poll() is None:
                writer.kill()
            time.sleep(0.5)  # a last round of reads on the final state
            stop.set()
            for t in threads:
                t.join(timeout=120)
        if writer.returncode != 0:
            raise RuntimeError(f"the writer failed: {output[-3000:]}")
        writes = json.loads(writer_log.read_text())
        served = httpx.get(server.url + "/v1/stats", timeout=30).json()["counts"]
        served_export = httpx.get(server.url + "/v1/export", params={"format": "json"}, timeout=120).content
        with EmbeddedStore(db) as fresh:
            fresh_counts = asdict(fresh.counts())
            fresh_export = b"".join(export_json(fresh))
    finally:
        server.stop()
    latencies = report.latencies_ms
    return {
        "seconds": seconds,
        "clients": clients,
        "documents": docs,
        "facts_per_document": facts,
        "writes": writes["ops"],
        "writes_per_s": round(writes["ops"] / seconds, 1),
        "write_cycles": writes["cycles"],
        "requests": report.requests,
        "requests_by_kind": dict(report.by_kind),
        "statuses": {str(k): v for k, v in sorted(report.statuses.items())},
        "failed": report.failed,
        "half_documents": report.half_documents,
        "torn_stats": report.torn_stats,
        "torn_exports": report.torn_exports,
        "exports_refused_503": report.exports_refused,
        "examples": report.examples,
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 1) if latencies else 0.0,
        "server_caught_up": served == {k: fresh_counts[k] for k in served} and served_export == fresh_export,
        "final_counts": served,
    }
