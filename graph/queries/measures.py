"""Measure questions: list and describe measures, follow retaliation chains, and find what a measure hits."""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple

from pydantic import Field

from graph.model.enums import EntityType, MeasureStatus, MeasureType, RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import Entity, Evidence, MeasureAttributes
from graph.queries.common import (
    Answer,
    EntityRef,
    Step,
    check_limit,
    doubt_below,
    doubtful,
    ref,
    refs,
    resolve,
    steps_with_evidence,
)
from graph.queries.conflicts import Conflict, conflicts_of
from graph.queries.deadline import NO_DEADLINE, Deadline
from graph.queries.dependencies import MAX_DEPTH, MAX_RESULTS, Dependent, dependents
from graph.queries.flows import AffectedTrade, affected_trade
from graph.queries.intensity import IntensityScale, default_scale
from graph.queries.measure_filters import (
    MeasureSort,
    check_mast,
    code_of_goods,
    covered_by_code,
    searchable_texts,
    sort_key,
    text_matcher,
)
from graph.store import Direction, GraphStore, Link

__all__ = [
    "ChainAnswer",
    "ChainDirection",
    "CountBy",
    "ImpactAnswer",
    "MeasureCounts",
    "MeasureList",
    "MeasureRow",
    "MeasureSort",
    "MeasureView",
    "MonthCount",
    "actors_of",
    "chain",
    "count_measures",
    "describe_measures",
    "impact",
    "list_measures",
    "matching_measures",
    "matching_rows",
]

MEASURE_LINKS = (RelationType.IMPOSES, RelationType.TARGETS, RelationType.COVERS, RelationType.RETALIATES_AGAINST)
EXPORT_SIDE = {MeasureType.EXPORT_CONTROL, MeasureType.SUPPLY_CUTOFF, MeasureType.ENTITY_LIST}


class MeasureView(Answer):
    """A measure with who imposed it, on whom, on what, how intense it is, and its evidence."""

    entity: EntityRef
    measure: MeasureAttributes
    mast_chapter: str | None = Field(description="UNCTAD MAST chapter of the measure type")
    date: dt.date | None = Field(description="announced date, else effective date")
    intensity: float = Field(description="score on the configured intensity scale (docs/intensity.md)")
    imposers: list[EntityRef] = Field(description="who imposed it")
    targets: list[EntityRef] = Field(description="whom it targets")
    covers: list[EntityRef] = Field(description="the commodities and products it covers")
    retaliates_against: list[str] = Field(description="ids of earlier measures this one answers")
    answered_by: list[str] = Field(description="ids of later measures that answer this one")
    evidence: list[Evidence] = Field(description="the sentences that describe the measure")
    conflict: bool = Field(description="true when sources disagree on one of its dates or values (see conflicts)")
    conflicts: list[Conflict] = Field(description="each date or value its sources disagree on, every value with its sources")
    doubtful: bool = Field(description="true when even its best evidence has a confidence below TRADEGRAPH_DOUBT_BELOW (0.5): listed for review")


def _date_key(view: MeasureView) -> tuple:
    return (view.date is None, view.date or dt.date.max, view.entity.id)


def describe_measures(
    store: GraphStore,
    ids: list[str] | set[str],
    scale: IntensityScale | None = None,
    *,
    keep: Callable[[MeasureAttributes], bool] | None = None,
) -> dict[str, MeasureView]:
    """Views of many measures from four store calls, whatever their number; with ``keep``, only
    of the measures it accepts, decided before their evidence and names are read (an escalation
    between two big traders has thousands of measures, a date window a fraction of them)."""
    scale = scale or default_scale()
    below = doubt_below()
    entities = {
        i: e
        for i, e in store.entities(ids).items()
        if e.measure is not None and (keep is None or keep(e.measure))
    }
    evidence = store.evidence(entities)
    links = store.links(entities, Direction.BOTH, MEASURE_LINKS)
    named = {i: ref(e) for i, e in entities.items()}
    named |= refs(store, {link.source for link in links} | {link.target for link in links} - named.keys())
    outgoing: dict[str, list[Link]] = {}
    incoming: dict[str, list[Link]] = {}
    for link in links:
        outgoing.setdefault(link.source, []).append(link)
        incoming.setdefault(link.target, []).append(link)
    views = {}
    for measure_id, entity in entities.items():
        mine_out = outgoing.get(measure_id, [])
        mine_in = incoming.get(measure_id, [])
        by_type = {t: sorted(link.target for link in mine_out if link.type is t) for t in MEASURE_LINKS}
        views[measure_id] = MeasureView(
            entity=named[measure_id],
            measure=entity.measure,
            mast_chapter=entity.measure.mast_chapter,
            date=entity.measure.timeline_date,
            intensity=scale.score(entity.measure),
            imposers=[named[link.source] for link in mine_in if link.type is RelationType.IMPOSES],
            targets=[named[t] for t in by_type[RelationType.TARGETS]],
            covers=[named[t] for t in by_type[RelationType.COVERS]],
            retaliates_against=by_type[RelationType.RETALIATES_AGAINST],
            answered_by=sorted(link.source for link in mine_in if link.type is RelationType.RETALIATES_AGAINST),
            evidence=evidence.get(measure_id, []),
            conflict=bool(disputed := conflicts_of(entity.measure)),
            conflicts=disputed,
            doubtful=doubtful(evidence.get(measure_id, []), below),
        )
    return views


def actors_of(store: GraphStore, actor: str) -> set[str]:
    """An actor and what is based in it: a country acts through its agencies, officials and firms."""
    return {actor} | store.neighbour_ids([actor], Direction.IN, [RelationType.BASED_IN])


class MeasureFilter(NamedTuple):
    """What a measure list keeps (GET /v1/measures and its counts): every filter given must hold.

    ``imposer`` and ``target`` are actors (an id, name or alias; an agency or firm counts for the
    country it is BASED_IN); ``since`` and ``until`` bound the measure's date; ``covers`` is a good
    (an id, name or alias: the measures covering it) or an HS code (``2805``, ``8541.40``, a code
    entity's id: the measures covering any good whose code is that one or under it); ``mast`` a
    MAST chapter letter of the measure's type; ``q`` text found in the measure's id, a name in any
    language or an alias (graph/queries/measure_filters.py)."""

    imposer: str | None = None
    target: str | None = None
    measure_type: MeasureType | None = None
    status: MeasureStatus | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    covers: str | None = None
    mast: str | None = None
    q: str | None = None


EVERY_MEASURE = MeasureFilter()


class MeasureList(Answer):
    """Measures matching every filter (GET /v1/measures), in the order asked (date by default)."""

    data: list[MeasureView]
    count: int = Field(description="measures before pagination")
    offset: int = Field(description="the offset asked for")
    limit: int = Field(description="the page size asked for")


def list_measures(
    store: GraphStore,
    where: MeasureFilter = EVERY_MEASURE,
    *,
    sort: MeasureSort | str = MeasureSort.DATE,
    offset: int = 0,
    limit: int = 100,
    scale: IntensityScale | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> MeasureList:
    """Measures matching ``where``, in the order ``sort`` names: date (undated last) by default
    (see MeasureSort)."""
    check_limit(limit, field="limit", low=1, high=MAX_RESULTS)
    check_limit(offset, field="offset", low=0, high=1_000_000)
    order = sort_key(sort)
    rows = sorted(matching_rows(store, where, deadline), key=order)
    page = [row.id for row in rows[offset : offset + limit]]
    views = describe_measures(store, page, scale)  # only the page is read in full: evidence, names, links
    return MeasureList(data=[views[i] for i in page if i in views], count=len(rows), offset=offset, limit=limit)


class CountBy(StrEnum):
    """What measures are counted by, beside their month."""

    NOTHING = "none"
    TYPE = "type"
    IMPOSER = "imposer"
    TARGET = "target"


class MonthCount(Answer):
    """How many measures of one group fall in one month."""

    month: str | None = Field(description="YYYY-MM of the measures' date (announced, else effective); null for undated measures")
    group: str | None = Field(
        description="the measure type, or the id of the imposing (`by=imposer`) or targeted (`by=target`) country or bloc, as asked; null when counted by nothing, or for a measure with no such side"
    )
    count: int = Field(description="measures of that group in that month")


class MeasureCounts(Answer):
    """Measures matching every filter counted per month (GET /v1/measures/counts): over every
    measure of the filter, not a page, for charts of measures over time."""

    by: CountBy = Field(description="what the counts are split by beside the month")
    data: list[MonthCount] = Field(description="one row per month and group with a measure, months in order, undated last")
    total: int = Field(description="measures matching the filter, each counted once")


def count_measures(
    store: GraphStore,
    *,
    by: CountBy = CountBy.NOTHING,
    where: MeasureFilter = EVERY_MEASURE,
    deadline: Deadline = NO_DEADLINE,
) -> MeasureCounts:
    """The filter of ``list_measures``, counted per month and, when asked, per type or per imposing
    or targeted country or bloc (a measure several countries impose, or one aimed at several,
    counts once for each). A side's rows add up to what ``list_measures`` gives for that side as
    imposer or target with the same filter: an agency or a firm counts for the country it is
    BASED_IN, as the imposer and target filters take it."""
    kept = matching_rows(store, where, deadline)
    sides = _sides(store, kept, by)
    homes = _homes(store, sides)
    counts: dict[tuple[str | None, str | None], int] = {}
    for row in kept:
        month = row.date.isoformat()[:7] if row.date else None
        for group in _groups(row, by, sides.get(row.id, []), homes):
            counts[(month, group)] = counts.get((month, group), 0) + 1
    rows = [MonthCount(month=month, group=group, count=n) for (month, group), n in counts.items()]
    rows.sort(key=lambda r: (r.month is None, r.month or "", r.group or ""))
    return MeasureCounts(by=by, data=rows, total=len(kept))


_BLOCS = frozenset({"org:eu", "org:asean", "org:g7"})


def _is_side(entity_id: str) -> bool:
    """A country or a bloc: what a measure is counted for when split by imposer or target."""
    return entity_id.startswith("country:") or entity_id in _BLOCS


def _sides(store: GraphStore, rows: list[MeasureRow], by: CountBy) -> dict[str, list[str]]:
    """The imposers (``by=imposer``) or targets (``by=target``) of each measure counted, in one
    store call, ids in order."""
    if by not in (CountBy.IMPOSER, CountBy.TARGET):
        return {}
    ids = [row.id for row in rows]
    out: dict[str, list[str]] = {}
    if by is CountBy.IMPOSER:
        for link in store.links(ids, Direction.IN, [RelationType.IMPOSES]):
            out.setdefault(link.target, []).append(link.source)
    else:
        for link in store.links(ids, Direction.OUT, [RelationType.TARGETS]):
            out.setdefault(link.source, []).append(link.target)
    return {k: sorted(v) for k, v in out.items()}


def _homes(store: GraphStore, sides: dict[str, list[str]]) -> dict[str, set[str]]:
    """The countries and blocs each actor that is neither is BASED_IN (an agency, a firm), read in
    one store call for every measure counted."""
    others = {i for ids in sides.values() for i in ids if not _is_side(i)}
    homes: dict[str, set[str]] = {}
    if others:
        for link in store.links(others, Direction.OUT, [RelationType.BASED_IN]):
            if _is_side(link.target):
                homes.setdefault(link.source, set()).add(link.target)
    return homes


def _groups(row: MeasureRow, by: CountBy, actors: list[str], homes: dict[str, set[str]]) -> list[str | None]:
    if by is CountBy.TYPE:
        return [row.measure_type]
    if by is CountBy.NOTHING:
        return [None]
    ids = set(actors)
    sides = {i for i in ids if _is_side(i)} | {home for i in ids for home in homes.get(i, ())}
    # An actor based nowhere known (a firm without BASED_IN) is counted under its own id.
    return sorted(sides) or sorted(ids)[:1] or [None]


class MeasureRow(NamedTuple):
    """What sorting, paging and counting a measure list need of a measure, as plain values (no
    evidence, names of others or links; rows kept for a filter hold no model objects, which the
    collector would walk): a page of views is described from these."""

    id: str
    name: str
    measure_type: str
    status: str
    mast: str | None
    rate: float | None
    date: dt.date | None
    texts: tuple[str, ...]  # id, names and aliases folded for the text filter


def _row(entity: Entity) -> MeasureRow:
    m = entity.measure
    assert m is not None
    return MeasureRow(entity.id, entity.name, m.measure_type.value, m.status.value, m.mast_chapter, m.rate, m.timeline_date,
                      searchable_texts(entity))


# What the measure list keeps for the content it was read from (``GraphReader.content_owner``: the
# embedded store's index generation) while that content lives. Every measure's row: a filter
# nobody asked before then reads no measure (at 100k relations, reading all of them takes about a
# tenth of a second). And the rows of the filters asked last: their pages and counts are cut from
# them. Plain values only (see MeasureRow).
_CATALOGUES: weakref.WeakKeyDictionary[object, dict[str, MeasureRow]] = weakref.WeakKeyDictionary()
_ROWS: weakref.WeakKeyDictionary[object, dict[MeasureFilter, list[MeasureRow]]] = weakref.WeakKeyDictionary()
_ROWS_KEPT = 32  # filters kept per content
_ROWS_LOCK = threading.Lock()


def _rows_of(store: GraphStore, ids: set[str]) -> list[MeasureRow]:
    """The rows of the measures among ``ids``: from the catalogue of the content when the reader
    has an owner for it (built on first use), else read now."""
    owner = store.content_owner()
    if owner is None:
        return [_row(e) for e in store.entities(ids).values() if e.measure is not None]
    with _ROWS_LOCK:
        catalogue = _CATALOGUES.get(owner)
    if catalogue is None:
        catalogue = {i: _row(e) for i, e in store.entities(store.entity_ids(EntityType.MEASURE)).items() if e.measure is not None}
        with _ROWS_LOCK:
            _CATALOGUES[owner] = catalogue
    return [catalogue[i] for i in ids if i in catalogue]


def matching_rows(store: GraphStore, where: MeasureFilter = EVERY_MEASURE, deadline: Deadline = NO_DEADLINE) -> list[MeasureRow]:
    """Every measure matching ``where`` as a row, in date order (undated last); a filter asked
    again while the store's content is unchanged is answered from the rows kept for it."""
    owner = store.content_owner()
    if owner is not None:
        with _ROWS_LOCK:
            kept = _ROWS.get(owner, {}).get(where)
        if kept is not None:
            return kept
    rows = _read_rows(store, where, deadline)
    if owner is not None:
        with _ROWS_LOCK:
            kept_for = _ROWS.setdefault(owner, {})
            while len(kept_for) >= _ROWS_KEPT:
                kept_for.pop(next(iter(kept_for)))  # the oldest filter asked
            kept_for[where] = rows
    return rows


def matching_measures(
    store: GraphStore, where: MeasureFilter = EVERY_MEASURE, scale: IntensityScale | None = None, deadline: Deadline = NO_DEADLINE
) -> list[MeasureView]:
    """Every measure matching ``where``, as views in date order (undated last): the whole answer,
    where ``list_measures`` describes only its page."""
    rows = matching_rows(store, where, deadline)
    views = describe_measures(store, [row.id for row in rows], scale)
    return [views[row.id] for row in rows if row.id in views]


def _read_rows(store: GraphStore, where: MeasureFilter, deadline: Deadline) -> list[MeasureRow]:
    """The rows of ``matching_rows``: the filters on links narrow the measures, then their rows
    (``_rows_of``) are filtered on their own values."""
    imposer, target, measure_type, status, since, until, covers, mast, q = where
    chapter = check_mast(mast)
    named = text_matcher(q)
    code = code_of_goods(covers)
    candidates: set[str] | None = None

    def narrow(found: set[str]) -> None:
        nonlocal candidates
        candidates = found if candidates is None else candidates & found

    if imposer:
        actors = actors_of(store, resolve(store, imposer, field="imposer"))
        narrow({r.target for r in store.edges(actors, Direction.OUT, [RelationType.IMPOSES])})
    if target:
        actors = actors_of(store, resolve(store, target, field="target"))
        narrow({r.source for r in store.edges(actors, Direction.IN, [RelationType.TARGETS])})
    if covers and code is None:
        good = resolve(store, covers, field="covers", types=(EntityType.COMMODITY, EntityType.PRODUCT))
        narrow({r.source for r in store.edges([good], Direction.IN, [RelationType.COVERS])})
    if candidates is None:
        candidates = set(store.entity_ids(EntityType.MEASURE))
    if code is not None:
        deadline.check()
        candidates = covered_by_code(store, code, candidates)

    kind = MeasureType(measure_type).value if measure_type is not None else None
    state = MeasureStatus(status).value if status is not None else None

    def keep(r: MeasureRow) -> bool:
        return (
            (kind is None or r.measure_type == kind)
            and (state is None or r.status == state)
            and (chapter is None or r.mast == chapter)
            and (since is None or (r.date is not None and r.date >= since))
            and (until is None or (r.date is not None and r.date <= until))
            and (named is None or named(r.texts))
        )

    deadline.check()
    rows = [r for r in _rows_of(store, candidates) if keep(r)]
    rows.sort(key=lambda r: (r.date is None, r.date or dt.date.max, r.id))
    return rows


class ChainDirection(StrEnum):
    """Which way a retaliation chain is followed: up to what the measure answered, down to what
    answered it, or both. Not the Direction of a neighbourhood (out, in, both)."""

    UP = "up"
    DOWN = "down"
    BOTH = "both"


class ChainAnswer(Answer):
    """A measure's retaliation chain (GET /v1/measures/{measure}/chain)."""

    measure: EntityRef
    direction: ChainDirection
    data: list[MeasureView] = Field(description="the measures of the chain, in date order, the asked one included")
    depth: dict[str, int] = Field(description="links from the asked measure: negative for what it answered, positive for what answered it")
    links: list[Step] = Field(description="the RETALIATES_AGAINST relations of the chain, with evidence")


def chain(
    store: GraphStore,
    measure: str,
    *,
    direction: ChainDirection = ChainDirection.BOTH,
    max_depth: int = 20,
    scale: IntensityScale | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> ChainAnswer:
    """What a measure answered (up) and what answered it (down), transitively."""
    if direction not in ("up", "down", "both"):
        raise InvalidDataError("is up, down or both", field="direction")
    check_limit(max_depth, field="max_depth", low=1, high=100)
    start = resolve(store, measure, field="measure", types=(EntityType.MEASURE,))
    depth = {start: 0}
    links = {}
    walks = {"up": (Direction.OUT, -1), "down": (Direction.IN, 1)}
    for name in (["up", "down"] if direction == "both" else [direction]):
        edge_direction, sign = walks[name]
        frontier = [start]
        for level in range(1, max_depth + 1):
            deadline.check()
            reached = []
            for relation in store.edges(frontier, edge_direction, [RelationType.RETALIATES_AGAINST]):
                links[relation.key] = relation
                nxt = relation.target if edge_direction is Direction.OUT else relation.source
                if nxt not in depth:
                    depth[nxt] = sign * level
                    reached.append(nxt)
            if not reached:
                break
            frontier = reached
    deadline.check()
    views = describe_measures(store, depth, scale)
    return ChainAnswer(
        measure=views[start].entity,
        direction=direction,
        data=sorted(views.values(), key=_date_key),
        depth=depth,
        links=steps_with_evidence(store, [links[k] for k in sorted(links)]),
    )


class ImpactAnswer(Answer):
    """Who a measure hits (GET /v1/measures/{measure}/impact): the goods it covers and who depends on them."""

    measure: MeasureView
    origin: EntityRef | None = Field(description="whose supply the covered goods are read as, for export-side measures")
    hits: list[Dependent] = Field(description="dependents in the targeted countries (or the targets themselves)")
    elsewhere: list[Dependent] = Field(description="other dependents of the covered goods")
    count: int = Field(description="hits and elsewhere together")
    trade: list[AffectedTrade] = Field(
        description="the value of the trade the measure bears on, by year, from trade flows (docs/trade.md): the target's exports of the "
        "covered goods to the imposer, or for an export-side measure the imposer's exports to the target; empty without flows or HS codes"
    )


def impact(
    store: GraphStore, measure: str, *, max_depth: int = 4, scale: IntensityScale | None = None, deadline: Deadline = NO_DEADLINE
) -> ImpactAnswer:
    """The goods a measure covers, and who depends on them: first in the countries it targets."""
    check_limit(max_depth, field="max_depth", low=1, high=MAX_DEPTH)
    measure_id = resolve(store, measure, field="measure", types=(EntityType.MEASURE,))
    view = describe_measures(store, [measure_id], scale)[measure_id]
    origin = None
    if view.measure.measure_type in EXPORT_SIDE:
        origin = next((i for i in view.imposers if i.type is EntityType.COUNTRY), None)
    targeted: set[str] = set()
    for target in view.targets:
        targeted |= actors_of(store, target.id)
    found: dict[str, Dependent] = {}
    for good in view.covers:
        answer = dependents(
            store, good.id, origin=origin.id if origin else None, max_depth=max_depth, limit=MAX_RESULTS, deadline=deadline
        )
        for dependent in answer.data:
            current = found.get(dependent.entity.id)
            if current is None or (dependent.exposure or 0) > (current.exposure or 0):
                found[dependent.entity.id] = dependent
    hits = [d for d in found.values() if d.entity.id in targeted]
    elsewhere = [d for d in found.values() if d.entity.id not in targeted]
    order = lambda d: (d.exposure is None, -(d.exposure or 0), d.hops, d.entity.id)
    return ImpactAnswer(
        measure=view,
        origin=origin,
        hits=sorted(hits, key=order),
        elsewhere=sorted(elsewhere, key=order),
        count=len(found),
        trade=affected_trade(
            store, [i.id for i in view.imposers], [t.id for t in view.targets], [g.id for g in view.covers],
            export_side=view.measure.measure_type in EXPORT_SIDE,
        ),
    )
