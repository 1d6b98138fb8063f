"""Dependency questions: what depends on a commodity, what an entity relies on, a country's leverage.

``dependents`` first widens the commodity to what it includes (IS_A, read backwards: dysprosium is
a rare earth) and what is made from it (MADE_FROM, backwards: NdFeB magnets), then walks DEPENDS_ON
backwards. With an origin, a first DEPENDS_ON edge counts when its ``origin`` is that country, or
when it names none and the country SUPPLIES the commodity or anything on the widening path back to
it. A path's exposure is the product of its DEPENDS_ON shares; one unknown share makes it unknown.

Only supply is walked. Relying on a buyer (SELLS_TO: a firm that earns a third of its revenue in
China) is not relying on a good, so no dependents walk and no impact crosses it; ``dependencies``
lists an entity's markets apart, and ``leverage`` labels each item ``supply`` or ``market``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from graph.model.enums import DependenceKind, EntityType, RelationType
from graph.model.ids import entity_type_of
from graph.model.records import Relation
from graph.queries.common import (
    Answer,
    EntityRef,
    Step,
    check_limit,
    refs,
    resolve,
    steps_of_links,
    steps_with_evidence,
)
from graph.queries.deadline import NO_DEADLINE, Deadline
from graph.store import Direction, GraphStore, Link

__all__ = [
    "dependents",
    "dependencies",
    "leverage",
    "DependentsAnswer",
    "DependenciesAnswer",
    "LeverageAnswer",
    "MAX_DEPTH",
]

MAX_DEPTH = 6
MAX_RESULTS = 1000
WIDENING_DEPTH = 8
PATHS_PER_ENTITY = 5
GOODS = (EntityType.COMMODITY, EntityType.PRODUCT)
WIDENING = (RelationType.IS_A, RelationType.MADE_FROM)


class DependencyPath(Answer):
    """One way a dependent reaches the commodity: the relations walked and the exposure they give."""

    steps: list[Step] = Field(description="relations from the dependent down to the commodity asked about")
    exposure: float | None = Field(description="product of the DEPENDS_ON shares; null when any is unknown")


class Dependent(Answer):
    """An entity that depends on the commodity, directly or through its inputs, with up to five paths."""

    entity: EntityRef
    hops: int = Field(description="DEPENDS_ON relations on the shortest path")
    exposure: float | None = Field(description="highest known exposure over the paths")
    paths: list[DependencyPath]


class DependentsAnswer(Answer):
    """What depends on a commodity (GET /v1/dependents): one page of dependents, most exposed first."""

    commodity: EntityRef
    origin: EntityRef | None = Field(description="the supplying country asked about; null when none was given")
    max_depth: int = Field(description="the DEPENDS_ON hops walked")
    includes: list[EntityRef] = Field(description="what the commodity was widened to (itself, kinds of it, goods made from it)")
    data: list[Dependent]
    count: int = Field(description="dependents before pagination")
    offset: int = Field(description="the offset asked for")
    limit: int = Field(description="the page size asked for")


@dataclass
class _Walk:
    """What a dependents walk reached, as Links: Relations and evidence are built for a page only."""

    widened: dict[str, list[Link]]
    found: dict[str, list[tuple[list[Link], float | None]]]
    hops: dict[str, int]


def _exposure(path: list[Relation] | list[Link]) -> float | None:
    value = 1.0
    for relation in path:
        if relation.type is RelationType.DEPENDS_ON:
            if relation.share is None:
                return None
            value *= relation.share
    return round(value, 6)


def _widen(store: GraphStore, root: str, deadline: Deadline) -> dict[str, list[Link]]:
    """Each good the root includes or is made into, with the relations leading back to the root."""
    widened: dict[str, list[Link]] = {root: []}
    frontier = [root]
    for _ in range(WIDENING_DEPTH):
        deadline.check()
        reached = []
        for relation in store.links(frontier, Direction.IN, WIDENING):
            if relation.source not in widened:
                widened[relation.source] = [relation, *widened[relation.target]]
                reached.append(relation.source)
        if not reached:
            break
        frontier = reached
    return widened


def _counts_for_origin(relation: Link, origin: str | None, supplied: set[str], chain: list[Link]) -> bool:
    if origin is None:
        return True
    if relation.origin is not None:
        return relation.origin == origin
    goods = {relation.target, *(r.target for r in chain)}
    return bool(goods & supplied)


def _walk(store: GraphStore, root: str, origin: str | None, max_depth: int, deadline: Deadline) -> _Walk:
    widened = _widen(store, root, deadline)
    deadline.check()
    supplied = {r.target for r in store.links([origin], Direction.OUT, [RelationType.SUPPLIES])} if origin else set()
    found: dict[str, list[tuple[list[Link], float | None]]] = {}
    hops: dict[str, int] = {}
    frontier: dict[str, list[list[Link]]] = {node: [path] for node, path in widened.items()}
    for hop in range(1, max_depth + 1):
        deadline.check()
        reached: dict[str, list[list[Link]]] = {}
        for relation in store.links(frontier, Direction.IN, [RelationType.DEPENDS_ON]):
            dependent = relation.source
            if dependent in widened:
                continue
            paths = found.get(dependent)
            if paths is not None and len(paths) >= PATHS_PER_ENTITY:
                continue  # found at this hop or before, with all the paths it keeps: nothing to add
            # A frontier path holds only entities first reached at earlier hops, so one reached for
            # the first time now cannot be on it; only one found before can close a cycle.
            seen_before = dependent in hops and hops[dependent] < hop
            for tail in frontier[relation.target]:
                if hop == 1 and not _counts_for_origin(relation, origin, supplied, tail):
                    continue
                if seen_before and any(dependent in (r.source, r.target) for r in tail):
                    continue
                path = [relation, *tail]
                if paths is None:
                    paths = found[dependent] = []
                if len(paths) < PATHS_PER_ENTITY:
                    paths.append((path, _exposure(path)))
                if dependent not in hops:
                    hops[dependent] = hop
                    reached[dependent] = [path]
                elif hops[dependent] == hop and len(reached[dependent]) < PATHS_PER_ENTITY:
                    reached[dependent].append(path)
        if not reached:
            break
        frontier = reached
    return _Walk(widened, found, hops)


def _best(exposures: list[float | None]) -> float | None:
    known = [e for e in exposures if e is not None]
    return max(known) if known else None


def _order_key(exposure: float | None, hops: int, entity_id: str) -> tuple:
    return (exposure is None, -(exposure or 0.0), hops, entity_id)


def dependents(
    store: GraphStore,
    commodity: str,
    *,
    origin: str | None = None,
    max_depth: int = 4,
    min_share: float | None = None,
    entity_type: EntityType | None = None,
    offset: int = 0,
    limit: int = 100,
    deadline: Deadline = NO_DEADLINE,
) -> DependentsAnswer:
    """Everything that, directly or through a chain of inputs, depends on ``commodity``."""
    check_limit(max_depth, field="max_depth", low=1, high=MAX_DEPTH)
    check_limit(limit, field="limit", low=1, high=MAX_RESULTS)
    check_limit(offset, field="offset", low=0, high=1_000_000)
    if min_share is not None and not 0.0 <= min_share <= 1.0:
        check_limit(-1, field="min_share", low=0, high=1)
    root = resolve(store, commodity, field="commodity", types=GOODS)
    origin_id = resolve(store, origin, field="origin", types=(EntityType.COUNTRY,)) if origin else None
    walk = _walk(store, root, origin_id, max_depth, deadline)

    rows = []
    for entity_id, paths in walk.found.items():
        exposure = _best([e for _, e in paths])
        if entity_type is not None and entity_type_of(entity_id) != entity_type:  # the id says the type
            continue
        if min_share is not None and (exposure is None or exposure < min_share):
            continue
        rows.append((entity_id, paths, exposure))
    rows.sort(key=lambda row: _order_key(row[2], walk.hops[row[0]], row[0]))
    page = rows[offset : offset + limit]
    deadline.check()
    # Names are looked up for the page only: a hub commodity can have tens of thousands of dependents.
    named = refs(store, {i for i, _, _ in page} | set(walk.widened) | {root} | ({origin_id} if origin_id else set()))
    steps = steps_of_links(store, (path for _, paths, _ in page for path, _ in paths))
    data = [
        Dependent(
            entity=named[entity_id],
            hops=walk.hops[entity_id],
            exposure=exposure,
            paths=[
                DependencyPath(steps=[steps[r.key] for r in path], exposure=path_exposure)
                for path, path_exposure in sorted(paths, key=lambda p: (p[1] is None, -(p[1] or 0), len(p[0])))
            ],
        )
        for entity_id, paths, exposure in page
    ]
    return DependentsAnswer(
        commodity=named[root],
        origin=named[origin_id] if origin_id else None,
        max_depth=max_depth,
        includes=[named[i] for i in sorted(walk.widened, key=lambda i: (len(walk.widened[i]), i))],
        data=data,
        count=len(rows),
        offset=offset,
        limit=limit,
    )


class Supplier(Answer):
    """Who supplies a good relied on, and on what basis."""

    entity: EntityRef
    supplies: EntityRef = Field(description="the good it supplies (the one relied on, or an input of it)")
    share: float | None = Field(description="the supplier's share of the need, 0 to 1; null when unknown")
    basis: str = Field(description="'origin' when the dependency names it, 'supplies' when a SUPPLIES relation does")
    step: Step


class Reliance(Answer):
    """Something the entity asked about relies on, how far down and from whom."""

    entity: EntityRef
    hops: int = Field(description="DEPENDS_ON and input relations from the entity asked about")
    exposure: float | None = Field(description="product of the DEPENDS_ON shares on the path; null when any is unknown")
    path: list[Step] = Field(description="relations from the entity asked about to this one")
    suppliers: list[Supplier]


class Market(Answer):
    """One buyer the entity relies on for its sales (a SELLS_TO relation)."""

    buyer: EntityRef = Field(description="who buys from the entity asked about")
    share: float | None = Field(description="the part of the entity's sales (revenue, orders, exports) the buyer takes")
    step: Step = Field(description="the SELLS_TO relation, with its evidence")


class DependenciesAnswer(Answer):
    """What an entity relies on (GET /v1/entities/{entity}/dependencies), and from whom."""

    entity: EntityRef
    data: list[Reliance] = Field(description="what the entity relies on for supply, directly or through what it relies on")
    count: int = Field(description="the number of items in data")
    markets: list[Market] = Field(description="who the entity relies on as buyers (its SELLS_TO relations), largest share first")


def _forward(store: GraphStore, start: str, max_depth: int, deadline: Deadline) -> dict[str, list[Relation]]:
    reached: dict[str, list[Relation]] = {}
    frontier = {start: []}
    for _ in range(max_depth):
        deadline.check()
        nxt: dict[str, list[Relation]] = {}
        for relation in store.edges(frontier, Direction.OUT, [RelationType.DEPENDS_ON]):
            if relation.target != start and relation.target not in reached and relation.target not in nxt:
                nxt[relation.target] = [*frontier[relation.source], relation]
        if not nxt:
            break
        reached.update(nxt)
        frontier = nxt
    return reached


def _inputs(store: GraphStore, good: str) -> list[str]:
    """The good and what it is a kind of or made from, transitively (magnets → neodymium → rare earths)."""
    seen = [good]
    frontier = [good]
    for _ in range(WIDENING_DEPTH):
        nxt = [r.target for r in store.edges(frontier, Direction.OUT, WIDENING) if r.target not in seen]
        if not nxt:
            break
        seen += sorted(set(nxt))
        frontier = nxt
    return seen


def dependencies(store: GraphStore, entity: str, *, max_depth: int = 3, deadline: Deadline = NO_DEADLINE) -> DependenciesAnswer:
    """What ``entity`` relies on, directly or through what it relies on, and who supplies each."""
    check_limit(max_depth, field="max_depth", low=1, high=MAX_DEPTH)
    start = resolve(store, entity, field="entity")
    reached = _forward(store, start, max_depth, deadline)
    sales = store.edges([start], Direction.OUT, [RelationType.SELLS_TO])
    supplier_relations: dict[str, list[Relation]] = {}
    for target, path in reached.items():
        deadline.check()
        if path[-1].origin is None:
            goods = _inputs(store, target)
            supplier_relations[target] = store.edges(goods, Direction.IN, [RelationType.SUPPLIES])
    all_relations = {r.key: r for path in reached.values() for r in path}
    all_relations |= {r.key: r for rels in supplier_relations.values() for r in rels}
    all_relations |= {r.key: r for r in sales}
    deadline.check()
    steps = dict(zip(all_relations, steps_with_evidence(store, list(all_relations.values())), strict=True))
    ids = {start, *reached}
    ids |= {p[-1].origin for p in reached.values() if p[-1].origin}
    ids |= {r.source for rels in supplier_relations.values() for r in rels}
    ids |= {r.target for rels in supplier_relations.values() for r in rels}
    ids |= {r.target for r in sales}
    named = refs(store, ids)
    data = []
    for target, path in reached.items():
        last = path[-1]
        suppliers = []
        if last.origin:
            suppliers.append(Supplier(entity=named[last.origin], supplies=named[target], share=last.share, basis="origin", step=steps[last.key]))
        for relation in supplier_relations.get(target, []):
            suppliers.append(
                Supplier(entity=named[relation.source], supplies=named[relation.target], share=relation.share, basis="supplies", step=steps[relation.key])
            )
        data.append(
            Reliance(entity=named[target], hops=len(path), exposure=_exposure(path), path=[steps[r.key] for r in path], suppliers=suppliers)
        )
    data.sort(key=lambda item: _order_key(item.exposure, item.hops, item.entity.id))
    markets = [Market(buyer=named[r.target], share=r.share, step=steps[r.key]) for r in sales]
    markets.sort(key=lambda m: _order_key(m.share, 1, m.buyer.id))
    return DependenciesAnswer(entity=named[start], data=data, count=len(data), markets=markets)


class LeverageItem(Answer):
    """One dependent of the country's supply and how exposed it is."""

    dependent: EntityRef
    on: EntityRef = Field(description="what the dependent relies on: a good this country supplies, or the country itself")
    kind: DependenceKind = Field(
        description="supply: the dependent relies on the country's goods or on it as a source (DEPENDS_ON); "
        "market: it relies on the country as a buyer (SELLS_TO)"
    )
    exposure: float | None = Field(description="product of the shares on the path; null when any is unknown")
    hops: int = Field(description="relations on the path")
    path: list[Step] = Field(description="relations from the dependent to what it relies on")


class LeverageAnswer(Answer):
    """What others depend on a country for (GET /v1/countries/{country}/leverage), most exposed first."""

    country: EntityRef
    data: list[LeverageItem]
    count: int = Field(description="items before pagination")
    offset: int = Field(description="the offset asked for")
    limit: int = Field(description="the page size asked for")


def leverage(
    store: GraphStore, country: str, *, max_depth: int = 3, offset: int = 0, limit: int = 100, deadline: Deadline = NO_DEADLINE
) -> LeverageAnswer:
    """What others depend on ``country`` for, most exposed first: the goods it supplies (and what is
    made from them) and the country itself as a source of imports (``supply``), and the country as
    a buyer (``market``, one SELLS_TO relation: a market does not pass along a chain of inputs)."""
    check_limit(max_depth, field="max_depth", low=1, high=MAX_DEPTH)
    check_limit(limit, field="limit", low=1, high=MAX_RESULTS)
    country_id = resolve(store, country, field="country", types=(EntityType.COUNTRY,))
    goods = {r.target for r in store.edges([country_id], Direction.OUT, [RelationType.SUPPLIES])}
    goods |= {r.target for r in store.origin_edges(country_id)}
    best: dict[tuple[str, str, RelationType], tuple[list[Link], float | None, int]] = {}

    def offer(dependent: str, path: list[Link], exposure: float | None, hops: int) -> None:
        key = (dependent, path[0].target, path[0].type)
        current = best.get(key)
        if current is None or _order_key(exposure, hops, "") < _order_key(current[1], current[2], ""):
            best[key] = (path, exposure, hops)

    for good in sorted(goods):
        walk = _walk(store, good, country_id, max_depth, deadline)
        for dependent, paths in walk.found.items():
            for path, exposure in paths:
                offer(dependent, path, exposure, walk.hops[dependent])
    for relation in store.links([country_id], Direction.IN, [RelationType.DEPENDS_ON, RelationType.SELLS_TO]):
        offer(relation.source, [relation], relation.share, 1)

    rows = sorted(best.items(), key=lambda item: _order_key(item[1][1], item[1][2], "|".join(item[0])))
    page = rows[offset : offset + limit]
    deadline.check()
    steps = steps_of_links(store, (path for _, (path, _, _) in page))
    named = refs(store, {country_id} | {d for (d, _, _), _ in page} | {o for (_, o, _), _ in page})
    data = [
        LeverageItem(
            dependent=named[d],
            on=named[on],
            kind=DependenceKind.MARKET if rtype is RelationType.SELLS_TO else DependenceKind.SUPPLY,
            exposure=exposure,
            hops=hops,
            path=[steps[r.key] for r in path],
        )
        for (d, on, rtype), (path, exposure, hops) in page
    ]
    return LeverageAnswer(country=named[country_id], data=data, count=len(rows), offset=offset, limit=limit)
