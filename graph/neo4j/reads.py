"""The reads of the Neo4j store, written once for the store and for its snapshots.

Every method reads through ``_read(statement, **parameters)``: the store runs each statement on
its own (so it sees the newest committed version), a snapshot inside its one transaction, putting
back what later writes changed (graph.neo4j.snapshot).
"""

from __future__ import annotations

from abc import abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

import orjson

from graph.model.enums import EntityType, RelationType
from graph.model.decisions import Decision
from graph.model.records import Document, Entity, Evidence, Relation
from graph.names import MatchKind, Rank, cheap_rank, edit_budget, near_ranks, normalize_name, ordered
from graph.neo4j import cypher
from graph.neo4j.rows import (
    entity_from_props,
    evidence_key_parts,
    native,
    relation_from_record,
    system_time_of,
    type_of_key,
)
from graph.store import Counts, Direction, EvidenceKey, GraphReader

__all__ = ["Neo4jReads", "PAGE", "names_and_aliases", "document_from_props"]

PAGE = 1000


def names_and_aliases(props: dict[str, Any]) -> list[str]:
    """An entity's names (stored as a JSON object) and aliases, from its node's properties."""
    return [*orjson.loads(props["names"] or "{}").values(), *(props["aliases"] or [])]


def document_from_props(props: dict[str, Any]) -> Document:
    """A Document from its node's properties (or a row of them); ``ingested`` aware, in UTC."""
    values = {k: native(props.get(k)) for k in Document.model_fields}
    return Document.model_construct(**values | {"ingested": system_time_of(props.get("ingested"))})


class Neo4jReads(GraphReader):
    """The GraphReader methods over Cypher; subclasses say where a statement runs."""

    backend = "neo4j"

    @abstractmethod
    def _read(self, statement: str, **parameters: Any) -> list[dict[str, Any]]:
        """The rows of one read statement, as dicts."""

    def data_version(self) -> int:
        rows = self._read(cypher.META)
        return int(rows[0]["version"]) if rows else 0

    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self._read(cypher.ENTITIES_BY_ID, ids=wanted)
        return {r["props"]["id"]: entity_from_props(r["props"], evidence) for r in rows}

    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        return [r["id"] for r in self._read(cypher.entity_ids_query(entity_type))]

    def edges(self, ids: Iterable[str], direction: Direction, types: Iterable[RelationType] | None = None) -> list[Relation]:
        wanted = sorted(set(ids))
        type_list = None if types is None else sorted({RelationType(t) for t in types})
        if not wanted or type_list == []:
            return []
        rows = self._read(cypher.edges_query(Direction(direction).value, type_list), ids=wanted)
        found = {}
        for row in rows:
            relation = relation_from_record(row, with_evidence=False)
            found[relation.key] = relation
        return [found[k] for k in sorted(found)]

    def neighbour_ids(
        self,
        ids: Iterable[str],
        direction: Direction = Direction.BOTH,
        types: Iterable[RelationType] | None = None,
    ) -> set[str]:
        wanted = sorted(set(ids))
        type_list = None if types is None else sorted({RelationType(t) for t in types})
        if not wanted or type_list == []:
            return set()
        rows = self._read(cypher.neighbour_ids_query(Direction(direction).value, type_list), ids=wanted)
        return {r["id"] for r in rows}

    def degrees(self, ids: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(ids))
        found = {r["id"]: r["degree"] for r in self._read(cypher.DEGREES, ids=wanted)} if wanted else {}
        return {i: found.get(i, 0) for i in wanted}

    def relation_counts(self, entity_id: str) -> dict[str, dict[str, int]]:
        return {
            side: {r["type"]: r["count"] for r in sorted(self._read(statement, id=entity_id), key=lambda r: r["type"])}
            for side, statement in (("out", cypher.RELATION_COUNTS_OUT), ("in", cypher.RELATION_COUNTS_IN))
        }

    def origin_edges(self, country_id: str) -> list[Relation]:
        return [relation_from_record(r, with_evidence=False) for r in self._read(cypher.ORIGIN_EDGES, origin=country_id)]

    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        found = {}
        for row in self._relation_rows(keys):
            relation = relation_from_record(row, evidence)
            found[relation.key] = relation
        return found

    def _relation_rows(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        """The rows (source, type, target, props) of the relations among ``keys``, one
        statement per relation type."""
        by_type: dict[RelationType, list[str]] = defaultdict(list)
        for key in sorted(set(keys)):
            try:
                by_type[type_of_key(key)].append(key)
            except (IndexError, ValueError):
                continue  # not a relation key at all: like any unknown key, it finds nothing
        return [row for relation_type, chunk in by_type.items() for row in self._read(cypher.relations_by_key_query(relation_type), keys=chunk)]

    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        wanted = set(subjects)
        result: dict[str, list[Evidence]] = {}
        for entity_id, entity in self.entities([s for s in wanted if "|" not in s], evidence=True).items():
            if entity.evidence:
                result[entity_id] = entity.evidence
        for key, relation in self.relations([s for s in wanted if "|" in s], evidence=True).items():
            if relation.evidence:
                result[key] = relation.evidence
        return result

    def stored_evidence_keys(self, pairs: Iterable[tuple[str, EvidenceKey]]) -> set[tuple[str, EvidenceKey]]:
        """One statement for the entities and one per relation type among ``pairs``, each
        matching the pieces by key inside Neo4j (no evidence list comes back)."""
        wanted = list(dict.fromkeys(pairs))
        groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for at, (subject, key) in enumerate(wanted):
            if "|" in subject:
                try:
                    statement = cypher.stored_relation_evidence_query(type_of_key(subject))
                except (IndexError, ValueError):
                    continue  # not a relation key: nothing is stored under it
            else:
                statement = cypher.STORED_ENTITY_EVIDENCE
            groups[statement][subject].append({"at": at, **evidence_key_parts(key)})
        found: set[tuple[str, EvidenceKey]] = set()
        for statement, by_subject in groups.items():
            rows = [{"subject": s, "pieces": pieces} for s, pieces in sorted(by_subject.items())]
            found.update(wanted[r["at"]] for r in self._read(statement, rows=rows))
        return found

    def _lookup_names(
        self, text: str, *, entity_type: EntityType | None, limit: int, near: bool
    ) -> list[tuple[str, MatchKind]]:
        query = normalize_name(text)
        if not query:
            return []
        wanted = None if entity_type is None else EntityType(entity_type).value
        best: dict[str, Rank] = {}
        for needle in (f"|{query}|", f"|{query}", query):
            if len(best) >= limit or "|" in query:  # '|' separates the names in name_index
                break
            for row in self._lookup_rows(needle, wanted, limit * 20):
                ranks = [r for key in row["names"].strip("|").split("|") if (r := cheap_rank(query, key))]
                if ranks:
                    best[row["id"]] = min([*ranks, *([best[row["id"]]] if row["id"] in best else [])])
        if not best and near:
            best = self._near(query, wanted)
        return ordered(best, limit)

    def _near(self, query: str, wanted: str | None) -> dict[str, Rank]:
        """Near matches among the names of about the query's length, read from the server (the
        fuzzy comparison runs here, with the same code as the embedded store's)."""
        budget = edit_budget(query)
        if not budget:
            return {}
        # size() counts UTF-16 units: a name outside the BMP may be up to twice as long in them
        longest = len(query) + budget if query.isascii() else 2 * (len(query) + budget)
        ids_of: dict[str, list[str]] = defaultdict(list)
        for row in self._name_key_rows(wanted, len(query) - budget, longest):
            ids_of[row["key"]].append(row["id"])
        best: dict[str, Rank] = {}
        for key, rank in near_ranks(query, list(ids_of)):
            for entity_id in ids_of[key]:
                if entity_id not in best or rank < best[entity_id]:
                    best[entity_id] = rank
        return best

    def _lookup_rows(self, needle: str, entity_type: str | None, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` entities (by id) whose ``name_index`` contains ``needle``: id, type, names."""
        return self._read(cypher.LOOKUP, needle=needle, type=entity_type, limit=limit)

    def _name_key_rows(self, entity_type: str | None, shortest: int, longest: int) -> list[dict[str, Any]]:
        """Every (id, key) of a name key ``shortest`` to ``longest`` UTF-16 units long."""
        return self._read(cypher.NAME_KEYS_BY_LENGTH, type=entity_type, shortest=shortest, longest=longest)

    def document(self, document_id: str) -> Document | None:
        rows = self._read(cypher.DOCUMENT_BY_ID, id=document_id)
        return document_from_props(rows[0]["props"]) if rows else None

    def documents(self) -> list[Document]:
        return [document_from_props(row | {"text": ""}) for row in self._read(cypher.DOCUMENTS)]

    def _document_times(self, document_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Each stored document among ``document_ids`` by id: its ``published`` and ``ingested``
        properties as stored (a snapshot puts back the ones later writes changed)."""
        wanted = sorted(set(document_ids))
        rows = self._read(cypher.DOCUMENT_TIMES, ids=wanted) if wanted else []
        return {r["id"]: r for r in rows}

    #: The newest version a read sees: all of them for the store, its own for a snapshot.
    _decisions_up_to = 2**62

    def decisions(self) -> list[Decision]:
        rows = self._read(cypher.DECISIONS, version=self._decisions_up_to)
        return [Decision.model_validate_json(r["body"]) for r in rows]

    def publication_dates(self, document_ids: Iterable[str]) -> dict[str, date | None]:
        return {i: native(r.get("published")) for i, r in self._document_times(document_ids).items()}

    def ingestion_times(self, document_ids: Iterable[str]) -> dict[str, datetime | None]:
        return {i: system_time_of(r.get("ingested")) for i, r in self._document_times(document_ids).items()}

    def document_subjects(self, document_id: str) -> list[str]:
        rows = self._read(cypher.DOCUMENT_SUBJECTS, id=document_id)
        if not rows:
            return []
        return sorted({*(rows[0]["keys"] or []), *rows[0]["ids"]})

    def counts(self) -> Counts:
        by_type = {}
        for entity_type in EntityType:
            count = self._read(cypher.count_label_query(entity_type))[0]["count"]
            if count:
                by_type[entity_type.value] = count
        rel_by_type = {}
        for relation_type in RelationType:
            count = self._read(cypher.count_type_query(relation_type))[0]["count"]
            if count:
                rel_by_type[relation_type.value] = count
        meta = self._read(cypher.META)
        return Counts(
            documents=self._read(cypher.COUNT_DOCUMENTS)[0]["count"],
            entities=sum(by_type.values()),
            relations=sum(rel_by_type.values()),
            evidence=int(meta[0]["evidence"] or 0) if meta else 0,
            entities_by_type=dict(sorted(by_type.items())),
            relations_by_type=dict(sorted(rel_by_type.items())),
        )

    def iter_entities(self) -> Iterator[Entity]:
        after = ""
        while True:
            rows = self._read(cypher.ENTITY_PAGE, after=after, limit=PAGE)
            for row in rows:
                yield entity_from_props(row["props"], with_evidence=True)
            if len(rows) < PAGE:
                return
            after = rows[-1]["props"]["id"]

    def iter_relations(self) -> Iterator[Relation]:
        pages = []
        for relation_type in RelationType:
            after = ""
            while True:
                rows = self._read(cypher.relation_page_query(relation_type), after=after, limit=PAGE)
                pages += [relation_from_record(r, with_evidence=True) for r in rows]
                if len(rows) < PAGE:
                    break
                after = rows[-1]["props"]["key"]
        yield from sorted(pages, key=lambda r: r.key)

