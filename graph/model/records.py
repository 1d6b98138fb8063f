"""The domain model: entities, relations, evidence and documents as pydantic v2 models.

Validation happens here, once, on the way in: a relation whose endpoint types its type does not
allow, an id whose prefix lies about its type or a share of 1.5 never reaches a store. Stores and
queries can then trust every object they hold.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from graph.model.claims import Candidate, choose
from graph.model.decisions import Decision
from graph.model.enums import EntityType, LifecycleStage, MeasureStatus, MeasureType, RelationType
from graph.model.errors import InvalidDataError
from graph.model.ids import check_entity_id, document_id, normalize_text
from graph.model.ontology import ontology
from graph.model.periods import PERIODS, Period, format_periods, parse_periods, union
from graph.model.units import canonical_unit

__all__ = [
    "Evidence",
    "Document",
    "LifecycleEvent",
    "MeasureAttributes",
    "Entity",
    "Relation",
    "Batch",
    "parse",
    "relation_key",
    "keeping_claims",
    "with_stated_claims",
    "chosen_values",
    "SHARE_FIELD",
    "ATTRIBUTE_PREFIX",
]

Scalar = str | int | float | bool | None
AttributeValue = Scalar | list[str]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]
# Names by language. Stated as additionalProperties plus propertyNames: the patternProperties that
# pydantic derives from the key pattern is ignored by client generators (they saw an empty object).
Names = Annotated[
    dict[Lang, Name],
    WithJsonSchema(
        {
            "type": "object",
            "description": "the entity's names by language code (BCP 47: en, zh, zh-Hant...), at least one",
            "minProperties": 1,
            "propertyNames": {"pattern": LANG_PATTERN},
            "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 300},
            "examples": [{"en": "China", "zh": "中国"}],
        }
    ),
]
DocumentId = Annotated[str, StringConstraints(pattern=r"^doc:[0-9a-f]{16}$")]
Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=False, ser_json_inf_nan="null")
# Models every dump writes whole (the API's answers and the export alike): the fields with a
# default are still always there, so their OpenAPI (serialization) schema marks them required.
_WHOLE = ConfigDict(**_STRICT, json_schema_serialization_defaults_required=True)


def _always_sent(*names: str):  # noqa: ANN202 - a classmethod for pydantic's JSON schema hook
    """A ``__get_pydantic_json_schema__`` that marks ``names`` required in the serialization
    (answer) schema only: fields with a default that every dump carries, even the export's,
    which leaves out nulls. Input (facts files, request bodies) may still omit them."""

    def hook(cls: type[BaseModel], core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(core_schema)
        if handler.mode == "serialization":
            target = handler.resolve_ref_schema(json_schema)
            required = set(target.get("required", [])) | set(names)
            target["required"] = [name for name in cls.model_fields if name in required]
        return json_schema

    return classmethod(hook)


class Evidence(BaseModel):
    """Where a fact was read: the exact quote and its character span in a document."""

    model_config = ConfigDict(**_WHOLE, frozen=True)

    document_id: DocumentId
    quote: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=1)]
    extractor: Annotated[str, StringConstraints(min_length=1, max_length=100)] = "curated"
    confidence: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)] = 1.0

    @model_validator(mode="after")
    def _span_fits_quote(self) -> "Evidence":
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"span {self.start}..{self.end} is {self.end - self.start} characters "
                f"but the quote has {len(self.quote)}"
            )
        return self

    @property
    def key(self) -> tuple[str, int, int, str]:
        """Two evidence records with the same key are the same reading of the same words."""
        return (self.document_id, self.start, self.end, self.extractor)


class Document(BaseModel):
    """A source text. Its id comes from its normalised text, so re-reading a file is a no-op.

    The text is kept normalised (graph.model.ids.normalize_text) and every evidence span indexes into
    that form."""

    model_config = _WHOLE

    id: DocumentId | None = None
    title: Annotated[str, StringConstraints(max_length=1000)] | None = None
    url: Annotated[str, StringConstraints(max_length=2000)] | None = None
    published: date | None = None
    language: Lang | None = None
    source: Annotated[str, StringConstraints(max_length=1000)] | None = None
    ingested: dt.datetime | None = Field(
        default=None,
        description="system time: when this store first took the document (UTC). Set by the store; a batch "
        "that carries it (a sync, or an export read back) keeps the original",
    )
    text: str

    @field_validator("ingested")
    @classmethod
    def _utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        """System times are compared across stores and clients: always aware, always UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("ingested needs a time zone (UTC: ...Z or +00:00)")
        return value.astimezone(dt.UTC)

    @model_validator(mode="after")
    def _id_from_text(self) -> "Document":
        self.text = normalize_text(self.text)
        if not self.text:
            raise ValueError("the text is empty")
        expected = document_id(self.text)
        if self.id is None:
            self.id = expected
        elif self.id != expected:
            raise ValueError(f"id {self.id!r} does not match the text (expected {expected!r})")
        return self


class LifecycleEvent(BaseModel):
    """One event of a measure's lifecycle: what happened (``stage``), on which day, and the words
    that say so. ``date`` is None when the source gives none: such an event is placed at its
    document's publication date at the latest (graph/time_view.py).

    Not ``_WHOLE``: the export leaves out nulls, so ``date`` and ``evidence`` may be absent."""

    model_config = ConfigDict(**_STRICT, frozen=True)

    stage: LifecycleStage = Field(description="what happened: threatened, announced, in_force, extended, suspended, lifted or expired")
    date: dt.date | None = Field(default=None, description="the day it happened, when the source says")
    evidence: Evidence | None = Field(default=None, description="the words that report it")

    @property
    def key(self) -> tuple:
        """Two events with the same key are the same report of the same event."""
        return (self.stage.order, self.date or dt.date.min, self.evidence.key if self.evidence else ())


def events_from_summary(
    status: MeasureStatus,
    announced: dt.date | None,
    effective: dt.date | None,
    ended: dt.date | None,
    evidence: Evidence | None = None,
) -> list[LifecycleEvent]:
    """The lifecycle that a status and three dates tell, as one source states them.

    ``announced`` is when the measure was made public: a threat if it is still only threatened,
    else an announcement. ``effective`` is an event only once the measure has taken force (for a
    threatened or announced measure it is the planned day, not something that happened), and so
    is ``ended`` once it is suspended or lifted. A status no date goes with is an undated event."""
    events: list[tuple[LifecycleStage, dt.date | None]] = []
    took_force = status in (MeasureStatus.IN_FORCE, MeasureStatus.SUSPENDED, MeasureStatus.LIFTED)
    if announced is not None:
        events.append((LifecycleStage.THREATENED if status is MeasureStatus.THREATENED else LifecycleStage.ANNOUNCED, announced))
    if took_force and (effective is not None or status is MeasureStatus.IN_FORCE):
        events.append((LifecycleStage.IN_FORCE, effective))
    if status in (MeasureStatus.SUSPENDED, MeasureStatus.LIFTED):
        events.append((LifecycleStage(status.value), ended))
    if not events:
        events.append((LifecycleStage(status.value), None))
    return [LifecycleEvent(stage=stage, date=day, evidence=evidence) for stage, day in events]


#: The values of a measure that sources state and may disagree on, besides its dates (which its
#: lifecycle events carry) and its status (which changes over time: events again).
CLAIMED_FIELDS = ("rate", "previous_rate", "amount", "unit", "legal_reference")
#: A relation's claims are about its ``share`` and its attributes, an entity's about its
#: attributes, each named ``attributes.<name>``.
SHARE_FIELD = "share"
ATTRIBUTE_PREFIX = "attributes."


class Claim(BaseModel):
    """One source's statement of one value, with the words: a measure's rate, amount, unit or
    legal reference; a relation's share or one of its attributes; an entity's attribute."""

    model_config = ConfigDict(**_STRICT, frozen=True)

    field: Annotated[str, StringConstraints(pattern="^(" + "|".join((*CLAIMED_FIELDS, SHARE_FIELD)) + r"|attributes\..{1,100})$")] = Field(
        description="the value stated: on a measure " + ", ".join(CLAIMED_FIELDS) + "; on a relation share or "
        "attributes.<name>; on an entity attributes.<name>"
    )
    value: bool | int | float | str = Field(description="the value this source states")
    evidence: Evidence | None = Field(default=None, description="the words that state it")

    @property
    def key(self) -> tuple:
        return (self.field, str(self.value), self.evidence.key if self.evidence else ())


def merge_claims(*lists: list[Claim]) -> list[Claim]:
    """Every claim of every list once, in the order they arrived (the choice rule's "latest")."""
    return list({c.key: c for claims in lists for c in claims}.values())


def with_stated_claims(subject: M) -> M:
    """A curated reading (a facts file's entity or relation) with what it states as claims, each
    citing its first piece of evidence: a relation's share and attributes, an entity's attributes
    (scalar ones; ``periods`` aside, since validity adds up and is not chosen). Claims it gives
    are kept. The rule extractor states a relation's share the same way (ingest/extract/build.py);
    what a trade dataset derives (a share per year: a series, not reports that disagree), GTA's
    records (one source each) and the lexicon's reference data (ISO and HS codes, added later in
    the pipeline) are not claims."""
    if subject.claims or not subject.evidence:
        return subject
    evidence = subject.evidence[0]
    claims = [Claim(field=SHARE_FIELD, value=subject.share, evidence=evidence)] if getattr(subject, "share", None) is not None else []
    claims += [
        Claim(field=ATTRIBUTE_PREFIX + name, value=value, evidence=evidence)
        for name, value in sorted(subject.attributes.items())
        if name != PERIODS and isinstance(value, (bool, int, float, str))
    ]
    return subject.model_copy(update={"claims": claims}) if claims else subject


def chosen_values(claims: list[Claim]) -> dict[str, Any]:
    """The value the choice rule (graph/model/claims.py) picks for each field ``claims`` state;
    claims are in the order they arrived, so the latest is the last."""
    by_field: dict[str, list[tuple[Any, Evidence | None, int]]] = {}
    for n, claim in enumerate(claims):
        by_field.setdefault(claim.field, []).append((claim.value, claim.evidence, n))
    return {name: choose(_candidates(stated)) for name, stated in by_field.items()}


def _apply_choices(claims: list[Claim], attributes: dict[str, Any], values: dict[str, Any], gone: set[str] = frozenset()) -> None:
    """Set in ``attributes`` and ``values`` (the share) what the claims choose; a field in
    ``gone`` that no claim states any more is cleared."""
    chosen = chosen_values(claims)
    for name in gone - chosen.keys():
        if name == SHARE_FIELD:
            values[SHARE_FIELD] = None
        else:
            attributes.pop(name.removeprefix(ATTRIBUTE_PREFIX), None)
    for name, value in chosen.items():
        if name == SHARE_FIELD:
            values[SHARE_FIELD] = value
        else:
            attributes[name.removeprefix(ATTRIBUTE_PREFIX)] = value


def keeping_claims(subject: "Entity | Relation", keep: "Callable[[Claim], bool]") -> "Entity | Relation":
    """``subject`` with only the claims ``keep`` accepts and its values chosen again among them
    (a value only the dropped claims stated is gone): what a document's removal leaves, or what
    the store knew at a moment. ``subject`` itself when nothing is dropped."""
    kept = [c for c in subject.claims if keep(c)]
    if len(kept) == len(subject.claims):
        return subject
    attributes = dict(subject.attributes)
    values: dict[str, Any] = {}
    _apply_choices(kept, attributes, values, {c.field for c in subject.claims})
    return subject.model_copy(update={"claims": kept, "attributes": attributes, **values})


def merge_events(*lists: list[LifecycleEvent]) -> list[LifecycleEvent]:
    """Every event of every list once, in date order (undated ones last, then by stage): two
    sources about one measure add up, neither overwrites the other's dates."""
    by_key = {e.key: e for events in lists for e in events}
    return sorted(by_key.values(), key=lambda e: (e.date is None, e.key))


class MeasureAttributes(BaseModel):
    """What a measure does and when. ``rate`` and ``previous_rate`` are percentages (155.0 = 155%).

    ``status``, ``announced``, ``effective`` and ``ended`` are what the latest reading states;
    ``events`` is the whole lifecycle every reading contributed, each event with its evidence, and
    the status on any given day is derived from it (graph/time_view.py)."""

    model_config = ConfigDict(**_STRICT)

    measure_type: MeasureType
    status: MeasureStatus
    announced: date | None = None
    effective: date | None = None
    ended: date | None = None
    rate: Annotated[float, Field(ge=0, le=100000, allow_inf_nan=False)] | None = None
    previous_rate: Annotated[float, Field(ge=0, le=100000, allow_inf_nan=False)] | None = None
    amount: Annotated[float, Field(allow_inf_nan=False)] | None = None
    unit: Annotated[str, StringConstraints(max_length=40)] | None = None
    legal_reference: Annotated[str, StringConstraints(max_length=500)] | None = None
    events: list[LifecycleEvent] = Field(
        default_factory=list,
        max_length=1000,
        description="the lifecycle, in date order (undated events last); derived from status and dates when a source gives none",
    )
    claims: list[Claim] = Field(
        default_factory=list,
        max_length=1000,
        description="each source's statement of the rate, previous rate, amount, unit and legal reference, in the order "
        "they arrived; the attributes above hold the value the choice rule picks (graph/model/claims.py)",
    )

    @field_validator("claims")
    @classmethod
    def _claims_of_a_measure(cls, claims: list[Claim]) -> list[Claim]:
        wrong = [c.field for c in claims if c.field not in CLAIMED_FIELDS]
        if wrong:
            raise ValueError(f"a measure's claims are about {', '.join(CLAIMED_FIELDS)}, not {wrong[0]}")
        return claims

    @field_validator("unit", mode="before")
    @classmethod
    def _one_spelling(cls, value: object) -> object:
        """"percent", "per cent", "pct" and "%" are one unit, stored as "%" (graph/model/units.py)."""
        return canonical_unit(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _dates_in_order(self) -> "MeasureAttributes":
        if self.announced and self.ended and self.ended < self.announced:
            raise ValueError("ended is before announced")
        if self.effective and self.ended and self.ended < self.effective:
            raise ValueError("ended is before effective")
        return self

    @property
    def timeline_date(self) -> dt.date | None:
        """The date a measure sits at on a timeline: when it was announced, else when it took
        effect, else its earliest dated event."""
        return self.announced or self.effective or next((e.date for e in self.events if e.date), None)

    def with_claims(self, evidence: Evidence | None) -> "MeasureAttributes":
        """These attributes with ``claims`` filled from the stated values when none were given,
        each citing ``evidence`` (the reading's first piece)."""
        if self.claims:
            return self
        stated = [Claim(field=name, value=value, evidence=evidence) for name in CLAIMED_FIELDS if (value := getattr(self, name)) is not None]
        return self.model_copy(update={"claims": stated}) if stated else self

    def with_events(self, evidence: Evidence | None) -> "MeasureAttributes":
        """These attributes with ``events`` filled from status and dates when none were given,
        each derived event citing ``evidence`` (the reading's first piece)."""
        if self.events:
            return self
        derived = events_from_summary(self.status, self.announced, self.effective, self.ended, evidence)
        return self.model_copy(update={"events": derived})

    @property
    def mast_chapter(self) -> str | None:
        return ontology().measures[self.measure_type].mast


def _merge_attributes(old: dict[str, Any], new: dict[str, Any], *, replace: bool = True) -> dict[str, Any]:
    """``old`` with the values ``new`` sets (None sets nothing); with ``replace`` False, only
    where ``old`` has none."""
    merged = dict(old)
    merged.update({k: v for k, v in new.items() if v is not None and (replace or merged.get(k) is None)})
    return merged


def _merge_evidence(old: list[Evidence], new: list[Evidence]) -> list[Evidence]:
    by_key = {e.key: e for e in old}
    for item in new:
        by_key.setdefault(item.key, item)
    return sorted(by_key.values(), key=lambda e: e.key)


class Entity(BaseModel):
    """A node: a country, organisation, firm, person, measure, commodity or product."""

    model_config = _STRICT
    __get_pydantic_json_schema__ = _always_sent("type", "aliases", "attributes", "evidence", "claims")

    id: str = Field(description="`<prefix>:<key>`; the prefix names the type (country:CN, measure:us-tariff-2025-04)")
    type: EntityType | None = Field(default=None, description="the type; taken from the id's prefix when not given")
    names: Names = Field(min_length=1)
    aliases: list[Name] = Field(default_factory=list, max_length=500, description="other names it is known by, any language")
    attributes: dict[Annotated[str, StringConstraints(max_length=100)], AttributeValue] = Field(
        default_factory=dict, description="further typed attributes (HS code, ISO code, sector...)"
    )
    measure: MeasureAttributes | None = Field(default=None, description="what the measure does and when; on a Measure only")
    evidence: list[Evidence] = Field(default_factory=list, description="the sentences that name or describe the entity")
    claims: list[Claim] = Field(
        default_factory=list,
        max_length=1000,
        description="each curated source's statement of an attribute (attributes.<name>), in the order they arrived; "
        "`attributes` holds the value the choice rule picks (graph/model/claims.py). The lexicon's reference data "
        "(ISO and HS codes) and the rule extractor's bookkeeping are not claims",
    )

    @model_validator(mode="after")
    def _typed_id(self) -> "Entity":
        declared = check_entity_id(self.id)
        if self.type is None:
            self.type = declared
        elif self.type != declared:
            raise ValueError(f"id {self.id!r} has the prefix of {declared}, not {self.type}")
        if (self.type is EntityType.MEASURE) != (self.measure is not None):
            raise ValueError("measure attributes are required on a Measure and allowed nowhere else")
        if self.measure is not None:
            # Every event cites words: its own, else the measure's first piece of evidence.
            cited = self.evidence[0] if self.evidence else None
            measure = self.measure.with_events(cited).with_claims(cited)
            if cited is not None and any(e.evidence is None for e in measure.events):
                events = [e if e.evidence else e.model_copy(update={"evidence": cited}) for e in measure.events]
                measure = measure.model_copy(update={"events": merge_events(events)})
            if cited is not None and any(c.evidence is None for c in measure.claims):
                claims = [c if c.evidence else c.model_copy(update={"evidence": cited}) for c in measure.claims]
                measure = measure.model_copy(update={"claims": merge_claims(claims)})
            self.measure = measure
        for key, value in self.attributes.items():
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"attribute {key!r} is not a finite number")
        self.aliases = sorted(set(self.aliases) - set(self.names.values()))
        if any(not c.field.startswith(ATTRIBUTE_PREFIX) for c in self.claims):
            raise ValueError("an entity's claims are about its attributes (attributes.<name>)")
        return self

    @property
    def name(self) -> str:
        """The display name: English when there is one, else the first name given."""
        return self.names.get("en") or next(iter(self.names.values()))

    def merged(self, other: "Entity", *, replace: bool = True) -> "Entity":
        """This entity with another reading of it folded in; merging the same reading twice is a no-op.
        Names already given stay; the other reading's attribute and measure values replace these
        unless ``replace`` is False, when they only fill what this entity lacks."""
        measure = self.measure
        if self.measure and other.measure:
            measure = _merged_measure(self, other, replace=replace)
        attributes = _merge_attributes(self.attributes, other.attributes, replace=replace)
        claims = _merged_claims(self.claims, other.claims, attributes, {}, replace=replace)
        return Entity(
            id=self.id,
            type=self.type,
            names={**other.names, **self.names},
            aliases=sorted(set(self.aliases) | set(other.aliases) | set(other.names.values())),
            attributes=attributes,
            measure=measure,
            evidence=_merge_evidence(self.evidence, other.evidence),
            claims=claims,
        )


def _merged_claims(mine: list[Claim], theirs: list[Claim], attributes: dict[str, Any], values: dict[str, Any], *, replace: bool) -> list[Claim]:
    """Two readings' claims as one list, the values they state chosen again into ``attributes``
    and ``values``; a reading taken again (``replace`` False) brings no new claims."""
    if not replace:
        return mine or theirs
    claims = merge_claims(mine, theirs)
    if theirs:  # otherwise the other reading stated nothing that could change a choice
        _apply_choices(claims, attributes, values)
    return claims


def _first(entity: Entity) -> Evidence | None:
    return entity.evidence[0] if entity.evidence else None


def _candidates(statements: list[tuple[Any, Evidence | None, int]]) -> list[Candidate]:
    """(value, evidence, arrival) statements as the choice rule's candidates."""
    return [
        Candidate(value, evidence is not None and evidence.extractor == "curated", evidence and evidence.document_id, arrival)
        for value, evidence, arrival in statements
    ]


_DATED_STAGES = (("announced", (LifecycleStage.ANNOUNCED, LifecycleStage.THREATENED)), ("effective", (LifecycleStage.IN_FORCE,)))


def _choose_shown(values: dict[str, Any], events: list[LifecycleEvent], claims: list[Claim], shown: MeasureAttributes, later: set) -> None:
    """Set in ``values`` the rate, amount... and the dates the choice rule picks among what the
    sources state. Claims are in the order they arrived, so the latest is the last; among events
    (kept in date order) the latest are those this write brings (``later``), then the date shown
    until now, so taking a reading again moves nothing."""
    for name in CLAIMED_FIELDS:
        stated = [(c.value, c.evidence, n) for n, c in enumerate(claims) if c.field == name]
        if stated:
            values[name] = choose(_candidates(stated))
    for name, stages in _DATED_STAGES:
        for stage in stages:
            stated = [
                (e.date, e.evidence, 2 if e.key in later else 1 if e.date == getattr(shown, name) else 0)
                for e in events if e.stage is stage and e.date is not None
            ]
            if stated:
                values[name] = choose(_candidates(stated))
                break


def _measure_from(values: dict[str, Any], events: list[LifecycleEvent], claims: list[Claim]) -> MeasureAttributes:
    """The attributes once shown values were chosen again; a stated end before a start that moved
    past it is dropped (the events keep both reports)."""
    starts = [d for d in (values.get("announced"), values.get("effective")) if d is not None]
    if values.get("ended") and starts and values["ended"] < max(starts):
        values["ended"] = None
    return MeasureAttributes(**values, events=events, claims=claims)


def _merged_measure(entity: Entity, other: Entity, *, replace: bool) -> MeasureAttributes:
    """Two readings of a measure as one: every event and every stated value kept with its words,
    and the values shown picked by the choice rule (graph/model/claims.py); a reading taken again
    (``replace`` False) only fills what is missing."""
    mine = entity.measure.with_events(_first(entity)).with_claims(_first(entity))
    theirs = other.measure.with_events(_first(other)).with_claims(_first(other))
    plain = {"events", "claims"}
    values = _merge_attributes(mine.model_dump(exclude=plain), theirs.model_dump(exclude=plain), replace=replace)
    if not replace:
        return MeasureAttributes(**values, events=mine.events or theirs.events, claims=mine.claims or theirs.claims)
    events = merge_events(mine.events, theirs.events)
    claims = merge_claims(mine.claims, theirs.claims)
    _choose_shown(values, events, claims, mine, {e.key for e in events} - {e.key for e in mine.events})
    return _measure_from(values, events, claims)


def without_reports_from(measure: MeasureAttributes, document_id: str) -> MeasureAttributes:
    """A measure's attributes once a document is removed: its events and stated values go, and
    what is shown is chosen again among the reports left (a value only it stated is gone; the
    status is where the remaining events leave the measure)."""
    events = [e for e in measure.events if e.evidence is None or e.evidence.document_id != document_id]
    claims = [c for c in measure.claims if c.evidence is None or c.evidence.document_id != document_id]
    if (len(events), len(claims)) == (len(measure.events), len(measure.claims)):
        return measure
    values = measure.model_dump(exclude={"events", "claims"})
    values |= {name: None for name in CLAIMED_FIELDS}  # a value no source left states is gone
    gone = {e.date for e in measure.events if e not in events}
    for name, _ in _DATED_STAGES:
        if values.get(name) in gone:
            values[name] = None  # only the removed document's event gave this date (unless another does)
    _choose_shown(values, events, claims, measure, set())
    ended = [e.date for e in events if e.stage in _ENDINGS and e.date is not None]
    values["ended"] = max(ended) if ended else (None if values.get("ended") in gone else values.get("ended"))
    dated = [e for e in events if e.date is not None]
    if events:  # where the last event left it; a dated one, when there is one, sorts before the undated
        values["status"] = (dated or events)[-1].stage.status_after
    return _measure_from(values, events, claims)


_ENDINGS = (LifecycleStage.SUSPENDED, LifecycleStage.LIFTED, LifecycleStage.EXPIRED)


def relation_key(source: str, type: str, target: str, origin: str | None = None) -> str:
    """The identity of a relation. ``origin`` is part of it: relying on magnets from China and on
    magnets from Japan are two facts."""
    return f"{source}|{type}|{target}|{origin or ''}"


class Relation(BaseModel):
    """An edge, with its typed attributes (share, origin, validity) and its evidence."""

    model_config = _STRICT
    __get_pydantic_json_schema__ = _always_sent("attributes", "evidence", "claims")

    source: str
    type: RelationType
    target: str
    share: Share | None = None
    origin: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    attributes: dict[Annotated[str, StringConstraints(max_length=100)], AttributeValue] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)
    claims: list[Claim] = Field(
        default_factory=list,
        max_length=1000,
        description="each source's statement of the share and of each attribute (share, attributes.<name>), in the order "
        "they arrived, for relations read in text or curated; `share` and `attributes` hold the values the choice rule "
        "picks (graph/model/claims.py)",
    )

    @field_validator("origin")
    @classmethod
    def _origin_is_country(cls, value: str | None) -> str | None:
        if value is not None and check_entity_id(value, "origin") is not EntityType.COUNTRY:
            raise ValueError(f"origin {value!r} is not a country id")
        return value

    @model_validator(mode="after")
    def _endpoints_allowed(self) -> "Relation":
        rule = ontology().relations[self.type]
        source_type = check_entity_id(self.source, "source")
        target_type = check_entity_id(self.target, "target")
        if source_type not in rule.sources:
            raise ValueError(f"{self.type} cannot start at a {source_type} ({self.source})")
        if target_type not in rule.targets:
            raise ValueError(f"{self.type} cannot end at a {target_type} ({self.target})")
        if self.share is not None and "share" not in rule.attributes:
            raise ValueError(f"{self.type} carries no share")
        if self.origin is not None and "origin" not in rule.attributes:
            raise ValueError(f"{self.type} carries no origin")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if PERIODS in self.attributes:
            self._check_periods()
        if self.source == self.target:
            raise ValueError("a relation cannot join an entity to itself")
        if any(name.startswith("@") for name in self.attributes):
            raise InvalidDataError("attribute names starting with @ are reserved", field="attributes")
        if any(c.field != SHARE_FIELD and not c.field.startswith(ATTRIBUTE_PREFIX) for c in self.claims):
            raise ValueError("a relation's claims are about its share and its attributes (share, attributes.<name>)")
        return self

    def _check_periods(self) -> None:
        """Several disjoint periods, in order, whose envelope ``valid_from``/``valid_to`` state
        (filled in when not given): graph/model/periods.py."""
        try:
            periods = parse_periods(self.attributes[PERIODS])
        except ValueError as e:
            raise InvalidDataError(str(e), field=f"attributes.{PERIODS}") from e
        if union(periods) != periods or len(periods) < 2:
            raise InvalidDataError("periods are at least two disjoint intervals in date order (one interval is valid_from/valid_to)", field=f"attributes.{PERIODS}")
        envelope = (periods[0][0], periods[-1][1])
        if (self.valid_from, self.valid_to) == (None, None):
            self.valid_from, self.valid_to = envelope
        elif (self.valid_from, self.valid_to) != envelope:
            raise InvalidDataError("valid_from and valid_to must be the first period's start and the last one's end", field="valid_from")

    @property
    def key(self) -> str:
        return relation_key(self.source, self.type, self.target, self.origin)

    @property
    def periods(self) -> list[Period]:
        """When the relation holds: its periods, else its one interval, else nothing said (always)."""
        if PERIODS in self.attributes:
            return parse_periods(self.attributes[PERIODS])
        if self.valid_from is None and self.valid_to is None:
            return []
        return [(self.valid_from, self.valid_to)]

    def merged(self, other: "Relation", *, replace: bool = True) -> "Relation":
        """This relation with another reading of the same fact folded in; with ``replace`` False,
        the other reading's values only fill what this relation lacks (as ``Entity.merged``).
        Two readings' validity adds up: disjoint intervals stay apart (``periods``)."""
        plain = {"evidence", "attributes", "claims"}
        mine, theirs = self.model_dump(exclude=plain), other.model_dump(exclude=plain)
        data = _merge_attributes(mine, theirs, replace=replace)
        attributes = _merge_attributes(self.attributes, other.attributes, replace=replace)
        data["claims"] = _merged_claims(self.claims, other.claims, attributes, data, replace=replace)
        if replace and self.periods and other.periods and self.periods != other.periods:
            periods = union(self.periods + other.periods)
            data["valid_from"], data["valid_to"] = periods[0][0], periods[-1][1]
            attributes.pop(PERIODS, None)
            if len(periods) > 1:
                attributes[PERIODS] = format_periods(periods)
        return Relation(**data, attributes=attributes, evidence=_merge_evidence(self.evidence, other.evidence))


class Batch(BaseModel):
    """What one write carries. A store writes a batch whole or not at all."""

    model_config = _STRICT

    documents: list[Document] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list, description="review decisions (graph/model/decisions.py)")
    copied: bool = Field(
        default=False,
        description="a copy of a store's content (a sync, an export read back): an entity a store kept without evidence, "
        "after its last document was removed, because relations other documents support need it, is taken beside "
        "those relations; any other batch needs evidence for every entity",
    )


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Any, *, file: str | None = None, line: int | None = None) -> M:
    """Validate ``data`` as ``model``, turning pydantic's error into one that names file, line and field."""
    try:
        return model.model_validate(data)
    except InvalidDataError as e:
        raise e.located(file=file, line=line) from e
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        message = first["msg"].removeprefix("Value error, ")
        raise InvalidDataError(message, file=file, line=line, field=field) from e
