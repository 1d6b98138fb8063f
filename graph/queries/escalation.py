"""Escalation questions: who did what to whom, in answer to what, how intense, in date order."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from graph.enums import EntityType, RelationType
from graph.errors import InvalidDataError
from graph.queries.common import EntityRef, Step, check_limit, refs, resolve, steps_with_evidence
from graph.queries.dependencies import MAX_RESULTS
from graph.queries.intensity import IntensityScale
from graph.queries.measures import MeasureView, actors_of, describe_measures
from graph.store import Direction, GraphStore

__all__ = ["escalation", "timeline", "EscalationAnswer", "TimelineAnswer"]

ACTORS = (EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON, EntityType.FIRM)


class SideMeasure(MeasureView):
    side: str = Field(description="'a' when the first actor imposed it on the second, 'b' for the reverse")


class IndexPoint(BaseModel):
    """The cumulative escalation index after every measure dated on ``date``."""

    date: dt.date
    measures: list[str]
    delta: float
    index: float
    index_a: float = Field(description="the part of the index from the first actor's measures")
    index_b: float


class EscalationSummary(BaseModel):
    measures: int
    by_a: int
    by_b: int
    in_force: int
    threatened: int
    undated: int
    index: float = Field(description="the index now: the sum of every dated measure's intensity")
    latest: str | None = Field(description="the latest dated measure: where the chain stands now")


class EscalationAnswer(BaseModel):
    a: EntityRef
    b: EntityRef
    since: dt.date | None
    until: dt.date | None
    data: list[SideMeasure] = Field(description="date order; undated measures last")
    links: list[Step] = Field(description="RETALIATES_AGAINST relations among these measures, with evidence")
    chains: list[list[str]] = Field(description="groups of measures joined by retaliation, each in date order")
    index: list[IndexPoint]
    summary: EscalationSummary


def _check_dates(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and until < since:
        raise InvalidDataError("until is before since", field="until")


def _in_window(date: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    if since is None and until is None:
        return True
    if date is None:
        return False
    return (since is None or date >= since) and (until is None or date <= until)


def _between(store: GraphStore, actors_a: set[str], actors_b: set[str]) -> dict[str, str]:
    """Measure id -> "a" for the measures an actor of ``actors_a`` imposed on one of ``actors_b``,
    "b" for the reverse ("b" when both). Only the smaller side's relations are walked (a country
    has tens of thousands of actors, a measure a handful of imposers and targets), and only
    entity ids are read: the other side is checked on the candidate measures' own relations."""
    small, large = (actors_a, actors_b) if len(actors_a) <= len(actors_b) else (actors_b, actors_a)
    on_small = store.neighbour_ids(small, Direction.IN, [RelationType.TARGETS])
    by_small = store.neighbour_ids(small, Direction.OUT, [RelationType.IMPOSES])
    # A candidate has a few imposers and targets: reading them all and checking against ``large``
    # here is cheaper than handing the store tens of thousands of ids as ``to``.
    large_on_small = {link.target for link in store.links(on_small, Direction.IN, [RelationType.IMPOSES]) if link.source in large}
    small_on_large = {link.source for link in store.links(by_small, Direction.OUT, [RelationType.TARGETS]) if link.target in large}
    a_on_b, b_on_a = (small_on_large, large_on_small) if small is actors_a else (large_on_small, small_on_large)
    return {m: "a" for m in a_on_b} | {m: "b" for m in b_on_a}


def _chains(ids: list[str], links: list) -> list[list[str]]:
    group = {i: i for i in ids}

    def find(i: str) -> str:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for link in links:
        group[find(link.source)] = find(link.target)
    members: dict[str, list[str]] = {}
    for i in ids:
        members.setdefault(find(i), []).append(i)
    return [m for m in members.values() if len(m) > 1]


def _index(data: list[SideMeasure]) -> list[IndexPoint]:
    points: list[IndexPoint] = []
    total = {"a": 0.0, "b": 0.0}
    for view in data:
        if view.date is None:
            continue
        total[view.side] += view.intensity
        if points and points[-1].date == view.date:
            point = points[-1]
            point.measures.append(view.entity.id)
            point.delta = round(point.delta + view.intensity, 3)
        else:
            point = IndexPoint(date=view.date, measures=[view.entity.id], delta=view.intensity, index=0, index_a=0, index_b=0)
            points.append(point)
        point.index_a, point.index_b = round(total["a"], 3), round(total["b"], 3)
        point.index = round(total["a"] + total["b"], 3)
    return points


def escalation(
    store: GraphStore,
    a: str,
    b: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    scale: IntensityScale | None = None,
) -> EscalationAnswer:
    """Measures between two actors in both directions, with their retaliation links and an index."""
    _check_dates(since, until)
    a_id = resolve(store, a, field="a", types=ACTORS)
    b_id = resolve(store, b, field="b", types=ACTORS)
    if a_id == b_id:
        raise InvalidDataError("a and b name the same actor", field="b")
    actors_a, actors_b = actors_of(store, a_id), actors_of(store, b_id)
    sides = _between(store, actors_a, actors_b)
    views = describe_measures(store, sides, scale, keep=lambda m: _in_window(m.timeline_date, since, until))
    # The views are validated already: a second validation of every nested field costs ~10 µs a measure.
    data = [SideMeasure.model_construct(**dict(view), side=sides[mid]) for mid, view in views.items()]
    data.sort(key=lambda v: (v.date is None, v.date or dt.date.max, v.entity.id))
    ids = [v.entity.id for v in data]
    kept = set(ids)
    # Links first (small records), then Relations for those joining two kept measures only.
    link_keys = [link.key for link in store.links(ids, Direction.OUT, [RelationType.RETALIATES_AGAINST], to=kept)]
    found = store.relations(link_keys, evidence=False)
    link_relations = [found[k] for k in link_keys if k in found]
    position = {i: n for n, i in enumerate(ids)}
    chains = sorted(
        (sorted(group, key=position.__getitem__) for group in _chains(ids, link_relations)),
        key=lambda group: position[group[0]],
    )
    points = _index(data)
    dated = [v for v in data if v.date is not None]
    named = refs(store, {a_id, b_id})
    return EscalationAnswer(
        a=named[a_id],
        b=named[b_id],
        since=since,
        until=until,
        data=data,
        links=steps_with_evidence(store, link_relations),
        chains=chains,
        index=points,
        summary=EscalationSummary(
            measures=len(data),
            by_a=sum(v.side == "a" for v in data),
            by_b=sum(v.side == "b" for v in data),
            in_force=sum(v.measure.status == "in_force" for v in data),
            threatened=sum(v.measure.status == "threatened" for v in data),
            undated=len(data) - len(dated),
            index=points[-1].index if points else 0.0,
            latest=dated[-1].entity.id if dated else None,
        ),
    )


class TimelineEntry(MeasureView):
    role: str = Field(description="'imposer' or 'target': the actor's part in the measure")


class TimelineAnswer(BaseModel):
    actor: EntityRef
    data: list[TimelineEntry]
    count: int
    offset: int
    limit: int


def timeline(
    store: GraphStore,
    actor: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    offset: int = 0,
    limit: int = 100,
    scale: IntensityScale | None = None,
) -> TimelineAnswer:
    """Every measure an actor imposed or was targeted by, in date order."""
    _check_dates(since, until)
    check_limit(limit, field="limit", low=1, high=MAX_RESULTS)
    check_limit(offset, field="offset", low=0, high=1_000_000)
    actor_id = resolve(store, actor, field="actor", types=ACTORS)
    actors = actors_of(store, actor_id)
    roles = {r.source: "target" for r in store.edges(actors, Direction.IN, [RelationType.TARGETS])}
    roles |= {r.target: "imposer" for r in store.edges(actors, Direction.OUT, [RelationType.IMPOSES])}
    views = describe_measures(store, roles, scale, keep=lambda m: _in_window(m.timeline_date, since, until))
    entries = [TimelineEntry.model_construct(**dict(view), role=roles[mid]) for mid, view in views.items()]
    entries.sort(key=lambda v: (v.date is None, v.date or dt.date.max, v.entity.id))
    return TimelineAnswer(
        actor=refs(store, {actor_id})[actor_id],
        data=entries[offset : offset + limit],
        count=len(entries),
        offset=offset,
        limit=limit,
    )
