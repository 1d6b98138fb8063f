"""Browsing questions: search, entity detail, neighbours, paths between two entities, subgraphs, stats."""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.enums import EntityType, RelationType
from graph.errors import InvalidDataError, NotFoundError
from graph.model import Entity, Relation
from graph.queries.common import (
    MAX_NAME_LENGTH,
    EntityRef,
    Step,
    check_limit,
    refs,
    resolve,
    steps_with_evidence,
)
from graph.store import Counts, Direction, GraphStore

__all__ = [
    "search",
    "entity_detail",
    "neighbors",
    "paths",
    "subgraph",
    "stats",
    "SearchAnswer",
    "EntityDetail",
    "GraphAnswer",
    "PathsAnswer",
    "StatsAnswer",
]

MAX_NEIGHBOR_DEPTH = 3
MAX_PATH_LENGTH = 6
MAX_PATHS = 50
MAX_SUBGRAPH_IDS = 100
MAX_GRAPH_EDGES = 5000


class SearchHit(BaseModel):
    entity: EntityRef
    aliases: list[str]
    score: int = Field(description="3 exact name or alias, 2 prefix, 1 substring")


class SearchAnswer(BaseModel):
    query: str
    data: list[SearchHit]
    count: int


def search(store: GraphStore, q: str, *, entity_type: EntityType | None = None, limit: int = 20) -> SearchAnswer:
    """Entities by name or alias in any language, best match first."""
    check_limit(limit, field="limit", low=1, high=200)
    if not q.strip() or len(q) > MAX_NAME_LENGTH:
        raise InvalidDataError(f"is 1 to {MAX_NAME_LENGTH} characters", field="q")
    matches = store.lookup(q, entity_type=entity_type, limit=limit)
    found = store.entities([m.entity_id for m in matches])
    hits = [
        SearchHit(entity=EntityRef(id=e.id, type=e.type, name=e.name, names=e.names), aliases=e.aliases, score=m.score)
        for m in matches
        if (e := found.get(m.entity_id)) is not None
    ]
    return SearchAnswer(query=q, data=hits, count=len(hits))


class EntityDetail(BaseModel):
    entity: Entity
    relations: dict[str, dict[str, int]] = Field(description="relation counts by type, split into out and in")


def entity_detail(store: GraphStore, entity: str) -> EntityDetail:
    """An entity with its evidence and a count of its relations by type and direction."""
    entity_id = resolve(store, entity, field="id")
    found = store.entity(entity_id, evidence=True)
    if found is None:
        raise NotFoundError(f"no entity {entity_id!r}")
    counts = store.relation_counts(entity_id)
    return EntityDetail(entity=found, relations={side: dict(sorted(by_type.items())) for side, by_type in counts.items()})


class CytoscapeElement(BaseModel):
    group: str = Field(description="nodes or edges")
    data: dict


class GraphAnswer(BaseModel):
    """Nodes and edges, also as Cytoscape.js elements ready to draw."""

    nodes: list[EntityRef]
    edges: list[Step]
    truncated: bool = Field(description="true when the edge cap cut the answer")
    elements: list[CytoscapeElement]


def _graph_answer(store: GraphStore, node_ids: set[str], relations: list[Relation], truncated: bool) -> GraphAnswer:
    named = refs(store, node_ids | {r.source for r in relations} | {r.target for r in relations})
    steps = steps_with_evidence(store, relations)
    nodes = [named[i] for i in sorted(named)]
    elements = [
        CytoscapeElement(group="nodes", data={"id": n.id, "label": n.name, "type": n.type.value, "names": n.names})
        for n in nodes
    ]
    elements += [
        CytoscapeElement(
            group="edges",
            data={
                "id": r.key,
                "source": r.source,
                "target": r.target,
                "label": r.type.value,
                "share": r.share,
                "origin": r.origin,
            },
        )
        for r in relations
    ]
    return GraphAnswer(nodes=nodes, edges=steps, truncated=truncated, elements=elements)


def _expand(
    store: GraphStore,
    start: set[str],
    depth: int,
    direction: Direction,
    types: list[RelationType] | None,
) -> tuple[set[str], list[Relation], bool]:
    seen = set(start)
    kept: dict[str, Relation] = {}
    frontier = set(start)
    for _ in range(depth):
        reached = set()
        for relation in store.edges(frontier, direction, types):
            kept[relation.key] = relation
            for node in (relation.source, relation.target):
                if node not in seen:
                    seen.add(node)
                    reached.add(node)
            if len(kept) >= MAX_GRAPH_EDGES:
                return seen, [kept[k] for k in sorted(kept)], True
        if not reached:
            break
        frontier = reached
    return seen, [kept[k] for k in sorted(kept)], False


def neighbors(
    store: GraphStore,
    entity: str,
    *,
    relation: list[RelationType] | None = None,
    direction: Direction = Direction.BOTH,
    depth: int = 1,
) -> GraphAnswer:
    """Entities within ``depth`` relations of one entity, optionally of some types and one direction."""
    check_limit(depth, field="depth", low=1, high=MAX_NEIGHBOR_DEPTH)
    entity_id = resolve(store, entity, field="id")
    nodes, relations, truncated = _expand(store, {entity_id}, depth, direction, relation or None)
    return _graph_answer(store, nodes, relations, truncated)


def subgraph(store: GraphStore, ids: list[str], *, depth: int = 1) -> GraphAnswer:
    """The entities named and everything within ``depth`` relations of them, for drawing."""
    check_limit(depth, field="depth", low=0, high=MAX_NEIGHBOR_DEPTH)
    if not ids or len(ids) > MAX_SUBGRAPH_IDS:
        raise InvalidDataError(f"names 1 to {MAX_SUBGRAPH_IDS} entities", field="ids")
    start = {resolve(store, i, field="ids") for i in ids}
    nodes, relations, truncated = _expand(store, start, depth, Direction.BOTH, None)
    if depth == 0:
        relations = [r for r in store.edges(start, Direction.OUT) if r.target in start]
    return _graph_answer(store, nodes, relations, truncated)


class PathsAnswer(BaseModel):
    source: EntityRef
    target: EntityRef
    length: int | None = Field(description="relations on the shortest path; null when none within max_length")
    paths: list[list[Step]] = Field(description="every shortest path (at most 50), each from source to target")


def paths(store: GraphStore, source: str, target: str, *, max_length: int = 4) -> PathsAnswer:
    """Shortest paths between two entities, following relations in either direction."""
    check_limit(max_length, field="max_length", low=1, high=MAX_PATH_LENGTH)
    source_id = resolve(store, source, field="source")
    target_id = resolve(store, target, field="target")
    if source_id == target_id:
        raise InvalidDataError("source and target are the same entity", field="target")
    parents: dict[str, list[Relation]] = {source_id: []}
    frontier = {source_id}
    length = None
    for level in range(1, max_length + 1):
        reached: dict[str, list[Relation]] = {}
        for relation in store.edges(frontier, Direction.BOTH):
            for here, there in ((relation.source, relation.target), (relation.target, relation.source)):
                if here in frontier and there not in parents:
                    reached.setdefault(there, []).append(relation)
        if not reached:
            break
        parents.update(reached)
        if target_id in reached:
            length = level
            break
        frontier = set(reached)

    found: list[list[Relation]] = []

    def back(node: str, suffix: list[Relation]) -> None:
        if len(found) >= MAX_PATHS:
            return
        if node == source_id:
            found.append(suffix)
            return
        for relation in parents[node]:
            previous = relation.source if relation.target == node else relation.target
            back(previous, [relation, *suffix])

    if length is not None:
        back(target_id, [])
    relations = {r.key: r for path in found for r in path}
    steps = dict(zip(relations, steps_with_evidence(store, list(relations.values())), strict=True))
    named = refs(store, {source_id, target_id})
    return PathsAnswer(
        source=named[source_id],
        target=named[target_id],
        length=length,
        paths=[[steps[r.key] for r in path] for path in found],
    )


class StatsAnswer(BaseModel):
    backend: str
    data_version: int
    counts: Counts


def stats(store: GraphStore) -> StatsAnswer:
    return StatsAnswer(backend=store.backend, data_version=store.data_version(), counts=store.counts())
