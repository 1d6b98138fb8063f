"""Where sources disagree: every value stated, with the words of each source.

A measure's dates come from its lifecycle events and its rate, amount, unit and legal reference
from its claims; a relation's share and attributes and an entity's attributes from theirs
(graph/model/records.py); each keeps the evidence of the source that stated it. Two sources
giving the same event different days, or the same value differently, are a conflict: the answer
shows the value the choice rule picked (graph/model/claims.py) and every value with its sources.
A measure that was threatened on one day and took force on another is not a conflict: those are
two events.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from graph.model.enums import LifecycleStage
from graph.model.records import ATTRIBUTE_PREFIX, CLAIMED_FIELDS, SHARE_FIELD, Entity, Evidence, MeasureAttributes, Relation
from graph.queries.answer import Answer

__all__ = ["Conflict", "StatedValue", "conflicts_of", "claim_conflicts"]

#: The date attribute each event stage states.
_DATE_OF_STAGE = {
    LifecycleStage.THREATENED: "announced",
    LifecycleStage.ANNOUNCED: "announced",
    LifecycleStage.IN_FORCE: "effective",
    LifecycleStage.SUSPENDED: "ended",
    LifecycleStage.LIFTED: "ended",
    LifecycleStage.EXPIRED: "ended",
}


class StatedValue(Answer):
    """One value sources gave, with the evidence of each source that gave it."""

    value: dt.date | bool | int | float | str = Field(description="the value")
    evidence: list[Evidence] = Field(description="the words of each source that states it")


class Conflict(Answer):
    """An attribute sources disagree on."""

    field: str = Field(
        description="what is disputed: a measure's announced, effective, ended, rate, previous_rate, amount, unit or "
        "legal_reference; a relation's share; attributes.<name> of a relation or entity"
    )
    stage: LifecycleStage | None = Field(description="for a date, the lifecycle event the sources date differently; null otherwise")
    chosen: dt.date | bool | int | float | str | None = Field(description="the value shown (the choice rule's)")
    values: list[StatedValue] = Field(description="every value stated, most cited first")


def _stated(pairs: list[tuple[object, Evidence | None]]) -> list[StatedValue]:
    grouped: dict[object, list[Evidence]] = {}
    for value, evidence in pairs:
        grouped.setdefault(value, [])
        if evidence is not None and evidence not in grouped[value]:
            grouped[value].append(evidence)
    values = [StatedValue(value=value, evidence=sorted(pieces, key=lambda e: e.key)) for value, pieces in grouped.items()]
    return sorted(values, key=lambda v: (-len({e.document_id for e in v.evidence}), str(v.value)))


def conflicts_of(measure: MeasureAttributes) -> list[Conflict]:
    """The attributes of ``measure`` that its sources disagree on, dates first."""
    conflicts = []
    for stage in _DATE_OF_STAGE:  # several extensions on several days are not a conflict
        pairs = [(e.date, e.evidence) for e in measure.events if e.stage is stage and e.date is not None]
        if len({day for day, _ in pairs}) > 1:
            field = _DATE_OF_STAGE[stage]
            conflicts.append(Conflict(field=field, stage=stage, chosen=getattr(measure, field), values=_stated(pairs)))
    for name in CLAIMED_FIELDS:
        pairs = [(c.value, c.evidence) for c in measure.claims if c.field == name]
        if len({value for value, _ in pairs}) > 1:
            conflicts.append(Conflict(field=name, stage=None, chosen=getattr(measure, name), values=_stated(pairs)))
    return conflicts


def claim_conflicts(subject: Entity | Relation) -> list[Conflict]:
    """The share and attributes of a relation, or the attributes of an entity, that its sources
    state differently, in the order first stated."""
    conflicts = []
    for name in dict.fromkeys(c.field for c in subject.claims):
        pairs = [(c.value, c.evidence) for c in subject.claims if c.field == name]
        if len({value for value, _ in pairs}) > 1:
            chosen = subject.share if name == SHARE_FIELD else subject.attributes.get(name.removeprefix(ATTRIBUTE_PREFIX))
            conflicts.append(Conflict(field=name, stage=None, chosen=chosen, values=_stated(pairs)))
    return conflicts
