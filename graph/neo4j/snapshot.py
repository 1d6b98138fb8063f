"""The reader ``Neo4jStore.snapshot()`` yields: the graph at one version, while writes go on.

Every read runs in the snapshot's one read transaction, then takes in the history written since
(graph.neo4j.history) and puts back what later writes changed. Only reads whose answer a later
write could change pay for that: while nothing was written since the snapshot began, or nothing
written touches what a read asked about, the newest state is the answer.

A driver transaction must not be used by two threads at once, and the history is shared by every
call, so calls on one snapshot are serialised by a lock: several threads may share a snapshot,
one read at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

from neo4j.exceptions import ServiceUnavailable

import neo4j
from graph.flows import FlowStore
from graph.model.enums import EntityType, RelationType
from graph.model.errors import StoreUnavailableError
from graph.model.ids import entity_type_of
from graph.model.records import Document, Entity, Evidence, Relation
from graph.names import MatchKind
from graph.neo4j import cypher
from graph.neo4j.history import History, key_ends
from graph.neo4j.reads import PAGE, Neo4jReads, document_from_props
from graph.neo4j.rows import entity_from_props, relation_from_record
from graph.store import Counts, Direction, EvidenceKey, GraphReader

__all__ = ["Neo4jSnapshot"]


def _utf16_length(text: str) -> int:
    """What Cypher's ``size()`` says of a string (graph.neo4j.cypher.NAME_KEYS_BY_LENGTH)."""
    return len(text.encode("utf-16-le")) // 2


class Neo4jSnapshot(Neo4jReads):
    """A GraphReader over one Neo4j read transaction, held at the version current when it began."""

    def __init__(self, transaction: neo4j.Transaction, flows: FlowStore | None = None) -> None:
        self._tx = transaction
        self.flows = flows
        self._lock = threading.RLock()
        rows = self._read(cypher.META)
        self._history = History(int(rows[0]["version"] or 0) if rows else 0)
        self._decisions_up_to = self._history.version
        self._counts: Counts | None = None

    def _read(self, statement: str, **parameters: Any) -> list[dict[str, Any]]:
        with self._lock:
            try:
                return [r.data() for r in self._tx.run(statement, parameters)]
            except ServiceUnavailable as e:
                raise StoreUnavailableError(f"Neo4j is unavailable: {e}") from e

    def _since(self) -> History:
        """The history, caught up with every write committed before this call (call it after
        reading the newest state, with the lock held)."""
        self._history.catch_up(self._read)
        return self._history

    # -- reads whose answers are put back to the snapshot's version -------------------------
    def data_version(self) -> int:
        return self._history.version

    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        with self._lock:
            newest = {r["props"]["id"]: r["props"] for r in self._read(cypher.ENTITIES_BY_ID, ids=wanted)}
            then = self._since().entities
            found = {}
            for entity_id in wanted:
                props = then.then(entity_id, newest.get(entity_id))
                if props is not None:
                    found[entity_id] = entity_from_props(props, evidence)
            return found

    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        with self._lock:
            found = set(super().entity_ids(entity_type))
            then = self._since().entities
            wanted = None if entity_type is None else EntityType(entity_type).value
            for entity_id in then:
                found.discard(entity_id)
                if then.existed[entity_id] and wanted in (None, entity_type_of(entity_id).value):
                    found.add(entity_id)
            return sorted(found)

    def _relations_then(self, rows: list[dict[str, Any]], also: Iterable[str], with_evidence: bool) -> dict[str, Relation]:
        """Relations by key at the snapshot's version: ``rows`` as a read of the newest state
        returned them, and the changed keys among ``also`` it may not have found."""
        then = self._since().relations
        newest = {r["props"]["key"]: r for r in rows}
        found = {}
        for key in {*newest, *(k for k in also if k in then)}:
            row = newest.get(key)
            props = then.then(key, None if row is None else row["props"])
            if props is not None:
                source, relation_type, target = key_ends(key)
                found[key] = relation_from_record({"source": source, "type": relation_type, "target": target, "props": props}, with_evidence)
        return found

    def edges(self, ids: Iterable[str], direction: Direction, types: Iterable[RelationType] | None = None) -> list[Relation]:
        wanted = sorted(set(ids))
        type_list = None if types is None else sorted({RelationType(t) for t in types})
        if not wanted or type_list == []:
            return []
        with self._lock:
            rows = self._read(cypher.edges_query(Direction(direction).value, type_list), ids=wanted)
            then = self._since().relations
            names = None if type_list is None else {t.value for t in type_list}
            around = [k for k in then if self._around(k, set(wanted), Direction(direction), names)]
            found = self._relations_then(rows, around, with_evidence=False)
            return [found[k] for k in sorted(found)]

    @staticmethod
    def _around(key: str, wanted: set[str], direction: Direction, types: set[str] | None) -> bool:
        """Whether the relation ``key`` leaves (``out``), enters (``in``) or touches (``both``)
        one of ``wanted``, and is of one of ``types``."""
        source, relation_type, target = key_ends(key)
        if types is not None and relation_type not in types:
            return False
        leaving = direction != Direction.IN and source in wanted
        entering = direction != Direction.OUT and target in wanted
        return leaving or entering

    def _untouched(self, ids: set[str]) -> bool:
        """Whether no write since the snapshot's version created or deleted one of ``ids`` or a
        relation around them (evidence added or taken changes no degree): then the newest
        degrees and neighbours are the answer."""
        history = self._since()
        if any(history.entities.came_or_went(i) for i in ids if i in history.entities):
            return False
        return not any(
            history.relations.came_or_went(key) and self._around(key, ids, Direction.BOTH, None) for key in history.relations
        )

    def neighbour_ids(
        self, ids: Iterable[str], direction: Direction = Direction.BOTH, types: Iterable[RelationType] | None = None
    ) -> set[str]:
        wanted = set(ids)
        with self._lock:
            found = super().neighbour_ids(wanted, direction, types)
            if self._untouched(wanted):
                return found
            return GraphReader.neighbour_ids(self, wanted, direction, types)

    def degrees(self, ids: Iterable[str]) -> dict[str, int]:
        wanted = set(ids)
        with self._lock:
            found = super().degrees(wanted)
            if self._untouched(wanted):
                return found
            return GraphReader.degrees(self, wanted)

    def relation_counts(self, entity_id: str) -> dict[str, dict[str, int]]:
        with self._lock:
            found = super().relation_counts(entity_id)
            if self._untouched({entity_id}):
                return found
            return GraphReader.relation_counts(self, entity_id)

    def origin_edges(self, country_id: str) -> list[Relation]:
        with self._lock:
            rows = self._read(cypher.ORIGIN_EDGES, origin=country_id)
            then = self._since().relations
            # origin is part of a relation's key: "source|DEPENDS_ON|target|origin"
            mine = [k for k in then if key_ends(k)[1] == RelationType.DEPENDS_ON.value and k.split("|")[3] == country_id]
            found = self._relations_then(rows, mine, with_evidence=False)
            return [found[k] for k in sorted(found)]

    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        wanted = set(keys)
        with self._lock:
            rows = self._relation_rows(wanted)
            return self._relations_then(rows, wanted, with_evidence=evidence)

    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        with self._lock:
            return super().evidence(subjects)

    def stored_evidence_keys(self, pairs: Iterable[tuple[str, EvidenceKey]]) -> set[tuple[str, EvidenceKey]]:
        return GraphReader.stored_evidence_keys(self, pairs)

    def _lookup_names(
        self, text: str, *, entity_type: EntityType | None, limit: int, near: bool
    ) -> list[tuple[str, MatchKind]]:
        with self._lock:
            return super()._lookup_names(text, entity_type=entity_type, limit=limit, near=near)

    def _lookup_rows(self, needle: str, entity_type: str | None, limit: int) -> list[dict[str, Any]]:
        # Ask for as many more rows as there are changed entities, so that dropping those still
        # leaves the first ``limit`` unchanged ones; again if more changed while reading.
        while True:
            changed = len(self._history.entities)
            rows = super()._lookup_rows(needle, entity_type, limit + changed)
            then = self._since().entities
            if len(rows) < limit + changed or len(then) == changed:
                break
        rows = [r for r in rows if r["id"] not in then or not then.props_changed(r["id"])]
        for entity_id, props in self._changed_names(entity_type):
            if needle in props["name_index"]:
                rows.append({"id": entity_id, "type": props["type"], "names": props["name_index"]})
        return sorted(rows, key=lambda r: r["id"])[:limit]

    def _changed_names(self, entity_type: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(id, properties at the snapshot's version) of the entities of ``entity_type`` whose
        names a later write may have changed (it set their properties, or deleted them)."""
        then = self._history.entities
        for entity_id in then:
            props = then.props.get(entity_id)
            if props is not None and then.existed[entity_id] and entity_type in (None, props["type"]):
                yield entity_id, props

    def _name_key_rows(self, entity_type: str | None, shortest: int, longest: int) -> list[dict[str, Any]]:
        rows = super()._name_key_rows(entity_type, shortest, longest)
        then = self._since().entities
        rows = [r for r in rows if r["id"] not in then or not then.props_changed(r["id"])]
        for entity_id, props in self._changed_names(entity_type):
            keys = props["name_index"].split("|")
            rows += [{"id": entity_id, "key": k} for k in keys if shortest <= _utf16_length(k) <= longest]
        return rows

    def document(self, document_id: str) -> Document | None:
        with self._lock:
            found = super().document(document_id)
            then = self._since().documents
            if document_id not in then:
                return found
            record = then[document_id]
            return None if record is None else document_from_props(record["props"])

    def documents(self) -> list[Document]:
        with self._lock:
            found = {d.id: d for d in super().documents()}
            then = self._since().documents
            for document_id, record in then.items():
                found.pop(document_id, None)
                if record is not None:
                    found[document_id] = document_from_props(record["props"] | {"text": ""})
            return [found[k] for k in sorted(found)]

    def _document_times(self, document_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = set(document_ids)
        with self._lock:
            found = super()._document_times(wanted)
            then = self._since().documents
            for document_id in wanted & then.keys():
                record = then[document_id]
                found.pop(document_id, None)
                if record is not None:
                    found[document_id] = record["props"]
            return found

    def document_subjects(self, document_id: str) -> list[str]:
        with self._lock:
            found = super().document_subjects(document_id)
            then = self._since().documents
            if document_id not in then:
                return found
            record = then[document_id]
            if record is None:
                return []
            return sorted({*(record["props"].get("relation_keys") or []), *record["mentions"]})

    def counts(self) -> Counts:
        """The newest counts read at a moment no write committed (the version read before and
        after them agrees), less what the writes after the snapshot's version changed."""
        with self._lock:
            if self._counts is None:
                self._counts = self._counts_then()
            return self._counts

    def _counts_then(self) -> Counts:
        for _ in range(History.ATTEMPTS):
            before = super().data_version()
            now = super().counts()
            if super().data_version() == before:
                break
        else:
            raise StoreUnavailableError("the Neo4j store changed while every count was read: read again")
        history = self._since()
        delta = history.since(before)
        by_type = {t: n - delta.entities_by_type.get(t, 0) for t, n in {**dict.fromkeys(delta.entities_by_type, 0), **now.entities_by_type}.items()}
        rel_by_type = {t: n - delta.relations_by_type.get(t, 0) for t, n in {**dict.fromkeys(delta.relations_by_type, 0), **now.relations_by_type}.items()}
        by_type = {t: n for t, n in sorted(by_type.items()) if n}
        rel_by_type = {t: n for t, n in sorted(rel_by_type.items()) if n}
        return Counts(
            documents=now.documents - delta.documents,
            entities=sum(by_type.values()),
            relations=sum(rel_by_type.values()),
            evidence=now.evidence - delta.evidence,
            entities_by_type=by_type,
            relations_by_type=rel_by_type,
        )

    def iter_entities(self) -> Iterator[Entity]:
        """Page by page, each page put back with the history read after it; an entity a later
        write removed is put back on the page whose range of ids holds it."""
        after = ""
        while True:
            with self._lock:
                rows = self._read(cypher.ENTITY_PAGE, after=after, limit=PAGE)
                last = rows[-1]["props"]["id"] if len(rows) == PAGE else None  # None: to the end
                then = self._since().entities
                newest = {r["props"]["id"]: r["props"] for r in rows}
                ids = {*newest, *(i for i in then if i > after and (last is None or i <= last))}
                page = {i: p for i in ids if (p := then.then(i, newest.get(i))) is not None}
            for entity_id in sorted(page):
                yield entity_from_props(page[entity_id], with_evidence=True)
            if last is None:
                return
            after = last

    def iter_relations(self) -> Iterator[Relation]:
        with self._lock:
            rows = []
            for relation_type in RelationType:
                after = ""
                while True:
                    page = self._read(cypher.relation_page_query(relation_type), after=after, limit=PAGE)
                    rows += page
                    if len(page) < PAGE:
                        break
                    after = page[-1]["props"]["key"]
            found = self._relations_then(rows, list(self._since().relations), with_evidence=True)
            ordered = [found[k] for k in sorted(found)]
        yield from ordered
