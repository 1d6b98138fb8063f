"""A jurisdiction's page (GET /v1/countries/{country}/profile): the measures it imposed and those
aimed at it, by type and year, the counterparts it deals with most, and, for a country, what
others depend on it for and what it depends on.

A bloc (the EU) is a jurisdiction too: with ``members`` its member states' measures, imposed and
received, count with its own, each measure once; without, only what the bloc itself does.
Measures are those ``list_measures`` selects for the actor as imposer or as target (an actor acts
through its agencies, officials and firms: ``actors_of``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import Field

from graph.model.enums import EntityType, MeasureType, RelationType
from graph.queries.common import Answer, EntityRef, ref, refs, resolve
from graph.queries.deadline import NO_DEADLINE, Deadline
from graph.queries.dependencies import DependenciesAnswer, LeverageAnswer, dependencies, leverage
from graph.queries.measures import MeasureFilter, MeasureView, matching_measures
from graph.store import Direction, GraphStore

__all__ = ["JurisdictionProfile", "TypeYearCount", "Counterpart", "profile"]

TOP_COUNTERPARTS = 10
TOP_DEPENDENCIES = 10


class TypeYearCount(Answer):
    """How many measures of one type fall in one year."""

    year: int | None = Field(description="the year of the measures' date; null for undated measures")
    measure_type: MeasureType
    count: int


class Counterpart(Answer):
    """Another jurisdiction the one asked about imposed measures on, or received measures from."""

    entity: EntityRef
    imposed_on: int = Field(description="measures the jurisdiction asked about imposed that target it")
    received_from: int = Field(description="measures it imposed that target the jurisdiction asked about")


class JurisdictionProfile(Answer):
    """A country's or a bloc's measures both ways, its counterparts, its leverage and dependencies."""

    entity: EntityRef
    members: list[EntityRef] = Field(description="the member states counted with a bloc (members=true); empty otherwise")
    imposed: list[TypeYearCount] = Field(description="measures it imposed, by year and type, years in order (undated last)")
    received: list[TypeYearCount] = Field(description="measures aimed at it, by year and type")
    imposed_total: int = Field(description="measures it imposed, each once")
    received_total: int = Field(description="measures aimed at it, each once")
    counterparts: list[Counterpart] = Field(description=f"the countries and blocs on the other side most often, at most {TOP_COUNTERPARTS}")
    leverage: LeverageAnswer | None = Field(description=f"what others depend on it for, the {TOP_DEPENDENCIES} most exposed (GET /v1/countries/{{country}}/leverage); null for a bloc")
    dependencies: DependenciesAnswer = Field(description="what it relies on, and from whom (GET /v1/entities/{entity}/dependencies)")


def _by_type_and_year(views: list[MeasureView]) -> list[TypeYearCount]:
    counts = Counter((v.date.year if v.date else None, v.measure.measure_type) for v in views)
    rows = [TypeYearCount(year=year, measure_type=kind, count=n) for (year, kind), n in counts.items()]
    return sorted(rows, key=lambda r: (r.year is None, r.year or 0, r.measure_type.value))


def _sides(refs_: list[EntityRef]) -> set[str]:
    return {r.id for r in refs_ if r.type is EntityType.COUNTRY or r.id.startswith("org:eu")}


def profile(
    store: GraphStore,
    jurisdiction: str,
    *,
    members: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> JurisdictionProfile:
    """The page of a country or a bloc (see the module docstring)."""
    entity_id = resolve(store, jurisdiction, field="country", types=(EntityType.COUNTRY, EntityType.ORGANIZATION))
    actors = [entity_id]
    member_ids: list[str] = []
    if members:
        member_ids = sorted(
            i for i in store.neighbour_ids([entity_id], Direction.IN, [RelationType.MEMBER_OF]) if i.startswith("country:")
        )
        actors += member_ids
    imposed: dict[str, MeasureView] = {}
    received: dict[str, MeasureView] = {}
    for actor in actors:
        imposed |= {v.entity.id: v for v in matching_measures(store, MeasureFilter(imposer=actor, since=since, until=until), deadline=deadline)}
        received |= {v.entity.id: v for v in matching_measures(store, MeasureFilter(target=actor, since=since, until=until), deadline=deadline)}
    ours = set(actors)
    on: Counter[str] = Counter(c for v in imposed.values() for c in _sides(v.targets) - ours)
    from_: Counter[str] = Counter(c for v in received.values() for c in _sides(v.imposers) - ours)
    top = sorted(set(on) | set(from_), key=lambda c: (-(on[c] + from_[c]), c))[:TOP_COUNTERPARTS]
    names = refs(store, top + member_ids)
    is_country = entity_id.startswith("country:")
    return JurisdictionProfile(
        entity=ref(store.entity(entity_id, evidence=False)),
        members=[names[i] for i in member_ids if i in names],
        imposed=_by_type_and_year(list(imposed.values())),
        received=_by_type_and_year(list(received.values())),
        imposed_total=len(imposed),
        received_total=len(received),
        counterparts=[Counterpart(entity=names[c], imposed_on=on[c], received_from=from_[c]) for c in top if c in names],
        leverage=leverage(store, entity_id, limit=TOP_DEPENDENCIES, deadline=deadline) if is_country else None,
        dependencies=dependencies(store, entity_id, deadline=deadline),
    )
