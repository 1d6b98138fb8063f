"""Review: the decisions reviewers made (merge, reject, undo) and recording a new one.

Reading is open; deciding needs the bearer token. A decision is data (graph/model/decisions.py):
it is written like a fact, exported and synced, and every answer reads the graph with the
decisions in force (graph/review_view.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.api.deps import PUBLIC, ReadDep, StoreDep, WriterDep
from app.api.problems import problem_responses
from app.api.routes.documents import SummaryPublic, summary_public
from graph.model.decisions import Decision, DecisionKind, standing_ids
from graph.model.records import Batch, parse
from graph.queries.common import Answer
from graph.store import GraphReader

router = APIRouter(prefix="/review", tags=["review"])


class DecisionState(Answer):
    """A decision and whether it stands (an undo, or an undo of its undo, decides)."""

    decision: Decision
    in_force: bool = Field(description="true while no later undo takes it back")


class ReviewAnswer(Answer):
    """The review queue (GET /v1/review): every decision made, oldest first."""

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


def _queue(reader: GraphReader) -> ReviewAnswer:
    made = reader.decisions()
    standing = standing_ids(made)
    return ReviewAnswer(decisions=[DecisionState(decision=d, in_force=d.id in standing) for d in made])


@router.get("", response_model=ReviewAnswer, operation_id="read_review", summary="Review decisions", responses=problem_responses(422, 503), openapi_extra=PUBLIC)
async def get_review(read: ReadDep) -> Response:
    """Every merge, rejection and undo recorded, with who, when, why and whether it stands."""
    return await read.short(_queue)


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
    decision = parse(Decision, body.model_dump())
    summary = store.upsert(Batch(decisions=[decision]))
    recorded = next(d for d in store.decisions() if d.id == decision.id)
    return DecisionRecorded(decision=recorded, summary=summary_public(summary))
