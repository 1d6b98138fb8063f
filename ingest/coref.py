"""Measure coreference across documents: a measure already in the store is matched, not duplicated.

Two articles about China's October rare-earth controls will give them ids that differ in date or
slug; ``reconcile`` rewrites a batch's new measure ids to the stored measure they describe before
the batch is written. A stored measure matches when it has the same type, shares an imposer, its
targets and covered goods do not contradict the new one's (when both name some, they overlap), and
its dates are close (within ``DATE_TOLERANCE_DAYS``; a measure with no dates falls back to its
year). Only the GraphStore contract is used (entity_ids, entities, edges), so it works on every
store.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from graph.enums import EntityType, RelationType
from graph.model import Batch, Entity, Relation
from graph.store import Direction, GraphStore

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


def reconcile(batch: Batch, store: GraphStore) -> Batch:
    """The batch with each new measure id replaced by the stored measure it describes, if any."""
    new_measures = [e for e in batch.entities if e.measure is not None]
    if not new_measures:
        return batch
    stored_ids = [i for i in store.entity_ids(EntityType.MEASURE) if i not in {e.id for e in new_measures}]
    if not stored_ids:
        return batch
    stored = store.entities(stored_ids)
    theirs = _neighbours(store.edges(stored_ids, Direction.BOTH, [RelationType.IMPOSES, RelationType.TARGETS, RelationType.COVERS]))
    mine = _neighbours(batch.relations)
    rename: dict[str, str] = {}
    for new in new_measures:
        scored = [(s, old_id) for old_id, old in stored.items() if (s := _score(new, old, mine, theirs)) is not None]
        if scored:
            rename[new.id] = max(scored, key=lambda item: (item[0], item[1]))[1]
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
