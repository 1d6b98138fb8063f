"""The embedded store: a SQLite file is the durable truth, a networkx MultiDiGraph the query index.

Every write is one SQLite transaction; the in-memory index is changed only after the commit, so a
failed batch leaves both exactly as they were. Each committed write bumps a version number and logs
the ids it touched in ``changes``; a reader that finds the file's version ahead of its own (another
process wrote) reloads just those ids, so a running server sees the CLI's writes without a restart.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from graph.enums import EntityType, RelationType
from graph.errors import NotFoundError, StoreUnavailableError
from graph.model import Batch, Document, Entity, Evidence, Relation
from graph.names import NameIndex
from graph.store import Counts, Direction, GraphStore, NameMatch, WriteSummary
from graph.write_plan import WritePlan, plan_batch, plan_document_removal

__all__ = ["EmbeddedStore"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, language TEXT, source TEXT,
    text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (id TEXT PRIMARY KEY, type TEXT NOT NULL, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS relations (
    key TEXT PRIMARY KEY, source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
    body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS evidence (
    subject TEXT NOT NULL, document_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    extractor TEXT NOT NULL, quote TEXT NOT NULL, confidence REAL NOT NULL,
    PRIMARY KEY (subject, document_id, start, end, extractor)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS evidence_by_document ON evidence (document_id);
CREATE TABLE IF NOT EXISTS changes (version INTEGER NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS changes_by_version ON changes (version);
INSERT OR IGNORE INTO meta VALUES ('version', '0'), ('schema', '1');
"""

_CHUNK = 500


def _chunks(items: list[str], size: int = _CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _entity_body(entity: Entity) -> bytes:
    return orjson.dumps(
        entity.model_dump(mode="json", exclude={"id", "type", "evidence"}, exclude_none=True),
        option=orjson.OPT_SORT_KEYS,
    )


def _entity_from_row(entity_id: str, entity_type: str, body: bytes, evidence: list[Evidence]) -> Entity:
    data = orjson.loads(body)
    return Entity(id=entity_id, type=EntityType(entity_type), evidence=evidence, **data)


def _relation_body(relation: Relation) -> bytes:
    return orjson.dumps(
        relation.model_dump(mode="json", include={"share", "origin", "valid_from", "valid_to", "attributes"}, exclude_none=True),
        option=orjson.OPT_SORT_KEYS,
    )


def _relation_from_body(source: str, rtype: str, target: str, data: dict[str, Any], evidence: list[Evidence]) -> Relation:
    # Rows were validated on the way in; model_construct skips re-validating them on every read.
    return Relation.model_construct(
        source=source,
        type=RelationType(rtype),
        target=target,
        share=data.get("share"),
        origin=data.get("origin"),
        valid_from=data.get("valid_from") and _date(data["valid_from"]),
        valid_to=data.get("valid_to") and _date(data["valid_to"]),
        attributes=data.get("attributes", {}),
        evidence=evidence,
    )


def _date(text: str) -> date:
    return date.fromisoformat(text)


class EmbeddedStore(GraphStore):
    """SQLite + networkx. Safe to share between the threads of one process (one lock)."""

    backend = "embedded"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as e:
            raise StoreUnavailableError(f"cannot open the store at {self.path}: {e}") from e
        self._lock = threading.RLock()
        self._graph = nx.MultiDiGraph()
        self._names = NameIndex()
        self._by_origin: dict[str, set[tuple[str, str, str]]] = {}
        self._version = 0
        self._pragma_version: int | None = None
        self._load_all()

    # -- loading and keeping in step ---------------------------------------------------------
    def _stored_version(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0])

    def _load_all(self) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._version = self._stored_version()
                for entity_id, entity_type, body in self._db.execute("SELECT id, type, body FROM entities"):
                    self._index_entity(entity_id, entity_type, orjson.loads(body))
                for key, source, rtype, target, body in self._db.execute(
                    "SELECT key, source, type, target, body FROM relations"
                ):
                    self._index_relation(key, source, rtype, target, orjson.loads(body))
            finally:
                self._db.execute("COMMIT")
            self._pragma_version = self._db.execute("PRAGMA data_version").fetchone()[0]

    def _index_entity(self, entity_id: str, entity_type: str, body: dict[str, Any]) -> None:
        self._graph.add_node(entity_id, type=entity_type)
        self._names.set(entity_id, [*body["names"].values(), *body.get("aliases", ())])

    def _index_relation(self, key: str, source: str, rtype: str, target: str, body: dict[str, Any]) -> None:
        self._graph.add_edge(source, target, key=key, type=rtype, body=body)
        if "origin" in body:
            self._by_origin.setdefault(body["origin"], set()).add((source, target, key))

    def _unindex(self, key: str) -> None:
        if "|" in key:
            source, rtype, target, origin = key.split("|")
            if self._graph.has_edge(source, target, key):
                self._graph.remove_edge(source, target, key)
            if origin:
                self._by_origin.get(origin, set()).discard((source, target, key))
        elif key in self._graph:
            self._graph.remove_node(key)
            self._names.remove(key)

    def _sync(self) -> None:
        """Catch up with writes committed by other connections (other processes)."""
        pragma = self._db.execute("PRAGMA data_version").fetchone()[0]
        if pragma == self._pragma_version:
            return
        self._pragma_version = pragma
        stored = self._stored_version()
        if stored == self._version:
            return
        keys = [k for (k,) in self._db.execute("SELECT DISTINCT key FROM changes WHERE version > ?", (self._version,))]
        self._reload(keys)
        self._version = stored

    def _reload(self, keys: list[str]) -> None:
        entity_ids = [k for k in keys if "|" not in k]
        relation_keys = [k for k in keys if "|" in k]
        for key in relation_keys:
            self._unindex(key)
        for chunk in _chunks(entity_ids):
            found = {
                row[0]: row
                for row in self._db.execute(
                    f"SELECT id, type, body FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
            }
            for entity_id in chunk:
                if entity_id in found:
                    _, entity_type, body = found[entity_id]
                    self._index_entity(entity_id, entity_type, orjson.loads(body))
                else:
                    self._unindex(entity_id)
        for chunk in _chunks(relation_keys):
            for key, source, rtype, target, body in self._db.execute(
                f"SELECT key, source, type, target, body FROM relations WHERE key IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                self._index_relation(key, source, rtype, target, orjson.loads(body))

    # -- writes ----------------------------------------------------------------------------
    def upsert(self, batch: Batch) -> WriteSummary:
        with self._lock:
            return self._write(lambda: plan_batch(batch, self))

    def remove_document(self, document_id: str) -> WriteSummary:
        with self._lock:
            self._sync()
            if self.document(document_id) is None:
                raise NotFoundError(f"no document {document_id!r}")
            return self._write(lambda: plan_document_removal(document_id, self))

    def _write(self, make_plan) -> WriteSummary:  # noqa: ANN001 - a zero-argument callable
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise StoreUnavailableError(f"the store at {self.path} is locked or unwritable: {e}") from e
        try:
            self._sync()
            plan: WritePlan = make_plan()
            if plan.summary.changed:
                self._apply(plan)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        if plan.summary.changed:
            self._reload(plan.touched)
            self._version += 1
            self._pragma_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        return plan.summary

    def _apply(self, plan: WritePlan) -> None:
        db = self._db
        db.executemany(
            "INSERT INTO documents (id, title, url, published, language, source, text) VALUES (?,?,?,?,?,?,?)",
            [
                (d.id, d.title, d.url, d.published and d.published.isoformat(), d.language, d.source, d.text)
                for d in plan.new_documents
            ],
        )
        db.executemany(
            "INSERT INTO entities (id, type, body) VALUES (?,?,?) ON CONFLICT(id) DO UPDATE SET type=excluded.type, body=excluded.body",
            [(e.id, e.type.value, _entity_body(e)) for e in plan.entities],
        )
        db.executemany(
            "INSERT INTO relations (key, source, type, target, body) VALUES (?,?,?,?,?) "
            "ON CONFLICT(key) DO UPDATE SET body=excluded.body",
            [(r.key, r.source, r.type.value, r.target, _relation_body(r)) for r in plan.relations],
        )
        db.executemany(
            "INSERT OR IGNORE INTO evidence (subject, document_id, start, end, extractor, quote, confidence) VALUES (?,?,?,?,?,?,?)",
            [(s, e.document_id, e.start, e.end, e.extractor, e.quote, e.confidence) for s, e in plan.new_evidence],
        )
        if plan.removed_document:
            db.execute("DELETE FROM evidence WHERE document_id = ?", (plan.removed_document,))
            db.execute("DELETE FROM documents WHERE id = ?", (plan.removed_document,))
        db.executemany("DELETE FROM relations WHERE key = ?", [(k,) for k in plan.removed_relations])
        db.executemany("DELETE FROM entities WHERE id = ?", [(i,) for i in plan.removed_entities])
        version = self._stored_version() + 1
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(version),))
        db.executemany("INSERT INTO changes (version, key) VALUES (?, ?)", [(version, k) for k in plan.touched])

    # -- reads -----------------------------------------------------------------------------
    def data_version(self) -> int:
        with self._lock:
            self._sync()
            return self._version

    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        wanted = sorted(set(ids))
        with self._lock:
            self._sync()
            rows = []
            for chunk in _chunks(wanted):
                rows += self._db.execute(
                    f"SELECT id, type, body FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
            found = self._evidence_locked([r[0] for r in rows]) if evidence else {}
        return {r[0]: _entity_from_row(r[0], r[1], r[2], found.get(r[0], [])) for r in rows}

    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        with self._lock:
            self._sync()
            nodes = self._graph.nodes(data="type")
            return sorted(n for n, t in nodes if entity_type is None or t == entity_type)

    def edges(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
    ) -> list[Relation]:
        wanted_types = {str(t) for t in types} if types is not None else None
        found: dict[str, Relation] = {}
        with self._lock:
            self._sync()
            for node in set(ids):
                if node not in self._graph:
                    continue
                views = []
                if direction in (Direction.OUT, Direction.BOTH):
                    views.append(self._graph.out_edges(node, keys=True, data=True))
                if direction in (Direction.IN, Direction.BOTH):
                    views.append(self._graph.in_edges(node, keys=True, data=True))
                for view in views:
                    for source, target, key, data in view:
                        if wanted_types is None or data["type"] in wanted_types:
                            found[key] = _relation_from_body(source, data["type"], target, data["body"], [])
        return [found[k] for k in sorted(found)]

    def origin_edges(self, country_id: str) -> list[Relation]:
        with self._lock:
            self._sync()
            found = []
            for source, target, key in sorted(self._by_origin.get(country_id, ()), key=lambda t: t[2]):
                if not self._graph.has_edge(source, target, key):
                    continue
                data = self._graph.edges[source, target, key]
                found.append(_relation_from_body(source, data["type"], target, data["body"], []))
            return found

    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        wanted = sorted(set(keys))
        with self._lock:
            self._sync()
            rows = []
            for chunk in _chunks(wanted):
                rows += self._db.execute(
                    f"SELECT key, source, type, target, body FROM relations WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            found = self._evidence_locked([r[0] for r in rows]) if evidence else {}
        return {r[0]: _relation_from_body(r[1], r[2], r[3], orjson.loads(r[4]), found.get(r[0], [])) for r in rows}

    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        with self._lock:
            self._sync()
            return self._evidence_locked(sorted(set(subjects)))

    def _evidence_locked(self, subjects: list[str]) -> dict[str, list[Evidence]]:
        result: dict[str, list[Evidence]] = {}
        for chunk in _chunks(subjects):
            for subject, doc, start, end, extractor, quote, confidence in self._db.execute(
                "SELECT subject, document_id, start, end, extractor, quote, confidence FROM evidence "
                f"WHERE subject IN ({','.join('?' * len(chunk))}) ORDER BY subject, document_id, start, end, extractor",
                chunk,
            ):
                result.setdefault(subject, []).append(
                    Evidence.model_construct(
                        document_id=doc, quote=quote, start=start, end=end, extractor=extractor, confidence=confidence
                    )
                )
        return result

    def lookup(self, text: str, *, entity_type: EntityType | None = None, limit: int = 20) -> list[NameMatch]:
        with self._lock:
            self._sync()
            hits = self._names.lookup(text, limit if entity_type is None else limit * 20)
            types = self._graph.nodes(data="type")
            matches = [NameMatch(i, s) for i, s in hits if entity_type is None or types[i] == entity_type]
        return matches[:limit]

    def document(self, document_id: str) -> Document | None:
        with self._lock:
            self._sync()
            row = self._db.execute(
                "SELECT id, title, url, published, language, source, text FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
        if row is None:
            return None
        return Document.model_construct(
            id=row[0], title=row[1], url=row[2], published=row[3] and _date(row[3]), language=row[4], source=row[5], text=row[6]
        )

    def documents(self) -> list[Document]:
        with self._lock:
            self._sync()
            rows = self._db.execute(
                "SELECT id, title, url, published, language, source FROM documents ORDER BY id"
            ).fetchall()
        return [
            Document.model_construct(
                id=r[0], title=r[1], url=r[2], published=r[3] and _date(r[3]), language=r[4], source=r[5], text=""
            )
            for r in rows
        ]

    def counts(self) -> Counts:
        with self._lock:
            self._sync()
            by_type: dict[str, int] = {}
            for _, entity_type in self._graph.nodes(data="type"):
                by_type[entity_type] = by_type.get(entity_type, 0) + 1
            rel_by_type: dict[str, int] = {}
            for _, _, rtype in self._graph.edges(data="type"):
                rel_by_type[rtype] = rel_by_type.get(rtype, 0) + 1
            documents = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
            evidence = self._db.execute("SELECT count(*) FROM evidence").fetchone()[0]
            return Counts(
                documents=documents,
                entities=self._graph.number_of_nodes(),
                relations=self._graph.number_of_edges(),
                evidence=evidence,
                entities_by_type=dict(sorted(by_type.items())),
                relations_by_type=dict(sorted(rel_by_type.items())),
            )

    def document_subjects(self, document_id: str) -> list[str]:
        with self._lock:
            self._sync()
            rows = self._db.execute("SELECT DISTINCT subject FROM evidence WHERE document_id = ?", (document_id,))
            return sorted(s for (s,) in rows)

    def iter_entities(self) -> Iterator[Entity]:
        for chunk in _chunks(self.entity_ids()):
            found = self.entities(chunk, evidence=True)
            yield from (found[i] for i in chunk if i in found)

    def iter_relations(self) -> Iterator[Relation]:
        with self._lock:
            self._sync()
            keys = sorted(k for _, _, k in self._graph.edges(keys=True))
        for chunk in _chunks(keys):
            found = self.relations(chunk, evidence=True)
            yield from (found[k] for k in chunk if k in found)

    def close(self) -> None:
        with self._lock:
            self._db.close()

