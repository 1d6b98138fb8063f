"""The embedded store's file format: schema 1 files (one evidence row per piece, text-keyed
relations) and schema 2 files (each subject's evidence as one JSON list in its row) are migrated on
open to the current schema with the same content; newer files are refused."""

import sqlite3
from pathlib import Path

import orjson
import pytest

from bench.harness.fingerprint import sqlite_content, store_fingerprint
from bench.harness.schema_1 import SCHEMA_1_TABLES
from graph.embedded import EmbeddedStore
from graph.embedded.schema import SCHEMA_VERSION
from graph.model.errors import StoreUnavailableError


def _without_system_time(path: Path) -> None:
    """Forget when the store took its documents: files of schema 3 and older never held it, so a
    migrated file's documents have none (they count as known from the start)."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE documents SET ingested = NULL")


def _as_schema_1(source: Path, target: Path) -> None:
    """Write ``source``'s content into a new schema 1 file, as the old store would have."""
    with sqlite3.connect(target) as db:
        db.executescript(SCHEMA_1_TABLES)
        db.execute("ATTACH DATABASE ? AS new", (str(source),))
        for table, columns in {
            "meta": "key, value",
            "documents": "id, title, url, published, language, source, text",
            "entities": "id, type, body",
            "relations": "key, source, type, target, body",
            "evidence": "subject, document_id, start, end, extractor, quote, confidence",
            "changes": "version, key",
        }.items():
            db.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM new.{table}")
        db.execute("DELETE FROM main.meta WHERE key = 'evidence'")
        db.execute("UPDATE main.meta SET value = '1' WHERE key = 'schema'")


# The DDL of schema 2, as tradegraph wrote it before schema 3.
SCHEMA_2 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, language TEXT, source TEXT,
    text TEXT NOT NULL);
CREATE TABLE entities (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, body BLOB NOT NULL, evidence BLOB NOT NULL DEFAULT '[]');
CREATE TABLE relations (
    id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, key TEXT NOT NULL,
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, body BLOB NOT NULL, evidence BLOB NOT NULL);
CREATE INDEX relations_by_hash ON relations (hash);
CREATE TABLE citations (document_id TEXT NOT NULL, subjects TEXT NOT NULL);
CREATE INDEX citations_by_document ON citations (document_id);
CREATE VIEW evidence (subject, document_id, start, end, extractor, quote, confidence) AS
    SELECT s.id, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), json_extract(e.value, '$[2]'),
           json_extract(e.value, '$[3]'), json_extract(e.value, '$[4]'), json_extract(e.value, '$[5]')
    FROM entities s, json_each(CAST(s.evidence AS TEXT)) e
    UNION ALL
    SELECT s.key, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), json_extract(e.value, '$[2]'),
           json_extract(e.value, '$[3]'), json_extract(e.value, '$[4]'), json_extract(e.value, '$[5]')
    FROM relations s, json_each(CAST(s.evidence AS TEXT)) e;
CREATE TABLE changes (version INTEGER NOT NULL, key TEXT NOT NULL);
CREATE INDEX changes_by_version ON changes (version);
"""


def _as_schema_2(source: Path, target: Path) -> None:
    """Write ``source``'s content into a new schema 2 file, as the schema 2 store would have: each
    subject's whole evidence (sorted by key) as one JSON list in its row."""
    with sqlite3.connect(source) as db:
        evidence: dict[str, list] = {}
        for subject, *piece in db.execute(
            "SELECT subject, document_id, start, end, extractor, quote, confidence FROM evidence "
            "ORDER BY subject, document_id, start, end, extractor"
        ):
            evidence.setdefault(subject, []).append(piece)
        tables = {
            "meta": db.execute("SELECT key, value FROM meta").fetchall(),
            "documents": db.execute("SELECT id, title, url, published, language, source, text FROM documents").fetchall(),
            "entities": [(i, t, b, orjson.dumps(evidence.get(i, []))) for i, t, b in db.execute("SELECT id, type, body FROM entities")],
            "relations": [(*row, orjson.dumps(evidence.get(row[1], []))) for row in db.execute("SELECT hash, key, source, type, target, body FROM relations")],
            "citations": db.execute("SELECT document_id, subjects FROM citations").fetchall(),
            "changes": db.execute("SELECT version, key FROM changes").fetchall(),
        }
    columns = {"relations": "hash, key, source, type, target, body, evidence"}
    with sqlite3.connect(target) as db:
        db.executescript(SCHEMA_2)
        for table, rows in tables.items():
            if rows:
                names = f" ({columns[table]})" if table in columns else ""
                db.executemany(f"INSERT INTO {table}{names} VALUES ({','.join('?' * len(rows[0]))})", rows)
        db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")


def _schema_2_store(seed_batch, tmp_path: Path) -> tuple[Path, Path]:
    """A store that took writes adding evidence to stored subjects and a removal, and the same
    content in a schema 2 file."""
    from tests.graph.test_store_contract import DOC_A, DOC_B, small_batch

    new = tmp_path / "new.db"
    with EmbeddedStore(new) as store:
        store.upsert(seed_batch)
        store.upsert(small_batch(DOC_A))
        store.upsert(small_batch(DOC_B))  # pieces added to stored entities and relations
        store.remove_document(DOC_B.id)
    _without_system_time(new)
    old = tmp_path / "old.db"
    _as_schema_2(new, old)
    return new, old


def test_a_schema_2_file_is_migrated_with_its_content(seed_batch, tmp_path):
    new, old = _schema_2_store(seed_batch, tmp_path)
    with EmbeddedStore(new) as reopened:
        expected = store_fingerprint(reopened)
        evidence = reopened.counts().evidence
    before = sqlite_content(old)
    assert before == sqlite_content(new)
    with EmbeddedStore(old) as migrated:
        assert store_fingerprint(migrated) == expected
        assert migrated.counts().evidence == evidence == _view_count(old)
    with sqlite3.connect(old) as db:
        assert db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == str(SCHEMA_VERSION)
        assert "evidence" not in [r[1] for r in db.execute("PRAGMA table_info(entities)")]
    assert sqlite_content(old) == before


def test_a_schema_2_file_takes_writes_like_a_new_one(seed_batch, tmp_path):
    from tests.graph.test_store_contract import DOC_A, DOC_B, small_batch

    new, old = _schema_2_store(seed_batch, tmp_path)
    with EmbeddedStore(old) as migrated, EmbeddedStore(new) as fresh:
        for store in (migrated, fresh):
            version = store.data_version()
            assert not store.upsert(seed_batch).changed
            assert not store.upsert(small_batch(DOC_A)).changed
            assert store.data_version() == version
            assert store.upsert(small_batch(DOC_B)).evidence_added == 5
            store.remove_document(DOC_A.id)
    with EmbeddedStore(old) as migrated, EmbeddedStore(new) as fresh:
        assert store_fingerprint(migrated) == store_fingerprint(fresh)
        assert migrated.counts() == fresh.counts()
    assert sqlite_content(old) == sqlite_content(new)


def test_a_schema_1_file_is_migrated_with_its_content(seed_batch, tmp_path):
    new = tmp_path / "new.db"
    with EmbeddedStore(new) as store:
        store.upsert(seed_batch)
        removed = store.documents()[0].id
        store.remove_document(removed)  # a kept entity that lost evidence, deleted relations
    _without_system_time(new)
    with EmbeddedStore(new) as reopened:  # attributes as read back from rows, like the migrated store
        expected = store_fingerprint(reopened)
    old = tmp_path / "old.db"
    _as_schema_1(new, old)
    before = sqlite_content(old)
    with EmbeddedStore(old) as migrated:
        assert store_fingerprint(migrated) == expected
        assert migrated.document_subjects(migrated.documents()[0].id)
    with sqlite3.connect(old) as db:
        assert db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == str(SCHEMA_VERSION)
    # The same rows through the compatibility view, the same version and store_id.
    assert sqlite_content(old) == before


def test_a_migrated_file_takes_writes_like_a_new_one(seed_batch, tmp_path):
    new = tmp_path / "new.db"
    with EmbeddedStore(new) as store:
        store.upsert(seed_batch)
    _without_system_time(new)
    old = tmp_path / "old.db"
    _as_schema_1(new, old)
    with EmbeddedStore(old) as migrated, EmbeddedStore(new) as fresh:
        for store in (migrated, fresh):
            assert not store.upsert(seed_batch).changed
            store.remove_document(store.documents()[0].id)
    with EmbeddedStore(old) as migrated, EmbeddedStore(new) as fresh:
        assert store_fingerprint(migrated) == store_fingerprint(fresh)
    assert sqlite_content(old) == sqlite_content(new)


def test_a_newer_schema_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "future.db"
    EmbeddedStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreUnavailableError, match="future.db.*newer"):
        EmbeddedStore(path)


def test_stored_bodies_are_the_model_dump_bytes(seed_batch):
    """The hand-built row bodies (a write path shortcut) are byte for byte what pydantic's dump gives."""
    import orjson

    from graph.embedded.rows import entity_body, relation_body

    def dumped(model, **kwargs) -> bytes:
        return orjson.dumps(model.model_dump(mode="json", exclude_none=True, **kwargs), option=orjson.OPT_SORT_KEYS)

    # claims are written only where there are some
    for entity in seed_batch.entities:
        assert entity_body(entity) == dumped(entity, exclude={"id", "type", "evidence"} | (set() if entity.claims else {"claims"})), entity.id
    for relation in seed_batch.relations:
        fields = {"share", "origin", "valid_from", "valid_to", "attributes"} | ({"claims"} if relation.claims else set())
        assert relation_body(relation) == dumped(relation, include=fields), relation.key
    assert any(e.claims for e in seed_batch.entities) and any(r.claims for r in seed_batch.relations)


def _view_count(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM evidence").fetchone()[0]


def test_the_evidence_count_follows_merges_and_removals(tmp_path):
    """counts().evidence is kept as a running total; it must equal the rows of the evidence view."""
    from tests.graph.test_store_contract import DOC_A, DOC_B, small_batch

    path = tmp_path / "s.db"
    with EmbeddedStore(path) as store:
        store.upsert(small_batch(DOC_A))
        assert store.counts().evidence == _view_count(path) == 5
        store.upsert(small_batch(DOC_B))  # the same facts read again in another document
        assert store.counts().evidence == _view_count(path) == 10
        assert store.document_subjects(DOC_B.id) == store.document_subjects(DOC_A.id)
        store.remove_document(DOC_A.id)
        assert store.counts().evidence == _view_count(path) == 5
        assert all(e.document_id == DOC_B.id for evs in store.evidence(store.document_subjects(DOC_B.id)).values() for e in evs)
        assert store.document_subjects(DOC_A.id) == []
    with EmbeddedStore(path) as reopened:
        assert reopened.counts().evidence == 5


def test_the_same_reading_twice_in_one_new_relation_is_stored_once(tmp_path):
    from tests.graph.test_store_contract import DOC_A, small_batch

    batch = small_batch(DOC_A)
    relation = batch.relations[0]
    batch.relations[0] = relation.model_copy(update={"evidence": [*relation.evidence, *relation.evidence]})
    path = tmp_path / "s.db"
    with EmbeddedStore(path) as store:
        store.upsert(batch)
        assert store.relations([relation.key])[relation.key].evidence == relation.evidence
        assert store.counts().evidence == _view_count(path) == 5
        version = store.data_version()
        assert not store.upsert(batch).changed
        assert store.data_version() == version
