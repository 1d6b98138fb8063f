"""Review: the decisions reviewers made (merge, reject, undo) and recording a new one.

Reading is open; deciding needs the bearer token. A decision is data (graph/model/decisions.py):
it is written like a fact, exported and synced, and every answer reads the graph with the
decisions in force (graph/review_view.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.api.deps import PUBLIC, ReadDep, StoreDep, WriterDep
from app.api.problems import problem_responses
from app.api.routes.documents import SummaryPublic, summary_public
from app.review import next_decision
from graph.model.decisions import Decision, DecisionKind, distinct_pairs, standing_ids
from graph.model.records import Batch
from graph.queries.candidates import (
    MAX_LIMIT,
    DuplicateCandidate,
    LowConfidenceFact,
    duplicate_candidates,
    low_confidence_facts,
)
from graph.queries.common import Answer
from graph.queries.deadline import Deadline
from graph.store import GraphReader

router = APIRouter(prefix="/review", tags=["review"])


class DecisionState(Answer):
    """A decision and whether it stands (an undo, or an undo of its undo, decides)."""

    decision: Decision
    in_force: bool = Field(description="true while no later undo takes it back")


class ReviewAnswer(Answer):
    """The review queue (GET /v1/review): what may need a decision, and every decision made."""

    candidates: list[DuplicateCandidate] = Field(
        description="pairs of entities that may be one, best first (docs/review.md); pairs merged or judged distinct are not listed"
    )
    low_confidence: list[LowConfidenceFact] = Field(description="facts whose best evidence is below the threshold, lowest first")
    decisions: list[DecisionState] = Field(description="every decision recorded, oldest first, each saying whether it stands")


class DecisionCreate(BaseModel):
    """A decision to record: merge two entities, reject a fact, or undo an earlier decision."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"kind": "reject", "subject": "measure:cn-2025-us-soybean-purchase-halt", "reason": "the article reports a rumour"}},
    )

    kind: DecisionKind
    subject: Annotated[str, StringConstraints(min_length=1, max_length=1000)] = Field(
        description="merge: the entity merged away; reject: an entity id or a relation key; undo: a decision id"
    )
    into: str | None = Field(default=None, description="merge only: the entity kept")
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(description="why")
    by: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(default="reviewer", description="who decides")


class DecisionRecorded(BaseModel):
    """A decision as recorded (with the store's time), and what the write changed."""

    decision: Decision
    summary: SummaryPublic


def _queue(reader: GraphReader, threshold: float, limit: int, deadline: Deadline) -> ReviewAnswer:
    """The queue over the graph as decided (the runner applies the decisions in force): merged
    and rejected entities are gone, and pairs judged distinct are left out."""
    made = reader.decisions()
    standing = standing_ids(made)
    apart = distinct_pairs([d for d in made if d.id in standing])
    candidates = [
        c for c in duplicate_candidates(reader, limit=min(MAX_LIMIT, limit + len(apart)), deadline=deadline)
        if frozenset((c.a.id, c.b.id)) not in apart
    ][:limit]
    return ReviewAnswer(
        candidates=candidates,
        low_confidence=low_confidence_facts(reader, threshold=threshold, limit=limit, deadline=deadline),
        decisions=[DecisionState(decision=d, in_force=d.id in standing) for d in made],
    )


@router.get("", response_model=ReviewAnswer, operation_id="read_review", summary="The review queue", responses=problem_responses(422, 503), openapi_extra=PUBLIC)
async def get_review(
    read: ReadDep,
    threshold: Annotated[float, Query(ge=0.0, le=1.0, description="list facts whose best evidence confidence is below this")] = 0.5,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"at most this many candidates and facts each, at most {MAX_LIMIT}")] = 50,
) -> Response:
    """Pairs of entities that may be one, facts below a confidence threshold, and every merge,
    rejection and undo recorded with who, when, why and whether it stands."""
    return await read.long(lambda reader, deadline: _queue(reader, threshold, limit, deadline))


@router.post(
    "/decisions",
    response_model=DecisionRecorded,
    status_code=201,
    operation_id="record_decision",
    summary="Record a review decision",
    responses=problem_responses(400, 401, 413, 422, 503),
)
def post_decision(store: StoreDep, _: WriterDep, body: DecisionCreate) -> DecisionRecorded:
    """Merge two entities, reject a fact or undo a decision (needs the bearer token); posting the
    same decision again changes nothing."""
    decision = next_decision(store.decisions(), body.model_dump())
    summary = store.upsert(Batch(decisions=[decision]))
    recorded = next(d for d in store.decisions() if d.id == decision.id)
    return DecisionRecorded(decision=recorded, summary=summary_public(summary))
