"""The ``GraphStore`` contract that every store implements and every query is written against.

Queries see a store through a narrow set of primitives (entities by id, the edges around a set of
nodes, name look-up, evidence by subject), so the same query code gives the same answer on the
embedded store and on Neo4j. A store may answer a primitive however it likes; it may not change
what the answer is.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from pydantic import ConfigDict

from graph.model.decisions import Decision
from graph.model.enums import EntityType, RelationType
from graph.model.errors import InvalidDataError
from graph.model.ids import entity_type_of
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.names import MatchKind, spelled_id

if TYPE_CHECKING:
    from graph.flows import FlowStore

#: ``Evidence.key``: (document_id, start, end, extractor), what makes two pieces the same reading.
EvidenceKey = tuple[str, int, int, str]

__all__ = ["GraphStore", "GraphReader", "ReaderView", "Direction", "Link", "WriteSummary", "NameMatch", "Counts", "EvidenceKey"]


class Direction(StrEnum):
    """Which way relations are followed from an entity: out (it is the source), in (the target) or both."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


@dataclass
class WriteSummary:
    """What a write changed. ``changed`` is False exactly when the store's content is as it was."""

    documents_added: int = 0
    documents_unchanged: int = 0
    documents_removed: int = 0
    entities_added: int = 0
    entities_updated: int = 0
    entities_unchanged: int = 0
    entities_removed: int = 0
    relations_added: int = 0
    relations_updated: int = 0
    relations_unchanged: int = 0
    relations_removed: int = 0
    evidence_added: int = 0
    evidence_removed: int = 0
    decisions_added: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.documents_added,
                self.documents_removed,
                self.entities_added,
                self.entities_updated,
                self.entities_removed,
                self.relations_added,
                self.relations_updated,
                self.relations_removed,
                self.evidence_added,
                self.evidence_removed,
                self.decisions_added,
            )
        )

    def add(self, other: "WriteSummary") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class NameMatch:
    entity_id: str
    kind: MatchKind  # the rule that matched (graph.names)

    @property
    def score(self) -> int:
        """4 id, 3 exact, 2 prefix, 1 substring, 0 near."""
        return self.kind.score


class Link(NamedTuple):
    """A relation as a walk needs it: its key, ends, share and origin; no dates, attributes or
    evidence. A walk over thousands of relations builds an answer from a few of them."""

    key: str
    source: str
    type: RelationType
    target: str
    share: float | None
    origin: str | None


@dataclass
class Counts:
    """How much the store holds: documents, entities, relations and evidence, with entities and
    relations by type."""

    # Every field is in every answer: required in the OpenAPI document (see graph.queries.common.Answer).
    __pydantic_config__ = ConfigDict(json_schema_serialization_defaults_required=True)

    documents: int = 0
    entities: int = 0
    relations: int = 0
    evidence: int = 0
    entities_by_type: dict[str, int] = field(default_factory=dict)
    relations_by_type: dict[str, int] = field(default_factory=dict)


class GraphReader(ABC):
    """The read half of the contract: what queries are written against.

    A store is a reader whose every call sees the newest committed version; the reader that
    :meth:`GraphStore.snapshot` yields sees one version for as long as it is held, so a query, a
    page or an export that makes many calls gives an answer that was true at one moment."""

    #: The store answering, embedded or neo4j; a snapshot's reader names its store's.
    backend: str = "abstract"
    #: Bilateral trade flows kept as data beside the graph (graph/flows.py); None where none are
    #: kept. They are not versioned with the graph: a snapshot's reader reads its store's flows
    #: as they are now (a flows file loads in one transaction, so it is seen whole or not at all).
    flows: "FlowStore | None" = None

    @abstractmethod
    def data_version(self) -> int:
        """A number that changes whenever the content changes (the API's ETag)."""

    def content_owner(self) -> object | None:
        """An object that lives exactly as long as the content this reader reads, shared by every
        reader of that content, for queries that keep what they derived from it (a list's rows
        while its pages are asked for); None, the default, when there is none: nothing is kept.
        A view that shows its reader differently (a day, decisions) has none of its own."""
        return None

    @abstractmethod
    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        """The entities among ``ids`` that exist, by id."""

    def entity(self, entity_id: str, *, evidence: bool = True) -> Entity | None:
        return self.entities([entity_id], evidence=evidence).get(entity_id)

    def known(self, ids: Iterable[str]) -> set[str]:
        """The ids among ``ids`` that name stored entities. Stores override this to answer from
        memory: names are resolved and every write's endpoints are checked with it."""
        return set(self.entities(ids))

    @abstractmethod
    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        """Every entity id, optionally of one type, sorted."""

    @abstractmethod
    def edges(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
    ) -> list[Relation]:
        """Relations (without evidence) leaving, entering or touching any of ``ids``, sorted by key."""

    def links(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
        *,
        to: Iterable[str] | None = None,
    ) -> list[Link]:
        """What ``edges`` returns, as Links in the same order; with ``to``, only the relations
        whose other end is in ``to`` (a relation from one of ``ids`` to another counts when that
        one is in ``to``). Stores override this to skip building Relation objects that a walk
        reads two fields of, and to skip the rest of a hub's relations when ``to`` is given."""
        wanted = set(ids)
        ends = None if to is None else set(to)
        found = []
        for r in self.edges(wanted, direction, types):
            if ends is not None:
                leaving = direction != Direction.IN and r.source in wanted and r.target in ends
                entering = direction != Direction.OUT and r.target in wanted and r.source in ends
                if not (leaving or entering):
                    continue
            found.append(Link(r.key, r.source, r.type, r.target, r.share, r.origin))
        return found

    def neighbour_ids(
        self,
        ids: Iterable[str],
        direction: Direction = Direction.BOTH,
        types: Iterable[RelationType] | None = None,
    ) -> set[str]:
        """Entities one relation from any of ``ids``: relations leaving them (``OUT``), entering
        them (``IN``) or either (``BOTH``), of ``types`` (any when None). Stores override this to
        skip the relations: a shortest-path search reads only which entities it reaches, and an
        escalation only which measures a country's tens of thousands of actors imposed."""
        wanted = set(ids)
        found: set[str] = set()
        for link in self.links(wanted, direction, types):
            if direction != Direction.IN and link.source in wanted:
                found.add(link.target)
            if direction != Direction.OUT and link.target in wanted:
                found.add(link.source)
        return found

    def relation_counts(self, entity_id: str) -> dict[str, dict[str, int]]:
        """Relations by type leaving (``out``) and entering (``in``) an entity. Stores override
        this to count without building the relations: a country can have tens of thousands."""
        counts: dict[str, dict[str, int]] = {"out": {}, "in": {}}
        for relation in self.edges([entity_id], Direction.BOTH):
            side = counts["out" if relation.source == entity_id else "in"]
            side[relation.type.value] = side.get(relation.type.value, 0) + 1
        return counts

    def degrees(self, ids: Iterable[str]) -> dict[str, int]:
        """How many relations leave or enter each of ``ids`` (0 for an unknown id): the sum of
        :meth:`relation_counts`, for many entities at once. Stores override this to answer in one
        round trip: a path search estimates which side of a step has fewer relations from it."""
        return {i: sum(n for side in self.relation_counts(i).values() for n in side.values()) for i in set(ids)}

    @abstractmethod
    def origin_edges(self, country_id: str) -> list[Relation]:
        """DEPENDS_ON relations (without evidence) whose ``origin`` is ``country_id``, sorted by key."""

    @abstractmethod
    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        """Relations by key."""

    @abstractmethod
    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        """Evidence by subject (an entity id or a relation key), each list sorted by key."""

    def stored_evidence_keys(self, pairs: Iterable[tuple[str, EvidenceKey]]) -> set[tuple[str, EvidenceKey]]:
        """The (subject, ``Evidence.key``) pairs among ``pairs`` that are stored already.

        The write planner asks this for the evidence a batch brings to stored entities and
        relations, so that a write costs what it adds: reading a much-cited entity's whole
        evidence list to merge one piece into it would make every write citing it slower as its
        evidence grows. This fallback reads the subjects' evidence; stores override it with
        lookups by key."""
        wanted = set(pairs)
        found = self.evidence({subject for subject, _ in wanted})
        return {(s, e.key) for s, evidence in found.items() for e in evidence if (s, e.key) in wanted}

    def lookup(self, text: str, *, entity_type: EntityType | None = None, limit: int = 20) -> list[NameMatch]:
        """Entities whose id, name or alias matches ``text``, best first (the ranking of
        graph.names): a stored id first, then the stores' name matches."""
        named = self._named_id(text.strip(), entity_type)
        found = self._lookup_names(text, entity_type=entity_type, limit=limit, near=named is None)
        matches = [NameMatch(i, kind) for i, kind in found if i != named]
        if named is not None:
            matches.insert(0, NameMatch(named, MatchKind.ID))
        return matches[:limit]

    def _named_id(self, text: str, entity_type: EntityType | None) -> str | None:
        """The stored entity (of ``entity_type``, when given) that ``text`` names outright: its
        id, or an HS code naming its code entity (graph.names.spelled_id)."""
        text = spelled_id(text)
        if text is None:
            return None
        try:
            declared = entity_type_of(text)
        except InvalidDataError:
            return None
        if entity_type is not None and declared != entity_type:
            return None
        return text if self.known([text]) else None

    @abstractmethod
    def _lookup_names(
        self, text: str, *, entity_type: EntityType | None, limit: int, near: bool
    ) -> list[tuple[str, MatchKind]]:
        """Entities by name or alias (graph.names rules exact to near; near ones only when
        ``near`` and nothing else matched), best first, at most ``limit``."""

    @abstractmethod
    def document(self, document_id: str) -> Document | None: ...

    @abstractmethod
    def documents(self) -> list[Document]:
        """Every document, without its text, ordered by id."""

    def publication_dates(self, document_ids: Iterable[str]) -> dict[str, date | None]:
        """The ``published`` date of each stored document among ``document_ids``: where a
        lifecycle event the source gives no date for is placed (graph/time_view.py). Stores
        override this to read only those documents."""
        wanted = set(document_ids)
        return {d.id: d.published for d in self.documents() if d.id in wanted} if wanted else {}

    def ingestion_times(self, document_ids: Iterable[str]) -> dict[str, datetime | None]:
        """When this store took each stored document among ``document_ids`` (``ingested``; None
        for a document stored before system time was kept): when a fact was first and last
        seen. Stores override this to read only those documents."""
        wanted = set(document_ids)
        return {d.id: d.ingested for d in self.documents() if d.id in wanted} if wanted else {}

    def decisions(self) -> list[Decision]:
        """Every review decision recorded, in the order made (graph/model/decisions.py)."""
        return []

    def moved_to(self, entity_id: str) -> str | None:
        """The entity a merged-away id now resolves to, None for any other id. Only a reader
        with review decisions applied (graph/review_view.py) knows of merges."""
        return None

    @abstractmethod
    def counts(self) -> Counts: ...

    @abstractmethod
    def document_subjects(self, document_id: str) -> list[str]:
        """Entity ids and relation keys that have evidence from ``document_id``, sorted."""

    @abstractmethod
    def iter_entities(self) -> Iterator[Entity]:
        """Every entity with its evidence, in id order: for export and sync."""

    @abstractmethod
    def iter_relations(self) -> Iterator[Relation]:
        """Every relation with its evidence, in key order: for export and sync."""


class ReaderView(GraphReader):
    """A reader that shows another one differently (graph/time_view.py, graph/review_view.py):
    what a view does not change, it asks the reader under it."""

    def __init__(self, inner: GraphReader) -> None:
        self.inner = inner
        self.backend = inner.backend

    @property
    def flows(self) -> "FlowStore | None":
        """The inner reader's trade flows, not opened before a query asks (the write planner
        reads through a view inside its write transaction, where opening them would wait)."""
        return self.inner.flows

    def data_version(self) -> int:
        return self.inner.data_version()

    def decisions(self) -> list[Decision]:
        return self.inner.decisions()

    def moved_to(self, entity_id: str) -> str | None:
        return self.inner.moved_to(entity_id)

    def document(self, document_id: str) -> Document | None:
        return self.inner.document(document_id)

    def documents(self) -> list[Document]:
        return self.inner.documents()

    def publication_dates(self, document_ids: Iterable[str]) -> dict[str, date | None]:
        return self.inner.publication_dates(document_ids)

    def ingestion_times(self, document_ids: Iterable[str]) -> dict[str, datetime | None]:
        return self.inner.ingestion_times(document_ids)

    def counts(self) -> Counts:
        """Counted from what the view shows: a walk over all of it (a store counts from totals)."""
        counts = Counts(documents=len(self.documents()))
        for entity in self.iter_entities():
            counts.entities += 1
            counts.evidence += len(entity.evidence)
            counts.entities_by_type[entity.type.value] = counts.entities_by_type.get(entity.type.value, 0) + 1
        for relation in self.iter_relations():
            counts.relations += 1
            counts.evidence += len(relation.evidence)
            counts.relations_by_type[relation.type.value] = counts.relations_by_type.get(relation.type.value, 0) + 1
        return counts


class GraphStore(GraphReader):
    """A durable graph of entities, relations, evidence and documents."""

    # -- writes -----------------------------------------------------------------------------
    @abstractmethod
    def upsert(self, batch: Batch) -> WriteSummary:
        """Write a batch whole or not at all. Writing the same batch twice changes nothing the
        second time; evidence of an existing entity or relation is merged, never replaced."""

    @abstractmethod
    def remove_document(self, document_id: str) -> WriteSummary:
        """Remove a document, its evidence, and every relation or entity left with no evidence."""

    @abstractmethod
    def snapshot(self) -> AbstractContextManager[GraphReader]:
        """A reader held at the version committed when it is entered: every call made through it,
        however many and however long, sees that version while writes go on. Leave it promptly:
        it pins what the store must keep to answer at that version."""

    @contextmanager
    def try_snapshot(self) -> Iterator[GraphReader | None]:
        """A snapshot when one can be entered and read without waiting, else None (held for the
        ``with`` block either way).

        A reader here means no lock is held by another thread, there is nothing to catch up on and
        every call answers from this process, so a short read can run on the API's event loop
        instead of paying for a hop to a worker thread. The default is None: a store whose every
        call is a network round trip (Neo4j) must never be read on the event loop."""
        yield None

    def close(self) -> None:  # noqa: B027 - optional for stores with nothing to release
        """Release connections."""

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
