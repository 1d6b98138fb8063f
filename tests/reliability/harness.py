"""The reliability harness: synthetic corpora, store fingerprints, kill -9 trials and the
concurrent read/ingest run.

The tests in this folder call these functions with small numbers (they run in ``make test``);
``bench/reliability/*.py`` call the same functions with large ones and print the figures that
docs/reliability.md quotes. Everything runs on loopback and in temporary folders, and every loop is
bounded by a count or a deadline.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SEEDS = ROOT / "seeds"
EVAL = ROOT / "tests" / "eval"

# Strings that must be inert in every parameter: SQL and Cypher metacharacters, the separators the
# stores use inside keys and name indexes, control characters, mixed scripts, direction marks.
HOSTILE = [
    "'}) DETACH DELETE n //",
    "') MATCH (n) DETACH DELETE n RETURN 1 //",
    '"; DROP TABLE entities; --',
    "' OR '1'='1",
    "1; DELETE FROM evidence",
    "`Entity`",
    "$(id)",
    "{id}",
    "%_%",
    ".*",
    "(?i)(a+)+$",
    "|",
    "|中国|",
    "country:CN|DEPENDS_ON|commodity:rare-earths|",
    "country:CN\x00",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\r\n\t\x7f",
    "\u202e\u200bChina\ufeff",
    "Кitай中国ﾁｬｲﾅ😀",
    "ｃｏｕｎｔｒｙ：ＣＮ",
    "../../../../etc/passwd",
    "%2e%2e%2f%00",
    "null",
    "{}",
    "中" * 300,
    "a" * 301,
    "x" * 20000,
]

# Values that are not what a typed parameter takes.
BAD_VALUES = {
    "integer": ["-1", "0", "1.5", "NaN", "1e309", "99999999999999999999999", "0x10", "", " ", "1; DROP TABLE x"],
    "number": ["NaN", "inf", "-inf", "1.5", "-0.1", "1e309", "", "abc"],
    "date": ["2025-13-40", "2025-02-30", "0", "1735689600", "20250101", "2025-1-1", "", "today"],
}


# -- fingerprints -----------------------------------------------------------------------------

_CONTENT_QUERIES = {
    "documents": "SELECT id, title, url, published, language, source, text FROM documents ORDER BY id",
    "entities": "SELECT id, type, body FROM entities ORDER BY id",
    "relations": "SELECT key, source, type, target, body FROM relations ORDER BY key",
    "evidence": "SELECT subject, document_id, start, end, extractor, quote, confidence FROM evidence "
    "ORDER BY subject, document_id, start, end, extractor",
}


def _connect(db: Path) -> sqlite3.Connection:
    db = Path(db)
    if not db.exists():
        raise FileNotFoundError(db)
    return sqlite3.connect(db, timeout=30)


def sqlite_content(db: Path) -> dict[str, Any]:
    """The content of an embedded store's file: a digest over every row of every table that holds
    data (meta's version included, the ``changes`` log left out), the counts and the version."""
    with _connect(db) as conn:
        digest = hashlib.sha256()
        counts = {}
        for table, query in _CONTENT_QUERIES.items():
            rows = conn.execute(query).fetchall()
            counts[table] = len(rows)
            for row in rows:
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
            digest.update(b"\x00" + table.encode())
        version = int(conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0])
    digest.update(str(version).encode())
    return {"digest": digest.hexdigest(), "counts": counts, "version": version}


def wal_uncommitted_frames(db: Path) -> int:
    """Frames at the end of a WAL file that no commit frame closes: pages a writer had written
    when it died, inside a transaction that never committed (a lower bound: a transaction whose
    pages were still in the writer's cache leaves none). Read before anyone opens the file again."""
    wal = Path(str(db) + "-wal")
    if not wal.exists():
        return 0
    data = wal.read_bytes()
    if len(data) < 32:
        return 0
    page_size = int.from_bytes(data[8:12], "big")
    salts = data[16:24]
    frames, trailing = 0, 0
    offset = 32
    while offset + 24 + page_size <= len(data):
        header = data[offset : offset + 24]
        if header[8:16] != salts:
            break
        frames += 1
        trailing = 0 if int.from_bytes(header[4:8], "big") else trailing + 1
        offset += 24 + page_size
    return trailing


def integrity_check(db: Path) -> str:
    with _connect(db) as conn:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())


def evidence_by_document(db: Path) -> dict[str, int]:
    with _connect(db) as conn:
        return dict(conn.execute("SELECT document_id, count(*) FROM evidence GROUP BY document_id").fetchall())


def documents_in(db: Path) -> set[str]:
    with _connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM documents")}


def store_fingerprint(store) -> dict[str, Any]:  # noqa: ANN001 - any GraphStore
    """Content of any store, whatever its backend: data version, counts and a digest of the full
    JSON export (every document, entity, relation and piece of evidence)."""
    from graph.export import export_json

    digest = hashlib.sha256()
    for chunk in export_json(store):
        digest.update(chunk)
    return {"version": store.data_version(), "counts": asdict(store.counts()), "digest": digest.hexdigest()}


# -- synthetic corpora ------------------------------------------------------------------------


def _doc_text(i: int, facts: int) -> str:
    lines = [f"Report {i} on supply dependencies."]
    for j in range(facts):
        lines.append(f"Firm F{i}x{j} relies on commodity C{i}x{j} from China. China supplies C{i}x{j}.")
    return "\n".join(lines) + "\n"


def doc_facts(i: int, facts: int) -> dict[str, Any]:
    """The facts file of synthetic document ``i``: ``facts`` firms each depending on its own
    commodity supplied by China, every fact quoting its sentence."""
    entities = [{"id": "country:CN", "names": {"en": "China"}, "quote": "China"}]
    relations = []
    for j in range(facts):
        entities.append({"id": f"firm:f-{i}-{j}", "names": {"en": f"F{i}x{j}"}, "quote": f"Firm F{i}x{j}"})
        entities.append({"id": f"commodity:c-{i}-{j}", "names": {"en": f"C{i}x{j}"}, "quote": f"commodity C{i}x{j}"})
        relations.append(
            {
                "source": f"firm:f-{i}-{j}",
                "type": "DEPENDS_ON",
                "target": f"commodity:c-{i}-{j}",
                "origin": "country:CN",
                "share": 0.5,
                "quote": f"Firm F{i}x{j} relies on commodity C{i}x{j} from China.",
            }
        )
        relations.append(
            {"source": "country:CN", "type": "SUPPLIES", "target": f"commodity:c-{i}-{j}", "quote": f"China supplies C{i}x{j}."}
        )
    return {
        "documents": {"d": {"path": f"doc-{i:03d}.src", "language": "en", "published": "2025-01-01"}},
        "entities": entities,
        "relations": relations,
    }


@dataclass
class Corpus:
    folder: Path
    files: list[Path]  # what `tradegraph ingest folder` processes, in its order
    docs: int
    facts: int
    doc_ids: dict[int, str] = field(default_factory=dict)
    write_seconds: float = 0.0  # time the reference run spent inside store writes

    def per_doc(self) -> dict[str, int]:
        """What one synthetic document adds: documents, entities, relations, evidence."""
        return {"documents": 1, "entities": 2 * self.facts, "relations": 2 * self.facts, "evidence": 4 * self.facts + 1}


def make_corpus(folder: Path, docs: int, facts: int, *, with_texts: bool = False, with_bad: bool = False) -> Corpus:
    """``docs`` synthetic facts files (one document each, ``facts`` firm->commodity dependencies per
    document) in ``folder``; optionally the gold texts of tests/eval (extracted, not curated) and
    a rejected file in between. The texts the facts quote end in ``.src`` so the folder walk does
    not pick them up as documents of their own."""
    from graph.ids import document_id

    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder, [], docs, facts)
    for i in range(docs):
        text = _doc_text(i, facts)
        (folder / f"doc-{i:03d}.src").write_text(text, encoding="utf-8")
        (folder / f"doc-{i:03d}.json").write_text(json.dumps(doc_facts(i, facts), ensure_ascii=False), encoding="utf-8")
        corpus.doc_ids[i] = document_id(text)
    if with_texts:
        for source in sorted(EVAL.glob("*.md")):
            (folder / f"text-{source.name}").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    if with_bad:
        (folder / "doc-001-bad.yaml").write_text("documents: {d: {path: nowhere.src}}\n", encoding="utf-8")
    from ingest.pipeline import collect

    corpus.files = collect([folder])
    return corpus


def make_crash_corpus(folder: Path, docs: int, relations: int, *, firms: int = 400, with_texts: bool = True) -> Corpus:
    """A folder that makes big write transactions and cheap parsing: a base CSV of ``firms`` firms
    and as many commodities (one document), then ``docs`` relation CSVs of ``relations`` rows each
    (one document each, every row quoting its own line, so a document's evidence is all in one
    batch), the gold texts of tests/eval in between (extracted), and a rejected file."""
    import csv
    import io

    from graph.ids import document_id

    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder, [], docs, relations)
    base = [f"Firm F{j:04d} is a firm." for j in range(firms)] + [f"Commodity C{j:04d} is a commodity." for j in range(firms)]
    (folder / "base.src").write_text("\n".join(base) + "\n", encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name_en", "document", "quote"])
    for j in range(firms):
        writer.writerow([f"firm:f-{j:04d}", f"F{j:04d}", "base.src", f"Firm F{j:04d}"])
        writer.writerow([f"commodity:c-{j:04d}", f"C{j:04d}", "base.src", f"Commodity C{j:04d}"])
    (folder / "a-base.csv").write_text(out.getvalue(), encoding="utf-8")
    texts = sorted(EVAL.glob("*.md")) if with_texts else []
    for i in range(docs):
        lines = []
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["source", "type", "target", "share", "document", "quote"])
        for r in range(relations):
            j, k = (i * 7 + r) % firms, (i * 13 + r * 3) % firms
            line = f"Line {r} of report {i}: F{j:04d} relies on C{k:04d}."
            lines.append(line)
            writer.writerow([f"firm:f-{j:04d}", "DEPENDS_ON", f"commodity:c-{k:04d}", "0.5", f"doc-{i:03d}.src", line])
        text = "\n".join(lines) + "\n"
        (folder / f"doc-{i:03d}.src").write_text(text, encoding="utf-8")
        (folder / f"b-doc-{i:03d}.csv").write_text(out.getvalue(), encoding="utf-8")
        corpus.doc_ids[i] = document_id(text)
        if i < len(texts):
            (folder / f"b-doc-{i:03d}z-text-{texts[i].name}").write_text(texts[i].read_text(encoding="utf-8"), encoding="utf-8")
        if i == docs // 2:
            (folder / f"b-doc-{i:03d}-z-bad.yaml").write_text("documents: {d: {path: nowhere.src}}\n", encoding="utf-8")
    from ingest.pipeline import collect

    corpus.files = collect([folder])
    return corpus


def reference_states(corpus: Corpus, workdir: Path) -> list[dict[str, Any]]:
    """The store's content after each prefix of the corpus's files (index 0: the empty store),
    ingested one file at a time into a fresh store exactly as the CLI ingests the folder."""
    from graph.embedded import EmbeddedStore
    from ingest.pipeline import ingest_paths

    db = workdir / "reference.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    states = []
    with EmbeddedStore(db) as store:
        upsert = store.upsert
        spent = [0.0]

        def timed(batch):  # noqa: ANN001, ANN202 - the time spent inside write transactions
            started = time.perf_counter()
            try:
                return upsert(batch)
            finally:
                spent[0] += time.perf_counter() - started

        store.upsert = timed  # type: ignore[method-assign]
        states.append(sqlite_content(db))
        for path in corpus.files:
            ingest_paths(store, [path])
            states.append(sqlite_content(db))
    corpus.write_seconds = spent[0]
    return states


def reference_evidence(corpus: Corpus, workdir: Path) -> dict[str, int]:
    """Evidence rows per document once the whole corpus is in (from the reference run)."""
    return evidence_by_document(workdir / "reference.db")


# -- kill -9 trials ---------------------------------------------------------------------------


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


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_BACKEND": "embedded", **extra}
    env.pop("TRADEGRAPH_API_TOKEN", None)
    return env


def ingest_command(folder: Path) -> list[str]:
    return [str(BIN / "tradegraph"), "ingest", str(folder)]


# ``tradegraph ingest FOLDER`` as the CLI runs it (ingest_paths over one store), with SQLite's
# statement trace printing when each write transaction begins and commits, so that a kill can be
# aimed at a random moment *inside* a transaction.
TRACED_INGEST = r"""
import sys
from pathlib import Path
from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest_paths

def trace(statement):
    word = statement.strip().split(" ", 1)[0].upper()
    if statement.strip().upper().startswith("BEGIN IMMEDIATE") or word == "COMMIT" or word == "ROLLBACK":
        sys.stdout.write(statement.strip().upper() + "\n")
        sys.stdout.flush()

with EmbeddedStore(sys.argv[1]) as store:
    store._db.set_trace_callback(trace)
    ingest_paths(store, [Path(sys.argv[2])])
"""


def traced_ingest_command(db: Path, folder: Path) -> list[str]:
    return [sys.executable, "-c", TRACED_INGEST, str(db), str(folder)]


def timed_full_run(corpus: Corpus, workdir: Path) -> tuple[float, float]:
    """Seconds an uninterrupted ``tradegraph ingest`` of the corpus takes, and when (from process
    start) its first write committed; the kills land in between."""
    db = workdir / "calibrate.db"
    started = time.monotonic()
    proc = subprocess.Popen(ingest_command(corpus.folder), env=_env(db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = None
    while proc.poll() is None and time.monotonic() - started < 600:
        if first is None and _stored_version(db) >= 1:
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


def _stored_version(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0])
    except (sqlite3.Error, TypeError):
        return 0


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
            traced_ingest_command(db, corpus.folder), env=_env(db), stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT
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
        proc = subprocess.Popen(ingest_command(corpus.folder), env=_env(db), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 600
        while proc.poll() is None and _stored_version(db) < 1 and time.monotonic() < deadline:
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
        done = subprocess.run(ingest_command(corpus.folder), env=_env(db), capture_output=True, text=True, timeout=600)
        resumed_equal = done.returncode in (0, 2) and _rows_digest(db) == _rows_digest(workdir / "reference.db")
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


def _rows_digest(db: Path) -> str:
    with _connect(db) as conn:
        digest = hashlib.sha256()
        for query in _CONTENT_QUERIES.values():
            for row in conn.execute(query):
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _transaction_span(corpus: Corpus, workdir: Path) -> float:
    """Seconds from BEGIN IMMEDIATE to COMMIT of the corpus's last (biggest) write transaction."""
    db = workdir / "span.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    proc = subprocess.Popen(traced_ingest_command(db, corpus.folder), env=_env(db), stdout=subprocess.PIPE, text=True, cwd=ROOT)
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


# -- concurrent reads while another process writes --------------------------------------------

WRITER = r"""
import json, sys, time
from pathlib import Path
from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest_paths

db, files, seconds, log = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
doc_ids, pause = json.loads(sys.argv[5]), float(sys.argv[6])
deadline = time.monotonic() + seconds
ops = 0
with EmbeddedStore(db) as store, open(log, "w") as out:
    cycle = 0
    while time.monotonic() < deadline:
        for path in files:
            for result in ingest_paths(store, [Path(path)]):
                if result.status == "rejected":
                    raise SystemExit(f"rejected {path}: {result.error}")
            ops += 1
            time.sleep(pause)
        for doc in doc_ids:
            store.remove_document(doc)
            ops += 1
            time.sleep(pause)
        cycle += 1
    # end with everything in, so the final state is known
    for path in files:
        ingest_paths(store, [Path(path)])
        ops += 1
    out.write(json.dumps({"ops": ops, "cycles": cycle}))
"""


@dataclass
class ReadReport:
    requests: int = 0
    failed: int = 0
    by_kind: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    half_documents: int = 0
    torn_stats: int = 0
    torn_exports: int = 0
    exports_refused: int = 0  # 503 graph-changing: the graph moved during every attempt
    examples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def note(self, kind: str, message: str) -> None:
        if sum(1 for e in self.examples if e.startswith(kind + ":")) < 5:
            self.examples.append(f"{kind}: {message}")


def _check_subgraph(corpus: Corpus, i: int, body: dict) -> str | None:
    """A subgraph around all of document i's firms must hold all of document i's facts."""
    edges = {(e["source"], e["type"], e["target"]): e for e in body["edges"]}
    for j in range(corpus.facts):
        edge = edges.get((f"firm:f-{i}-{j}", "DEPENDS_ON", f"commodity:c-{i}-{j}"))
        if edge is None:
            return f"doc {i}: firm f-{i}-{j} without its DEPENDS_ON"
        if not any(ev["document_id"] == corpus.doc_ids[i] for ev in edge["evidence"]):
            return f"doc {i}: DEPENDS_ON of f-{i}-{j} without evidence from its document"
    return None


def _check_entity(corpus: Corpus, i: int, j: int, body: dict) -> str | None:
    entity = body["entity"]
    if [e["document_id"] for e in entity["evidence"]] != [corpus.doc_ids[i]]:
        return f"firm f-{i}-{j} has evidence {entity['evidence']!r}"
    if body["relations"] != {"out": {"DEPENDS_ON": 1}, "in": {}}:
        return f"firm f-{i}-{j} has relations {body['relations']!r}"
    return None


def _check_export(corpus: Corpus, body: dict) -> str | None:
    documents = {d["id"] for d in body["documents"]}
    for item in (*body["entities"], *body["relations"]):
        for ev in item.get("evidence", []):
            if ev["document_id"] not in documents:
                return f"evidence cites {ev['document_id']} which the export does not hold"
    return None


def _reader(url: str, corpus: Corpus, allowed_counts: set[tuple], stop: threading.Event, seed: int, report: ReadReport, lock: threading.Lock, baseline: dict, export_every: int) -> None:
    import httpx

    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=60) as client:
        n = 0
        while not stop.is_set():
            n += 1
            i, j = rng.randrange(corpus.docs), rng.randrange(corpus.facts)
            roll = rng.random()
            if export_every and n % export_every == 0:
                kind, path, params = "export", "/v1/export", {"format": "json"}
            elif roll < 0.2:
                kind, path, params = "stats", "/v1/stats", {}
            elif roll < 0.4:
                kind, path, params = "entity", f"/v1/entities/firm:f-{i}-{j}", {}
            elif roll < 0.6:
                ids = ",".join(f"firm:f-{i}-{k}" for k in range(corpus.facts))
                kind, path, params = "subgraph", "/v1/subgraph", {"ids": ids, "depth": 1}
            elif roll < 0.7:
                kind, path, params = "document", f"/v1/documents/{corpus.doc_ids[i]}", {}
            elif roll < 0.8:
                kind, path, params = "search", "/v1/search", {"q": f"F{i}x{j}"}
            else:
                kind, path, params = "seed", "/v1/dependents", {"commodity": "稀土", "origin": "中国"}
            started = time.perf_counter()
            problem = None
            try:
                response = client.get(path, params=params)
                status = response.status_code
                body = response.json() if response.content else None
            except Exception as e:  # noqa: BLE001 - any transport failure is a failed request
                status, body = 0, None
                problem = f"{type(e).__name__}: {e}"
            elapsed = (time.perf_counter() - started) * 1000
            half = torn_stats = torn_export = None
            if problem is None:
                if kind == "stats":
                    if status != 200:
                        problem = f"stats {status}"
                    else:
                        c = body["counts"]
                        vector = (c["documents"], c["entities"], c["relations"], c["evidence"])
                        if vector not in allowed_counts:
                            torn_stats = f"stats {vector} is no whole number of documents"
                elif kind == "entity":
                    if status == 200:
                        half = _check_entity(corpus, i, j, body)
                    elif status != 404:
                        problem = f"entity {status}"
                elif kind == "subgraph":
                    if status == 200:
                        half = _check_subgraph(corpus, i, body)
                    elif status != 404:
                        problem = f"subgraph {status}"
                elif kind == "document":
                    if status == 200:
                        if body["text"] != _doc_text(i, corpus.facts).strip():
                            half = f"document {i} text differs"
                    elif status != 404:
                        problem = f"document {status}"
                elif kind == "search":
                    if status != 200:
                        problem = f"search {status}"
                elif kind == "seed":
                    if status != 200:
                        problem = f"seed query {status}"
                    elif body != baseline["seed"]:
                        half = "the seed dependents answer changed"
                elif kind == "export":
                    if status == 503 and (body or {}).get("type") == "/problems/graph-changing":
                        with lock:
                            report.exports_refused += 1
                    elif status != 200:
                        problem = f"export {status}"
                    else:
                        torn_export = _check_export(corpus, body)
            with lock:
                report.requests += 1
                report.by_kind[kind] += 1
                report.statuses[status] += 1
                report.latencies_ms.append(elapsed)
                if problem is not None:
                    report.failed += 1
                    report.note("failed", problem)
                if half is not None:
                    report.half_documents += 1
                    report.note("half", half)
                if torn_stats is not None:
                    report.torn_stats += 1
                    report.note("stats", torn_stats)
                if torn_export is not None:
                    report.torn_exports += 1
                    report.note("export", torn_export)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


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
    import httpx

    from graph.embedded import EmbeddedStore
    from ingest.structured import load_facts
    from tests.conftest import FACTS, LiveServer

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
                target=_reader,
                args=(server.url, corpus, allowed, stop, seed + k, report, lock, baseline, export_every),
                daemon=True,
            )
            for k in range(clients)
        ]
        writer_log = workdir / "writer.json"
        writer = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
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
            from graph.export import export_json

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
        "p50_ms": _percentile(latencies, 0.5),
        "p99_ms": _percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 1) if latencies else 0.0,
        "server_caught_up": served == {k: fresh_counts[k] for k in served} and served_export == fresh_export,
        "final_counts": served,
    }


# -- kill -9 on a large store (the embedded index snapshot) -----------------------------------


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
        proc = subprocess.Popen(ingest_command(corpus.folder), env=_env(db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 600
        while proc.poll() is None and _stored_version(db) <= base_version and time.monotonic() < deadline:
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
        "base_relations": _relations_in(base),
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


def _relations_in(db: Path) -> int:
    with _connect(db) as conn:
        return conn.execute("SELECT count(*) FROM relations").fetchone()[0]
