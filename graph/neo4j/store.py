"""The Neo4j store: the same contract as the embedded store, for shared deployments and Browser.

Entities are nodes labelled ``Entity`` and their type (``:Entity:Country``); relations are
relationships of their own type with a ``key`` property; evidence is kept on both as a list of
canonical JSON strings (so Browser users see the quotes), and ``Document`` nodes MENTIONS what they
support. What a write changes is decided by :mod:`graph.write_plan`, exactly as in the embedded
store; this module only carries the plan out, in one transaction, with the statements of
:mod:`graph.neo4j.cypher`. One driver per store; every query has a timeout.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
import orjson
from neo4j.exceptions import AuthError as Neo4jAuthError
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graph.neo4j import cypher
from graph.enums import EntityType, RelationType
from graph.errors import InvalidDataError, NotFoundError, StoreUnavailableError
from graph.model import Batch, Document, Entity, Evidence, Relation
from graph.names import NAMES_RULE, MatchKind, Rank, cheap_rank, edit_budget, near_ranks, normalize_name, ordered
from graph.neo4j.rows import entity_from_props, evidence_key_parts, name_index, native, plan_statements, relation_from_record, type_of_key
from graph.store import Counts, Direction, EvidenceKey, GraphReader, GraphStore, WriteSummary
from graph.write_plan import WritePlan, plan_batch, plan_document_removal

__all__ = ["Neo4jStore"]

PAGE = 1000


def _names_and_aliases(props: dict[str, Any]) -> list[str]:
    """An entity's names (stored as a JSON object) and aliases, from its node's properties."""
    return [*orjson.loads(props["names"] or "{}").values(), *(props["aliases"] or [])]


class Neo4jStore(GraphStore):
    """A GraphStore on a Neo4j 5 server, over Bolt."""

    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str, *, database: str = "neo4j", timeout_s: float = 15.0) -> None:
        self.database = database
        self.timeout_s = timeout_s
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), max_connection_pool_size=20)
            self._driver.verify_connectivity()
            self._setup_schema()
        except (ServiceUnavailable, Neo4jAuthError, OSError, ValueError) as e:
            raise StoreUnavailableError(f"cannot reach Neo4j at {uri}: {e}") from e

    # -- plumbing ---------------------------------------------------------------------------
    def _read(self, statement: str, **parameters: Any) -> list[dict[str, Any]]:
        try:
            records, _, _ = self._driver.execute_query(
                neo4j.Query(statement, timeout=self.timeout_s),
                parameters_=parameters,
                database_=self.database,
                routing_=neo4j.RoutingControl.READ,
            )
        except ServiceUnavailable as e:
            raise StoreUnavailableError(f"Neo4j is unavailable: {e}") from e
        return [r.data() for r in records]

    def _setup_schema(self) -> None:
        for statement in cypher.schema_statements():
            self._driver.execute_query(neo4j.Query(statement, timeout=self.timeout_s), database_=self.database)
        self._refold_names()

    def _refold_names(self) -> None:
        """Rewrite every entity's ``name_index`` when it was folded under another
        ``graph.names.NAMES_RULE`` (the embedded store rebuilds its snapshot for the same reason),
        so a store written before a change of folding finds names as a fresh one does."""
        rows = self._read(cypher.NAMES_RULE_OF_STORE)
        if rows and rows[0]["rule"] == NAMES_RULE:
            return
        after = ""
        while page := self._read(cypher.ENTITY_NAMES_PAGE, after=after, limit=PAGE):
            rows = [{"id": r["id"], "name_index": name_index(_names_and_aliases(r))} for r in page]
            self._write_now(cypher.SET_NAME_INDEX, rows=rows)
            after = page[-1]["id"]
        self._write_now(cypher.SET_NAMES_RULE, rule=NAMES_RULE)

    def _write_now(self, statement: str, **parameters: Any) -> None:
        """One auto-committed write outside a plan (upkeep of stored data, not content)."""
        query = neo4j.Query(statement, timeout=max(self.timeout_s, 60.0))
        self._driver.execute_query(query, parameters_=parameters, database_=self.database)

    # -- writes -----------------------------------------------------------------------------
    def upsert(self, batch: Batch) -> WriteSummary:
        plan = plan_batch(batch, self)
        if plan.summary.changed:
            self._execute(plan)
        return plan.summary

    def remove_document(self, document_id: str) -> WriteSummary:
        if self.document(document_id) is None:
            raise NotFoundError(f"no document {document_id!r}")
        plan = plan_document_removal(document_id, self)
        self._execute(plan)
        return plan.summary

    def _execute(self, plan: WritePlan) -> None:
        """Carry a plan out in one transaction: all of it or none of it."""

        removed_subjects = self.document_subjects(plan.removed_document) if plan.removed_document else []
        statements = list(plan_statements(plan, removed_subjects))

        def work(tx: neo4j.ManagedTransaction) -> None:
            for statement, parameters in statements:
                tx.run(statement, parameters).consume()

        try:
            with self._driver.session(database=self.database) as session:
                session.execute_write(neo4j.unit_of_work(timeout=max(self.timeout_s, 60.0))(work))
        except ServiceUnavailable as e:
            raise StoreUnavailableError(f"Neo4j is unavailable: {e}") from e
        except Neo4jError as e:
            raise InvalidDataError(f"Neo4j refused the write: {e.message}") from e

    # -- reads ------------------------------------------------------------------------------
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
        by_type: dict[RelationType, list[str]] = defaultdict(list)
        for key in sorted(set(keys)):
            try:
                by_type[type_of_key(key)].append(key)
            except (IndexError, ValueError):
                continue  # not a relation key at all: like any unknown key, it finds nothing
        found = {}
        for relation_type, chunk in by_type.items():
            for row in self._read(cypher.relations_by_key_query(relation_type), keys=chunk):
                relation = relation_from_record(row, evidence)
                found[relation.key] = relation
        return found

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
            for row in self._read(cypher.LOOKUP, needle=needle, type=wanted, limit=limit * 20):
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
        for row in self._read(cypher.NAME_KEYS_BY_LENGTH, type=wanted, shortest=len(query) - budget, longest=longest):
            ids_of[row["key"]].append(row["id"])
        best: dict[str, Rank] = {}
        for key, rank in near_ranks(query, list(ids_of)):
            for entity_id in ids_of[key]:
                if entity_id not in best or rank < best[entity_id]:
                    best[entity_id] = rank
        return best

    def document(self, document_id: str) -> Document | None:
        rows = self._read(cypher.DOCUMENT_BY_ID, id=document_id)
        if not rows:
            return None
        props = rows[0]["props"]
        return Document.model_construct(**{k: native(props.get(k)) for k in Document.model_fields})

    def documents(self) -> list[Document]:
        return [
            Document.model_construct(**{**{k: native(v) for k, v in row.items()}, "text": ""})
            for row in self._read(cypher.DOCUMENTS)
        ]

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

    def clear(self) -> None:
        """Delete everything, in bounded transactions (tests and full re-syncs); the schema stays."""
        while True:
            records, _, _ = self._driver.execute_query(
                neo4j.Query(cypher.CLEAR_SOME, timeout=max(self.timeout_s, 120.0)), database_=self.database
            )
            if records[0]["deleted"] == 0:
                return

    @contextmanager
    def snapshot(self) -> Iterator[GraphReader]:
        """Not isolated yet: the store itself, whose calls each see the newest version."""
        yield self

    def close(self) -> None:
        self._driver.close()

