"""The tables of the embedded store's schema 1, as tradegraph wrote them before schema 2.

Kept in one place for the two that still build such a file: the migration test (a schema 1
file to migrate) and ``bench.upsert`` (what the schema change itself is worth)."""

SCHEMA_1_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, language TEXT, source TEXT,
    text TEXT NOT NULL);
CREATE TABLE entities (id TEXT PRIMARY KEY, type TEXT NOT NULL, body BLOB NOT NULL);
CREATE TABLE relations (
    key TEXT PRIMARY KEY, source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
    body BLOB NOT NULL);
CREATE TABLE evidence (
    subject TEXT NOT NULL, document_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    extractor TEXT NOT NULL, quote TEXT NOT NULL, confidence REAL NOT NULL,
    PRIMARY KEY (subject, document_id, start, end, extractor)) WITHOUT ROWID;
CREATE INDEX evidence_by_document ON evidence (document_id);
CREATE TABLE changes (version INTEGER NOT NULL, key TEXT NOT NULL);
CREATE INDEX changes_by_version ON changes (version);
"""
