"""Escalation questions: who did what to whom, in answer to what, how intense, in date order."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from pydantic import Field

from graph.model.enums import EntityType, LifecycleStage, MeasureStatus, RelationType
from graph.model.errors import InvalidDataError
from graph.queries.common import Answer, EntityRef, Step, check_limit, refs, resolve, steps_with_evidence
from graph.queries.deadline import NO_DEADLINE, Deadline
from graph.queries.dependencies import MAX_RESULTS
from graph.queries.intensity import IntensityScale, default_scale
from graph.model.records import MeasureAttributes
from graph.queries.measures import MeasureView, actors_of, describe_measures
from graph.store import Direction, GraphStore, Link
from graph.time_view import placed_events

__all__ = ["escalation", "timeline", "EscalationAnswer", "TimelineAnswer"]

ACTORS = (EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON, EntityType.FIRM)


class SideMeasure(MeasureView):
    """A measure between the two actors, and which of them imposed it."""

    side: str = Field(description="'a' when the first actor imposed it on the second, 'b' for the reverse")


class IndexChange(Answer):
    """One lifecycle event on the index: how much it moved it."""

    measure: str = Field(description="the measure's id")
    stage: LifecycleStage = Field(description="what happened to it that day")
    delta: float = Field(description="its intensity after the event less its intensity before")
    dated_by: str = Field(description="'source' when the source gives the day, 'document' when the event is undated and "
                          "placed at the publication date of the document that reports it")


class IndexPoint(Answer):
    """The cumulative escalation index after every lifecycle event on ``date``."""

    date: dt.date = Field(description="the day")
    measures: list[str] = Field(description="ids of the measures with an event that day")
    changes: list[IndexChange] = Field(description="the events of that day and what each changed")
    delta: float = Field(description="their summed change")
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
    undated: int = Field(description="of them, with no event that can be placed on a day (not on the index)")
    index: float = Field(description="the index at the end: the sum of every measure's intensity in its latest placed status")
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


class _Step(NamedTuple):
    """A lifecycle event as the index counts it: the day, what happened, the measure's intensity
    after it, and whether the day is the source's or its document's."""

    date: dt.date
    stage: LifecycleStage
    intensity: float
    dated_by: str


class _Measure(NamedTuple):
    """What the index, chains and summary need of a measure: no names, no evidence."""

    id: str
    side: str
    date: dt.date | None
    status: MeasureStatus
    steps: tuple[_Step, ...]


def _steps(measure: MeasureAttributes, published: dict[str, dt.date | None], scale: IntensityScale, until: dt.date | None) -> tuple[_Step, ...]:
    """The measure's placed lifecycle events up to ``until``, each with its intensity after it."""
    return tuple(
        _Step(day, event.stage, scale.score(measure, event.stage.status_after), "source" if event.date else "document")
        for day, event in placed_events(measure.events, published)
        if until is None or day <= until
    )


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
    """One point per day with a lifecycle event: each event adds the difference between its
    measure's intensity after it and before it (a threat that takes force adds the rest of the
    measure's weight that day, a lifting takes it away and more), and the running totals after
    that day. Sums are kept in plain Python and each point built once at the end (the busiest
    pairs have thousands of dates; changing a model field by field costs more)."""
    order = {m.id: n for n, m in enumerate(measures)}
    events = sorted(
        ((step, m) for m in measures for step in m.steps),
        key=lambda pair: (pair[0].date, order[pair[1].id], pair[0].stage.order),
    )
    rows: list[list] = []  # [date, measure ids, changes, delta, index a, index b]
    total = {"a": 0.0, "b": 0.0}
    now: dict[str, float] = {}
    for step, m in events:
        change = round(step.intensity - now.get(m.id, 0.0), 3)
        now[m.id] = step.intensity
        total[m.side] += change
        if not rows or rows[-1][0] != step.date:
            rows.append([step.date, [], [], 0.0, 0.0, 0.0])
        row = rows[-1]
        if m.id not in row[1]:
            row[1].append(m.id)
        row[2].append(IndexChange.model_construct(measure=m.id, stage=step.stage, delta=change, dated_by=step.dated_by))
        row[3] = round(row[3] + change, 3)
        row[4], row[5] = total["a"], total["b"]
    return [
        IndexPoint.model_construct(
            date=date, measures=ids, changes=changes, delta=delta, index=round(a + b, 3), index_a=round(a, 3), index_b=round(b, 3)
        )
        for date, ids, changes, delta, a, b in rows
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
    found = {
        mid: e.measure.with_events(None)
        for mid, e in store.entities(sides).items()
        if e.measure is not None and _in_window(e.measure.timeline_date, since, until)
    }
    undated_reports = {e.evidence.document_id for m in found.values() for e in m.events if e.date is None and e.evidence}
    published = store.publication_dates(undated_reports) if undated_reports else {}
    measures = [
        _Measure(mid, sides[mid], m.timeline_date, m.status, _steps(m, published, scale, until)) for mid, m in found.items()
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
    placed = sum(bool(m.steps) for m in measures)

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
            undated=len(measures) - placed,
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
