"""Measures, their retaliation chains and their impact; the escalation between two actors; timelines."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.api.deps import ScaleDep, StoreDep
from app.api.params import IsoDate, NamePath, NameQuery, OptionalNameQuery
from app.api.problems import PROBLEM_RESPONSES
from app.api.running import long_read
from graph.enums import MeasureStatus, MeasureType
from graph.queries import escalation as esc
from graph.queries import measures as q
from graph.queries.dependencies import MAX_DEPTH, MAX_RESULTS

router = APIRouter(tags=["measures"], responses=PROBLEM_RESPONSES)

Limit = Annotated[int, Query(ge=1, le=MAX_RESULTS, description=f"page size, at most {MAX_RESULTS}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("/measures", response_model=q.MeasureList)
async def list_measures(
    store: StoreDep,
    scale: ScaleDep,
    imposer: Annotated[OptionalNameQuery, Query(examples=["China"])] = None,
    target: OptionalNameQuery = None,
    type: Annotated[MeasureType | None, Query(description="measure type")] = None,
    status: MeasureStatus | None = None,
    since: IsoDate = None,
    until: IsoDate = None,
    covers: Annotated[OptionalNameQuery, Query(description="a covered commodity or product")] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> q.MeasureList:
    """Measures matching every filter given, in date order."""
    return await long_read(
        q.list_measures, store, imposer=imposer, target=target, measure_type=type, status=status, since=since, until=until,
        covers=covers, offset=offset, limit=limit, scale=scale,
    )


@router.get("/measures/{measure}/chain", response_model=q.ChainAnswer)
async def get_chain(
    store: StoreDep, scale: ScaleDep, measure: NamePath, direction: Literal["up", "down", "both"] = "both"
) -> q.ChainAnswer:
    """What a measure answered (up) and what answered it (down), transitively."""
    return await long_read(q.chain, store, measure, direction=direction, scale=scale)


@router.get("/measures/{measure}/impact", response_model=q.ImpactAnswer)
async def get_impact(
    store: StoreDep, scale: ScaleDep, measure: NamePath, max_depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 4
) -> q.ImpactAnswer:
    """The goods a measure covers and who depends on them, first in the targeted countries."""
    return await long_read(q.impact, store, measure, max_depth=max_depth, scale=scale)


@router.get("/escalation", response_model=esc.EscalationAnswer)
async def get_escalation(
    store: StoreDep,
    scale: ScaleDep,
    a: Annotated[NameQuery, Query(description="first actor: id, name or alias", examples=["美国"])],
    b: Annotated[NameQuery, Query(description="second actor", examples=["中国"])],
    since: IsoDate = None,
    until: IsoDate = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> esc.EscalationAnswer:
    """Measures between two actors in both directions, date ordered and paged, with the retaliation
    links touching the page; chains, index and summary over every measure."""
    return await long_read(esc.escalation, store, a, b, since=since, until=until, offset=offset, limit=limit, scale=scale)


@router.get("/timeline", response_model=esc.TimelineAnswer)
async def get_timeline(
    store: StoreDep,
    scale: ScaleDep,
    actor: NameQuery,
    since: IsoDate = None,
    until: IsoDate = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> esc.TimelineAnswer:
    """Every measure an actor imposed or was targeted by, in date order."""
    return await long_read(esc.timeline, store, actor, since=since, until=until, offset=offset, limit=limit, scale=scale)
