"""Measure coreference across documents: a measure already in the store is matched, not duplicated.

Two articles about China's October rare-earth controls will give them ids that differ in date or
slug; ``reconcile`` rewrites a batch's new measure ids to the stored measure they describe before
the batch is written. A stored measure matches when it has the same type, shares an imposer, its
targets and covered goods do not contradict the new one's (when both name some, they overlap), and
its dates are close (within ``DATE_TOLERANCE_DAYS``; a measure with no dates falls back to its
year). A document read again keeps the measures it was given the first time: the stored measure
that holds its evidence is its measure, so re-ingesting it adds nothing. Only the GraphStore
contract is used (entity_ids, entities, edges, document_subjects, stored_evidence_keys), so it
works on every store.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from graph.model.enums import EntityType, RelationType
from graph.model.records import Batch, Entity, Relation, relation_key
from graph.store import Direction, EvidenceKey, GraphStore

__all__ = ["reconcile", "DATE_TOLERANCE_DAYS"]

DATE_TOLERANCE_DAYS = 45


def _dates(entity: Entity) -> list[date]:
    m = entity.measure
    return [d for d in (m.announced, m.effective) if d] if m else []


def _year(entity: Entity) -> int | None:
    dates = _dates(entity)
    if dates:
        return dates[0].year
    parts = entity.id.split(":", 1)[1].split("-")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() and len(parts[1]) == 4 else None


def _close(a: Entity, b: Entity) -> bool:
    da, db = _dates(a), _dates(b)
    if da and db:
        return min(abs((x - y).days) for x in da for y in db) <= DATE_TOLERANCE_DAYS
    ya, yb = _year(a), _year(b)
    return ya is None or yb is None or ya == yb


def _overlap_or_unknown(a: set[str], b: set[str]) -> bool:
    return not a or not b or bool(a & b)


def _neighbours(relations: list[Relation]) -> dict[tuple[str, str], set[str]]:
    """(measure, role) → ids, where role is imposers, targets or goods."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in relations:
        if r.type is RelationType.IMPOSES:
            out[(r.target, "imposers")].add(r.source)
        elif r.type is RelationType.TARGETS:
            out[(r.source, "targets")].add(r.target)
        elif r.type is RelationType.COVERS:
            out[(r.source, "goods")].add(r.target)
    return out


def _score(new: Entity, old: Entity, mine: dict, theirs: dict) -> int | None:
    if new.measure is None or old.measure is None or new.measure.measure_type != old.measure.measure_type:
        return None
    shared_imposers = mine[(new.id, "imposers")] & theirs[(old.id, "imposers")]
    if not shared_imposers:
        return None
    for role in ("targets", "goods"):
        if not _overlap_or_unknown(mine[(new.id, role)], theirs[(old.id, role)]):
            return None
    if not _close(new, old):
        return None
    score = len(shared_imposers)
    score += len(mine[(new.id, "goods")] & theirs[(old.id, "goods")]) * 2
    score += len(mine[(new.id, "targets")] & theirs[(old.id, "targets")])
    score += 3 if set(_dates(new)) & set(_dates(old)) else 0
    return score


def _read_before(
    batch: Batch, new_measures: list[Entity], measure_ids: set[str], store: GraphStore
) -> dict[str, str]:
    """new measure id → the stored measure it was given when its document was first written (its
    own id when it was kept). Reading a document again must land where it landed, whatever else
    the store holds now; scoring again could pick a measure written since, or miss one whose dates
    another document has moved.

    That measure holds the document's evidence of it, and so do the relations the batch gives it,
    with it as their endpoint. One sentence can be the evidence of two measures (a tariff and the
    answer to it), but not of the same relations to both: the holder most of whose pieces are
    stored wins, then the measure's own id, then the greatest id."""
    documents = sorted({e.document_id for m in new_measures for e in m.evidence})
    holders = sorted({s for d in documents for s in store.document_subjects(d)} & measure_ids)
    if not holders:
        return {}
    touching: dict[str, list[Relation]] = defaultdict(list)
    for r in batch.relations:
        for end in (r.source, r.target):
            touching[end].append(r)

    def pieces(new: Entity, holder: str) -> list[tuple[str, EvidenceKey]]:
        found = [(holder, e.key) for e in new.evidence]
        for r in touching[new.id]:
            source, target = (holder if end == new.id else end for end in (r.source, r.target))
            found += [(relation_key(source, r.type, target, r.origin), e.key) for e in r.evidence]
        return found

    wanted = {(new.id, h): pieces(new, h) for new in new_measures for h in holders}
    held = store.stored_evidence_keys([p for ps in wanted.values() for p in ps])
    found: dict[str, str] = {}
    for new in new_measures:
        fit = {h: sum(p in held for p in wanted[(new.id, h)]) for h in holders}
        best = max(holders, key=lambda h: (fit[h], h == new.id, h))
        if fit[best]:
            found[new.id] = best
    return found


def _best_matches(
    new_measures: list[Entity], candidates: list[str], batch: Batch, store: GraphStore
) -> dict[str, str]:
    """new measure id → the stored measure among ``candidates`` that scores best, for those any scores."""
    if not new_measures or not candidates:
        return {}
    stored = store.entities(candidates)
    roles = [RelationType.IMPOSES, RelationType.TARGETS, RelationType.COVERS]
    theirs = _neighbours(store.edges(candidates, Direction.BOTH, roles))
    mine = _neighbours(batch.relations)
    found: dict[str, str] = {}
    for new in new_measures:
        scored = [(s, i) for i, old in stored.items() if (s := _score(new, old, mine, theirs)) is not None]
        if scored:
            found[new.id] = max(scored, key=lambda item: (item[0], item[1]))[1]
    return found


def reconcile(batch: Batch, store: GraphStore) -> Batch:
    """The batch with each new measure id replaced by the stored measure it describes, if any. A
    measure the store holds this document's evidence of keeps the id it was given then."""
    new_measures = [e for e in batch.entities if e.measure is not None]
    if not new_measures:
        return batch
    measure_ids = store.entity_ids(EntityType.MEASURE)
    if not measure_ids:
        return batch
    rename = _read_before(batch, new_measures, set(measure_ids), store)
    new_ids = {e.id for e in new_measures}
    unmatched = [m for m in new_measures if m.id not in rename]
    rename.update(_best_matches(unmatched, [i for i in measure_ids if i not in new_ids], batch, store))
    rename = {old: new for old, new in rename.items() if old != new}
    if not rename:
        return batch
    entities: dict[str, Entity] = {}
    for entity in batch.entities:
        if entity.id in rename:
            entity = entity.model_copy(update={"id": rename[entity.id]})
        entities[entity.id] = entities[entity.id].merged(entity) if entity.id in entities else entity
    relations: dict[str, Relation] = {}
    for relation in batch.relations:
        source, target = rename.get(relation.source, relation.source), rename.get(relation.target, relation.target)
        if source == target:
            continue
        relation = relation.model_copy(update={"source": source, "target": target})
        relations[relation.key] = relations[relation.key].merged(relation) if relation.key in relations else relation
    return Batch(documents=batch.documents, entities=list(entities.values()), relations=list(relations.values()))
