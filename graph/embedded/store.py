"""The embedded store: a SQLite file is the durable truth, a compact in-memory graph the query index.

Every write is one SQLite transaction; the in-memory index is changed only after the commit, so a
failed batch leaves both exactly as they were. Each committed write bumps a version number and logs
the ids it touched in ``changes`` (one row per write, the keys joined by newlines; rows written one
key each by earlier versions read the same way); a reader that finds the file's version ahead of
its own (another process wrote) reloads just those ids, so a running server sees the CLI's writes
without a restart.

The index (graph.compact_index) holds the graph's shape and each relation's share, origin and
validity in flat arrays, and the names in graph.names.NameIndex; evidence, documents and entity
bodies stay in SQLite and are read on demand. Rows read back were validated on the way in, so they
become model objects without being validated again (``_construct``).
"""

from __future__ import annotations

import gc
import itertools
import logging
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from graph.compact_index import RELATION_TYPES, CompactGraph
from graph.enums import EntityType, MeasureStatus, MeasureType, RelationType
from graph.errors import NotFoundError, StoreUnavailableError
from graph.index_snapshot import SnapshotRefused, pack_index, read_snapshot, unpack_index, write_snapshot
from graph.model import Batch, Document, Entity, Evidence, MeasureAttributes, Relation
from graph.names import NAMES_RULE, MatchKind, NameIndex  # a snapshot under another NAMES_RULE is not loaded
from graph.store import Counts, Direction, EvidenceKey, GraphReader, GraphStore, Link, WriteSummary
from graph.write_plan import WritePlan, plan_batch, plan_document_removal

__all__ = ["EmbeddedStore"]

log = logging.getLogger("tradegraph.store")

#: A relation is one row appended to a table with integer rowids, found by a narrow index on a
#: 32-bit hash of its key (not a text key in a random B-tree), and it carries the evidence it was
#: created with in that row (schema 2): a bulk load writes one row per relation. Every other piece
#: of evidence - all of an entity's, and what later writes add to a stored relation - is one row
#: of ``evidence_rows`` keyed by (subject, ``Evidence.key``) (schema 3), so adding a piece to a
#: much-cited entity is one INSERT, not a rewrite of its whole list. A document's citations are one
#: row per document per write. ``evidence`` is a view with schema 1's columns over both, for
#: readers of the file (tests, tools). Older files are migrated on open (``_migrate_from_1``,
#: ``_migrate_from_2``).
SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, language TEXT, source TEXT,
    text TEXT NOT NULL);
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
CREATE INDEX IF NOT EXISTS changes_by_version ON changes (version);
INSERT OR IGNORE INTO meta VALUES ('version', '0'), ('schema', '3'), ('evidence', '0');
INSERT OR IGNORE INTO meta VALUES ('store_id', lower(hex(randomblob(16))));
"""

_INSERT_EVIDENCE_ROW = (
    "INSERT INTO evidence_rows (subject, document_id, start, end, extractor, quote, confidence) VALUES (?,?,?,?,?,?,?)"
)

def key_hash(key: str) -> int:
    """The ``relations.hash`` of a relation key: CRC-32 of its UTF-8 bytes. Not unique (the index
    is not, and every lookup compares the key itself), only narrow and evenly spread."""
    return zlib.crc32(key.encode())


def _evidence_blob(evidence: list[Evidence]) -> bytes:
    """A subject's evidence as stored: a JSON list of ``[document_id, start, end, extractor, quote,
    confidence]``, in the order of ``Evidence.key``."""
    if len(evidence) == 1:  # most subjects: no list comprehension
        e = evidence[0]
        return orjson.dumps(([e.document_id, e.start, e.end, e.extractor, e.quote, e.confidence],))
    return orjson.dumps([[e.document_id, e.start, e.end, e.extractor, e.quote, e.confidence] for e in evidence])


def _evidence_from_blob(blob: bytes) -> list[Evidence]:
    return [
        _construct(Evidence, {"document_id": d, "quote": q, "start": s, "end": e, "extractor": x, "confidence": c})
        for d, s, e, x, q, c in orjson.loads(blob)
    ]


_CHUNK = 500


def _sides_and_codes(direction: Direction, types: Iterable[RelationType] | None) -> tuple[bool, bool, set[int] | None]:
    """The compact index's reading of a direction and relation types: follow out-edges, follow
    in-edges, and the type codes to keep (None: every type)."""
    codes = {RELATION_TYPES.index(RelationType(t)) for t in types} if types is not None else None
    return direction in (Direction.OUT, Direction.BOTH), direction in (Direction.IN, Direction.BOTH), codes


def _chunks(items: list[str], size: int = _CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _construct(cls, values: dict[str, Any]):  # noqa: ANN001, ANN202 - any pydantic model class
    """A model from trusted, already validated values: what ``model_construct`` does, without its
    per-field bookkeeping (a third of the cost of a read that returns thousands of relations)."""
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def _entity_body(entity: Entity) -> bytes:
    if entity.measure is None:
        # The same bytes as the model_dump below (names, aliases and attributes hold only JSON
        # values), without a serialiser pass per entity.
        body = {"aliases": entity.aliases, "attributes": entity.attributes, "names": entity.names}
        return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return orjson.dumps(
        entity.model_dump(mode="json", exclude={"id", "type", "evidence"}, exclude_none=True),
        option=orjson.OPT_SORT_KEYS,
    )


_DATE_FIELDS = ("announced", "effective", "ended")


def _measure_from_body(data: dict[str, Any]) -> MeasureAttributes:
    return _construct(
        MeasureAttributes,
        {
            "measure_type": MeasureType(data["measure_type"]),
            "status": MeasureStatus(data["status"]),
            "announced": _date(data["announced"]) if data.get("announced") else None,
            "effective": _date(data["effective"]) if data.get("effective") else None,
            "ended": _date(data["ended"]) if data.get("ended") else None,
            "rate": data.get("rate"),
            "previous_rate": data.get("previous_rate"),
            "amount": data.get("amount"),
            "unit": data.get("unit"),
            "legal_reference": data.get("legal_reference"),
        },
    )


def _entity_from_row(entity_id: str, entity_type: str, body: bytes, evidence: list[Evidence]) -> Entity:
    data = orjson.loads(body)
    measure = data.get("measure")
    return _construct(
        Entity,
        {
            "id": entity_id,
            "type": EntityType(entity_type),
            "names": data["names"],
            "aliases": data.get("aliases", []),
            "attributes": data.get("attributes", {}),
            "measure": _measure_from_body(measure) if measure is not None else None,
            "evidence": evidence,
        },
    )


def _relation_body(relation: Relation) -> bytes:
    # The same bytes as model_dump(mode="json", include=..., exclude_none=True) with sorted keys,
    # without a serialiser pass per row.
    if not relation.attributes and relation.origin is None and relation.share is None and relation.valid_from is None and relation.valid_to is None:
        return _EMPTY_BODY
    body: dict[str, Any] = {"attributes": relation.attributes}
    if relation.origin is not None:
        body["origin"] = relation.origin
    if relation.share is not None:
        body["share"] = relation.share
    if relation.valid_from is not None:
        body["valid_from"] = relation.valid_from.isoformat()
    if relation.valid_to is not None:
        body["valid_to"] = relation.valid_to.isoformat()
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def _relation(source, rtype, target, share, origin, valid_from, valid_to, attributes, evidence) -> Relation:  # noqa: ANN001
    return _construct(
        Relation,
        {
            "source": source,
            "type": rtype,
            "target": target,
            "share": share,
            "origin": origin,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "attributes": dict(attributes) if attributes else {},
            "evidence": evidence,
        },
    )


def _relation_from_body(source: str, rtype: str, target: str, data: dict[str, Any], evidence: list[Evidence]) -> Relation:
    return _relation(
        source,
        RelationType(rtype),
        target,
        data.get("share"),
        data.get("origin"),
        _date(data["valid_from"]) if data.get("valid_from") else None,
        _date(data["valid_to"]) if data.get("valid_to") else None,
        data.get("attributes"),
        evidence,
    )


def _date(text: str) -> date:
    return date.fromisoformat(text)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a load or a write builds many small objects that all stay
    alive: every collection would walk the whole heap for nothing (reference counting still frees
    what dies). Writes and loads create no cycles that need the collector in the meantime."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_EMPTY_BODY = b'{"attributes":{}}'


def _schema_of(db: sqlite3.Connection) -> int | None:
    """The schema version of an open file, None for a new (empty) one; files from before the
    version was recorded are schema 1."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return int(row[0]) if row else 1


def _prepare_schema(db: sqlite3.Connection, path: Path) -> None:
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
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
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
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


class EmbeddedStore(GraphStore):
    """SQLite + a compact in-memory index. Safe to share between the threads of one process (one lock)."""

    backend = "embedded"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            _prepare_schema(self._db, self.path)
        except sqlite3.Error as e:
            raise StoreUnavailableError(f"cannot open the store at {self.path}: {e}") from e
        self._lock = threading.RLock()
        self._graph = CompactGraph()
        self._names = NameIndex()
        self._version = 0
        self._pragma_version: int | None = None
        self._store_id = self._db.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()[0]
        self._snapshot_version: int | None = None
        with _gc_paused():
            self._load_index()

    # -- the index snapshot --------------------------------------------------------------------
    #: Stores with at least this many relations keep a snapshot of their index beside the SQLite
    #: file (``<db>.index``), written at close when it is behind, so the next start loads arrays
    #: instead of rebuilding them from every row; writes since the snapshot are replayed from the
    #: ``changes`` log, exactly as a server catches up with another process's writes.
    SNAPSHOT_MIN_RELATIONS = 100_000

    @property
    def snapshot_path(self) -> Path:
        return self.path.with_name(self.path.name + ".index")

    def _load_index(self) -> None:
        """The index from the snapshot when it verifies and belongs to this file, else from every
        row. A snapshot file that is there but refused is logged, then replaced by one of the
        rebuilt index (or removed, for a store now too small to keep one): left in place it would
        be refused again at every start, or worse, trusted by an older reader."""
        try:
            if self._load_snapshot():
                return
        except SnapshotRefused as e:
            log.warning("index snapshot %s not used, rebuilding the index from %s: %s", self.snapshot_path, self.path.name, e)
            self._load_all()
            self._replace_refused_snapshot()
            return
        self._load_all()

    def _replace_refused_snapshot(self) -> None:
        try:
            if self._graph.number_of_edges >= self.SNAPSHOT_MIN_RELATIONS:
                self.write_snapshot()
            else:
                self.snapshot_path.unlink(missing_ok=True)
        except OSError as e:  # the next start refuses it again and retries; the index is right either way
            log.warning("index snapshot %s could not be replaced: %s", self.snapshot_path, e)

    def _load_snapshot(self) -> bool:
        """Load the index from the snapshot; False when there is none. Raises SnapshotRefused when
        one is there but does not verify, is another file's or ahead of this one's version."""
        found = read_snapshot(self.snapshot_path)
        if found is None:
            return False
        header, blobs = found
        if header.get("store_id") != self._store_id:
            raise SnapshotRefused("it belongs to another database file (its store_id differs)")
        if header.get("names_rule") != NAMES_RULE:
            raise SnapshotRefused("its names were normalised under another rule")
        version = header.get("version")
        with self._lock:
            if type(version) is not int or not 0 <= version <= self._stored_version():
                raise SnapshotRefused(f"its data version {version!r} is not one this database has had")
            graph, names = unpack_index(header, blobs)
            self._graph = graph
            self._names = names
            self._version = version
            self._snapshot_version = version
            self._pragma_version = None
            self._sync()
        return True

    def write_snapshot(self) -> Path:
        """Write the index as it is now to ``snapshot_path`` (atomically; graph.index_snapshot)."""
        with self._lock:
            self._sync()
            index, blobs = pack_index(self._graph, self._names)
            header = {"store_id": self._store_id, "names_rule": NAMES_RULE, "version": self._version, **index}
            write_snapshot(self.snapshot_path, header, blobs)
            self._snapshot_version = self._version
            return self.snapshot_path

    # -- loading and keeping in step ---------------------------------------------------------
    def _stored_version(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0])

    def _load_all(self) -> None:
        with self._lock:
            # Read before the rows: a commit landing in between only means one needless catch-up later.
            pragma = self._db.execute("PRAGMA data_version").fetchone()[0]
            self._db.execute("BEGIN")
            try:
                self._version = self._stored_version()
                graph, loads = self._graph, orjson.loads
                named = []
                for entity_id, entity_type, body in self._db.execute("SELECT id, type, body FROM entities"):
                    data = loads(body)
                    graph.add_node(entity_id, entity_type)
                    named.append((entity_id, [*data["names"].values(), *data.get("aliases", ())]))
                self._names.bulk_load(named)
                del named
                empty = _EMPTY_BODY
                graph.bulk_load(
                    [
                        (source, rtype, target, None if body == empty else loads(body))
                        for source, rtype, target, body in self._db.execute("SELECT source, type, target, body FROM relations")
                    ]
                )
            finally:
                self._db.execute("COMMIT")
            self._pragma_version = pragma

    def _index_entity(self, entity_id: str, entity_type: str, names: list[str]) -> None:
        self._graph.add_node(entity_id, entity_type)
        self._names.set(entity_id, names)

    def _index_relation(self, source: str, rtype: str, target: str, body: dict[str, Any]) -> None:
        self._graph.set_edge(
            source, rtype, target, body.get("origin"), body.get("share"),
            body.get("valid_from"), body.get("valid_to"), body.get("attributes"),
        )

    def _unindex(self, key: str) -> None:
        if "|" in key:
            self._graph.remove_key(key)
        elif key in self._graph:
            self._graph.remove_node(key)
            self._names.remove(key)

    def _sync(self) -> None:
        """Catch up with writes committed by other connections (other processes)."""
        pragma = self._db.execute("PRAGMA data_version").fetchone()[0]
        if pragma == self._pragma_version:
            return
        # The version, the change log and the rows are read in one transaction (WAL gives it one
        # snapshot): a commit landing between them cannot hand us rows that name entities whose
        # keys we did not read. Inside a write the writer's own transaction already holds.
        own = not self._db.in_transaction
        if own:
            self._db.execute("BEGIN")
        try:
            self._catch_up()
            self._pragma_version = pragma
        finally:
            if own:
                self._db.execute("COMMIT")

    def _catch_up(self) -> None:
        """Inside a transaction: reload what changed since our version, from its change log."""
        stored = self._stored_version()
        if stored != self._version:
            keys: set[str] = set()
            for (joined,) in self._db.execute("SELECT key FROM changes WHERE version > ?", (self._version,)):
                keys.update(joined.split("\n"))
            self._reload(sorted(keys))
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
                    data = orjson.loads(body)
                    self._index_entity(entity_id, entity_type, [*data["names"].values(), *data.get("aliases", ())])
                else:
                    self._unindex(entity_id)
        wanted = set(relation_keys)
        for chunk in _chunks(sorted({key_hash(k) for k in wanted})):
            for key, source, rtype, target, body in self._db.execute(
                f"SELECT key, source, type, target, body FROM relations WHERE hash IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                if key in wanted:
                    self._index_relation(source, rtype, target, orjson.loads(body))

    def _apply_to_index(self, plan: WritePlan) -> None:
        """Bring the index in step with a committed plan, from the plan itself: what it wrote is
        exactly what a reload of the touched rows would read back."""
        for key in plan.removed_relations:
            self._graph.remove_key(key)
        for entity_id in plan.removed_entities:
            self._unindex(entity_id)
        for entity in plan.entities:
            self._index_entity(entity.id, entity.type.value, [*entity.names.values(), *entity.aliases])
        set_edge, stored = self._graph.set_edge, plan.stored
        for key, r in zip(plan.relation_keys, plan.relations, strict=True):
            # r.type is a StrEnum, a str equal to its value (and cheaper than .value)
            set_edge(r.source, r.type, r.target, r.origin, r.share, r.valid_from, r.valid_to, r.attributes, key not in stored)

    # -- writes ----------------------------------------------------------------------------
    def upsert(self, batch: Batch) -> WriteSummary:
        with self._lock, _gc_paused():
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
            # Read before COMMIT: no other writer can commit while we hold the write lock, and
            # our own commit leaves the pragma alone. Read after COMMIT, it could already count
            # another process's commit that this index would then never catch up with.
            pragma = self._db.execute("PRAGMA data_version").fetchone()[0]
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._pragma_version = pragma
        if plan.summary.changed:
            self._apply_to_index(plan)
            self._version += 1
        return plan.summary

    def _apply(self, plan: WritePlan) -> None:
        db = self._db
        created, stored = plan.created_evidence, plan.stored
        db.executemany(
            "INSERT INTO documents (id, title, url, published, language, source, text) VALUES (?,?,?,?,?,?,?)",
            [
                (d.id, d.title, d.url, d.published and d.published.isoformat(), d.language, d.source, d.text)
                for d in plan.new_documents
            ],
        )
        db.executemany(
            "INSERT INTO entities (id, type, body) VALUES (?,?,?)",
            [(e.id, e.type.value, _entity_body(e)) for e in plan.entities if e.id not in stored],
        )
        db.executemany(
            "UPDATE entities SET type = ?, body = ? WHERE id = ?",
            [(e.type.value, _entity_body(e), e.id) for e in plan.entities if e.id in stored],
        )
        self._write_relations(plan)
        # Every new piece is one row, but a new relation's, which went into its own row above.
        db.executemany(
            _INSERT_EVIDENCE_ROW,
            [
                (s, e.document_id, e.start, e.end, e.extractor, e.quote, e.confidence)
                for s, e in plan.new_evidence
                if "|" not in s or s not in created
            ],
        )
        cited: dict[str, dict[str, None]] = {}
        for subject, evidence in plan.new_evidence:
            cited.setdefault(evidence.document_id, {})[subject] = None
        db.executemany("INSERT INTO citations (document_id, subjects) VALUES (?, ?)", [(d, "\n".join(s)) for d, s in cited.items()])
        evidence_delta = len(plan.new_evidence)
        if plan.removed_document:
            self._remove_citations(plan)
            evidence_delta -= plan.summary.evidence_removed
        db.executemany("DELETE FROM relations WHERE hash = ? AND key = ?", [(key_hash(k), k) for k in plan.removed_relations])
        db.executemany("DELETE FROM entities WHERE id = ?", [(i,) for i in plan.removed_entities])
        if evidence_delta:
            db.execute("UPDATE meta SET value = value + ? WHERE key = 'evidence'", (evidence_delta,))
        version = self._stored_version() + 1
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(version),))
        db.execute("INSERT INTO changes (version, key) VALUES (?, ?)", (version, "\n".join(plan.touched)))

    def _write_relations(self, plan: WritePlan) -> None:
        """New relations are appended (integer rowid, hash index); stored ones get their new body."""
        created, stored = plan.created_evidence, plan.stored
        new, changed = [], []
        crc32, body_of, blob_of = zlib.crc32, _relation_body, _evidence_blob
        for key, r in zip(plan.relation_keys, plan.relations, strict=True):
            if key in stored:
                changed.append((body_of(r), key_hash(key), key))
            else:  # key_hash inlined; r.type is a StrEnum, bound as its value
                new.append((crc32(key.encode()), key, r.source, r.type, r.target, body_of(r), blob_of(created[key])))
        self._db.executemany(
            "INSERT INTO relations (hash, key, source, type, target, body, evidence) VALUES (?,?,?,?,?,?,?)", new
        )
        self._db.executemany("UPDATE relations SET body = ? WHERE hash = ? AND key = ?", changed)

    def _remove_citations(self, plan: WritePlan) -> None:
        """Take a removed document's evidence off every subject it cites (its rows in
        ``evidence_rows``, found by their key's prefix, and its pieces in the rows of relations
        that stay), and drop the document with its citation rows."""
        document = plan.removed_document
        cited = sorted(self._cited_by(document))
        self._db.executemany(
            "DELETE FROM evidence_rows WHERE subject = ? AND document_id = ?", [(s, document) for s in cited]
        )
        gone = set(plan.removed_relations)
        staying = [s for s in cited if "|" in s and s not in gone]
        kept = []
        for key, blob in self._relation_blobs(staying).items():
            items = orjson.loads(blob)
            left = [e for e in items if e[0] != document]
            if len(left) != len(items):
                kept.append((orjson.dumps(left), key_hash(key), key))
        self._db.executemany("UPDATE relations SET evidence = ? WHERE hash = ? AND key = ?", kept)
        self._db.execute("DELETE FROM citations WHERE document_id = ?", (document,))
        self._db.execute("DELETE FROM documents WHERE id = ?", (document,))

    def _cited_by(self, document_id: str) -> set[str]:
        subjects: set[str] = set()
        for (joined,) in self._db.execute("SELECT subjects FROM citations WHERE document_id = ?", (document_id,)):
            subjects.update(joined.split("\n"))
        return subjects

    def _relation_blobs(self, subjects: Iterable[str]) -> dict[str, bytes]:
        """The evidence in the rows of the relations among ``subjects`` (what each was created with)."""
        found: dict[str, bytes] = {}
        keys = {s for s in subjects if "|" in s}
        for chunk in _chunks(sorted({key_hash(k) for k in keys})):
            for key, blob in self._db.execute(
                f"SELECT key, evidence FROM relations WHERE hash IN ({','.join('?' * len(chunk))})", chunk
            ):
                if key in keys:
                    found[key] = blob
        return found

    # -- reads -----------------------------------------------------------------------------
    @contextmanager
    def _in_memory(self) -> Iterator[None]:
        """Hold the lock, caught up with other processes' commits, for a primitive answered from
        the index alone: it reads no rows, so it needs no read transaction (three statements
        fewer than :meth:`_reading` on every call)."""
        with self._lock:
            self._sync()
            yield

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Hold the lock and one read transaction across catching up and a primitive's SELECTs.

        WAL gives the transaction one snapshot, so the in-memory index (caught up to that
        snapshot's version) and the rows read from SQLite always show the same moment: another
        process's commit cannot be half seen (its documents counted, its relations not)."""
        with self._lock:
            if self._db.in_transaction:  # a write's own transaction already holds
                self._sync()
                yield
                return
            self._db.execute("BEGIN")
            try:
                self._catch_up()
                yield
            finally:
                self._db.execute("COMMIT")

    def data_version(self) -> int:
        # Catching up is all a version needs: the pragma says whether anyone else committed.
        with self._lock:
            self._sync()
            return self._version

    def version_now(self) -> int | None:
        # answering_now's check, inlined: one pragma instead of answering_now's and data_version's,
        # as this runs for every request. Keep the two in step.
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._db.execute("PRAGMA data_version").fetchone()[0] != self._pragma_version:
                return None
            return self._version
        finally:
            self._lock.release()

    @contextmanager
    def answering_now(self) -> Iterator[bool]:
        if not self._lock.acquire(blocking=False):  # a write or another read holds the store
            yield False
            return
        try:
            # Another process's commit means catching up first, which can take a while.
            yield self._db.execute("PRAGMA data_version").fetchone()[0] == self._pragma_version
        finally:
            self._lock.release()

    def known(self, ids: Iterable[str]) -> set[str]:
        """The ids among ``ids`` that name stored entities, from memory (the write planner's
        endpoint check asks this for every relation of a batch)."""
        with self._in_memory():
            index = self._graph.index
            return {i for i in ids if i in index}

    def known_documents(self, ids: Iterable[str]) -> set[str]:
        """The document ids among ``ids`` that are stored, in one query per 500."""
        with self._reading():
            found: set[str] = set()
            for chunk in _chunks(sorted(set(ids))):
                found.update(
                    r[0] for r in self._db.execute(f"SELECT id FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk)
                )
            return found

    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        with self._reading():
            index = self._graph.index
            wanted = sorted(i for i in set(ids) if i in index)
            rows = []
            for chunk in _chunks(wanted):
                rows += self._db.execute(
                    f"SELECT id, type, body FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
            found = self._evidence_locked([r[0] for r in rows]) if evidence else {}
        return {r[0]: _entity_from_row(r[0], r[1], r[2], found.get(r[0], [])) for r in rows}

    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        with self._in_memory():
            return sorted(self._graph.node_ids(entity_type))

    def _relations_from_index(self, found: dict[str, int]) -> list[Relation]:
        fields = self._graph.edge_fields
        return [_relation(*fields(found[k]), []) for k in sorted(found)]

    def edges(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
    ) -> list[Relation]:
        with self._in_memory():
            return self._relations_from_index(self._graph.edges_of(set(ids), *_sides_and_codes(direction, types)))

    def links(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
        *,
        to: Iterable[str] | None = None,
    ) -> list[Link]:
        with self._in_memory():
            graph = self._graph
            found = graph.edges_of(set(ids), *_sides_and_codes(direction, types), to)
            return [Link._make(graph.link(found[k], k)) for k in sorted(found)]

    def neighbour_ids(
        self,
        ids: Iterable[str],
        direction: Direction = Direction.BOTH,
        types: Iterable[RelationType] | None = None,
    ) -> set[str]:
        with self._in_memory():
            return self._graph.neighbours_of(set(ids), *_sides_and_codes(direction, types))

    def degrees(self, ids: Iterable[str]) -> dict[str, int]:
        with self._in_memory():
            degree = self._graph.degree
            return {i: degree(i) for i in set(ids)}

    def relation_counts(self, entity_id: str) -> dict[str, dict[str, int]]:
        with self._in_memory():
            return self._graph.type_counts(entity_id)

    def origin_edges(self, country_id: str) -> list[Relation]:
        with self._in_memory():
            return self._relations_from_index(self._graph.origin_of(country_id))

    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        with self._reading():
            graph = self._graph
            present = {}
            for key in set(keys):
                if key.count("|") == 3:
                    edge = graph.find_key(key)
                    if edge >= 0:
                        present[key] = edge
            wanted = sorted(present)
            found = self._evidence_locked(wanted) if evidence else {}
            return {k: _relation(*graph.edge_fields(present[k]), found.get(k, [])) for k in wanted}

    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        with self._reading():
            return self._evidence_locked(sorted(set(subjects)))

    def _evidence_locked(self, subjects: list[str]) -> dict[str, list[Evidence]]:
        """Each subject's evidence: its rows of ``evidence_rows`` and, for a relation, the pieces
        in its own row, sorted by ``Evidence.key``."""
        blobs = self._relation_blobs(subjects)
        rows: dict[str, list[Evidence]] = {}
        make = _construct
        for chunk in _chunks(subjects):
            found = self._db.execute(
                "SELECT subject, document_id, start, end, extractor, quote, confidence FROM evidence_rows "
                f"WHERE subject IN ({','.join('?' * len(chunk))}) ORDER BY subject, document_id, start, end, extractor",
                chunk,
            ).fetchall()
            for subject, group in itertools.groupby(found, key=lambda r: r[0]):
                rows[subject] = [
                    make(Evidence, {"document_id": d, "quote": q, "start": a, "end": b, "extractor": x, "confidence": c})
                    for _, d, a, b, x, q, c in group
                ]
        result: dict[str, list[Evidence]] = {}
        for subject in subjects:
            evidence = rows.get(subject, [])
            blob = blobs.get(subject)
            if blob is not None:
                evidence = _evidence_from_blob(blob) + evidence
                if len(evidence) > 1 and subject in rows:  # pieces added after it was created
                    evidence.sort(key=lambda e: e.key)
            if evidence:
                result[subject] = evidence
        return result

    def stored_evidence_keys(self, pairs: Iterable[tuple[str, EvidenceKey]]) -> set[tuple[str, EvidenceKey]]:
        """Looked up by key in ``evidence_rows`` (a join against the pairs, 500 at a time), and
        in the rows of the relations among them, which hold the few pieces each was created with."""
        wanted = list(dict.fromkeys(pairs))
        with self._reading():
            found: set[tuple[str, EvidenceKey]] = set()
            for chunk in _chunks(wanted):
                values = ",".join("(?,?,?,?,?)" for _ in chunk)
                found.update(
                    (s, (d, start, end, x))
                    for s, d, start, end, x in self._db.execute(
                        f"WITH wanted (subject, document_id, start, end, extractor) AS (VALUES {values}) "
                        "SELECT r.subject, r.document_id, r.start, r.end, r.extractor FROM wanted w "
                        "JOIN evidence_rows r ON r.subject = w.subject AND r.document_id = w.document_id "
                        "AND r.start = w.start AND r.end = w.end AND r.extractor = w.extractor",
                        [v for s, key in chunk for v in (s, *key)],
                    )
                )
            keys = set(wanted)
            for key, blob in self._relation_blobs({s for s, _ in wanted}).items():
                found.update((key, (d, start, end, x)) for d, start, end, x, _, _ in orjson.loads(blob) if (key, (d, start, end, x)) in keys)
            return found

    def _lookup_names(
        self, text: str, *, entity_type: EntityType | None, limit: int, near: bool
    ) -> list[tuple[str, MatchKind]]:
        with self._in_memory():
            type_of = self._graph.type_of
            accept = None if entity_type is None else (lambda i: type_of(i) == entity_type)
            return self._names.lookup(text, limit, accept=accept, near=near)

    def document(self, document_id: str) -> Document | None:
        with self._reading():
            row = self._db.execute(
                "SELECT id, title, url, published, language, source, text FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
        if row is None:
            return None
        return Document.model_construct(
            id=row[0], title=row[1], url=row[2], published=row[3] and _date(row[3]), language=row[4], source=row[5], text=row[6]
        )

    def documents(self) -> list[Document]:
        with self._reading():
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
        with self._reading():
            graph = self._graph
            by_type = {t.value: n for t, n in zip(EntityType, graph.node_counts, strict=True) if n}
            rel_by_type = {t.value: n for t, n in zip(RELATION_TYPES, graph.edge_counts, strict=True) if n}
            documents = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
            evidence = int(self._db.execute("SELECT value FROM meta WHERE key = 'evidence'").fetchone()[0])
            return Counts(
                documents=documents,
                entities=graph.number_of_nodes,
                relations=graph.number_of_edges,
                evidence=evidence,
                entities_by_type=dict(sorted(by_type.items())),
                relations_by_type=dict(sorted(rel_by_type.items())),
            )

    def document_subjects(self, document_id: str) -> list[str]:
        with self._reading():
            return sorted(self._cited_by(document_id))

    def iter_entities(self) -> Iterator[Entity]:
        for chunk in _chunks(self.entity_ids()):
            found = self.entities(chunk, evidence=True)
            yield from (found[i] for i in chunk if i in found)

    def iter_relations(self) -> Iterator[Relation]:
        with self._reading():
            keys = sorted(self._graph.all_keys())
        for chunk in _chunks(keys):
            found = self.relations(chunk, evidence=True)
            yield from (found[k] for k in chunk if k in found)

    @contextmanager
    def snapshot(self) -> Iterator[GraphReader]:
        """Not isolated yet: the store itself, whose calls each see the newest version."""
        yield self

    def close(self) -> None:
        with self._lock:
            try:
                if self._snapshot_version != self._version and self._graph.number_of_edges >= self.SNAPSHOT_MIN_RELATIONS:
                    self.write_snapshot()
            except (OSError, sqlite3.Error):
                pass  # a snapshot is an optimisation: without one the next start rebuilds from SQLite
            self._db.close()
