"""The ``tradegraph extract --json`` line format: one JSON object per entity or relation.

Kept flat and stable for shell pipelines (jq, grep): evidence items name the rule that read them
as ``rule``, measures carry their type, status, dates and rates at the top level."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from graph.model.records import Batch, Entity, Evidence, Relation

__all__ = ["batch_to_jsonl", "entity_line", "relation_line"]


def _evidence(items: list[Evidence]) -> list[dict[str, Any]]:
    return [
        {"document_id": e.document_id, "quote": e.quote, "start": e.start, "end": e.end, "rule": e.extractor, "confidence": e.confidence}
        for e in items
    ]


def entity_line(entity: Entity) -> dict[str, Any]:
    line: dict[str, Any] = {
        "kind": "entity",
        "id": entity.id,
        "type": entity.type.value,
        "name": entity.name,
        "names": entity.names,
        "aliases": entity.aliases,
        "attributes": entity.attributes,
    }
    if entity.measure is not None:
        line |= entity.measure.model_dump(mode="json")
    line["evidence"] = _evidence(entity.evidence)
    return line


def relation_line(relation: Relation) -> dict[str, Any]:
    attributes = {k: v for k, v in relation.model_dump(mode="json", include={"share", "origin", "valid_from", "valid_to"}).items() if v is not None}
    return {
        "kind": "relation",
        "source": relation.source,
        "type": relation.type.value,
        "target": relation.target,
        "attributes": {**attributes, **relation.attributes},
        "evidence": _evidence(relation.evidence),
    }


def batch_to_jsonl(batch: Batch) -> Iterator[str]:
    for entity in batch.entities:
        yield orjson.dumps(entity_line(entity)).decode()
    for relation in batch.relations:
        yield orjson.dumps(relation_line(relation)).decode()
