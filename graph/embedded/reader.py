"""A snapshot of the embedded store: every read primitive, answered at one data version.

An :class:`EmbeddedReader` holds one generation of the in-memory index (graph.embedded.generations)
and a connection with an open read transaction at the same version; the store makes them and
closes them (``EmbeddedStore.snapshot``). Its calls may come from any thread: the index is
read-only, and the connection is used by one call at a time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator

import orjson

from graph.embedded.compact_index import RELATION_TYPES
from graph.embedded.generations import Generation
from graph.embedded.rows import (
    chunks,
    construct,
    entity_from_row,
    evidence_from_blob,
    key_hash,
    parse_date,
    relation,
)
from graph.flows import FlowStore
from graph.model.decisions import Decision
from graph.model.enums import EntityType, RelationType
from graph.model.records import Document, Entity, Evidence, Relation
from graph.names import MatchKind
from graph.store import Counts, Direction, EvidenceKey, GraphReader, Link

__all__ = ["EmbeddedReader", "cited_by", "relation_blobs"]


def sides_and_codes(direction: Direction, types: Iterable[RelationType] | None) -> tuple[bool, bool, set[int] | None]:
    """The compact index's reading of a direction and relation types: follow out-edges, follow
    in-edges, and the type codes to keep (None: every type)."""
    codes = {RELATION_TYPES.index(RelationType(t)) for t in types} if types is not None else None
    return direction in (Direction.OUT, Direction.BOTH), direction in (Direction.IN, Direction.BOTH), codes


def cited_by(db: sqlite3.Connection, document_id: str) -> set[str]:
    """The subjects a document's evidence is about, from its citation rows."""
    subjects: set[str] = set()
    for (joined,) in db.execute("SELECT subjects FROM citations WHERE document_id = ?", (document_id,)):
        subjects.update(joined.split("\n"))
    return subjects


def relation_blobs(db: sqlite3.Connection, subjects: Iterable[str]) -> dict[str, bytes]:
    """The evidence in the rows of the relations among ``subjects`` (what each was created with)."""
    found: dict[str, bytes] = {}
    keys = {s for s in subjects if "|" in s}
    for chunk in chunks(sorted({key_hash(k) for k in keys})):
        for key, blob in db.execute(
            f"SELECT key, evidence FROM relations WHERE hash IN ({','.join('?' * len(chunk))})", chunk
        ):
            if key in keys:
                found[key] = blob
    return found


class EmbeddedReader(GraphReader):
    """The embedded store at one data version (see the module's docstring)."""

    backend = "embedded"  # a snapshot's reader names its store's backend (GET /readyz reports it)

    def __init__(
        self, db: sqlite3.Connection, generation: Generation, flows: Callable[[], FlowStore] | None = None
    ) -> None:
        self._db = db
        self._flows = flows
        self._generation = generation
        self._graph = generation.graph
        self._names = generation.names
        self._lock = threading.Lock()  # one statement at a time on the connection

    def data_version(self) -> int:
        return self._generation.version

    def content_owner(self) -> object | None:
        """The index generation: every snapshot of one data version shares it, and it is dropped
        when a commit replaces it and no snapshot holds it any more."""
        return self._generation

    @property
    def flows(self) -> FlowStore | None:  # type: ignore[override]
        """The store's trade flows, opened on first use: most reads never touch them."""
        return self._flows() if self._flows is not None else None

    # -- from the index alone ------------------------------------------------------------------
    def known(self, ids: Iterable[str]) -> set[str]:
        """The ids among ``ids`` that name stored entities, from memory (the write planner's
        endpoint check asks this for every relation of a batch)."""
        return self._graph.known_ids(ids)

    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        return sorted(self._graph.node_ids(entity_type))

    def _relations_from_index(self, found: dict[str, int]) -> list[Relation]:
        fields = self._graph.edge_fields
        return [relation(*fields(found[k]), []) for k in sorted(found)]

    def edges(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
    ) -> list[Relation]:
        return self._relations_from_index(self._graph.edges_of(set(ids), *sides_and_codes(direction, types)))

    def links(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
        *,
        to: Iterable[str] | None = None,
    ) -> list[Link]:
        graph = self._graph
        found = graph.edges_of(set(ids), *sides_and_codes(direction, types), to)
        return [Link._make(graph.link(found[k], k)) for k in sorted(found)]

    def neighbour_ids(
        self,
        ids: Iterable[str],
        direction: Direction = Direction.BOTH,
        types: Iterable[RelationType] | None = None,
    ) -> set[str]:
        return self._graph.neighbours_of(set(ids), *sides_and_codes(direction, types))

    def degrees(self, ids: Iterable[str]) -> dict[str, int]:
        degree = self._graph.degree
        return {i: degree(i) for i in set(ids)}

    def relation_counts(self, entity_id: str) -> dict[str, dict[str, int]]:
        return self._graph.type_counts(entity_id)

    def origin_edges(self, country_id: str) -> list[Relation]:
        return self._relations_from_index(self._graph.origin_of(country_id))

    def _lookup_names(
        self, text: str, *, entity_type: EntityType | None, limit: int, near: bool
    ) -> list[tuple[str, MatchKind]]:
        type_of = self._graph.type_of
        accept = None if entity_type is None else (lambda i: type_of(i) == entity_type)
        return self._names.lookup(text, limit, accept=accept, near=near)

    # -- with rows -----------------------------------------------------------------------------
    def known_documents(self, ids: Iterable[str]) -> set[str]:
        """The document ids among ``ids`` that are stored, in one query per 500."""
        found: set[str] = set()
        with self._lock:
            for chunk in chunks(sorted(set(ids))):
                found.update(
                    r[0] for r in self._db.execute(f"SELECT id FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk)
                )
        return found

    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        wanted = sorted(self._graph.known_ids(set(ids)))
        rows = []
        with self._lock:
            for chunk in chunks(wanted):
                rows += self._db.execute(
                    f"SELECT id, type, body FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
            found = self._evidence_locked([r[0] for r in rows]) if evidence else {}
        return {r[0]: entity_from_row(r[0], r[1], r[2], found.get(r[0], [])) for r in rows}

    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        graph = self._graph
        present = graph.find_keys(set(keys))
        wanted = sorted(present)
        if evidence:
            with self._lock:
                found = self._evidence_locked(wanted)
        else:
            found = {}
        return {k: relation(*graph.edge_fields(present[k]), found.get(k, [])) for k in wanted}

    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        with self._lock:
            return self._evidence_locked(sorted(set(subjects)))

    def _evidence_locked(self, subjects: list[str]) -> dict[str, list[Evidence]]:
        """Each subject's evidence: its rows of ``evidence_rows`` and, for a relation, the pieces
        in its own row, sorted by ``Evidence.key``."""
        blobs = relation_blobs(self._db, subjects)
        rows: dict[str, list[Evidence]] = {}
        make = construct
        for chunk in chunks(subjects):
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
                evidence = evidence_from_blob(blob) + evidence
                if len(evidence) > 1 and subject in rows:  # pieces added after it was created
                    evidence.sort(key=lambda e: e.key)
            if evidence:
                result[subject] = evidence
        return result

    def stored_evidence_keys(self, pairs: Iterable[tuple[str, EvidenceKey]]) -> set[tuple[str, EvidenceKey]]:
        """Looked up by key in ``evidence_rows`` (a join against the pairs, 500 at a time), and
        in the rows of the relations among them, which hold the few pieces each was created with."""
        wanted = list(dict.fromkeys(pairs))
        found: set[tuple[str, EvidenceKey]] = set()
        with self._lock:
            for chunk in chunks(wanted):
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
            for key, blob in relation_blobs(self._db, {s for s, _ in wanted}).items():
                found.update((key, (d, start, end, x)) for d, start, end, x, _, _ in orjson.loads(blob) if (key, (d, start, end, x)) in keys)
        return found

    def document(self, document_id: str) -> Document | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, title, url, published, language, source, text, ingested FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
        if row is None:
            return None
        return Document.model_construct(
            id=row[0], title=row[1], url=row[2], published=row[3] and parse_date(row[3]), language=row[4], source=row[5], text=row[6],
            ingested=row[7] and dt.datetime.fromisoformat(row[7]),
        )

    def _document_column(self, column: str, document_ids: Iterable[str]) -> dict[str, str | None]:
        """One column (published, ingested) of the stored documents among ``document_ids``."""
        found: dict[str, str | None] = {}
        with self._lock:
            for chunk in chunks(sorted(set(document_ids))):
                found.update(self._db.execute(f"SELECT id, {column} FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def publication_dates(self, document_ids: Iterable[str]) -> dict[str, dt.date | None]:
        return {i: parse_date(p) if p else None for i, p in self._document_column("published", document_ids).items()}

    def decisions(self) -> list[Decision]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM decisions ORDER BY at, id").fetchall()
        return [Decision.model_validate_json(body) for (body,) in rows]

    def ingestion_times(self, document_ids: Iterable[str]) -> dict[str, dt.datetime | None]:
        return {i: dt.datetime.fromisoformat(t) if t else None for i, t in self._document_column("ingested", document_ids).items()}

    def documents(self) -> list[Document]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, url, published, language, source, ingested FROM documents ORDER BY id"
            ).fetchall()
        return [
            Document.model_construct(
                id=r[0], title=r[1], url=r[2], published=r[3] and parse_date(r[3]), language=r[4], source=r[5], text="",
                ingested=r[6] and dt.datetime.fromisoformat(r[6]),
            )
            for r in rows
        ]

    def counts(self) -> Counts:
        graph = self._graph
        with self._lock:
            documents = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
            evidence = int(self._db.execute("SELECT value FROM meta WHERE key = 'evidence'").fetchone()[0])
        by_type = {t.value: n for t, n in zip(EntityType, graph.node_counts, strict=True) if n}
        rel_by_type = {t.value: n for t, n in zip(RELATION_TYPES, graph.edge_counts, strict=True) if n}
        return Counts(
            documents=documents,
            entities=graph.number_of_nodes,
            relations=graph.number_of_edges,
            evidence=evidence,
            entities_by_type=dict(sorted(by_type.items())),
            relations_by_type=dict(sorted(rel_by_type.items())),
        )

    def document_subjects(self, document_id: str) -> list[str]:
        with self._lock:
            return sorted(cited_by(self._db, document_id))

    def iter_entities(self) -> Iterator[Entity]:
        for chunk in chunks(self.entity_ids()):
            found = self.entities(chunk, evidence=True)
            yield from (found[i] for i in chunk if i in found)

    def iter_relations(self) -> Iterator[Relation]:
        for chunk in chunks(sorted(self._graph.all_keys())):
            found = self.relations(chunk, evidence=True)
            yield from (found[k] for k in chunk if k in found)
