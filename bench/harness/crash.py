"""kill -9 trials against ``tradegraph ingest FOLDER``: at random moments of its write phase, or
inside one big write transaction; after each, the file is checked against the reference states."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.harness.corpus import Corpus, make_crash_corpus, reference_evidence, reference_states
from bench.harness.fingerprint import (
    documents_in,
    evidence_by_document,
    integrity_check,
    rows_digest,
    sqlite_content,
    stored_version,
    wal_uncommitted_frames,
)
from bench.harness.paths import BIN, ROOT


@dataclass
class CrashTrial:
    trial: int
    delay_s: float
    returncode: int | None
    integrity: str
    prefix: int | None  # which reference state the crashed store equals (None: none of them)
    files: int
    documents_present: int
    partial_documents: list[str]
    reader_caught_up: bool
    resumed_equal: bool | None
    uncommitted_frames: int = 0
    killed_in_transaction: bool = False  # between its BEGIN IMMEDIATE and its COMMIT (traced runs)

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and self.prefix is not None
            and not self.partial_documents
            and self.reader_caught_up
            and self.resumed_equal is not False
        )


def ingest_env(db: Path, **extra: str) -> dict[str, str]:
    """The environment of a CLI run on the embedded store ``db``, without the write token."""
    env = {**os.environ, "TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_BACKEND": "embedded", **extra}
    env.pop("TRADEGRAPH_API_TOKEN", None)
    return env


def ingest_command(folder: Path) -> list[str]:
    """``tradegraph ingest FOLDER`` as a user runs it."""
    return [str(BIN / "tradegraph"), "ingest", str(folder)]


def traced_ingest_command(db: Path, folder: Path) -> list[str]:
    """The ingest of ``folder`` into ``db`` with each BEGIN IMMEDIATE and COMMIT printed (bench/harness/traced_ingest.py)."""
    return [sys.executable, "-m", "bench.harness.traced_ingest", str(db), str(folder)]


def timed_full_run(corpus: Corpus, workdir: Path) -> tuple[float, float]:
    """Seconds an uninterrupted ``tradegraph ingest`` of the corpus takes, and when (from process
    start) its first write committed; the kills land in between."""
    db = workdir / "calibrate.db"
    started = time.monotonic()
    proc = subprocess.Popen(ingest_command(corpus.folder), env=ingest_env(db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = None
    while proc.poll() is None and time.monotonic() - started < 600:
        if first is None and stored_version(db) >= 1:
            first = time.monotonic() - started
        time.sleep(0.002)
    _, err = proc.communicate(timeout=600)
    elapsed = time.monotonic() - started
    if proc.returncode not in (0, 2):
        raise RuntimeError(f"calibration run failed: {err[-2000:]}")
    return elapsed, first if first is not None else elapsed


def _unchanged_files(states: list[dict[str, Any]]) -> int:
    """Files of the reference run whose ingest changed nothing (rejected ones): no transaction."""
    return sum(1 for before, after in zip(states, states[1:]) if before["digest"] == after["digest"])


def crash_trial(
    trial: int,
    corpus: Corpus,
    states: list[dict[str, Any]],
    final_evidence: dict[str, int],
    workdir: Path,
    delay_s: float,
    *,
    resume: bool = True,
    in_transaction: bool = False,
) -> CrashTrial:
    """Start ``tradegraph ingest`` on the corpus, wait for its first committed write (with
    ``in_transaction``: also for a later transaction to have spilled pages into the WAL, i.e. to be
    half written), SIGKILL it ``delay_s`` later, then check the file.

    Checks: SQLite's integrity_check; the content equals the reference state after some prefix of
    the files (so every document is wholly there or wholly absent, and nothing else changed); each
    document's evidence is all there or none of it; a store opened before the kill catches up to
    exactly what a fresh open sees; and running the ingest again completes to the full reference."""
    from graph.embedded import EmbeddedStore

    db = workdir / f"crash-{trial:03d}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    reader = EmbeddedStore(db)  # a server's view of the file, opened before the writer starts
    log = open(workdir / f"crash-{trial:03d}.log", "w")  # noqa: SIM115
    in_flight = False
    if in_transaction:
        # Wait for the last write transaction (the big batch) to begin, kill delay_s into it.
        proc = subprocess.Popen(
            traced_ingest_command(db, corpus.folder), env=ingest_env(db), stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT
        )
        begun = 0
        for line in proc.stdout:
            if line.startswith("BEGIN IMMEDIATE"):
                begun += 1
                if begun == len(states) - 1 - _unchanged_files(states):
                    in_flight = True
                    break
        time.sleep(delay_s)
    else:
        proc = subprocess.Popen(ingest_command(corpus.folder), env=ingest_env(db), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 600
        while proc.poll() is None and stored_version(db) < 1 and time.monotonic() < deadline:
            time.sleep(0.002)
        if delay_s > 0:
            try:
                proc.wait(timeout=delay_s)
            except subprocess.TimeoutExpired:
                pass
    proc.kill()  # SIGKILL, unless it has already exited
    if in_transaction:
        rest = proc.stdout.read()
        in_flight = in_flight and "COMMIT" not in rest
    proc.wait(timeout=30)
    log.close()
    returncode = proc.returncode
    uncommitted = wal_uncommitted_frames(db)

    integrity = integrity_check(db)
    content = sqlite_content(db)
    matches = [k for k, state in enumerate(states) if state["digest"] == content["digest"]]
    prefix = matches[-1] if matches else None

    present = documents_in(db)
    evidence = evidence_by_document(db)
    partial = sorted(
        doc
        for doc in set(final_evidence) | set(evidence) | present
        if not (
            (doc in present and evidence.get(doc, 0) == final_evidence.get(doc, -1))
            or (doc not in present and evidence.get(doc, 0) == 0)
        )
    )

    with EmbeddedStore(db) as fresh:
        expected = (asdict(fresh.counts()), fresh.entity_ids(), fresh.data_version())
    caught_up = (asdict(reader.counts()), reader.entity_ids(), reader.data_version()) == expected
    reader.close()

    resumed_equal = None
    if resume:
        done = subprocess.run(ingest_command(corpus.folder), env=ingest_env(db), capture_output=True, text=True, timeout=600)
        resumed_equal = done.returncode in (0, 2) and rows_digest(db) == rows_digest(workdir / "reference.db")
    return CrashTrial(
        trial=trial,
        delay_s=round(delay_s, 3),
        returncode=returncode,
        integrity=integrity,
        prefix=prefix,
        files=len(corpus.files),
        documents_present=len(present),
        partial_documents=partial,
        reader_caught_up=caught_up,
        resumed_equal=resumed_equal,
        uncommitted_frames=uncommitted,
        killed_in_transaction=in_flight,
    )


def _transaction_span(corpus: Corpus, workdir: Path) -> float:
    """Seconds from BEGIN IMMEDIATE to COMMIT of the corpus's last (biggest) write transaction."""
    db = workdir / "span.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    proc = subprocess.Popen(traced_ingest_command(db, corpus.folder), env=ingest_env(db), stdout=subprocess.PIPE, text=True, cwd=ROOT)
    begun = None
    span = 0.0
    for line in proc.stdout:
        if line.startswith("BEGIN IMMEDIATE"):
            begun = time.monotonic()
        elif line.startswith("COMMIT") and begun is not None:
            span = time.monotonic() - begun
    proc.wait(timeout=600)
    return max(span, 0.001)


def _trial_figures(results: list[CrashTrial], last: int) -> dict[str, Any]:
    return {
        "trials": len(results),
        "killed": sum(1 for r in results if r.returncode == -signal.SIGKILL),
        "killed_between_first_and_last_file": sum(
            1 for r in results if r.returncode == -signal.SIGKILL and r.prefix is not None and 0 < r.prefix < last
        ),
        "killed_inside_a_write_transaction": sum(1 for r in results if r.killed_in_transaction),
        "killed_with_uncommitted_pages_in_wal": sum(1 for r in results if r.uncommitted_frames),
        "finished_before_kill": sum(1 for r in results if r.returncode in (0, 2)),
        "integrity_ok": sum(1 for r in results if r.integrity == "ok"),
        "matched_a_prefix": sum(1 for r in results if r.prefix is not None),
        "partial_documents": sum(len(r.partial_documents) for r in results),
        "readers_caught_up": sum(1 for r in results if r.reader_caught_up),
        "resumed": sum(1 for r in results if r.resumed_equal is not None),
        "resumed_to_full": sum(1 for r in results if r.resumed_equal),
        "prefixes_hit": {str(k): v for k, v in sorted(Counter(r.prefix for r in results if r.prefix is not None).items())},
        "failed": [asdict(r) for r in results if not r.ok],
    }


def run_crash_trials(
    trials: int,
    workdir: Path,
    *,
    docs: int = 16,
    relations: int = 2000,
    in_transaction_trials: int = 0,
    big_relations: int = 10000,
    seed: int = 20251024,
    with_texts: bool = True,
    resume_every: int = 1,
) -> dict[str, Any]:
    """kill -9 trials against ``tradegraph ingest FOLDER``.

    ``trials`` kill at a moment drawn uniformly from the write phase of an uninterrupted run
    (first committed write to exit; the shorter of two runs, times 0.8, so that load jitter rarely
    lets a run finish first);
    ``in_transaction_trials`` ingest one document of ``big_relations`` rows (as the CLI does, with
    SQLite's statement trace on) and kill at a moment drawn uniformly from the first 90% of that
    batch's write transaction, between its BEGIN IMMEDIATE and its COMMIT."""
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    started = time.monotonic()
    report: dict[str, Any] = {}
    if trials:
        folder = workdir / "folder"
        folder.mkdir(exist_ok=True)
        corpus = make_crash_corpus(folder / "corpus", docs, relations, with_texts=with_texts)
        states = reference_states(corpus, folder)
        final_evidence = reference_evidence(corpus, folder)
        # the shorter of two uninterrupted runs: on a loaded machine the write phase varies, and a
        # kill drawn past a run's end is no kill
        runs = [timed_full_run(corpus, folder) for _ in range(2)]
        full_s, first_write_s = min(runs, key=lambda r: r[0] - r[1])
        write_phase = max(full_s - first_write_s, 0.05)
        results = [
            crash_trial(t, corpus, states, final_evidence, folder, rng.uniform(0.0, 0.8 * write_phase), resume=t % resume_every == 0)
            for t in range(trials)
        ]
        report["write_phase"] = {
            "files": len(corpus.files),
            "documents": len(final_evidence),
            "relations_per_document": relations,
            "full_run_s": round(full_s, 2),
            "write_phase_s": round(write_phase, 2),
            "in_transaction_share_of_write_phase": round(min(corpus.write_seconds / write_phase, 1.0), 2),
            **_trial_figures(results, len(states) - 1),
        }
    if in_transaction_trials:
        big = workdir / "big"
        big.mkdir(exist_ok=True)
        corpus = make_crash_corpus(big / "corpus", 1, big_relations, with_texts=False)
        states = reference_states(corpus, big)
        final_evidence = reference_evidence(corpus, big)
        span = _transaction_span(corpus, big)
        results = [
            crash_trial(t, corpus, states, final_evidence, big, rng.uniform(0.0, 0.9 * span), resume=t % resume_every == 0, in_transaction=True)
            for t in range(in_transaction_trials)
        ]
        report["in_transaction"] = {
            "files": len(corpus.files),
            "relations_in_the_big_batch": big_relations,
            "transaction_s": round(span, 3),
            **_trial_figures(results, len(states) - 1),
        }
    report["seconds"] = round(time.monotonic() - started, 1)
    report["trials"] = trials + in_transaction_trials
    report["ok"] = all(not part["failed"] for key, part in report.items() if isinstance(part, dict))
    return report
