"""The graph as reviewers decided it: merged entities read as one, rejected facts gone.

Decisions (graph/model/decisions.py) never change the facts a store holds, so this is a reader
over any other reader, like graph/time_view.py: every query answers with the decisions in force
without a line of its own, on both stores alike, and a document ingested again is read through
the same decisions.

- A merge: the kept entity answers with the names, aliases and evidence of the ones merged into
  it (its own values win where both have one), and every relation of a merged-away entity is read
  as the kept one's; a merged-away id is not an entity any more, but ``moved`` says where it went
  (the API answers 301 on entity routes and resolves it silently elsewhere). Two relations that
  become one (both said Acme depends on gallium) are one relation with both readings' evidence; a
  relation that would join the kept entity to itself is dropped.
- A rejection: the entity (and every relation touching it) or the relation is not in any answer.
  Its key is checked as stored and as answers show it after merges.

Reads go through the generic primitives of :class:`~graph.store.GraphReader` (a store's fast
paths for walks do not apply), so a store with decisions in force answers a little slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import product

from graph.model.decisions import Decision, DecisionKind, merged_ids, rejected_subjects
from graph.model.enums import EntityType, RelationType
from graph.model.records import Entity, Evidence, Relation, merge_claims, relation_key
from graph.names import MatchKind
from graph.store import Direction, GraphReader, Link, ReaderView

__all__ = ["ReviewView", "reviewed"]


def reviewed(reader: GraphReader, standing: list[Decision]) -> GraphReader:
    """``reader`` itself when no decision is in force, else a :class:`ReviewView` over it."""
    return ReviewView(reader, standing) if standing else reader


class ReviewView(ReaderView):
    """``inner`` with the decisions ``standing`` applied (module docstring)."""

    def __init__(self, inner: GraphReader, standing: list[Decision]) -> None:
        super().__init__(inner)
        # A merge into an entity no document supports any more leaves the merged-away one as it was.
        kept = {d.into for d in standing if d.kind is DecisionKind.MERGE}
        present = inner.known(kept) if kept else set()
        standing = [d for d in standing if d.kind is not DecisionKind.MERGE or d.into in present]
        self.moved = merged_ids(standing)
        self.rejected = rejected_subjects(standing)
        self.rejected_keys = {s for s in self.rejected if "|" in s}
        self.absorbed: dict[str, set[str]] = {}
        for gone, kept in self.moved.items():
            self.absorbed.setdefault(kept, set()).add(gone)

    # -- ids ------------------------------------------------------------------------------------
    def _out(self, entity_id: str) -> str:
        return self.moved.get(entity_id, entity_id)

    def _shown(self, entity_id: str) -> bool:
        return entity_id not in self.moved and entity_id not in self.rejected

    def _in(self, ids: Iterable[str]) -> set[str]:
        """The stored ids behind ``ids`` as answers name them: each with what was merged into it."""
        wanted = {i for i in ids if self._shown(i)}
        return wanted.union(*(self.absorbed.get(i, ()) for i in wanted))

    def _shown_ends(self, key: str, source: str, rtype: str, target: str, origin: str | None) -> tuple[str, str, str | None] | None:
        """A stored relation's ends as answers show them (merged ones renamed), or None when it
        is out of every answer: rejected (by its stored key or its key as shown), touching a
        rejected entity, or joining a kept entity to itself."""
        if key in self.rejected:
            return None
        ends = (self._out(source), self._out(target), self._out(origin) if origin else None)
        if ends[0] == ends[1] or ends[0] in self.rejected or ends[1] in self.rejected:
            return None
        if ends != (source, target, origin) and relation_key(ends[0], rtype, ends[1], ends[2]) in self.rejected:
            return None
        return ends

    def _view_relation(self, relation: Relation) -> Relation | None:
        ends = self._shown_ends(relation.key, relation.source, relation.type, relation.target, relation.origin)
        if ends is None or ends == (relation.source, relation.target, relation.origin):
            return None if ends is None else relation
        return relation.model_copy(update={"source": ends[0], "target": ends[1], "origin": ends[2]})

    def _view_relations(self, relations: Iterable[Relation]) -> dict[str, Relation]:
        """Relations as answers show them, by key; two that became one are merged."""
        shown: dict[str, Relation] = {}
        for relation in relations:
            seen = self._view_relation(relation)
            if seen is None:
                continue
            prior = shown.get(seen.key)
            shown[seen.key] = seen if prior is None else _joined(prior, seen)
        return shown

    # -- entities -------------------------------------------------------------------------------
    def entities(self, ids: Iterable[str], *, evidence: bool = False) -> dict[str, Entity]:
        wanted = [i for i in dict.fromkeys(ids) if self._shown(i)]
        found = self.inner.entities(self._in(wanted), evidence=evidence)
        answer = {}
        for entity_id in wanted:
            parts = [found[i] for i in sorted(self.absorbed.get(entity_id, ())) if i in found]
            base = found.get(entity_id)
            if base is None:
                continue
            for part in parts:
                # the kept entity's values, the other's filling gaps; every source's claims kept
                claims = merge_claims(base.claims, part.claims)
                base = base.merged(part.model_copy(update={"id": entity_id, "type": base.type}), replace=False)
                base = base.model_copy(update={"claims": claims}) if claims != base.claims else base
            answer[entity_id] = base
        return answer

    def known(self, ids: Iterable[str]) -> set[str]:
        wanted = [i for i in ids if self._shown(i)]
        return self.inner.known(wanted)

    def entity_ids(self, entity_type: EntityType | None = None) -> list[str]:
        return [i for i in self.inner.entity_ids(entity_type) if self._shown(i)]

    def _lookup_names(self, text: str, *, entity_type: EntityType | None, limit: int, near: bool) -> list[tuple[str, MatchKind]]:
        found = self.inner._lookup_names(text, entity_type=entity_type, limit=limit * 2, near=near)
        answer: dict[str, MatchKind] = {}
        for entity_id, kind in found:
            shown = self._out(entity_id)
            if shown not in self.rejected and shown not in answer:
                answer[shown] = kind
        return list(answer.items())[:limit]

    # -- relations ------------------------------------------------------------------------------
    def edges(self, ids: Iterable[str], direction: Direction, types: Iterable[RelationType] | None = None) -> list[Relation]:
        wanted = {i for i in ids if self._shown(i)}
        shown = self._view_relations(self.inner.edges(self._in(wanted), direction, types))
        kept = [
            r for r in shown.values()
            if (direction != Direction.IN and r.source in wanted) or (direction != Direction.OUT and r.target in wanted)
        ]
        return sorted(kept, key=lambda r: r.key)

    def links(
        self,
        ids: Iterable[str],
        direction: Direction,
        types: Iterable[RelationType] | None = None,
        *,
        to: Iterable[str] | None = None,
    ) -> list[Link]:
        """The store's own links (its fast path), read for the stored ids behind ``ids`` and
        ``to``, then shown as answers show them: merged ends renamed, rejected ones dropped."""
        wanted = {i for i in ids if self._shown(i)}
        ends = None if to is None else {i for i in to if self._shown(i)}
        found = self.inner.links(self._in(wanted), direction, types, to=None if ends is None else self._in(ends))
        shown: dict[str, Link] = {}
        for link in found:
            seen = self._view_link(link)
            if seen is None or seen.key in shown:
                continue
            leaving = direction != Direction.IN and seen.source in wanted and (ends is None or seen.target in ends)
            entering = direction != Direction.OUT and seen.target in wanted and (ends is None or seen.source in ends)
            if leaving or entering:
                shown[seen.key] = seen
        return [shown[k] for k in sorted(shown)]

    def neighbour_ids(self, ids: Iterable[str], direction: Direction = Direction.BOTH, types: Iterable[RelationType] | None = None) -> set[str]:
        wanted = {i for i in ids if self._shown(i)}
        if self.rejected_keys or wanted & self.absorbed.keys():
            # A rejected relation is told only by its key, and a kept entity's merged-away
            # relations may join it to itself: read the links.
            return super().neighbour_ids(wanted, direction, types)
        found = {self._out(i) for i in self.inner.neighbour_ids(wanted, direction, types)}
        return found - self.rejected

    def _view_link(self, link: Link) -> Link | None:
        ends = self._shown_ends(link.key, link.source, link.type, link.target, link.origin)
        if ends is None or ends == (link.source, link.target, link.origin):
            return None if ends is None else link
        return Link(relation_key(ends[0], link.type, ends[1], ends[2]), ends[0], link.type, ends[1], link.share, ends[2])

    def origin_edges(self, country_id: str) -> list[Relation]:
        if not self._shown(country_id):
            return []
        found = [r for c in sorted(self._in([country_id])) for r in self.inner.origin_edges(c)]
        return sorted(self._view_relations(found).values(), key=lambda r: r.key)

    def _stored_keys(self, key: str) -> list[str]:
        """The stored relation keys that answers show as ``key``."""
        source, rtype, target, origin = key.split("|", 3)
        ends = [sorted(self._in([i])) if self._shown(i) else [] for i in (source, target)]
        origins = sorted(self._in([origin])) if origin else [""]
        return [relation_key(s, rtype, t, o or None) for s, t, o in product(ends[0], ends[1], origins)]

    def relations(self, keys: Iterable[str], *, evidence: bool = True) -> dict[str, Relation]:
        wanted = set(keys)
        stored = {k for key in wanted if key.count("|") >= 3 for k in self._stored_keys(key)}
        shown = self._view_relations(self.inner.relations(stored, evidence=evidence).values())
        return {k: r for k, r in shown.items() if k in wanted}

    def evidence(self, subjects: Iterable[str]) -> dict[str, list[Evidence]]:
        subjects = list(dict.fromkeys(subjects))
        keys = [s for s in subjects if "|" in s]
        answer = {k: r.evidence for k, r in self.relations(keys, evidence=True).items() if r.evidence}
        entity_ids = [s for s in subjects if "|" not in s and self._shown(s)]
        stored = self.inner.evidence(self._in(entity_ids))
        for entity_id in entity_ids:
            pieces = {e.key: e for i in [entity_id, *sorted(self.absorbed.get(entity_id, ()))] for e in stored.get(i, [])}
            if pieces:
                answer[entity_id] = sorted(pieces.values(), key=lambda e: e.key)
        return answer

    # -- documents and merges ---------------------------------------------------------------------
    def moved_to(self, entity_id: str) -> str | None:
        return self.moved.get(entity_id)

    def document_subjects(self, document_id: str) -> list[str]:
        subjects = self.inner.document_subjects(document_id)
        found = {self._out(s) for s in subjects if "|" not in s} - self.rejected
        keys = [s for s in subjects if "|" in s]
        found.update(self._view_relations(self.inner.relations(keys, evidence=False).values()))
        return sorted(found)

    def iter_entities(self) -> Iterator[Entity]:
        ids = self.entity_ids()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found = self.entities(chunk, evidence=True)
            yield from (found[i] for i in chunk if i in found)

    def iter_relations(self) -> Iterator[Relation]:
        shown = self._view_relations(self.inner.iter_relations())
        yield from (shown[k] for k in sorted(shown))


def _joined(one: Relation, other: Relation) -> Relation:
    """Two stored relations that answers show as one: both readings' evidence and claims, the first's values."""
    pieces = {e.key: e for e in [*one.evidence, *other.evidence]}
    update = {"evidence": sorted(pieces.values(), key=lambda e: e.key), "claims": merge_claims(one.claims, other.claims)}
    return one.merged(other, replace=False).model_copy(update=update)
