"""Measures, their retaliation chains and their impact; the escalation between two actors; timelines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from app.api.deps import PUBLIC, DatedReadDep, ListReadDep, ScaleDep, at_home
from app.api.params import IsoDate, NamePath, NameQuery, Offset, OptionalNameQuery, page_limit
from app.api.problems import problem_responses
from graph.model.enums import MeasureStatus, MeasureType
from graph.model.ontology import MastChapter
from graph.queries import escalation as esc
from graph.queries import jurisdiction as jur
from graph.queries import measures as q
from graph.queries.common import MAX_NAME_LENGTH
from graph.queries.dependencies import MAX_DEPTH, MAX_RESULTS
from graph.queries.measure_filters import MeasureSort
from graph.queries.measures import MeasureFilter

router = APIRouter(tags=["measures"], responses=problem_responses(404, 409, 422, 503))

Limit = Annotated[int, page_limit(MAX_RESULTS)]


@dataclass
class MeasureFilters:
    """The filters of the measure list, shared by the list and its counts (query parameters)."""

    imposer: Annotated[OptionalNameQuery, Query(description="only measures this actor imposed", examples=["China"])] = None
    target: Annotated[OptionalNameQuery, Query(description="only measures targeting this actor")] = None
    type: Annotated[MeasureType | None, Query(description="only measures of this type")] = None
    status: Annotated[MeasureStatus | None, Query(description="only measures with this status")] = None
    since: IsoDate = None
    until: IsoDate = None
    covers: Annotated[
        OptionalNameQuery,
        Query(
            description="only measures covering this commodity or product (an id, name or alias), or covering any good whose "
            "HS code is this code or under it (2, 4 or 6 digits in any usual spelling, or a code's id: `2805`, `8541.40`)",
            examples=["稀土"],
        ),
    ] = None
    mast: Annotated[
        MastChapter | None,
        Query(description="only measures whose type maps to this UNCTAD MAST chapter (the ontology's letters: P export-related, F price control...)", examples=["P"]),
    ] = None
    q: Annotated[
        str | None,
        Query(
            min_length=1, max_length=MAX_NAME_LENGTH, pattern=r"\S",
            description="only measures whose id, name in any language or alias contains this text (case, width, separators and "
            "traditional or simplified Chinese folded alike)",
            examples=["稀土管制"],
        ),
    ] = None

    def where(self) -> MeasureFilter:
        """As the queries take them (``measure_type`` for ``type``)."""
        return MeasureFilter(
            imposer=self.imposer, target=self.target, measure_type=self.type, status=self.status,
            since=self.since, until=self.until, covers=self.covers, mast=self.mast, q=self.q,
        )


Filters = Annotated[MeasureFilters, Depends()]


@router.get("/measures", response_model=q.MeasureList, operation_id="list_measures", summary="Measures by filter", openapi_extra=PUBLIC)
async def list_measures(
    read: ListReadDep,
    scale: ScaleDep,
    filters: Filters,
    sort: Annotated[
        MeasureSort,
        Query(
            description="date: by date, undated last (the default); -date: latest first, undated last; rate: lowest rate first, "
            "-rate: highest first, measures without a rate last; name: by display name. Ties by date, then id",
            examples=["-date"],
        ),
    ] = MeasureSort.DATE,
    offset: Offset = 0,
    limit: Limit = 100,
) -> Response:
    """Measures matching every filter given, in date order or as sort says; since and until bound the measure's date."""
    return await read.long(
        lambda reader, deadline: q.list_measures(
            reader, filters.where(), sort=sort, offset=offset, limit=limit, scale=scale, deadline=deadline
        )
    )


@router.get(
    "/countries/{country}/profile",
    response_model=jur.JurisdictionProfile,
    operation_id="read_jurisdiction_profile",
    summary="A country's or a bloc's measures, counterparts, leverage and dependencies",
    openapi_extra=PUBLIC,
)
async def get_profile(
    read: DatedReadDep,
    country: NamePath,
    members: Annotated[bool, Query(description="a bloc (the EU) with its member states' measures counted in, each measure once")] = False,
    since: IsoDate = None,
    until: IsoDate = None,
) -> Response:
    """Measures imposed and received by type and year, the counterparts met most, what others
    depend on it for and what it depends on."""
    return await read.long(
        lambda reader, deadline: jur.profile(reader, at_home(reader, country), members=members, since=since, until=until, deadline=deadline)
    )


@router.get(
    "/measures/counts",
    response_model=q.MeasureCounts,
    operation_id="count_measures",
    summary="Measures per month by filter",
    openapi_extra=PUBLIC,
)
async def count_measures(
    read: ListReadDep,
    filters: Filters,
    by: Annotated[
        q.CountBy,
        Query(description="split each month by measure type, by imposing country or bloc, or by targeted one (a firm or agency counts for its country); none by default"),
    ] = q.CountBy.NOTHING,
) -> Response:
    """The measures /v1/measures lists for the same filters, counted per month (every page, not one; the list's sort has no say)."""
    return await read.long(lambda reader, deadline: q.count_measures(reader, by=by, where=filters.where(), deadline=deadline))


@router.get(
    "/measures/{measure}/chain",
    response_model=q.ChainAnswer,
    operation_id="read_measure_chain",
    summary="A measure's retaliation chain",
    openapi_extra=PUBLIC,
)
async def get_chain(
    read: ListReadDep,
    scale: ScaleDep,
    measure: NamePath,
    direction: Annotated[q.ChainDirection, Query(description="up: what it answered; down: what answered it; both")] = q.ChainDirection.BOTH,
) -> Response:
    """What a measure answered (up) and what answered it (down), transitively."""
    return await read.long(lambda reader, deadline: q.chain(reader, at_home(reader, measure), direction=direction, scale=scale, deadline=deadline))


@router.get(
    "/measures/{measure}/impact",
    response_model=q.ImpactAnswer,
    operation_id="read_measure_impact",
    summary="Who a measure hits",
    openapi_extra=PUBLIC,
)
async def get_impact(
    read: DatedReadDep,
    scale: ScaleDep,
    measure: NamePath,
    max_depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description=f"DEPENDS_ON hops from the covered goods, 1 to {MAX_DEPTH}")] = 4,
) -> Response:
    """The goods a measure covers and who depends on them, first in the targeted countries."""
    return await read.long(lambda reader, deadline: q.impact(reader, at_home(reader, measure), max_depth=max_depth, scale=scale, deadline=deadline))


@router.get(
    "/escalation",
    response_model=esc.EscalationAnswer,
    operation_id="read_escalation",
    summary="The escalation between two actors",
    openapi_extra=PUBLIC,
)
async def get_escalation(
    read: ListReadDep,
    scale: ScaleDep,
    a: Annotated[NameQuery, Query(description="first actor: id, name or alias", examples=["美国"])],
    b: Annotated[NameQuery, Query(description="second actor: id, name or alias", examples=["中国"])],
    since: IsoDate = None,
    until: IsoDate = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> Response:
    """Measures between two actors in both directions, date ordered and paged, with the retaliation
    links touching the page; chains, index and summary over every measure."""
    return await read.long(
        lambda reader, deadline: esc.escalation(
            reader, a, b, since=since, until=until, offset=offset, limit=limit, scale=scale, deadline=deadline
        )
    )


@router.get("/timeline", response_model=esc.TimelineAnswer, operation_id="read_timeline", summary="An actor's measures over time", openapi_extra=PUBLIC)
async def get_timeline(
    read: ListReadDep,
    scale: ScaleDep,
    actor: Annotated[NameQuery, Query(description="the actor: id, name or alias", examples=["中国"])],
    since: IsoDate = None,
    until: IsoDate = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> Response:
    """Every measure an actor imposed or was targeted by, in date order."""
    return await read.long(
        lambda reader, deadline: esc.timeline(
            reader, actor, since=since, until=until, offset=offset, limit=limit, scale=scale, deadline=deadline
        )
    )
