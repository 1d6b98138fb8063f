"""What every query family shares: resolving names to ids, and the shapes answers are built from."""

from __future__ import annotations

import os

from collections.abc import Iterable
from datetime import date

from pydantic import ConfigDict, Field

from graph.model.enums import EntityType, Provenance, RelationType
from graph.model.errors import AmbiguousNameError, InvalidDataError, NotFoundError
from graph.model.ids import entity_type_of
from graph.model.records import AttributeValue, Entity, Evidence, Relation
from graph.names import MatchKind, spelled_id
from graph.queries.answer import Answer
from graph.queries.conflicts import Conflict, claim_conflicts
from graph.store import GraphStore, Link

__all__ = [
    "Answer",
    "EntityRef",
    "Step",
    "ref",
    "refs",
    "resolve",
    "steps_with_evidence",
    "steps_of_links",
    "check_limit",
]

MAX_NAME_LENGTH = 300




class EntityRef(Answer):
    """An entity as answers name it: id, type and display names in every language known."""

    model_config = ConfigDict(json_schema_extra={"example": {"id": "country:CN", "type": "Country", "name": "China", "names": {"en": "China", "zh": "中国"}}})

    id: str = Field(description="the entity's id, `<prefix>:<key>`", examples=["country:CN"])
    type: EntityType
    name: str = Field(description="the display name: English when known, else the first name given")
    names: dict[str, str] = Field(default_factory=dict, description="the name in each language known, by language code")


class Step(Answer):
    """One relation on a path, with the sentences that support it."""

    source: str = Field(description="id of the entity the relation starts at")
    type: RelationType
    target: str = Field(description="id of the entity the relation ends at")
    share: float | None = Field(default=None, description="0 to 1: DEPENDS_ON, the part of the need covered; SUPPLIES, the part of world supply; MADE_FROM, the part of the input; null when unknown or not carried")
    origin: str | None = Field(default=None, description="DEPENDS_ON: id of the country the supply comes from; null when not said")
    valid_from: date | None = Field(default=None, description="first day the relation holds, when known")
    valid_to: date | None = Field(default=None, description="last day the relation holds, when known")
    attributes: dict[str, AttributeValue] = Field(default_factory=dict, description="further typed attributes of the relation")
    evidence: list[Evidence] = Field(default_factory=list, description="the sentences that support the relation")
    provenance: Provenance = Field(default=Provenance.TEXT, description="text: read in documents or curated facts; trade: computed from trade flows")
    dataset: str | None = Field(default=None, description="trade: the dataset the relation was computed from (e.g. BACI HS17 V202401); null for text")
    year: int | None = Field(default=None, description="trade: the year of the flows its share and value come from; null for text")
    conflict: bool = Field(default=False, description="true when sources state its share or an attribute differently (see conflicts)")
    conflicts: list[Conflict] = Field(default_factory=list, description="the share or attributes its sources disagree on, every value with its sources")
    doubtful: bool = Field(
        default=False,
        description="true when even its best evidence has a confidence below TRADEGRAPH_DOUBT_BELOW (0.5): "
        "read with care, and listed for review (GET /v1/review)",
    )


def provenance_of(relation: Relation) -> dict[str, object]:
    """A trade-derived relation names its dataset (``source``) and ``year`` in its attributes
    (ingest/trade_derive.py); any other relation was read in text."""
    dataset, year = relation.attributes.get("source"), relation.attributes.get("year")
    if isinstance(dataset, str) and isinstance(year, int):
        return {"provenance": Provenance.TRADE, "dataset": dataset, "year": year}
    return {"provenance": Provenance.TEXT, "dataset": None, "year": None}


def ref(entity: Entity) -> EntityRef:
    return EntityRef(id=entity.id, type=entity.type, name=entity.name, names=entity.names)


def refs(store: GraphStore, ids: list[str] | set[str]) -> dict[str, EntityRef]:
    """References for many ids in one store call."""
    return {i: ref(e) for i, e in store.entities(ids).items()}


def _candidates(store: GraphStore, text: str, entity_type: EntityType | None, limit: int = 10) -> list[dict]:
    matches = store.lookup(text, entity_type=entity_type, limit=limit)
    found = refs(store, [m.entity_id for m in matches])
    return [found[m.entity_id].model_dump(mode="json") for m in matches if m.entity_id in found]


def resolve(
    store: GraphStore,
    reference: str,
    *,
    field: str,
    types: tuple[EntityType, ...] = (),
) -> str:
    """The id an id, name or alias (any language) names. An unknown or ambiguous name is an error
    that lists the candidates, so a dashboard can offer them instead of guessing."""
    text = (reference or "").strip()
    if not text or len(text) > MAX_NAME_LENGTH:
        raise InvalidDataError(f"needs an id or a name of 1 to {MAX_NAME_LENGTH} characters", field=field)
    wanted = set(types)
    text = store.moved_to(text) or text  # an id merged away names the entity it was merged into
    named = spelled_id(text)  # an id, or an HS code naming its code entity (8505.11)
    if named is not None:
        try:
            declared = entity_type_of(named, field)
        except InvalidDataError:
            declared = None
        if declared is not None and store.known([named]):
            if wanted and declared not in wanted:
                raise InvalidDataError(
                    f"{text!r} is a {declared}; expected {' or '.join(sorted(wanted))}", field=field
                )
            return named
    matches = [m for m in store.lookup(text, limit=50) if m.kind == MatchKind.EXACT]
    if wanted:
        types_of = {i: e.type for i, e in store.entities([m.entity_id for m in matches]).items()}
        matches = [m for m in matches if types_of.get(m.entity_id) in wanted]
    ids = sorted({m.entity_id for m in matches})
    if not ids and len(text) == 2 and text.isascii() and text.isalpha():
        # An ISO 3166 alpha-2 code names its country even when no alias spells it out.
        code = f"country:{text.upper()}"
        if (not wanted or EntityType.COUNTRY in wanted) and store.known([code]):
            return code
    only = next(iter(wanted)) if len(wanted) == 1 else None
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        found = refs(store, ids)
        raise AmbiguousNameError(
            f"{text!r} names {len(ids)} entities; pass one of their ids",
            [found[i].model_dump(mode="json") for i in ids if i in found],
        )
    raise NotFoundError(f"no entity is called {text!r}", _candidates(store, text, only))


def doubt_below() -> float:
    """The confidence under which a fact's best evidence marks it doubtful
    (``TRADEGRAPH_DOUBT_BELOW``, 0.5 by default: the review queue's default threshold)."""
    raw = os.environ.get("TRADEGRAPH_DOUBT_BELOW", "0.5")
    try:
        value = float(raw)
    except ValueError:
        raise InvalidDataError(f"{raw!r} is not a number from 0 to 1", field="TRADEGRAPH_DOUBT_BELOW") from None
    if not 0.0 <= value <= 1.0:
        raise InvalidDataError(f"{raw!r} is not a number from 0 to 1", field="TRADEGRAPH_DOUBT_BELOW")
    return value


def doubtful(evidence: list[Evidence], below: float) -> bool:
    """Whether even the best of ``evidence`` is less confident than ``below`` (none: not doubtful)."""
    return bool(evidence) and max(e.confidence for e in evidence) < below


def steps_with_evidence(store: GraphStore, relations: list[Relation]) -> list[Step]:
    """Steps for ``relations``, their evidence fetched in one store call."""
    evidence = store.evidence([r.key for r in relations])
    below = doubt_below()
    return [
        Step(
            source=r.source,
            type=r.type,
            target=r.target,
            share=r.share,
            origin=r.origin,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            attributes=r.attributes,
            evidence=evidence.get(r.key, []),
            conflict=bool(disputed := claim_conflicts(r)),
            conflicts=disputed,
            doubtful=doubtful(evidence.get(r.key, []), below),
            **provenance_of(r),
        )
        for r in relations
    ]


def _stand_in(link: Link) -> Relation:
    return Relation.model_construct(source=link.source, type=link.type, target=link.target, share=link.share, origin=link.origin)


def steps_of_links(store: GraphStore, paths: Iterable[list[Link]]) -> dict[str, Step]:
    """Steps with evidence, by relation key, for the links on ``paths``: a walk reads Links, and
    builds Relations and evidence only for the few it answers with."""
    links = {link.key: link for path in paths for link in path}
    relations = store.relations(links, evidence=False)
    # A relation a write removed since the walk read it: the API answers again when the graph
    # version moved during a read, so a stand-in built from the link is never served.
    wanted = [relations.get(k) or _stand_in(links[k]) for k in links]
    return dict(zip(links, steps_with_evidence(store, wanted), strict=True))


def check_limit(value: int, *, field: str, low: int, high: int) -> int:
    """Hard caps live here so every entry point (API, CLI, library) enforces the same ones."""
    if not low <= value <= high:
        raise InvalidDataError(f"must be between {low} and {high}", field=field)
    return value
