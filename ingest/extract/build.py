"""Model objects from parts the extractor has already checked, without pydantic's validators.

The extractor builds hundreds of Evidence records and dozens of relations per document; running
pydantic validation on each was most of its time. Every value here comes from the lexicon (whose
entities were validated when it loaded) or from the document's own text, and the invariants the
validators enforce are checked here once, cheaply: relation endpoints against the ontology, no
self-loops, shares within 0..1, rates within bounds, evidence quotes cut from the text at their
span. The objects are the same as validated ones, field for field and with the same
``model_fields_set``, so a store or a JSON dump cannot tell them apart.
"""

from __future__ import annotations

import math
from datetime import date
from functools import cache
from typing import Any

from pydantic import BaseModel

from graph.model.enums import EntityType, MeasureStatus, MeasureType, RelationType
from graph.model.ids import check_entity_id
from graph.model.ontology import ontology
from graph.model.records import SHARE_FIELD, Batch, Claim, Document, Entity, Evidence, MeasureAttributes, Relation, events_from_summary

__all__ = ["EvidenceMaker", "relation", "measure_entity", "with_evidence", "batch", "allowed"]

_set = object.__setattr__
_EVIDENCE_SET = frozenset({"document_id", "quote", "start", "end", "extractor", "confidence"})
_RELATION_SET = frozenset({"source", "type", "target", "share", "origin", "evidence", "claims"})
_CLAIM_SET = frozenset({"field", "value", "evidence"})
_MEASURE_SET = frozenset(
    {"measure_type", "status", "announced", "effective", "ended", "rate", "previous_rate", "amount", "unit", "legal_reference", "events", "claims"}
)
_ENTITY_SET = frozenset({"id", "type", "names", "aliases", "attributes", "measure", "evidence", "claims"})
_BATCH_SET = frozenset({"documents", "entities", "relations", "decisions", "copied"})


# BaseModel keeps these three in slots; setting a slot through its descriptor skips the
# attribute lookup object.__setattr__ would do (this runs hundreds of times per document)
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_new = object.__new__


def _construct(cls: type, values: dict[str, Any], fields_set: frozenset[str] | set[str]) -> Any:
    obj = _new(cls)
    _set(obj, "__dict__", values)
    _set_fields_set(obj, set(fields_set))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


@cache
def _type_of(entity_id: str) -> EntityType:
    return check_entity_id(entity_id)


@cache
def allowed(source: str, rtype: RelationType, target: str) -> bool:
    """Whether the ontology lets ``rtype`` join these two ids (by their typed prefixes)."""
    rule = ontology().relations[rtype]
    try:
        return _type_of(source) in rule.sources and _type_of(target) in rule.targets
    except Exception:  # noqa: BLE001 - an id of no known type joins nothing
        return False


class EvidenceMaker:
    """Evidence for one document, one frozen object per distinct reading, shared where repeated."""

    def __init__(self, document: Document) -> None:
        self.document_id = document.id
        self.text = document.text
        self._made: dict[tuple[int, int, str, float], Evidence] = {}

    def __call__(self, key: tuple[int, int, str, float]) -> Evidence:
        made = self._made.get(key)
        if made is None:
            start, end, rule, confidence = key
            made = self._made[key] = _construct(
                Evidence,
                {"document_id": self.document_id, "quote": self.text[start:end], "start": start, "end": end, "extractor": rule, "confidence": confidence},
                _EVIDENCE_SET,
            )
        return made


def relation(source: str, rtype: RelationType, target: str, share: float | None, origin: str | None, evidence: list[Evidence]) -> Relation | None:
    """A relation, or None where validation would have refused it."""
    if source == target or not allowed(source, rtype, target):
        return None
    rule = ontology().relations[rtype]
    if share is not None and ("share" not in rule.attributes or not 0.0 <= share <= 1.0 or math.isnan(share)):
        share = None
    if origin is not None and ("origin" not in rule.attributes or not origin.startswith("country:")):
        origin = None
    # a share read in the text is this document's statement of it (graph/model/records.py ``Claim``)
    claims = [_construct(Claim, {"field": SHARE_FIELD, "value": share, "evidence": evidence[0]}, _CLAIM_SET)] if share is not None and evidence else []
    values = {
        "source": source, "type": rtype, "target": target, "share": share, "origin": origin,
        "valid_from": None, "valid_to": None, "attributes": {}, "evidence": evidence, "claims": claims,
    }
    return _construct(Relation, values, _RELATION_SET)


def _rate(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) and 0 <= value <= 100000 else None


def measure_entity(
    measure_id: str,
    names: dict[str, str],
    attributes: dict[str, Any],
    evidence: list[Evidence],
    *,
    measure_type: str,
    status: str,
    announced: date | None,
    effective: date | None,
    ended: date | None,
    rate: float | None,
    previous_rate: float | None,
    amount: float | None,
    unit: str | None,
    legal_reference: str | None,
) -> Entity:
    """A Measure entity; ``ended`` must already be dropped where it precedes a start date."""
    attrs = _construct(
        MeasureAttributes,
        {
            "measure_type": MeasureType(measure_type), "status": MeasureStatus(status),
            "announced": announced, "effective": effective, "ended": ended,
            "rate": _rate(rate), "previous_rate": _rate(previous_rate),
            "amount": amount if amount is not None and math.isfinite(amount) else None,
            "unit": unit, "legal_reference": legal_reference[:500] if legal_reference else legal_reference,
            # The lifecycle this reading tells, citing the measure's first sentence: another
            # document about the same measure adds its own events instead of moving these dates.
            "events": events_from_summary(
                MeasureStatus(status), announced, effective, ended, evidence[0] if evidence else None
            ),
            "claims": [],
        },
        _MEASURE_SET,
    )
    # Each stated value cites the same words (graph/model/records.py ``with_claims``).
    attrs = attrs.with_claims(evidence[0] if evidence else None)
    values = {
        "id": measure_id, "type": EntityType.MEASURE, "names": {k: v.strip()[:300] for k, v in names.items()},
        "aliases": [], "attributes": attributes, "measure": attrs, "evidence": evidence, "claims": [],
    }
    return _construct(Entity, values, _ENTITY_SET)


def with_evidence(entity: Entity, evidence: list[Evidence]) -> Entity:
    """A copy of a lexicon entity carrying this document's evidence: what
    ``entity.model_copy(update={"evidence": evidence})`` makes, without its generic machinery."""
    return _construct(Entity, {**entity.__dict__, "evidence": evidence}, entity.__pydantic_fields_set__ | {"evidence"})


def batch(document: Document, entities: list[Entity], relations: list[Relation]) -> Batch:
    return _construct(Batch, {"documents": [document], "entities": entities, "relations": relations, "decisions": [], "copied": False}, _BATCH_SET)
