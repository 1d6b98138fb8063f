"""The content of a store, to compare before and after: a digest over an embedded store's SQLite
rows, or over any store's JSON export; and what a crashed SQLite file holds (integrity, documents,
evidence per document, pages a dead writer left in the WAL)."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Any

from graph.store import GraphStore

_CONTENT_QUERIES = {
    "documents": "SELECT id, title, url, published, language, source, text FROM documents ORDER BY id",
    "entities": "SELECT id, type, body FROM entities ORDER BY id",
    "relations": "SELECT key, source, type, target, body FROM relations ORDER BY key",
    "evidence": "SELECT subject, document_id, start, end, extractor, quote, confidence FROM evidence "
    "ORDER BY subject, document_id, start, end, extractor",
}


def connect(db: Path) -> sqlite3.Connection:
    """A plain SQLite connection to an existing store file (never creates one by mistake)."""
    db = Path(db)
    if not db.exists():
        raise FileNotFoundError(db)
    return sqlite3.connect(db, timeout=30)


def sqlite_content(db: Path) -> dict[str, Any]:
    """The content of an embedded store's file: a digest over every row of every table that holds
    data (meta's version included, the ``changes`` log left out), the counts and the version."""
    with connect(db) as conn:
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


def rows_digest(db: Path) -> str:
    """A digest of the rows alone (no version): equal for two files that hold the same data
    whatever number of commits brought each there."""
    with connect(db) as conn:
        digest = hashlib.sha256()
        for query in _CONTENT_QUERIES.values():
            for row in conn.execute(query):
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def stored_version(db: Path) -> int:
    """The data version committed in the file, read-only; 0 while the file or its schema is not
    there yet (a writer that is still starting)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0])
    except (sqlite3.Error, TypeError):
        return 0


def relations_in(db: Path) -> int:
    with connect(db) as conn:
        return conn.execute("SELECT count(*) FROM relations").fetchone()[0]


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
    with connect(db) as conn:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())


def evidence_by_document(db: Path) -> dict[str, int]:
    with connect(db) as conn:
        return dict(conn.execute("SELECT document_id, count(*) FROM evidence GROUP BY document_id").fetchall())


def documents_in(db: Path) -> set[str]:
    with connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM documents")}


def store_fingerprint(store: GraphStore) -> dict[str, Any]:
    """Content of any store, whatever its backend: data version, counts and a digest of the full
    JSON export (every document, entity, relation and piece of evidence), leaving out the system
    time of each document (two stores that took the same writes took them at different times)."""
    from graph.export import export_json

    digest = hashlib.sha256()
    for chunk in export_json(store, system_time=False):
        digest.update(chunk)
    return {"version": store.data_version(), "counts": asdict(store.counts()), "digest": digest.hexdigest()}
