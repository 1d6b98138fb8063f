"""The embedded store: a SQLite file is the durable truth, a compact in-memory graph the query index.

Every write is one SQLite transaction. Each committed write bumps a version number and logs the
ids it touched in ``changes`` (one row per write, the keys joined by newlines; rows written one
key each by earlier versions read the same way); a snapshot that finds the file's version ahead of
the index (another process wrote) has the index reload just those ids first, so a running server
sees the CLI's writes without a restart.

Reads are snapshots (:meth:`EmbeddedStore.snapshot`, graph.embedded.reader): a SQLite read
transaction on a connection of the snapshot's own, and the generation of the in-memory index
published at the same version (graph.embedded.generations). A write builds the next generation
beside the published one and publishes it in the same step as its COMMIT, so a snapshot starts
either before a commit or after it, never in between, and no snapshot waits for a write to finish
or makes one wait. The store's own read methods are each one short snapshot.

The index (graph.embedded.compact_index) holds the graph's shape and each relation's share, origin
and validity in flat arrays, and the names in graph.embedded.name_index; evidence, documents and
entity bodies stay in SQLite and are read on demand. The schema is graph.embedded.schema, row
encoding graph.embedded.rows, the index file beside the database graph.embedded.snapshot_file.
"""

from __future__ import annotations

import gc
import logging
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson

from graph.embedded.compact_index import CompactGraph
from graph.embedded.generations import Generation, Pins, ReadConnections
from graph.embedded.name_index import NameIndex
from graph.embedded.reader import EmbeddedReader, cited_by, relation_blobs
from graph.embedded.rows import EMPTY_BODY, body_for_index, chunks, entity_body, evidence_blob, index_fields, key_hash, relation_body
from graph.embedded.schema import INSERT_EVIDENCE_ROW, prepare_schema, stored_version
from graph.embedded.snapshot_file import (
    SnapshotRefused,
    pack_index,
    read_snapshot,
    unpack_index,
    write_snapshot,
)
from graph.flows import FlowStore
from graph.model.enums import EntityType, RelationType
from graph.model.errors import NotFoundError, StoreUnavailableError
from graph.model.decisions import Decision
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.names import NAMES_RULE, MatchKind  # an index file under another NAMES_RULE is not loaded
from graph.store import Counts, Direction, EvidenceKey, GraphReader, GraphStore, Link, NameMatch, WriteSummary
from graph.write_plan import WritePlan, plan_batch, plan_document_removal

__all__ = ["EmbeddedStore"]

log = logging.getLogger("tradegraph.store")


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


def _names_of(data: dict[str, Any]) -> list[str]:
    return [*data["names"].values(), *data.get("aliases", ())]


def _unindex(graph: CompactGraph, names: NameIndex, key: str) -> None:
    if "|" in key:
        graph.remove_key(key)
    elif key in graph:
        graph.remove_node(key)
        names.remove(key)


def _reload(db: sqlite3.Connection, graph: CompactGraph, names: NameIndex, keys: list[str]) -> None:
    """Bring a generation being built in step with the rows of ``keys`` as ``db`` reads them."""
    entity_ids = [k for k in keys if "|" not in k]
    relation_keys = [k for k in keys if "|" in k]
    for key in relation_keys:
        _unindex(graph, names, key)
    for chunk in chunks(entity_ids):
        found = {
            row[0]: row
            for row in db.execute(f"SELECT id, type, body FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        }
        for entity_id in chunk:
            if entity_id in found:
                _, entity_type, body = found[entity_id]
                graph.add_node(entity_id, entity_type)
                names.set(entity_id, _names_of(orjson.loads(body)))
            else:
                _unindex(graph, names, entity_id)
    wanted = set(relation_keys)
    for chunk in chunks(sorted({key_hash(k) for k in wanted})):
        for key, source, rtype, target, body in db.execute(
            f"SELECT key, source, type, target, body FROM relations WHERE hash IN ({','.join('?' * len(chunk))})", chunk
        ):
            if key in wanted:
                data = body_for_index(orjson.loads(body))
                graph.set_edge(
                    source, rtype, target, data.get("origin"), data.get("share"),
                    data.get("valid_from"), data.get("valid_to"), data.get("attributes"),
                )


def _apply_to_index(graph: CompactGraph, names: NameIndex, plan: WritePlan) -> None:
    """Bring a generation being built in step with a plan: what the plan writes is exactly what a
    reload of the touched rows would read back."""
    for key in plan.removed_relations:
        graph.remove_key(key)
    for entity_id in plan.removed_entities:
        _unindex(graph, names, entity_id)
    for entity in plan.entities:
        graph.add_node(entity.id, entity.type.value)
        names.set(entity.id, [*entity.names.values(), *entity.aliases])
    stored = plan.stored
    new = []
    for key, r in zip(plan.relation_keys, plan.relations, strict=True):
        fields = index_fields(r)
        if key in stored:
            graph.set_edge(*fields)
        else:
            new.append(fields)
    graph.add_new_edges(new)


class EmbeddedStore(GraphStore):
    """SQLite + a compact in-memory index, read through snapshots. Safe to share between the
    threads of one process: writes take turns, reads never wait for them."""

    backend = "embedded"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            prepare_schema(self._db, self.path)
            self._store_id = self._db.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()[0]
        except sqlite3.Error as e:
            raise StoreUnavailableError(f"cannot open the store at {self.path}: {e}") from e
        #: One write at a time (held from BEGIN IMMEDIATE to the publication of its generation).
        self._write_lock = threading.RLock()
        #: Held for a COMMIT and the publication of its generation, and for the start of a
        #: snapshot (its read transaction's first read and taking the generation): a snapshot
        #: sees a commit and its generation together or neither.
        self._publish_lock = threading.Lock()
        self._pins = Pins()
        self._readers = ReadConnections(self.path)
        #: Says whether any other connection committed since a snapshot last began (PRAGMA
        #: data_version), so that a read of the index alone needs no read transaction of its own.
        self._watch = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._watch_lock = threading.Lock()
        self._watched: tuple[int, Generation] | None = None  # (pragma before that BEGIN, generation taken)
        self._current = Generation(0, CompactGraph(), NameIndex())
        self._snapshot_version: int | None = None  # the data version of the index file last read or written
        with _gc_paused():
            self._load_index()

    # -- snapshots -------------------------------------------------------------------------------
    @contextmanager
    def snapshot(self) -> Iterator[GraphReader]:
        """A reader at the newest committed version (another process's commits caught up with
        first); it holds a read transaction and a generation of the index until the block ends."""
        db = self._readers.take()
        try:
            generation = self._begin(db)
        except BaseException:
            self._readers.give(db)
            raise
        try:
            yield EmbeddedReader(db, generation, self._open_flows)
        finally:
            self._pins.release(generation.version)
            try:
                db.execute("COMMIT")
            finally:
                self._readers.give(db)

    @contextmanager
    def try_snapshot(self) -> Iterator[GraphReader | None]:
        """A snapshot entered without waiting, for a short read on the API's event loop, else
        None: there is one when nothing was committed since the last snapshot began (the
        published generation is the newest version, nothing to catch up on) and the read
        transaction opened then still sees that version (a WAL read transaction waits for no
        writer)."""
        generation = self._newest_at_once()
        if generation is None:
            yield None
            return
        db = self._readers.take()
        try:
            try:
                db.execute("BEGIN")
                fixed = stored_version(db) == generation.version
            except sqlite3.Error:
                fixed = False
            yield EmbeddedReader(db, generation, self._open_flows) if fixed else None
        finally:
            self._pins.release(generation.version)
            try:
                if db.in_transaction:
                    db.execute("COMMIT")
            finally:
                self._readers.give(db)

    def _begin(self, db: sqlite3.Connection) -> Generation:
        """Open ``db``'s read transaction and take the generation at its version."""
        with self._publish_lock:
            try:
                pragma = self._pragma()  # before BEGIN: every commit it counts, the transaction sees
                db.execute("BEGIN")
                version = stored_version(db)  # the first read fixes what the transaction sees
            except sqlite3.Error as e:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise StoreUnavailableError(f"cannot read the store at {self.path}: {e}") from e
            try:
                generation = self._current
                if version != generation.version:
                    generation = self._catch_up(db, generation, version)
                self._pins.hold(generation.version)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._watched = (pragma, generation)
            return generation

    def _pragma(self) -> int:
        with self._watch_lock:
            return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def _newest_at_once(self) -> Generation | None:
        """The published generation, held, when nothing was committed since the last snapshot
        began (it is then the newest version), else None. One statement, no transaction, and no
        wait: while the publish lock is held (a commit being published, or a snapshot catching up
        with another process's commits, which reads rows) the answer is None at once, since the
        API asks this on its event loop and the generation being built is newer anyway."""
        if not self._publish_lock.acquire(blocking=False):
            return None
        try:
            watched = self._watched
            if watched is None or watched[1] is not self._current or self._pragma() != watched[0]:
                return None
            self._pins.hold(watched[1].version)
            return watched[1]
        finally:
            self._publish_lock.release()

    @contextmanager
    def _index(self) -> Iterator[EmbeddedReader]:
        """A reader of the newest version for a read of the in-memory index alone (it must not
        read rows): the published generation when nothing was committed since the last snapshot
        began, else a whole snapshot (which catches up)."""
        generation = self._newest_at_once()
        if generation is None:
            with self.snapshot() as reader:
                yield reader  # type: ignore[misc]
            return
        try:
            yield EmbeddedReader(None, generation)  # type: ignore[arg-type]
        finally:
            self._pins.release(generation.version)

    def _catch_up(self, db: sqlite3.Connection, current: Generation, version: int) -> Generation:
        """Publish the generation at ``version``, which another connection (process) committed:
        ``current`` with the rows its change log names since then reloaded, read in ``db``'s
        transaction. Called with the publish lock held."""
        keys: set[str] = set()
        for (joined,) in db.execute("SELECT key FROM changes WHERE version > ?", (current.version,)):
            keys.update(joined.split("\n"))
        graph, names = current.graph.fork(version), current.names.fork()
        try:
            graph.reclaim(self._pins.oldest(current.version))
            _reload(db, graph, names, sorted(keys))
            names.settle()
        except BaseException:
            graph.abandon()
            raise
        self._current = Generation(version, graph, names)
        return self._current

    @contextmanager
    def _read(self) -> Iterator[EmbeddedReader]:
        with self.snapshot() as reader:
            yield reader  # type: ignore[misc]

    # -- the index file ------------------------------------------------------------------------
    #: Stores with at least this many relations keep a snapshot of their index beside the SQLite
    #: file (``<db>.index``), written at close when it is behind, so the next start loads arrays
    #: instead of rebuilding them from every row; writes since the snapshot are replayed from the
    #: ``changes`` log, exactly as a server catches up with another process's writes.
    SNAPSHOT_MIN_RELATIONS = 100_000

    @property
    def snapshot_path(self) -> Path:
        return self.path.with_name(self.path.name + ".index")

    def _load_index(self) -> None:
        """The index from the index file when it verifies and belongs to this file, else from
        every row. A file that is there but refused is logged, then replaced by one of the rebuilt
        index (or removed, for a store now too small to keep one): left in place it would be
        refused again at every start, or worse, trusted by an older reader."""
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
            if self._current.graph.number_of_edges >= self.SNAPSHOT_MIN_RELATIONS:
                self.write_snapshot()
            else:
                self.snapshot_path.unlink(missing_ok=True)
        except OSError as e:  # the next start refuses it again and retries; the index is right either way
            log.warning("index snapshot %s could not be replaced: %s", self.snapshot_path, e)

    def _load_snapshot(self) -> bool:
        """Load the index from the index file; False when there is none. Raises SnapshotRefused
        when one is there but does not verify, is another file's or ahead of this one's version."""
        found = read_snapshot(self.snapshot_path)
        if found is None:
            return False
        header, blobs = found
        if header.get("store_id") != self._store_id:
            raise SnapshotRefused("it belongs to another database file (its store_id differs)")
        if header.get("names_rule") != NAMES_RULE:
            raise SnapshotRefused("its names were normalised under another rule")
        version = header.get("version")
        if type(version) is not int or not 0 <= version <= stored_version(self._db):
            raise SnapshotRefused(f"its data version {version!r} is not one this database has had")
        graph, names = unpack_index(header, blobs)
        self._current = Generation(version, graph, names)
        self._snapshot_version = version
        with self.snapshot():  # catch up with what was written after it
            pass
        return True

    def write_snapshot(self) -> Path:
        """Write the newest generation of the index to ``snapshot_path`` (atomically;
        graph.embedded.snapshot_file). Snapshots go on meanwhile; writes wait."""
        with self._write_lock:
            with self.snapshot():  # caught up with other processes
                generation = self._current
            index, blobs = pack_index(generation.graph, generation.names)
            header = {"store_id": self._store_id, "names_rule": NAMES_RULE, "version": generation.version, **index}
            write_snapshot(self.snapshot_path, header, blobs)
            self._snapshot_version = generation.version
            return self.snapshot_path

    def _load_all(self) -> None:
        """The index from every row, read in one transaction."""
        db = self._db
        db.execute("BEGIN")
        try:
            version = stored_version(db)
            graph, names, loads = CompactGraph(), NameIndex(), orjson.loads
            named = []
            for entity_id, entity_type, body in db.execute("SELECT id, type, body FROM entities"):
                graph.add_node(entity_id, entity_type)
                named.append((entity_id, _names_of(loads(body))))
            names.bulk_load(named)
            del named
            empty = EMPTY_BODY
            graph.bulk_load(
                [
                    (source, rtype, target, None if body == empty else body_for_index(loads(body)))
                    for source, rtype, target, body in db.execute("SELECT source, type, target, body FROM relations")
                ]
            )
        finally:
            db.execute("COMMIT")
        self._current = Generation(version, graph, names)

    # -- writes ----------------------------------------------------------------------------
    def upsert(self, batch: Batch) -> WriteSummary:
        with self._write_lock, _gc_paused():
            return self._write(lambda reader: plan_batch(batch, reader))

    def remove_document(self, document_id: str) -> WriteSummary:
        with self._write_lock:
            if self.document(document_id) is None:
                raise NotFoundError(f"no document {document_id!r}")
            return self._write(lambda reader: plan_document_removal(document_id, reader))

    def _write(self, make_plan: Callable[[GraphReader], WritePlan]) -> WriteSummary:
        """One write: its rows in one transaction, the next generation of the index built beside
        the published one, then the COMMIT and the publication together. The plan reads the
        store through the write transaction itself, at the version it is built on: no snapshot
        of its own, and nothing another process commits can come in between."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise StoreUnavailableError(f"the store at {self.path} is locked or unwritable: {e}") from e
        following: Generation | None = None
        try:
            with self._publish_lock:  # no other process commits now: catch up with what they did
                current = self._current
                version = stored_version(self._db)
                if version != current.version:
                    current = self._catch_up(self._db, current, version)
            plan = make_plan(EmbeddedReader(self._db, current, self._open_flows))
            if plan.summary.changed:
                self._apply(plan)
                following = self._next_generation(current, plan)
            with self._publish_lock:
                self._db.execute("COMMIT")
                if following is not None:
                    self._current = following
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if following is not None and self._current is not following:
                following.graph.abandon()
            raise
        return plan.summary

    def _next_generation(self, current: Generation, plan: WritePlan) -> Generation:
        """The generation after ``current`` with ``plan`` applied, not yet published."""
        graph, names = current.graph.fork(current.version + 1), current.names.fork()
        try:
            graph.reclaim(self._pins.oldest(current.version))
            _apply_to_index(graph, names, plan)
            names.settle()
        except BaseException:
            graph.abandon()
            raise
        return Generation(current.version + 1, graph, names)

    def _apply(self, plan: WritePlan) -> None:
        db = self._db
        created, stored = plan.created_evidence, plan.stored
        db.executemany(
            "INSERT INTO documents (id, title, url, published, language, source, text, ingested) VALUES (?,?,?,?,?,?,?,?)",
            [
                (d.id, d.title, d.url, d.published and d.published.isoformat(), d.language, d.source, d.text, d.ingested and d.ingested.isoformat())
                for d in plan.new_documents
            ],
        )
        db.executemany(
            "INSERT INTO entities (id, type, body) VALUES (?,?,?)",
            [(e.id, e.type.value, entity_body(e)) for e in plan.entities if e.id not in stored],
        )
        db.executemany(
            "UPDATE entities SET type = ?, body = ? WHERE id = ?",
            [(e.type.value, entity_body(e), e.id) for e in plan.entities if e.id in stored],
        )
        self._write_relations(plan)
        # Every new piece is one row, but a new relation's, which went into its own row above.
        db.executemany(
            INSERT_EVIDENCE_ROW,
            [
                (s, e.document_id, e.start, e.end, e.extractor, e.quote, e.confidence)
                for s, e in plan.new_evidence
                if "|" not in s or s not in created
            ],
        )
        db.executemany(
            "INSERT INTO decisions (id, at, body) VALUES (?,?,?)",
            [(d.id, d.at.isoformat(), d.model_dump_json()) for d in plan.new_decisions],
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
        version = stored_version(db) + 1
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(version),))
        db.execute("INSERT INTO changes (version, key) VALUES (?, ?)", (version, "\n".join(plan.touched)))

    def _write_relations(self, plan: WritePlan) -> None:
        """New relations are appended (integer rowid, hash index); stored ones get their new body."""
        created, stored = plan.created_evidence, plan.stored
        new, changed = [], []
        crc32, body_of, blob_of = zlib.crc32, relation_body, evidence_blob
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
        cited = sorted(cited_by(self._db, document))
        self._db.executemany(
            "DELETE FROM evidence_rows WHERE subject = ? AND document_id = ?", [(s, document) for s in cited]
        )
        gone = set(plan.removed_relations)
        staying = [s for s in cited if "|" in s and s not in gone]
        kept = []
        for key, blob in relation_blobs(self._db, staying).items():
            items = orjson.loads(blob)
            left = [e for e in items if e[0] != document]
            if len(left) != len(items):
                kept.append((orjson.dumps(left), key_hash(key), key))
        self._db.executemany("UPDATE relations SET evidence = ? WHERE hash = ? AND key = ?", kept)
        self._db.execute("DELETE FROM citations WHERE document_id = ?", (document,))
        self._db.execute("DELETE FROM documents WHERE id = ?", (document,))

    # -- reads: each one short snapshot ---------------------------------------------------------
    def data_version(self) -> int:
        with self._index() as r:
            return r.data_version()

    def known(self, ids: Iterable[str]) -> set[str]:
        with self._index() as r:
            return r.known(ids)

    def known_documents(self, ids: Iterable[str]) -> set[str]:
        with self._read() as r:
            return r.known_documents(ids)

    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        with self._read() as r:
            return r.entities(ids, evidence=evidence)

    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        with self._index() as r:
            return r.entity_ids(entity_type)

    def edges(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
    ) -> list[Relation]:
        with self._index() as r:
            return r.edges(ids, direction, types)

    def links(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
        *,
        to: Iterable[str] | None = None,
    ) -> list[Link]:
        with self._index() as r:
            return r.links(ids, direction, types, to=to)

    def neighbour_ids(
        self,
        ids: Iterable[str],
        direction: Direction = Direction.BOTH,
        types: Iterable[RelationType] | None = None,
    ) -> set[str]:
        with self._index() as r:
            return r.neighbour_ids(ids, direction, types)

    def degrees(self, ids: Iterable[str]) -> dict[str, int]:
        with self._index() as r:
            return r.degrees(ids)

    def relation_counts(self, entity_id: str) -> dict[str, dict[str, int]]:
        with self._index() as r:
            return r.relation_counts(entity_id)

    def origin_edges(self, country_id: str) -> list[Relation]:
        with self._index() as r:
            return r.origin_edges(country_id)

    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        with self._read() as r:
            return r.relations(keys, evidence=evidence)

    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        with self._read() as r:
            return r.evidence(subjects)

    def stored_evidence_keys(self, pairs: Iterable[tuple[str, EvidenceKey]]) -> set[tuple[str, EvidenceKey]]:
        with self._read() as r:
            return r.stored_evidence_keys(pairs)

    def lookup(self, text: str, *, entity_type: EntityType | None = None, limit: int = 20) -> list[NameMatch]:
        with self._index() as r:
            return r.lookup(text, entity_type=entity_type, limit=limit)

    def _lookup_names(
        self, text: str, *, entity_type: EntityType | None, limit: int, near: bool
    ) -> list[tuple[str, MatchKind]]:
        with self._index() as r:
            return r._lookup_names(text, entity_type=entity_type, limit=limit, near=near)

    def document(self, document_id: str) -> Document | None:
        with self._read() as r:
            return r.document(document_id)

    def documents(self) -> list[Document]:
        with self._read() as r:
            return r.documents()

    def publication_dates(self, document_ids: Iterable[str]) -> dict[str, date | None]:
        with self._read() as r:
            return r.publication_dates(document_ids)

    def ingestion_times(self, document_ids: Iterable[str]) -> dict[str, datetime | None]:
        with self._read() as r:
            return r.ingestion_times(document_ids)

    def decisions(self) -> list[Decision]:
        with self._read() as r:
            return r.decisions()

    def counts(self) -> Counts:
        with self._read() as r:
            return r.counts()

    def document_subjects(self, document_id: str) -> list[str]:
        with self._read() as r:
            return r.document_subjects(document_id)

    def iter_entities(self) -> Iterator[Entity]:
        """One snapshot for the whole iteration, held until it ends (or the iterator is closed)."""
        with self._read() as r:
            yield from r.iter_entities()

    def iter_relations(self) -> Iterator[Relation]:
        """One snapshot for the whole iteration, held until it ends (or the iterator is closed)."""
        with self._read() as r:
            yield from r.iter_relations()

    @cached_property
    def flows(self) -> FlowStore:
        """Trade flows, in tables of this store's SQLite file (graph/embedded/flows.py)."""
        from graph.embedded.flows import SqliteFlows

        return SqliteFlows(self.path)

    def _open_flows(self) -> FlowStore:
        return self.flows

    def close(self) -> None:
        if "flows" in self.__dict__:
            self.flows.close()
        with self._write_lock:
            try:
                current = self._current
                if self._snapshot_version != current.version and current.graph.number_of_edges >= self.SNAPSHOT_MIN_RELATIONS:
                    self.write_snapshot()
            except (OSError, sqlite3.Error, StoreUnavailableError):
                pass  # an index file is an optimisation: without one the next start rebuilds from SQLite
            self._readers.close()
            self._watch.close()
            self._db.close()
