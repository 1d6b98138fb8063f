"""How the embedded store's rows are encoded: entity and relation bodies, evidence blobs, key
hashes, and the model objects built back from them.

Rows read back were validated on the way in, so they become model objects without being
validated again (:func:`construct`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import date
from typing import Any

import orjson

from graph.model.enums import EntityType, MeasureStatus, MeasureType, RelationType
from graph.model.records import Claim, Entity, Evidence, LifecycleEvent, MeasureAttributes, Relation

__all__ = [
    "CHUNK", "CLAIMS_SLOT", "EMPTY_BODY", "chunks", "claims_from_json", "indexed_attributes", "index_fields", "body_for_index", "construct", "entity_body", "entity_from_row", "evidence_blob",
    "evidence_from_blob", "key_hash", "parse_date", "relation", "relation_body", "relation_from_body",
]


def key_hash(key: str) -> int:
    """The ``relations.hash`` of a relation key: CRC-32 of its UTF-8 bytes. Not unique (the index
    is not, and every lookup compares the key itself), only narrow and evenly spread."""
    return zlib.crc32(key.encode())


def evidence_blob(evidence: list[Evidence]) -> bytes:
    """A subject's evidence as stored: a JSON list of ``[document_id, start, end, extractor, quote,
    confidence]``, in the order of ``Evidence.key``."""
    if len(evidence) == 1:  # most subjects: no list comprehension
        e = evidence[0]
        return orjson.dumps(([e.document_id, e.start, e.end, e.extractor, e.quote, e.confidence],))
    return orjson.dumps([[e.document_id, e.start, e.end, e.extractor, e.quote, e.confidence] for e in evidence])


def evidence_from_blob(blob: bytes) -> list[Evidence]:
    return [
        construct(Evidence, {"document_id": d, "quote": q, "start": s, "end": e, "extractor": x, "confidence": c})
        for d, s, e, x, q, c in orjson.loads(blob)
    ]


CHUNK = 500


def chunks(items: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def construct(cls, values: dict[str, Any]):  # noqa: ANN001, ANN202 - any pydantic model class
    """A model from trusted, already validated values: what ``model_construct`` does, without its
    per-field bookkeeping (a third of the cost of a read that returns thousands of relations)."""
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def entity_body(entity: Entity) -> bytes:
    if entity.measure is None and not entity.claims:
        # The same bytes as the model_dump below (names, aliases and attributes hold only JSON
        # values), without a serialiser pass per entity.
        body = {"aliases": entity.aliases, "attributes": entity.attributes, "names": entity.names}
        return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    exclude = {"id", "type", "evidence"} | (set() if entity.claims else {"claims"})
    return orjson.dumps(entity.model_dump(mode="json", exclude=exclude, exclude_none=True), option=orjson.OPT_SORT_KEYS)


def claims_from_json(items: Iterable[dict[str, Any]]) -> list[Claim]:
    """Claims as stored (``model_dump(mode="json")``), validated: few, and dates and numbers
    need their types back."""
    return [Claim.model_validate(c) for c in items]


DATE_FIELDS = ("announced", "effective", "ended")


def measure_from_body(data: dict[str, Any]) -> MeasureAttributes:
    return construct(
        MeasureAttributes,
        {
            "measure_type": MeasureType(data["measure_type"]),
            "status": MeasureStatus(data["status"]),
            "announced": parse_date(data["announced"]) if data.get("announced") else None,
            "effective": parse_date(data["effective"]) if data.get("effective") else None,
            "ended": parse_date(data["ended"]) if data.get("ended") else None,
            "rate": data.get("rate"),
            "previous_rate": data.get("previous_rate"),
            "amount": data.get("amount"),
            "unit": data.get("unit"),
            "legal_reference": data.get("legal_reference"),
            "events": [LifecycleEvent.model_validate(e) for e in data.get("events", ())],
            "claims": claims_from_json(data.get("claims", ())),
        },
    )


def entity_from_row(entity_id: str, entity_type: str, body: bytes, evidence: list[Evidence]) -> Entity:
    data = orjson.loads(body)
    measure = data.get("measure")
    return construct(
        Entity,
        {
            "id": entity_id,
            "type": EntityType(entity_type),
            "names": data["names"],
            "aliases": data.get("aliases", []),
            "attributes": data.get("attributes", {}),
            "measure": measure_from_body(measure) if measure is not None else None,
            "evidence": evidence,
            "claims": claims_from_json(data["claims"]) if "claims" in data else [],
        },
    )


def relation_body(relation: Relation) -> bytes:
    # The same bytes as model_dump(mode="json", include=..., exclude_none=True) with sorted keys,
    # without a serialiser pass per row.
    if not relation.attributes and relation.origin is None and relation.share is None and relation.valid_from is None and relation.valid_to is None and not relation.claims:
        return EMPTY_BODY
    body: dict[str, Any] = {"attributes": relation.attributes}
    if relation.claims:
        body["claims"] = [c.model_dump(mode="json") for c in relation.claims]
    if relation.origin is not None:
        body["origin"] = relation.origin
    if relation.share is not None:
        body["share"] = relation.share
    if relation.valid_from is not None:
        body["valid_from"] = relation.valid_from.isoformat()
    if relation.valid_to is not None:
        body["valid_to"] = relation.valid_to.isoformat()
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


#: Where the in-memory index keeps a relation's claims: beside its attributes, under a name no
#: attribute can take (``Relation`` refuses it), so that an edge read back is whole.
CLAIMS_SLOT = "@claims"


def indexed_attributes(attributes: dict[str, Any] | None, claims: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """What the index holds for an edge's attributes: its attributes, and its claims as stored
    (``relation_body``) when it has any."""
    if not claims:
        return attributes
    return {**(attributes or {}), CLAIMS_SLOT: claims}


def index_fields(relation: Relation) -> tuple:
    """(source, type, target, origin, share, valid_from, valid_to, attributes) as the index takes an edge."""
    attributes = relation.attributes
    if relation.claims:
        attributes = indexed_attributes(attributes, [c.model_dump(mode="json") for c in relation.claims])
    # relation.type is a StrEnum, a str equal to its value (and cheaper than .value)
    return (relation.source, relation.type, relation.target, relation.origin, relation.share, relation.valid_from, relation.valid_to, attributes)


def body_for_index(body: dict[str, Any]) -> dict[str, Any]:
    """A stored relation body with its claims moved where the index keeps them (``CLAIMS_SLOT``)."""
    if "claims" not in body:
        return body
    body = dict(body)
    body["attributes"] = indexed_attributes(body.get("attributes"), body.pop("claims"))
    return body


def relation(source, rtype, target, share, origin, valid_from, valid_to, attributes, evidence) -> Relation:  # noqa: ANN001
    claims: list[Claim] = []
    if attributes and CLAIMS_SLOT in attributes:
        attributes = dict(attributes)
        claims = claims_from_json(attributes.pop(CLAIMS_SLOT))
    return construct(
        Relation,
        {
            "source": source,
            "type": rtype,
            "target": target,
            "share": share,
            "origin": origin,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "attributes": dict(attributes) if attributes else {},
            "evidence": evidence,
            "claims": claims,
        },
    )


def relation_from_body(source: str, rtype: str, target: str, data: dict[str, Any], evidence: list[Evidence]) -> Relation:
    return relation(
        source,
        RelationType(rtype),
        target,
        data.get("share"),
        data.get("origin"),
        parse_date(data["valid_from"]) if data.get("valid_from") else None,
        parse_date(data["valid_to"]) if data.get("valid_to") else None,
        indexed_attributes(data.get("attributes"), data.get("claims")),
        evidence,
    )


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


EMPTY_BODY = b'{"attributes":{}}'
