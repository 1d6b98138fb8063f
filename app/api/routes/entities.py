"""Search and browse: entities, neighbours, paths and subgraphs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.deps import PUBLIC, DatedReadDep, ListReadDep, at_home
from app.api.params import NamePath, NameQuery
from app.api.problems import problem_responses
from graph.model.enums import EntityType, RelationType
from graph.queries import explore as q
from graph.store import Direction

router = APIRouter(tags=["entities"])
# Every read here but search resolves names: an unknown one is a 404, an ambiguous one a 409.
NAMED = problem_responses(404, 409, 422, 503)


@router.get(
    "/search",
    response_model=q.SearchAnswer,
    operation_id="search_entities",
    summary="Search entities by name",
    responses=problem_responses(422, 503),
    openapi_extra=PUBLIC,
)
async def search(
    read: ListReadDep,
    q_: Annotated[str, Query(alias="q", min_length=1, max_length=300, pattern=r"\S", description="a name or alias in any language", examples=["稀土"])],
    type: Annotated[EntityType | None, Query(description="only entities of this type")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="at most this many hits, 1 to 200")] = 20,
) -> Response:
    """Entities by name or alias, in any language, best match first."""
    return await read.short(lambda reader: q.search(reader, q_, entity_type=type, limit=limit))


@router.get("/entities/{entity}", response_model=q.EntityDetail, operation_id="read_entity", summary="One entity", responses=NAMED, openapi_extra=PUBLIC)
async def get_entity(read: DatedReadDep, entity: NamePath) -> Response:
    """One entity (by id, name or alias) with its evidence and relation counts."""
    # On the event loop when the store is free: in a worker thread under load a lookup waits for
    # the GIL behind the loop (2,176 -> 818 requests/s at 1M, BENCHMARKS.md "API"). Its cost grows
    # with the entity's evidence, which is not paged yet (12.6 ms at 4,000 pieces): paging it is
    # what keeps this bounded.
    return await read.short(lambda reader: q.entity_detail(reader, at_home(reader, entity)))


@router.get(
    "/entities/{entity}/neighbors",
    response_model=q.GraphAnswer,
    operation_id="read_neighbors", responses=NAMED,
    summary="Neighbours of an entity",
    openapi_extra=PUBLIC,
)
async def get_neighbors(
    read: DatedReadDep,
    entity: NamePath,
    relation: Annotated[list[RelationType] | None, Query(description="only these relation types (repeat the parameter)")] = None,
    direction: Annotated[Direction, Query(description="follow relations out of the entity, into it, or both")] = Direction.BOTH,
    depth: Annotated[int, Query(ge=1, le=q.MAX_NEIGHBOR_DEPTH, description=f"relations to follow, 1 to {q.MAX_NEIGHBOR_DEPTH}")] = 1,
) -> Response:
    """Entities within a few relations of one entity."""
    return await read.long(
        lambda reader, deadline: q.neighbors(reader, at_home(reader, entity), relation=relation, direction=direction, depth=depth, deadline=deadline)
    )


@router.get("/paths", response_model=q.PathsAnswer, operation_id="read_paths", responses=NAMED, summary="Shortest paths between two entities", openapi_extra=PUBLIC)
async def get_paths(
    read: DatedReadDep,
    source: Annotated[NameQuery, Query(description="where the paths start: an id, name or alias", examples=["美国"])],
    target: Annotated[NameQuery, Query(description="where the paths end: an id, name or alias", examples=["稀土"])],
    max_length: Annotated[int, Query(ge=1, le=q.MAX_PATH_LENGTH, description=f"longest path looked for, 1 to {q.MAX_PATH_LENGTH} relations")] = 4,
) -> Response:
    """Every shortest path between two entities, relations followed either way."""
    return await read.long(lambda reader, deadline: q.paths(reader, source, target, max_length=max_length, deadline=deadline))


@router.get("/subgraph", response_model=q.GraphAnswer, operation_id="read_subgraph", responses=NAMED, summary="Entities and their surroundings", openapi_extra=PUBLIC)
async def get_subgraph(
    read: DatedReadDep,
    ids: Annotated[str, Query(min_length=1, max_length=20000, pattern=r"[^,\s]", description="comma-separated ids, names or aliases")],
    depth: Annotated[int, Query(ge=0, le=q.MAX_NEIGHBOR_DEPTH, description=f"relations to follow from each, 0 to {q.MAX_NEIGHBOR_DEPTH} (0: only those between them)")] = 1,
) -> Response:
    """The entities named and their surroundings, as nodes and edges and as Cytoscape.js elements."""
    named = [i for i in (part.strip() for part in ids.split(",")) if i]
    return await read.long(lambda reader, deadline: q.subgraph(reader, named, depth=depth, deadline=deadline))
