"""The embedded store's SQLite schema, and the migrations of files written under older ones.

A file is prepared when a store opens it (:func:`prepare_schema`): a new file gets the tables, a
file of an older schema is migrated in one transaction (a crash leaves it as it was), a file of a
newer one is refused with an error naming it.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from graph.embedded.rows import key_hash
from graph.model.errors import StoreUnavailableError

__all__ = ["INSERT_EVIDENCE_ROW", "SCHEMA", "SCHEMA_VERSION", "prepare_schema", "stored_version"]

#: A relation is one row appended to a table with integer rowids, found by a narrow index on a
#: 32-bit hash of its key (not a text key in a random B-tree), and it carries the evidence it was
#: created with in that row (schema 2): a bulk load writes one row per relation. Every other piece
#: of evidence - all of an entity's, and what later writes add to a stored relation - is one row
#: of ``evidence_rows`` keyed by (subject, ``Evidence.key``) (schema 3), so adding a piece to a
#: much-cited entity is one INSERT, not a rewrite of its whole list. A document's citations are one
#: row per document per write. ``evidence`` is a view with schema 1's columns over both, for
#: readers of the file (tests, tools). A document carries the system time the store first took it
#: (``ingested``, schema 4). Review decisions are rows of ``decisions`` (a table an older file
#: gains when opened, empty). Older files are migrated on open (``_migrate_from_1``,
#: ``_migrate_from_2``, then ``_migrate_from_3``).
SCHEMA_VERSION = 4
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, language TEXT, source TEXT,
    text TEXT NOT NULL, ingested TEXT);
CREATE TABLE IF NOT EXISTS entities (id TEXT PRIMARY KEY, type TEXT NOT NULL, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS relations (
    id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, key TEXT NOT NULL,
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, body BLOB NOT NULL, evidence BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS relations_by_hash ON relations (hash);
CREATE TABLE IF NOT EXISTS evidence_rows (
    subject TEXT NOT NULL, document_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    extractor TEXT NOT NULL, quote TEXT NOT NULL, confidence REAL NOT NULL,
    PRIMARY KEY (subject, document_id, start, end, extractor)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS citations (document_id TEXT NOT NULL, subjects TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS citations_by_document ON citations (document_id);
CREATE VIEW IF NOT EXISTS evidence (subject, document_id, start, end, extractor, quote, confidence) AS
    SELECT subject, document_id, start, end, extractor, quote, confidence FROM evidence_rows
    UNION ALL
    SELECT s.key, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), json_extract(e.value, '$[2]'),
           json_extract(e.value, '$[3]'), json_extract(e.value, '$[4]'), json_extract(e.value, '$[5]')
    FROM relations s, json_each(CAST(s.evidence AS TEXT)) e;
CREATE TABLE IF NOT EXISTS changes (version INTEGER NOT NULL, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS changes_by_version ON changes (version);
INSERT OR IGNORE INTO meta VALUES ('version', '0'), ('schema', '4'), ('evidence', '0');
INSERT OR IGNORE INTO meta VALUES ('store_id', lower(hex(randomblob(16))));
"""

INSERT_EVIDENCE_ROW = (
    "INSERT INTO evidence_rows (subject, document_id, start, end, extractor, quote, confidence) VALUES (?,?,?,?,?,?,?)"
)


def stored_version(db: sqlite3.Connection) -> int:
    """The data version committed in the file (inside a transaction: the one it sees)."""
    return int(db.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0])


def _schema_of(db: sqlite3.Connection) -> int | None:
    """The schema version of an open file, None for a new (empty) one; files from before the
    version was recorded are schema 1."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return int(row[0]) if row else 1


def prepare_schema(db: sqlite3.Connection, path: Path) -> None:
    """Create the tables of a new file, migrate a schema 1 or 2 file, refuse a newer one."""
    found = _schema_of(db)
    if found is not None and found > SCHEMA_VERSION:
        raise StoreUnavailableError(
            f"{path} has store schema {found}, newer than this tradegraph reads ({SCHEMA_VERSION}); "
            "use a newer tradegraph, or rebuild the store into a new file (tradegraph ingest, or bench.generate for bench stores)"
        )
    if found == 1:
        _migrate_from_1(db)
    elif found == 2:
        _migrate_from_2(db)
    if found is not None and found < 4:
        _migrate_from_3(db)
    db.executescript(SCHEMA)


def _evidence_groups(db: sqlite3.Connection, table: str) -> Iterator[tuple[str, bytes]]:
    """Schema 1's evidence rows as (subject, blob), in subject order (its primary key's order)."""
    rows = db.execute(
        f"SELECT subject, document_id, start, end, extractor, quote, confidence FROM {table} "
        "ORDER BY subject, document_id, start, end, extractor"
    )
    for subject, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield subject, orjson.dumps([list(r[1:]) for r in group])


def _with_evidence(rows: Iterable[tuple], groups: Iterator[tuple[str, bytes]]) -> Iterator[tuple[tuple, bytes]]:
    """Each of ``rows`` (sorted by their first column) with the evidence blob of that subject: a
    merge of two sorted streams, so a migration holds neither in memory."""
    pending = next(groups, None)
    for row in rows:
        while pending is not None and pending[0] < row[0]:
            pending = next(groups, None)
        if pending is not None and pending[0] == row[0]:
            yield row, pending[1]
        else:
            yield row, b"[]"


def _migrate_from_1(db: sqlite3.Connection) -> None:
    """Rewrite a schema 1 file as the current schema in one transaction (a crash leaves it as it
    was); the version, the change log and ``store_id`` stay, so an index snapshot of the file stays
    valid. Relations get their evidence in their row, entities keep theirs as rows."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if _schema_of(db) != 1:  # another process migrated it meanwhile
            db.execute("COMMIT")
            return
        db.execute("ALTER TABLE relations RENAME TO relations_v1")
        db.execute("ALTER TABLE evidence RENAME TO evidence_v1")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        relations = db.execute("SELECT key, source, type, target, body FROM relations_v1 ORDER BY key")
        db.executemany(
            "INSERT INTO relations (hash, key, source, type, target, body, evidence) VALUES (?,?,?,?,?,?,?)",
            ((key_hash(row[0]), *row, blob) for row, blob in _with_evidence(relations, _evidence_groups(db, "evidence_v1"))),
        )
        db.execute(
            "INSERT INTO evidence_rows (subject, document_id, start, end, extractor, quote, confidence) "
            "SELECT subject, document_id, start, end, extractor, quote, confidence FROM evidence_v1 "
            "WHERE instr(subject, '|') = 0"
        )
        db.execute(
            "INSERT INTO citations (document_id, subjects) "
            "SELECT document_id, group_concat(subject, char(10)) "
            "FROM (SELECT DISTINCT document_id, subject FROM evidence_v1) GROUP BY document_id"
        )
        db.execute("UPDATE meta SET value = (SELECT count(*) FROM evidence_v1) WHERE key = 'evidence'")
        db.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
        db.execute("DROP TABLE evidence_v1")
        db.execute("DROP TABLE relations_v1")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _migrate_from_2(db: sqlite3.Connection) -> None:
    """Move a schema 2 file's entity evidence (one JSON list in each entity's row) into
    ``evidence_rows``, in one transaction; relations, the version, the change log, the running
    evidence count and ``store_id`` stay as they are."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if _schema_of(db) != 2:  # another process migrated it meanwhile
            db.execute("COMMIT")
            return
        db.execute("DROP VIEW evidence")  # it reads entities.evidence
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(
            "INSERT INTO evidence_rows (subject, document_id, start, end, extractor, quote, confidence) "
            "SELECT s.id, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), json_extract(e.value, '$[2]'), "
            "json_extract(e.value, '$[3]'), json_extract(e.value, '$[4]'), json_extract(e.value, '$[5]') "
            "FROM entities s, json_each(CAST(s.evidence AS TEXT)) e"
        )
        db.execute("ALTER TABLE entities DROP COLUMN evidence")
        db.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _migrate_from_3(db: sqlite3.Connection) -> None:
    """Give a schema 3 file's documents the ``ingested`` column, in one transaction. Documents
    stored before it stay without a system time: a ``known_at`` read counts them as known from
    the start (graph/time_view.py), the only reading that hides nothing the store held."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if _schema_of(db) != 3:  # another process migrated it meanwhile
            db.execute("COMMIT")
            return
        db.execute("ALTER TABLE documents ADD COLUMN ingested TEXT")
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
