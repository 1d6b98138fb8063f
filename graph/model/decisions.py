"""Review decisions: a reviewer's judgement on the graph, kept as data beside the facts.

A decision never edits a fact. ``merge`` says two entities are one (the subject is merged into
``into``, which is kept), ``distinct`` that two entities proposed as one are not, ``reject`` hides a fact (an entity id or a relation key) from answers,
``undo`` takes back an earlier decision. Facts stay as the documents gave them, so a document
ingested again brings its facts back under their own ids and the decisions apply to them again;
a decision is exported and synced like a fact, and every one keeps who made it, when and why.
Reads apply the decisions in force (graph/review_view.py), after OpenSanctions' resolver, whose
merge judgements keep merged ids resolving.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from graph.model.errors import InvalidDataError
from graph.model.ids import check_entity_id

__all__ = ["Decision", "DecisionKind", "in_force", "standing_ids", "merged_ids", "distinct_pairs", "rejected_subjects"]


class DecisionKind(StrEnum):
    """What a reviewer decided: two entities are one, a fact is wrong, an earlier decision is taken back."""

    MERGE = "merge"
    #: The two entities are not one (a negative judgement): the pair is not proposed again.
    DISTINCT = "distinct"
    REJECT = "reject"
    UNDO = "undo"


class Decision(BaseModel):
    """One review decision, with who made it, when and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(default=None, description="`decision:` and 16 hex digits of its content; computed when not given")
    follows: str | None = Field(
        default=None,
        description="the store's latest decision when this one was made (set by the API and the CLI): the same decision made "
        "again after others is a new one, the same one posted twice in a row is recorded once",
    )
    kind: DecisionKind = Field(description="merge, reject or undo")
    subject: Annotated[str, StringConstraints(min_length=1, max_length=1000)] = Field(
        description="merge: the entity merged away; reject: the entity id or relation key rejected; undo: the decision taken back"
    )
    into: str | None = Field(default=None, description="merge: the entity kept, of the same type")
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(description="why, in the reviewer's words")
    by: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(default="reviewer", description="who decided")
    at: dt.datetime | None = Field(default=None, description="system time the store recorded it (UTC); set by the store")

    @model_validator(mode="after")
    def _consistent(self) -> Decision:
        if self.kind in (DecisionKind.MERGE, DecisionKind.DISTINCT):
            if self.into is None:
                raise InvalidDataError(f"a {self.kind} names the other entity", field="into")
            kept, gone = check_entity_id(self.into, "into"), check_entity_id(self.subject, "subject")
            if kept != gone:
                raise InvalidDataError(f"a {self.kind} joins two entities of one type, not a {gone} and a {kept}", field="into")
            if self.into == self.subject:
                raise InvalidDataError("an entity cannot be merged into itself", field="into")
        elif self.into is not None:
            raise InvalidDataError("only a merge or a distinct names another entity", field="into")
        if self.kind is DecisionKind.REJECT and "|" not in self.subject:
            check_entity_id(self.subject, "subject")
        if self.kind is DecisionKind.UNDO and not self.subject.startswith("decision:"):
            raise InvalidDataError("an undo names the decision it takes back (decision:...)", field="subject")
        if self.at is not None and self.at.tzinfo is None:
            raise InvalidDataError("needs a time zone", field="at")
        if self.id is None:
            # From its content, not its time: the same decision posted twice is recorded once.
            digest = hashlib.sha256(f"{self.kind}|{self.subject}|{self.into}|{self.reason}|{self.by}|{self.follows}".encode()).hexdigest()
            object.__setattr__(self, "id", f"decision:{digest[:16]}")
        return self


def _when(decision: Decision) -> tuple:
    return (decision.at or dt.datetime.min.replace(tzinfo=dt.UTC), decision.id)


def in_force(decisions: list[Decision], known_at: dt.datetime | None = None) -> list[Decision]:
    """The merges and rejections in force (as made by ``known_at``, when given), oldest first."""
    standing = standing_ids(decisions, known_at)
    return sorted((d for d in decisions if d.id in standing and d.kind is not DecisionKind.UNDO), key=_when)


def standing_ids(decisions: list[Decision], known_at: dt.datetime | None = None) -> set[str]:
    """The ids of the decisions that stand (made by ``known_at``, when given): a decision stands
    unless an undo that stands names it, so undoing an undo puts its decision back, and a decision
    undone twice needs both undos taken back."""
    made = {d.id: d for d in decisions if known_at is None or d.at is None or d.at <= known_at}
    undone_by: dict[str, list[str]] = {}
    for d in made.values():
        if d.kind is DecisionKind.UNDO:
            undone_by.setdefault(d.subject, []).append(d.id)
    stands: dict[str, bool] = {}

    def settle(decision_id: str, seen: frozenset[str]) -> bool:
        if decision_id not in stands:
            # An undo naming itself through a chain (impossible with content ids) counts as not standing.
            stands[decision_id] = decision_id not in seen and not any(
                settle(u, seen | {decision_id}) for u in undone_by.get(decision_id, ())
            )
        return stands[decision_id]

    return {i for i in made if settle(i, frozenset())}


def merged_ids(decisions: list[Decision]) -> dict[str, str]:
    """Each merged-away id and the id it now resolves to, following chains (a into b, b into c:
    a resolves to c); a merge that would close a loop is ignored."""
    into: dict[str, str] = {}
    for decision in decisions:
        if decision.kind is DecisionKind.MERGE:
            target = decision.into
            while target in into:
                target = into[target]
            if target != decision.subject and decision.subject not in into:
                into[decision.subject] = target
    return {gone: _final(gone, into) for gone in into}


def _final(entity_id: str, into: dict[str, str]) -> str:
    while entity_id in into:
        entity_id = into[entity_id]
    return entity_id


def distinct_pairs(decisions: list[Decision]) -> set[frozenset[str]]:
    """The pairs of entities judged not to be one."""
    return {frozenset((d.subject, d.into)) for d in decisions if d.kind is DecisionKind.DISTINCT}


def rejected_subjects(decisions: list[Decision]) -> set[str]:
    return {d.subject for d in decisions if d.kind is DecisionKind.REJECT}
