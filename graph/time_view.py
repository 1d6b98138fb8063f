"""The graph as it stood in the world on a day (``as_of``), as this store knew it at a moment
(``known_at``), or both: a reader over any other reader, so every query answers either question
without a line of its own, on both stores alike.

World time (``as_of``). A measure stands from the first event of its lifecycle
(``MeasureAttributes.events``); its status on the day is the status its latest event up to that
day left it in, and events after the day are not shown. An event its source gives no date for
is placed at the publication date of the document that reports it (it had happened by then at
the latest), and an event with neither stays out of dated views: world time never falls back to
today. A relation holds on the day unless its ``valid_from``/``valid_to`` (or its several
``periods``, graph/model/periods.py) exclude it; a relation with either end out of the view is out
of it too. Countries, firms, goods and people are not
dated: they are in every view.

System time (``known_at``). Every document carries when this store first took it
(``Document.ingested``); a fact is known at a moment when a piece of its evidence comes from a
document taken by then, and only those pieces are shown. A fact with no evidence at all (none is
written by the ingest paths) and a document stored before system time was kept (schema 3 files)
count as known from the start. What the view cannot undo: a value that a later reading replaced
(a rate, a stated status) shows as it is now, though the status on a day is derived from the
events known at the moment.

The view reads through the generic primitives of :class:`~graph.store.GraphReader` (a store's
fast paths for walks do not apply), so a dated read costs more than a plain one; it is made for
one request and caches what it learns about each entity for that request only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from graph.model.decisions import Decision
from graph.model.enums import EntityType, MeasureStatus, RelationType
from graph.model.periods import holds_on
from graph.model.records import Document, Entity, Evidence, LifecycleEvent, Relation, keeping_claims
from graph.names import MatchKind
from graph.store import Direction, GraphReader, ReaderView

__all__ = ["TimeView", "in_time", "status_on", "placed_events"]

_ABSENT = object()  # a document the store does not hold


def in_time(reader: GraphReader, *, as_of: dt.date | None = None, known_at: dt.datetime | None = None) -> GraphReader:
    """``reader`` itself when no time is asked for, else a :class:`TimeView` over it."""
    if as_of is None and known_at is None:
        return reader
    return TimeView(reader, as_of=as_of, known_at=known_at)


def placed_events(
    events: Iterable[LifecycleEvent], published: dict[str, dt.date | None]
) -> list[tuple[dt.date, LifecycleEvent]]:
    """Each event with the day it is placed at (its own date, else its document's publication
    date), in the order they happened; events with neither are left out."""
    placed = []
    for event in events:
        day = event.date
        if day is None and event.evidence is not None:
            day = published.get(event.evidence.document_id)
        if day is not None:
            placed.append((day, event))
    placed.sort(key=lambda p: (p[0], p[1].stage.order))
    return placed


def status_on(events: Iterable[LifecycleEvent], day: dt.date, published: dict[str, dt.date | None]) -> MeasureStatus | None:
    """The status a lifecycle left a measure in on ``day``; None when nothing had happened yet."""
    happened = [event for placed, event in placed_events(events, published) if placed <= day]
    return happened[-1].stage.status_after if happened else None


class TimeView(ReaderView):
    """``inner`` as it stood on ``as_of`` and as it was known at ``known_at`` (module docstring)."""

    def __init__(self, inner: GraphReader, *, as_of: dt.date | None = None, known_at: dt.datetime | None = None) -> None:
        if known_at is not None and known_at.tzinfo is None:
            raise ValueError("known_at needs a time zone")
        super().__init__(inner)
        self.as_of = as_of
        self.known_at = known_at
        self._times: dict[str, object] = {}  # document id -> when taken (None: before system time; _ABSENT: not held)
        self._dates: dict[str, dt.date | None] = {}  # document id -> publication date
        self._seen: dict[str, Entity | None] = {}  # entity id -> as seen in the view (None: not in it)

    # -- documents and evidence -----------------------------------------------------------------
    def _taken(self, document_ids: Iterable[str]) -> None:
        """Learn when the store took these documents (``Document.ingested``), reading only those
        not asked about before; a document the store does not hold is never known."""
        missing = set(document_ids) - self._times.keys()
        if missing:
            times = self.inner.ingestion_times(missing)
            self._times.update({i: times.get(i, _ABSENT) for i in missing})

    def _published(self, events: list[LifecycleEvent]) -> dict[str, dt.date | None]:
        """Publication dates of the documents reporting ``events`` that give no date."""
        wanted = {e.evidence.document_id for e in events if e.date is None and e.evidence is not None}
        missing = wanted - self._dates.keys()
        if missing:
            self._dates.update(dict.fromkeys(missing) | self.inner.publication_dates(missing))
        return self._dates

    def _document_known(self, document_id: str) -> bool:
        if self.known_at is None:
            return True
        self._taken([document_id])
        taken = self._times[document_id]
        return taken is not _ABSENT and (taken is None or taken <= self.known_at)

    def _known_evidence(self, evidence: list[Evidence]) -> list[Evidence]:
        if self.known_at is None:
            return evidence
        self._taken({e.document_id for e in evidence})
        return [e for e in evidence if self._document_known(e.document_id)]

    # -- entities -----------------------------------------------------------------------------
    def _measure_on(self, entity: Entity) -> Entity | None:
        """A measure as it stood: None before its first event, else its status then and the
        events up to then (known at ``known_at``)."""
        measure = entity.measure
        assert measure is not None
        events = measure.with_events(entity.evidence[0] if entity.evidence else None).events
        claims = measure.claims
        if self.known_at is not None:
            events = [e for e in events if e.evidence is None or self._document_known(e.evidence.document_id)]
            claims = [c for c in claims if c.evidence is None or self._document_known(c.evidence.document_id)]
        published = self._published(events)
        if self.as_of is None:
            placed = placed_events(events, published)
            status = placed[-1][1].stage.status_after if placed else measure.status
            kept = events
        else:
            placed = [(day, e) for day, e in placed_events(events, published) if day <= self.as_of]
            if not placed:
                return None
            status = placed[-1][1].stage.status_after
            kept = [e for _, e in placed]
        if self.known_at is not None and not kept:
            return None
        ended = measure.ended if self.as_of is None or (measure.ended and measure.ended <= self.as_of) else None
        changed = measure.model_copy(update={"status": status, "events": kept, "ended": ended, "claims": claims})
        return entity.model_copy(update={"measure": changed})

    def _view_of(self, entity: Entity) -> Entity | None:
        if self.known_at is not None and entity.evidence:
            known = self._known_evidence(entity.evidence)
            if not known:
                return None
            entity = entity.model_copy(update={"evidence": known})
        entity = self._claims_known(entity)
        if entity.measure is not None:
            return self._measure_on(entity)
        return entity

    def _claims_known(self, subject: "Entity | Relation") -> "Entity | Relation":
        """``subject`` with only the claims of documents known at ``known_at``, its values chosen
        again among them (what the store showed then)."""
        if self.known_at is None or not subject.claims:
            return subject
        return keeping_claims(subject, lambda c: c.evidence is None or self._document_known(c.evidence.document_id))

    def _entities_seen(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities among ``ids`` in the view, as it shows them. Their evidence is read only
        where the view needs it: to know what was known (``known_at``), and for a measure stored
        before lifecycles were kept whose only event is undated (placed at its document's date)."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self._seen]
        if wanted:
            with_evidence = self.known_at is not None
            found = self.inner.entities(wanted, evidence=with_evidence)
            if not with_evidence:
                legacy = [i for i, e in found.items() if e.measure is not None and not e.measure.events and e.measure.timeline_date is None]
                found |= self.inner.entities(legacy, evidence=True) if legacy else {}
            for i in wanted:
                self._seen[i] = self._view_of(found[i]) if i in found else None
        return {i: e for i in ids if (e := self._seen.get(i)) is not None}

    def _dated(self, entity_id: str) -> bool:
        """Whether an entity can be out of the view: measures in world time, anything in system time."""
        return self.known_at is not None or entity_id.startswith("measure:")

    def _visible(self, ids: Iterable[str]) -> set[str]:
        ids = set(ids)
        dated = [i for i in ids if self._dated(i)]
        undated = ids - set(dated)
        return (undated & self.inner.known(undated)) | set(self._entities_seen(dated))

    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        seen = self._entities_seen(list(ids))
        if not evidence:
            return {i: e.model_copy(update={"evidence": []}) if e.evidence else e for i, e in seen.items()}
        if self.known_at is not None:
            return seen  # read with their evidence, only what was known kept
        pieces = self.inner.evidence(list(seen))
        return {i: e.model_copy(update={"evidence": pieces.get(i, [])}) for i, e in seen.items()}

    def known(self, ids: Iterable[str]) -> set[str]:
        return self._visible(ids)

    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        ids = self.inner.entity_ids(entity_type)
        visible = self._visible(ids)
        return [i for i in ids if i in visible]

    def _lookup_names(self, text: str, *, entity_type: EntityType | None, limit: int, near: bool) -> list[tuple[str, MatchKind]]:
        found = self.inner._lookup_names(text, entity_type=entity_type, limit=limit * 4, near=near)
        visible = self._visible(i for i, _ in found)
        return [(i, kind) for i, kind in found if i in visible][:limit]

    # -- relations ------------------------------------------------------------------------------
    def _holds(self, relation: Relation) -> bool:
        if self.as_of is None:
            return True
        periods = relation.periods  # an open-ended gap leaves valid_from and valid_to both None
        return not periods or holds_on(periods, self.as_of)

    def _keep(self, relations: list[Relation]) -> list[Relation]:
        """The relations that hold in the view: both ends in it, valid on the day, known then."""
        relations = [r for r in relations if self._holds(r)]
        visible = self._visible({r.source for r in relations} | {r.target for r in relations})
        relations = [r for r in relations if r.source in visible and r.target in visible]
        if self.known_at is None or not relations:
            return relations
        evidence = self.inner.evidence([r.key for r in relations])
        return [self._claims_known(r) for r in relations if not evidence.get(r.key) or self._known_evidence(evidence[r.key])]

    def edges(self, ids: Iterable[str], direction: Direction, types: Iterable[RelationType] | None = None) -> list[Relation]:
        return self._keep(self.inner.edges(ids, direction, types))

    def origin_edges(self, country_id: str) -> list[Relation]:
        return self._keep(self.inner.origin_edges(country_id))

    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        found = self.inner.relations(keys, evidence=True)
        kept = {r.key: r for r in self._keep(list(found.values()))}
        answer = {}
        for key, relation in found.items():
            if key in kept:
                pieces = self._known_evidence(relation.evidence) if evidence else []
                answer[key] = kept[key].model_copy(update={"evidence": pieces})
        return answer

    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        subjects = list(subjects)
        relation_keys = [s for s in subjects if "|" in s]
        present = self._visible(s for s in subjects if "|" not in s) | set(self.relations(relation_keys, evidence=False))
        found = self.inner.evidence([s for s in subjects if s in present])
        return {s: kept for s, pieces in found.items() if (kept := self._known_evidence(pieces))}

    # -- documents and totals -------------------------------------------------------------------
    def decisions(self) -> list[Decision]:
        """The decisions recorded by ``known_at`` (all of them without it)."""
        made = self.inner.decisions()
        return made if self.known_at is None else [d for d in made if d.at is None or d.at <= self.known_at]

    def document(self, document_id: str) -> Document | None:
        return self.inner.document(document_id) if self._document_known(document_id) else None

    def publication_dates(self, document_ids: Iterable[str]) -> dict[str, dt.date | None]:
        return {i: d for i, d in self.inner.publication_dates(document_ids).items() if self._document_known(i)}

    def ingestion_times(self, document_ids: Iterable[str]) -> dict[str, dt.datetime | None]:
        return {i: t for i, t in self.inner.ingestion_times(document_ids).items() if self._document_known(i)}

    def documents(self) -> list[Document]:
        return [d for d in self.inner.documents() if self._document_known(d.id)]

    def document_subjects(self, document_id: str) -> list[str]:
        if not self._document_known(document_id):
            return []
        subjects = self.inner.document_subjects(document_id)
        entity_ids = self._visible(s for s in subjects if "|" not in s)
        keys = set(self.relations([s for s in subjects if "|" in s], evidence=False))
        return [s for s in subjects if s in entity_ids or s in keys]

    def iter_entities(self) -> Iterator[Entity]:
        for entity in self.inner.iter_entities():
            seen = self._view_of(entity)
            if seen is not None:
                yield seen

    def iter_relations(self) -> Iterator[Relation]:
        batch: list[Relation] = []
        for relation in self.inner.iter_relations():
            batch.append(relation)
            if len(batch) >= 500:
                yield from self._with_known_evidence(batch)
                batch = []
        yield from self._with_known_evidence(batch)

    def _with_known_evidence(self, relations: list[Relation]) -> Iterator[Relation]:
        kept = {r.key for r in self._keep(relations)}
        for relation in relations:
            if relation.key in kept:
                yield relation.model_copy(update={"evidence": self._known_evidence(relation.evidence)})
