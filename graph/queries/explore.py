"""Browsing questions: search, entity detail, neighbours, paths between two entities, subgraphs, stats."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from itertools import islice

from pydantic import ConfigDict, Field

from graph.model.enums import EntityType, RelationType
from graph.model.errors import InvalidDataError, NotFoundError
from graph.model.records import Entity, Evidence, Relation
from graph.names import MatchKind
from graph.queries.common import (
    MAX_NAME_LENGTH,
    Answer,
    EntityRef,
    Step,
    check_limit,
    refs,
    resolve,
    steps_of_links,
    steps_with_evidence,
)
from graph.queries.conflicts import Conflict, claim_conflicts, conflicts_of
from graph.queries.deadline import NO_DEADLINE, Deadline
from graph.store import Counts, Direction, GraphStore, Link

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


class SearchHit(Answer):
    """An entity found by name or alias, and how well the name matched."""

    entity: EntityRef
    aliases: list[str] = Field(description="other names it is known by")
    match: MatchKind = Field(description="the rule that matched: id, exact, prefix, substring or near (a likely typo)")
    score: int = Field(description="4 id, 3 exact name or alias, 2 prefix, 1 substring, 0 near")


class SearchAnswer(Answer):
    """Entities by name or alias (GET /v1/search), best match first."""

    query: str = Field(description="the text searched for")
    data: list[SearchHit]
    count: int = Field(description="the number of hits")


def search(store: GraphStore, q: str, *, entity_type: EntityType | None = None, limit: int = 20) -> SearchAnswer:
    """Entities by id, name or alias in any language, best match first (graph.names ranking);
    a text that matches nothing answers its near matches, flagged ``near``."""
    check_limit(limit, field="limit", low=1, high=200)
    if not q.strip() or len(q) > MAX_NAME_LENGTH:
        raise InvalidDataError(f"is 1 to {MAX_NAME_LENGTH} characters", field="q")
    matches = store.lookup(q, entity_type=entity_type, limit=limit)
    found = store.entities([m.entity_id for m in matches])
    hits = [
        SearchHit(entity=EntityRef(id=e.id, type=e.type, name=e.name, names=e.names), aliases=e.aliases, match=m.kind, score=m.score)
        for m in matches
        if (e := found.get(m.entity_id)) is not None
    ]
    return SearchAnswer(query=q, data=hits, count=len(hits))


class RelationCounts(Answer):
    """An entity's relations counted by type: those it starts (out) and those it ends (in)."""

    # "in" is a Python keyword: the field is in_, named "in" on the wire and in every dump.
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True, validate_by_alias=True)

    out: dict[str, int] = Field(description="relations from this entity, by relation type")
    in_: dict[str, int] = Field(alias="in", description="relations to this entity, by relation type")


class Seen(Answer):
    """System time: when this store first and last took a document that supports a fact."""

    first: dt.datetime | None = Field(description="when the first document supporting it was taken; null when unknown")
    last: dt.datetime | None = Field(description="when the latest document supporting it was taken; null when unknown")


class EntityDetail(Answer):
    """One entity with its evidence and relation counts (GET /v1/entities/{entity})."""

    entity: Entity
    relations: RelationCounts
    seen: Seen = Field(description="when this store first and last took a document with evidence of the entity")
    conflict: bool = Field(description="true when sources disagree on a date or value of the entity (see conflicts)")
    conflicts: list[Conflict] = Field(description="a measure's dates or values, or an entity's attributes, its sources disagree on, every value with its sources")


def seen_in(store: GraphStore, evidence: list[Evidence]) -> Seen:
    """First and last system time of the documents ``evidence`` comes from (``Document.ingested``)."""
    times = [t for t in store.ingestion_times({e.document_id for e in evidence}).values() if t is not None]
    return Seen(first=min(times, default=None), last=max(times, default=None))


def entity_detail(store: GraphStore, entity: str) -> EntityDetail:
    """An entity with its evidence and a count of its relations by type and direction."""
    entity_id = resolve(store, entity, field="id")
    found = store.entity(entity_id, evidence=True)
    if found is None:
        raise NotFoundError(f"no entity {entity_id!r}")
    counts = store.relation_counts(entity_id)
    return EntityDetail(
        entity=found,
        relations={side: dict(sorted(by_type.items())) for side, by_type in counts.items()},
        seen=seen_in(store, found.evidence),
        conflict=bool(disputed := (conflicts_of(found.measure) if found.measure is not None else []) + claim_conflicts(found)),
        conflicts=disputed,
    )


class ElementGroup(StrEnum):
    """Whether a Cytoscape.js element is a node or an edge."""

    NODES = "nodes"
    EDGES = "edges"


class CytoscapeNodeData(Answer):
    """A node's data for Cytoscape.js."""

    id: str = Field(description="the entity's id")
    label: str = Field(description="its display name")
    type: EntityType
    names: dict[str, str] = Field(description="its names by language code")


class CytoscapeEdgeData(Answer):
    """An edge's data for Cytoscape.js."""

    id: str = Field(description="the relation's key")
    source: str = Field(description="id of the entity the relation starts at")
    target: str = Field(description="id of the entity the relation ends at")
    label: str = Field(description="the relation type")
    share: float | None = Field(description="the share, 0 to 1, when the relation carries one")
    origin: str | None = Field(description="id of the origin country, when the relation names one")


class CytoscapeElement(Answer):
    """One element for Cytoscape.js: a node or an edge with its data."""

    group: ElementGroup
    data: CytoscapeNodeData | CytoscapeEdgeData


class GraphAnswer(Answer):
    """Nodes and edges, also as Cytoscape.js elements ready to draw."""

    nodes: list[EntityRef]
    edges: list[Step] = Field(description="the relations between the nodes, with evidence")
    truncated: bool = Field(description="true when the edge cap cut the answer")
    elements: list[CytoscapeElement] = Field(description="nodes and edges again, as Cytoscape.js elements")


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
    deadline: Deadline,
) -> tuple[set[str], list[Relation], bool]:
    seen = set(start)
    kept: dict[str, Relation] = {}
    frontier = set(start)
    for _ in range(depth):
        deadline.check()
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
    deadline: Deadline = NO_DEADLINE,
) -> GraphAnswer:
    """Entities within ``depth`` relations of one entity, optionally of some types and one direction."""
    check_limit(depth, field="depth", low=1, high=MAX_NEIGHBOR_DEPTH)
    entity_id = resolve(store, entity, field="id")
    nodes, relations, truncated = _expand(store, {entity_id}, depth, direction, relation or None, deadline)
    deadline.check()
    return _graph_answer(store, nodes, relations, truncated)


def subgraph(store: GraphStore, ids: list[str], *, depth: int = 1, deadline: Deadline = NO_DEADLINE) -> GraphAnswer:
    """The entities named and everything within ``depth`` relations of them, for drawing."""
    check_limit(depth, field="depth", low=0, high=MAX_NEIGHBOR_DEPTH)
    if not ids or len(ids) > MAX_SUBGRAPH_IDS:
        raise InvalidDataError(f"names 1 to {MAX_SUBGRAPH_IDS} entities", field="ids")
    start = {resolve(store, i, field="ids") for i in ids}
    nodes, relations, truncated = _expand(store, start, depth, Direction.BOTH, None, deadline)
    if depth == 0:
        relations = [r for r in store.edges(start, Direction.OUT) if r.target in start]
    deadline.check()
    return _graph_answer(store, nodes, relations, truncated)


class PathsAnswer(Answer):
    """Every shortest path between two entities (GET /v1/paths)."""

    source: EntityRef
    target: EntityRef
    length: int | None = Field(description="relations on the shortest path; null when none within max_length")
    paths: list[list[Step]] = Field(description="every shortest path (at most 50), each from source to target")


#: Entities whose relations are counted to guess how many a set of entities has; a bigger set is
#: estimated from this many of its members.
DEGREE_SAMPLE = 256


def _degree(store: GraphStore, nodes: set[str]) -> float:
    """About how many relations touch ``nodes`` (a country can have tens of thousands), from one
    store call: on Neo4j a count per entity would be a round trip each."""
    sample = list(islice(nodes, DEGREE_SAMPLE))
    counted = sum(store.degrees(sample).values())
    return counted * len(nodes) / max(1, len(sample))


def _hops_from_both_ends(
    store: GraphStore, source: str, target: str, max_length: int, deadline: Deadline
) -> tuple[int | None, list[list[set[str]]]]:
    """A breadth-first search from each end, widening the smaller frontier, until they meet: the
    shortest length (None when longer than ``max_length``) and, for each end, the entities its
    search reached at each distance. Only entity ids are read."""
    hops: list[dict[str, int]] = [{source: 0}, {target: 0}]
    layers: list[list[set[str]]] = [[{source}], [{target}]]
    met: list[str] = []
    while not met and len(layers[0]) + len(layers[1]) - 2 < max_length:
        deadline.check()
        side = 0 if len(layers[0][-1]) <= len(layers[1][-1]) else 1
        reached = store.neighbour_ids(layers[side][-1]) - hops[side].keys()
        if not reached:
            return None, layers
        hops[side].update(dict.fromkeys(reached, len(layers[side])))
        layers[side].append(reached)
        met = [n for n in reached if n in hops[1 - side]]
    if not met:
        return None, layers
    return min(hops[0][n] + hops[1][n] for n in met), layers


def _links_between(store: GraphStore, near: set[str], far: set[str]) -> list[tuple[str, Link, str]]:
    """(end in ``near``, link, end in ``far``) for the relations joining the two sets, in key order,
    read from whichever set has fewer relations."""
    start, end = (near, far) if _degree(store, near) <= _degree(store, far) else (far, near)
    joined = []
    for link in store.links(start, Direction.BOTH, to=end):
        for a, b in ((link.source, link.target), (link.target, link.source)):
            if a in near and b in far:
                joined.append((a, link, b))
    return joined


def _shortest(
    store: GraphStore, source: str, target: str, max_length: int, deadline: Deadline
) -> tuple[int | None, dict[str, list[Link]]]:
    """The length of the shortest paths and, for every entity on them, its relations to the
    entities one step nearer the source (key order): what one breadth-first search from the
    source would record, found by searching from both ends over entity ids, then reading the
    relations of the entities on shortest paths only, so a hub beside the way is never read."""
    length, layers = _hops_from_both_ends(store, source, target, max_length, deadline)
    if length is None:
        return None, {}
    # Every shortest path crosses ``middle``: entities as far from the source as its search went,
    # the rest of the length from the target. Both searches reached them.
    depth = len(layers[0]) - 1
    middle = layers[0][depth] & layers[1][length - depth]
    parents: dict[str, list[Link]] = {}
    on_paths = middle
    for distance in range(depth - 1, -1, -1):  # toward the source
        deadline.check()
        nearer = set()
        for node, link, other in _links_between(store, on_paths, layers[0][distance]):
            parents.setdefault(node, []).append(link)
            nearer.add(other)
        on_paths = nearer
    on_paths = middle
    for distance in range(length - depth - 1, -1, -1):  # toward the target
        deadline.check()
        further = set()
        for node, link, other in _links_between(store, layers[1][distance], on_paths):
            parents.setdefault(node, []).append(link)
            further.add(node)
        on_paths = further
    return length, parents


def paths(store: GraphStore, source: str, target: str, *, max_length: int = 4, deadline: Deadline = NO_DEADLINE) -> PathsAnswer:
    """Shortest paths between two entities, following relations in either direction."""
    check_limit(max_length, field="max_length", low=1, high=MAX_PATH_LENGTH)
    source_id = resolve(store, source, field="source")
    target_id = resolve(store, target, field="target")
    if source_id == target_id:
        raise InvalidDataError("source and target are the same entity", field="target")
    length, parents = _shortest(store, source_id, target_id, max_length, deadline)

    found: list[list[Link]] = []

    def back(node: str, suffix: list[Link]) -> None:
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
    deadline.check()
    steps = steps_of_links(store, found)
    named = refs(store, {source_id, target_id})
    return PathsAnswer(
        source=named[source_id],
        target=named[target_id],
        length=length,
        paths=[[steps[link.key] for link in path] for path in found],
    )


class StatsAnswer(Answer):
    """What the store holds (GET /v1/stats)."""

    backend: str = Field(description="the store answering: embedded or neo4j")
    data_version: int = Field(description="changes with every write; the ETag of reads is made from it")
    counts: Counts


def stats(store: GraphStore) -> StatsAnswer:
    return StatsAnswer(backend=store.backend, data_version=store.data_version(), counts=store.counts())
