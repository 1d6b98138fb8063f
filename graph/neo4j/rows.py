"""How model objects become Neo4j rows and statements, shared by the store and the Cypher export.

A write plan (graph.write_plan) turns into a list of (statement, parameters) pairs here; the store
runs them in one transaction, and ``tradegraph export --format cypher`` renders the same pairs as
a script, so the two cannot disagree about the shape of the graph in Neo4j.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, get_origin

import orjson

from graph.model.enums import EntityType, RelationType
from graph.model.records import Claim, Entity, Evidence, MeasureAttributes, Relation
from graph.names import NAMES_RULE, normalize_name
from graph.neo4j import cypher
from graph.write_plan import WritePlan

__all__ = [
    "plan_statements",
    "entity_props",
    "relation_props",
    "evidence_json",
    "evidence_key_parts",
    "entity_from_props",
    "relation_from_record",
    "type_of_key",
    "removal_needle",
    "native",
    "system_time_of",
]

MEASURE_FIELDS = tuple(MeasureAttributes.model_fields)
#: The measure's fields that hold lists of records (its lifecycle ``events``, each source's
#: ``claims``): a property holds no list of maps, so each is one JSON string, in the list's order.
MEASURE_JSON_FIELDS = tuple(name for name, field in MeasureAttributes.model_fields.items() if get_origin(field.annotation) is list)


def native(value: Any) -> Any:
    """Neo4j temporal values back to Python's; a zoned date-time in UTC (``datetime.UTC``), as the
    embedded store gives it back: the driver hands a UTC one back with pytz's zone, and one
    written with another offset or a named zone (in Browser, say) with that zone."""
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


def system_time_of(value: Any) -> dt.datetime | None:
    """A ``Document.ingested`` as a Document node holds it: a zoned DateTime (what the store and
    both exports write), else ISO text, a local date-time being taken as UTC (a property set by
    hand); aware and in UTC either way, so ``known_at`` compares it."""
    value = native(value)
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return None


def evidence_json(evidence: Evidence) -> str:
    return orjson.dumps(evidence.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS).decode()


def evidence_key_parts(key: tuple[str, int, int, str]) -> dict[str, str]:
    """What a stored piece's JSON (``evidence_json``) with this ``Evidence.key`` contains
    (``middle``) and ends with (``tail``): for finding it by key without reading it."""
    document_id, start, end, extractor = key
    dumps = orjson.dumps
    middle = f',"document_id":{dumps(document_id).decode()},"end":{end},"extractor":{dumps(extractor).decode()},"quote":"'
    return {"middle": middle, "tail": f',"start":{start}}}'}


def _evidence_list(values: list[str] | None) -> list[Evidence]:
    items = [Evidence.model_construct(**orjson.loads(v)) for v in values or []]
    return sorted(items, key=lambda e: e.key)


def name_index(names: Iterable[str]) -> str:
    """``|key|key|`` of an entity's names and aliases (graph.names.normalize_name): CONTAINS
    '|q|' is an exact match, '|q' a prefix, 'q' a substring."""
    keys = sorted({normalize_name(n) for n in names} - {""})
    return "|" + "|".join(keys) + "|"


def entity_props(entity: Entity) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": entity.id,
        "type": entity.type.value,
        "name": entity.name,
        "names": orjson.dumps(entity.names, option=orjson.OPT_SORT_KEYS).decode(),
        "aliases": entity.aliases,
        "attributes": orjson.dumps(entity.attributes, option=orjson.OPT_SORT_KEYS).decode(),
        "name_index": name_index([*entity.names.values(), *entity.aliases]),
        "evidence": [evidence_json(e) for e in entity.evidence],
        # one JSON string (a property holds no list of maps); null when none, so that an upsert
        # removes claims a removal took away
        "attribute_claims": _claims_json(entity.claims),
    }
    props |= {f"name_{lang}": name for lang, name in entity.names.items() if lang.isalpha()}
    if entity.measure is not None:
        # Every value, the ones a measure lacks as null: an upsert's ``SET n += props`` then
        # removes a value that a merge or a document's removal took away, as the embedded store
        # rewrites the whole measure.
        props |= entity.measure.model_dump(exclude=set(MEASURE_JSON_FIELDS))
        props["measure_type"] = entity.measure.measure_type.value
        props["status"] = entity.measure.status.value
        listed = entity.measure.model_dump(mode="json", include=set(MEASURE_JSON_FIELDS), exclude_none=True)
        props |= {name: orjson.dumps(records).decode() for name, records in listed.items()}
    return props


def _claims_json(claims: list[Claim]) -> str | None:
    return orjson.dumps([c.model_dump(mode="json") for c in claims]).decode() if claims else None


def _claims_from(value: str | None) -> list[Claim]:
    return [Claim.model_validate(c) for c in orjson.loads(value)] if value else []


def entity_from_props(props: dict[str, Any], with_evidence: bool) -> Entity:
    measure = None
    if props["type"] == EntityType.MEASURE:
        values = {k: native(props.get(k)) for k in MEASURE_FIELDS if k not in MEASURE_JSON_FIELDS}
        values |= {k: orjson.loads(props.get(k) or "[]") for k in MEASURE_JSON_FIELDS}
        measure = MeasureAttributes.model_validate(values)
    return Entity.model_construct(
        id=props["id"],
        type=EntityType(props["type"]),
        names=orjson.loads(props["names"]),
        aliases=list(props.get("aliases") or []),
        attributes=orjson.loads(props.get("attributes") or "{}"),
        measure=measure,
        evidence=_evidence_list(props.get("evidence")) if with_evidence else [],
        claims=_claims_from(props.get("attribute_claims")),
    )


def relation_props(relation: Relation) -> dict[str, Any]:
    props = {
        "share": relation.share,
        "origin": relation.origin,
        "valid_from": relation.valid_from,
        "valid_to": relation.valid_to,
        "attributes": orjson.dumps(relation.attributes, option=orjson.OPT_SORT_KEYS).decode(),
        "claims": _claims_json(relation.claims),
    }
    return {k: v for k, v in props.items() if v is not None}


def relation_from_record(record: dict[str, Any], with_evidence: bool) -> Relation:
    props = record["props"]
    return Relation.model_construct(
        source=record["source"],
        type=RelationType(record["type"]),
        target=record["target"],
        share=props.get("share"),
        origin=props.get("origin"),
        valid_from=native(props.get("valid_from")),
        valid_to=native(props.get("valid_to")),
        attributes=orjson.loads(props.get("attributes") or "{}"),
        evidence=_evidence_list(props.get("evidence")) if with_evidence else [],
        claims=_claims_from(props.get("claims")),
    )


def type_of_key(key: str) -> RelationType:
    return RelationType(key.split("|")[1])


def plan_statements(plan: WritePlan, removed_subjects: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The statements (with parameters) that carry a plan out; ``removed_subjects`` are the
    subjects of the document the plan removes, if any."""
    if plan.new_documents:
        rows = [
            {"id": d.id, "props": {k: v for k, v in d.model_dump().items() if v is not None} | {"relation_keys": []}}
            for d in plan.new_documents
        ]
        yield cypher.DOCUMENTS_UPSERT, {"rows": rows}
    by_type: dict[EntityType, list[dict]] = defaultdict(list)
    for entity in plan.entities:
        props = entity_props(entity)
        props.pop("evidence")  # evidence is appended below, never overwritten
        by_type[entity.type].append({"id": entity.id, "props": props})
    for entity_type, rows in sorted(by_type.items()):
        yield cypher.entity_upsert_query(entity_type), {"rows": rows}
    rel_by_type: dict[RelationType, list[dict]] = defaultdict(list)
    for relation in plan.relations:
        # a share and claims a removal took away are removed too (``SET r += props`` keeps what is not named)
        props = {"share": None, "claims": None} | relation_props(relation)
        rel_by_type[relation.type].append({"source": relation.source, "target": relation.target, "key": relation.key, "props": props})
    for relation_type, rows in sorted(rel_by_type.items()):
        yield cypher.relation_upsert_query(relation_type), {"rows": rows}
    yield from _evidence_statements(plan)
    yield from _removal_statements(plan, removed_subjects)
    if plan.new_decisions:
        rows = [
            {"id": d.id, "kind": d.kind.value, "subject": d.subject, "at": d.at.isoformat(), "body": d.model_dump_json()}
            for d in plan.new_decisions
        ]
        yield cypher.DECISIONS_CREATE, {"rows": rows}
    delta = plan.summary.evidence_added - plan.summary.evidence_removed
    yield cypher.BUMP_VERSION, {"evidence_delta": delta, "names_rule": NAMES_RULE}

def _evidence_statements(plan: WritePlan) -> Iterator[tuple[str, dict[str, Any]]]:
    entity_rows: dict[str, list[str]] = defaultdict(list)
    relation_rows: dict[RelationType, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    mentions: set[tuple[str, str]] = set()
    document_keys: dict[str, set[str]] = defaultdict(set)
    for subject, evidence in plan.new_evidence:
        if "|" in subject:
            relation_rows[type_of_key(subject)][subject].append(evidence_json(evidence))
            document_keys[evidence.document_id].add(subject)
        else:
            entity_rows[subject].append(evidence_json(evidence))
            mentions.add((evidence.document_id, subject))
    if entity_rows:
        yield cypher.ENTITY_EVIDENCE, {"rows": [{"subject": s, "evidence": e} for s, e in sorted(entity_rows.items())]}
    for relation_type, rows in sorted(relation_rows.items()):
        yield cypher.relation_evidence_query(relation_type), {"rows": [{"subject": s, "evidence": e} for s, e in sorted(rows.items())]}
    if mentions:
        yield cypher.MENTIONS, {"rows": [{"document": d, "subject": s} for d, s in sorted(mentions)]}
    if document_keys:
        yield cypher.DOCUMENT_RELATION_KEYS, {"rows": [{"document": d, "keys": sorted(k)} for d, k in sorted(document_keys.items())]}

def removal_needle(document_id: str) -> str:
    """What every stored piece of evidence citing ``document_id`` contains (``evidence_json``)."""
    return f'"document_id":"{document_id}"'


def _removal_statements(plan: WritePlan, removed_subjects: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    document = plan.removed_document
    if document is None:
        return
    needle = removal_needle(document)
    yield cypher.REMOVE_ENTITY_EVIDENCE, {"document": document, "needle": needle}
    keys_by_type: dict[RelationType, list[str]] = defaultdict(list)
    for subject in removed_subjects:
        if "|" in subject:
            keys_by_type[type_of_key(subject)].append(subject)
    for relation_type, keys in sorted(keys_by_type.items()):
        yield cypher.remove_relation_evidence_query(relation_type), {"keys": keys, "needle": needle}
    removed_by_type: dict[RelationType, list[str]] = defaultdict(list)
    for key in plan.removed_relations:
        removed_by_type[type_of_key(key)].append(key)
    for relation_type, keys in sorted(removed_by_type.items()):
        yield cypher.delete_relations_query(relation_type), {"keys": keys}
    if plan.removed_entities:
        yield cypher.DELETE_ENTITIES, {"ids": plan.removed_entities}
    yield cypher.DELETE_DOCUMENT, {"document": document}

