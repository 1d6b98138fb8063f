"""Dependency questions: what depends on a commodity, what an entity relies on, a country's leverage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.deps import PUBLIC, ListReadDep, at_home
from app.api.params import NamePath, NameQuery, Offset, OptionalNameQuery, page_limit
from app.api.problems import problem_responses
from graph.model.enums import EntityType
from graph.queries import dependencies as q

router = APIRouter(tags=["dependencies"], responses=problem_responses(404, 409, 422, 503))

Depth = Annotated[int, Query(ge=1, le=q.MAX_DEPTH, description=f"DEPENDS_ON hops, 1 to {q.MAX_DEPTH}")]
Limit = Annotated[int, page_limit(q.MAX_RESULTS)]


@router.get(
    "/dependents",
    response_model=q.DependentsAnswer,
    operation_id="read_dependents",
    summary="What depends on a commodity",
    openapi_extra=PUBLIC,
)
async def get_dependents(
    read: ListReadDep,
    commodity: Annotated[NameQuery, Query(description="id, name or alias of a commodity or product", examples=["稀土"])],
    origin: Annotated[OptionalNameQuery, Query(description="only supply from this country", examples=["中国"])] = None,
    max_depth: Depth = 4,
    min_share: Annotated[float | None, Query(ge=0, le=1, description="only dependents with at least this exposure")] = None,
    entity_type: Annotated[EntityType | None, Query(description="only dependents of this type")] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> Response:
    """What depends on a commodity, directly or through its inputs, with paths, exposure and evidence."""
    return await read.long(
        lambda reader, deadline: q.dependents(
            reader, commodity, origin=origin, max_depth=max_depth, min_share=min_share, entity_type=entity_type,
            offset=offset, limit=limit, deadline=deadline,
        )
    )


@router.get(
    "/entities/{entity}/dependencies",
    response_model=q.DependenciesAnswer,
    operation_id="read_dependencies",
    summary="What an entity relies on",
    openapi_extra=PUBLIC,
)
async def get_dependencies(read: ListReadDep, entity: NamePath, max_depth: Depth = 3) -> Response:
    """What an entity relies on, and from whom."""
    return await read.long(lambda reader, deadline: q.dependencies(reader, at_home(reader, entity), max_depth=max_depth, deadline=deadline))


@router.get(
    "/countries/{country}/leverage",
    response_model=q.LeverageAnswer,
    operation_id="read_leverage",
    summary="What others depend on a country for",
    openapi_extra=PUBLIC,
)
async def get_leverage(read: ListReadDep, country: NamePath, max_depth: Depth = 3, offset: Offset = 0, limit: Limit = 100) -> Response:
    """What others depend on this country for, most exposed first."""
    return await read.long(
        lambda reader, deadline: q.leverage(reader, at_home(reader, country), max_depth=max_depth, offset=offset, limit=limit, deadline=deadline)
    )
