"""Escalation questions: who did what to whom, in answer to what, how intense, in date order."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from pydantic import Field

from graph.model.enums import EntityType, MeasureStatus, RelationType
from graph.model.errors import InvalidDataError
from graph.queries.common import Answer, EntityRef, Step, check_limit, refs, resolve, steps_with_evidence
from graph.queries.deadline import NO_DEADLINE, Deadline
from graph.queries.dependencies import MAX_RESULTS
from graph.queries.intensity import IntensityScale, default_scale
from graph.queries.measures import MeasureView, actors_of, describe_measures
from graph.store import Direction, GraphStore, Link

__all__ = ["escalation", "timeline", "EscalationAnswer", "TimelineAnswer"]

ACTORS = (EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON, EntityType.FIRM)


class SideMeasure(MeasureView):
    """A measure between the two actors, and which of them imposed it."""

    side: str = Field(description="'a' when the first actor imposed it on the second, 'b' for the reverse")


class IndexPoint(Answer):
    """The cumulative escalation index after every measure dated on ``date``."""

    date: dt.date = Field(description="the day")
    measures: list[str] = Field(description="ids of the measures dated on that day")
    delta: float = Field(description="their summed intensity")
    index: float = Field(description="the index after that day: the sum of every intensity so far")
    index_a: float = Field(description="the part of the index from the first actor's measures")
    index_b: float = Field(description="the part of the index from the second actor's measures")


class EscalationSummary(Answer):
    """Counts and the index over every measure in the window, whatever page ``data`` is."""

    measures: int = Field(description="measures between the two actors in the window")
    by_a: int = Field(description="of them, imposed by the first actor")
    by_b: int = Field(description="of them, imposed by the second actor")
    in_force: int = Field(description="of them, in force")
    threatened: int = Field(description="of them, only threatened")
    undated: int = Field(description="of them, with no date (not on the index)")
    index: float = Field(description="the index now: the sum of every dated measure's intensity")
    latest: str | None = Field(description="the latest dated measure: where the chain stands now")


class EscalationAnswer(Answer):
    """The escalation between two actors (GET /v1/escalation): a page of measures both ways, their
    retaliation links and chains, the escalation index and a summary."""

    a: EntityRef
    b: EntityRef
    since: dt.date | None = Field(description="start of the window asked for; null when open")
    until: dt.date | None = Field(description="end of the window asked for; null when open")
    data: list[SideMeasure] = Field(
        description="the page (offset, limit) of the measures between a and b, in date order; undated measures last"
    )
    links: list[Step] = Field(
        description="RETALIATES_AGAINST relations between two measures of the window with at least one end in "
        "`data`, with evidence; the other end may be on another page (its id is in `chains`)"
    )
    chains: list[list[str]] = Field(
        description="groups of measures joined by retaliation, each in date order: over every measure of the window, not only the page"
    )
    index: list[IndexPoint] = Field(description="over every dated measure of the window, not only the page")
    summary: EscalationSummary
    count: int = Field(description="the number of measures between a and b in the window, over all pages")
    offset: int = Field(description="the offset asked for")
    limit: int = Field(description="the page size asked for")


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


class _Measure(NamedTuple):
    """What the index, chains and summary need of a measure: no names, no evidence."""

    id: str
    side: str
    date: dt.date | None
    status: MeasureStatus
    intensity: float


def _chains(ids: list[str], links: list[Link]) -> list[list[str]]:
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


def _index(measures: list[_Measure]) -> list[IndexPoint]:
    """One point per date: the measures of that date, their summed intensity, and the running
    totals after them. Sums are kept in plain Python and each point built once at the end (the
    busiest pairs have thousands of dates; changing a model field by field costs more)."""
    rows: list[list] = []  # [date, measure ids, delta, index a, index b]
    total = {"a": 0.0, "b": 0.0}
    for m in measures:
        if m.date is None:
            continue
        total[m.side] += m.intensity
        if rows and rows[-1][0] == m.date:
            row = rows[-1]
            row[1].append(m.id)
            row[2] = round(row[2] + m.intensity, 3)
        else:
            row = [m.date, [m.id], m.intensity, 0.0, 0.0]
            rows.append(row)
        row[3], row[4] = total["a"], total["b"]
    return [
        IndexPoint(date=date, measures=ids, delta=delta, index=round(a + b, 3), index_a=round(a, 3), index_b=round(b, 3))
        for date, ids, delta, a, b in rows
    ]


def escalation(
    store: GraphStore,
    a: str,
    b: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    offset: int = 0,
    limit: int = 100,
    scale: IntensityScale | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> EscalationAnswer:
    """Measures between two actors in both directions, with their retaliation links and an index.

    ``data`` is one page of the measures; the index, chains and summary cover them all, so a
    dashboard draws the whole curve from the first page. Those need only each measure's dates,
    status and intensity, so full views (names of imposers, targets and covered goods; evidence)
    are built for the page alone: the busiest pairs have thousands of measures."""
    _check_dates(since, until)
    check_limit(limit, field="limit", low=1, high=MAX_RESULTS)
    check_limit(offset, field="offset", low=0, high=1_000_000)
    scale = scale or default_scale()
    a_id = resolve(store, a, field="a", types=ACTORS)
    b_id = resolve(store, b, field="b", types=ACTORS)
    if a_id == b_id:
        raise InvalidDataError("a and b name the same actor", field="b")
    actors_a, actors_b = actors_of(store, a_id), actors_of(store, b_id)
    deadline.check()
    sides = _between(store, actors_a, actors_b)
    deadline.check()
    measures = [
        _Measure(mid, sides[mid], e.measure.timeline_date, e.measure.status, scale.score(e.measure))
        for mid, e in store.entities(sides).items()
        if e.measure is not None and _in_window(e.measure.timeline_date, since, until)
    ]
    measures.sort(key=lambda m: (m.date is None, m.date or dt.date.max, m.id))
    ids = [m.id for m in measures]
    position = {i: n for n, i in enumerate(ids)}
    # Retaliation links among every measure of the window, as Links (ends and key only): chains need them all.
    deadline.check()
    links = store.links(ids, Direction.OUT, [RelationType.RETALIATES_AGAINST], to=set(ids))
    chains = sorted(
        (sorted(group, key=position.__getitem__) for group in _chains(ids, links)),
        key=lambda group: position[group[0]],
    )
    points = _index(measures)
    dated = [m for m in measures if m.date is not None]

    page = ids[offset : offset + limit]
    on_page = set(page)
    deadline.check()
    views = describe_measures(store, page, scale)
    # The views are validated already: a second validation of every nested field costs ~10 µs a measure.
    data = [SideMeasure.model_construct(**dict(views[mid]), side=sides[mid]) for mid in page if mid in views]
    # Relations and evidence only for the links a reader of the page can follow from one of its measures.
    link_keys = [link.key for link in links if link.source in on_page or link.target in on_page]
    deadline.check()
    found = store.relations(link_keys, evidence=False)
    named = refs(store, {a_id, b_id})
    return EscalationAnswer(
        a=named[a_id],
        b=named[b_id],
        since=since,
        until=until,
        data=data,
        links=steps_with_evidence(store, [found[k] for k in link_keys if k in found]),
        chains=chains,
        index=points,
        summary=EscalationSummary(
            measures=len(measures),
            by_a=sum(m.side == "a" for m in measures),
            by_b=sum(m.side == "b" for m in measures),
            in_force=sum(m.status == "in_force" for m in measures),
            threatened=sum(m.status == "threatened" for m in measures),
            undated=len(measures) - len(dated),
            index=points[-1].index if points else 0.0,
            latest=dated[-1].id if dated else None,
        ),
        count=len(measures),
        offset=offset,
        limit=limit,
    )


class TimelineEntry(MeasureView):
    """A measure on an actor's timeline, and the actor's part in it."""

    role: str = Field(description="'imposer' or 'target': the actor's part in the measure")


class TimelineAnswer(Answer):
    """Every measure an actor imposed or was targeted by (GET /v1/timeline), in date order."""

    actor: EntityRef
    data: list[TimelineEntry]
    count: int = Field(description="measures before pagination")
    offset: int = Field(description="the offset asked for")
    limit: int = Field(description="the page size asked for")


def timeline(
    store: GraphStore,
    actor: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    offset: int = 0,
    limit: int = 100,
    scale: IntensityScale | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> TimelineAnswer:
    """Every measure an actor imposed or was targeted by, in date order."""
    _check_dates(since, until)
    check_limit(limit, field="limit", low=1, high=MAX_RESULTS)
    check_limit(offset, field="offset", low=0, high=1_000_000)
    actor_id = resolve(store, actor, field="actor", types=ACTORS)
    actors = actors_of(store, actor_id)
    roles = {r.source: "target" for r in store.edges(actors, Direction.IN, [RelationType.TARGETS])}
    roles |= {r.target: "imposer" for r in store.edges(actors, Direction.OUT, [RelationType.IMPOSES])}
    deadline.check()
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
