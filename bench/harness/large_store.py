"""kill -9 while ``tradegraph ingest`` writes into a copy of a large store, which keeps an index
snapshot beside its SQLite file: a fresh open from the stale snapshot plus the change log must
serve exactly what a rebuild from every row serves."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.harness.corpus import make_crash_corpus, reference_evidence, reference_states
from bench.harness.crash import ingest_command, ingest_env
from bench.harness.fingerprint import (
    documents_in,
    evidence_by_document,
    integrity_check,
    relations_in,
    stored_version,
)


def _index_view(db: Path, *, use_snapshot: bool) -> tuple:
    """What a fresh open of ``db`` serves: from its index snapshot plus the change log, or (with
    the snapshot moved aside) rebuilt from every row."""
    from graph.embedded import EmbeddedStore

    snapshot = Path(str(db) + ".index")
    aside = Path(str(db) + ".index.aside")
    if not use_snapshot and snapshot.exists():
        snapshot.rename(aside)
    try:
        with EmbeddedStore(db) as store:
            store.SNAPSHOT_MIN_RELATIONS = 10**12  # do not write a snapshot on close here
            counts = asdict(store.counts())
            ids = store.entity_ids()
            probe = sorted(ids)[:: max(1, len(ids) // 200)]
            edges = sorted(r.key for r in store.edges(probe, "both"))
            names = [m.entity_id for m in store.lookup("F00", limit=50)]
            return counts, len(ids), hashlib.sha256("\n".join(ids).encode()).hexdigest(), edges, names, store.data_version()
    finally:
        if aside.exists():
            aside.rename(snapshot)


def run_large_store_crash_trials(trials: int, base: Path, workdir: Path, *, docs: int = 6, relations: int = 1000, seed: int = 5) -> dict[str, Any]:
    """kill -9 while ``tradegraph ingest`` writes into a copy of a large store (``base``, at least
    100k relations, so it keeps an index snapshot beside the SQLite file). After each kill: the
    integrity check; each corpus document all there or absent; and a fresh open from the (now
    stale) snapshot plus the change log serves exactly what a rebuild from every row serves."""
    import shutil

    from graph.embedded import EmbeddedStore

    workdir.mkdir(parents=True, exist_ok=True)
    corpus = make_crash_corpus(workdir / "corpus", docs, relations, with_texts=False)
    reference_states(corpus, workdir)
    final_evidence = reference_evidence(corpus, workdir)
    rng = random.Random(seed)
    results = []
    started = time.monotonic()
    write_phase = None
    for trial in range(-1, trials):  # trial -1 measures the write phase, uninterrupted
        db = workdir / f"large-{trial + 1:03d}.db"
        for suffix in ("", "-wal", "-shm", ".index"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        shutil.copyfile(base, db)
        with EmbeddedStore(db) as store:  # a current snapshot of this copy (its store_id is the base's)
            base_version = store.data_version()
            store.write_snapshot()
        proc = subprocess.Popen(ingest_command(corpus.folder), env=ingest_env(db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 600
        while proc.poll() is None and stored_version(db) <= base_version and time.monotonic() < deadline:
            time.sleep(0.002)
        first_write = time.monotonic()
        if trial < 0:
            proc.wait(timeout=600)
            write_phase = max(time.monotonic() - first_write, 0.02)
            continue
        try:
            proc.wait(timeout=rng.uniform(0.0, 0.9 * write_phase))
        except subprocess.TimeoutExpired:
            pass
        proc.kill()
        proc.wait(timeout=30)
        integrity = integrity_check(db)
        present = documents_in(db) & set(final_evidence)
        evidence = evidence_by_document(db)
        partial = sorted(
            d for d in final_evidence if not ((d in present and evidence.get(d) == final_evidence[d]) or (d not in present and not evidence.get(d)))
        )
        from_snapshot = _index_view(db, use_snapshot=True)
        rebuilt = _index_view(db, use_snapshot=False)
        results.append(
            {
                "trial": trial,
                "killed": proc.returncode == -signal.SIGKILL,
                "integrity": integrity,
                "documents_present": len(present),
                "partial_documents": partial,
                "snapshot_equals_rebuild": from_snapshot == rebuilt,
                "version_after": from_snapshot[-1],
                "base_version": base_version,
            }
        )
        for suffix in ("", "-wal", "-shm", ".index"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    return {
        "trials": trials,
        "base_relations": relations_in(base),
        "corpus_documents": len(final_evidence),
        "write_phase_s": round(write_phase or 0.0, 3),
        "seconds": round(time.monotonic() - started, 1),
        "killed": sum(1 for r in results if r["killed"]),
        "killed_mid_corpus": sum(1 for r in results if r["killed"] and 0 < r["documents_present"] < len(final_evidence)),
        "integrity_ok": sum(1 for r in results if r["integrity"] == "ok"),
        "partial_documents": sum(len(r["partial_documents"]) for r in results),
        "snapshot_equals_rebuild": sum(1 for r in results if r["snapshot_equals_rebuild"]),
        "ok": all(r["integrity"] == "ok" and not r["partial_documents"] and r["snapshot_equals_rebuild"] for r in results),
        "trials_detail": results,
    }
