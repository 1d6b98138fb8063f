"""Writing the whole graph out: JSON (the store's own model, re-loadable) and GraphML (for Gephi,
yEd, networkx). Both stream, so exporting a large store never holds it all in memory, and both
read one version of the graph from their first byte to their last while writes go on: a
snapshot's reader as given (the API's read runner enters one per export), or a store's own
``snapshot()``, held until the stream ends or is closed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from xml.sax.saxutils import escape, quoteattr

import orjson

from graph.store import GraphReader, GraphStore

__all__ = ["export_json", "export_graphml", "FORMATS"]

FORMATS = {"json": "application/json", "graphml": "application/graphml+xml"}


def _one_version(source: GraphReader) -> AbstractContextManager[GraphReader]:
    """A store's snapshot, or the reader itself when it is already one version (a snapshot's)."""
    return source.snapshot() if isinstance(source, GraphStore) else nullcontext(source)


def export_json(source: GraphReader, *, system_time: bool = True) -> Iterator[bytes]:
    """``{"documents": [...], "entities": [...], "relations": [...], "decisions": [...], "copied": true}``
    (a Batch, marked as a copy of a store: graph/model/records.py) with all evidence; without
    ``system_time``, documents leave out when this store took them (``ingested``), which two
    stores holding the same content give differently."""
    leave_out = None if system_time else {"ingested"}
    leave_out_decision = None if system_time else {"at"}
    with _one_version(source) as reader:
        yield b'{"documents":['
        written = 0
        for listed in reader.documents():
            full = reader.document(listed.id)
            if full is None:  # listed, so present at this version: only a broken store loses it
                continue
            yield (b"," if written else b"") + orjson.dumps(full.model_dump(mode="json", exclude=leave_out))
            written += 1
        yield b'],"entities":['
        for i, entity in enumerate(reader.iter_entities()):
            yield (b"," if i else b"") + orjson.dumps(entity.model_dump(mode="json", exclude_none=True))
        yield b'],"relations":['
        for i, relation in enumerate(reader.iter_relations()):
            yield (b"," if i else b"") + orjson.dumps(relation.model_dump(mode="json", exclude_none=True))
        yield b'],"decisions":['
        for i, decision in enumerate(reader.decisions()):
            yield (b"," if i else b"") + orjson.dumps(decision.model_dump(mode="json", exclude=leave_out_decision))
        yield b'],"copied":true}\n'


_NODE_KEYS = [("type", "string"), ("name", "string"), ("name_zh", "string"), ("measure_type", "string"), ("status", "string"), ("date", "string")]
_EDGE_KEYS = [("relation", "string"), ("share", "double"), ("origin", "string"), ("evidence", "int"), ("quote", "string")]


def _data(key: str, value: object) -> str:
    return f'<data key="{key}">{escape(str(value))}</data>'


def export_graphml(source: GraphReader) -> Iterator[str]:
    """GraphML with a node per entity and an edge per relation (its first quote and evidence count)."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    for name, kind in _NODE_KEYS:
        yield f'<key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n'
    for name, kind in _EDGE_KEYS:
        yield f'<key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n'
    yield '<graph id="tradegraph" edgedefault="directed">\n'
    with _one_version(source) as reader:
        yield from _graphml_body(reader)
    yield "</graph>\n</graphml>\n"


def _graphml_body(reader: GraphReader) -> Iterator[str]:
    for entity in reader.iter_entities():
        fields = {"type": entity.type.value, "name": entity.name, "name_zh": entity.names.get("zh")}
        if entity.measure:
            fields |= {"measure_type": entity.measure.measure_type.value, "status": entity.measure.status.value, "date": entity.measure.timeline_date}
        body = "".join(_data(f"n_{k}", v) for k, v in fields.items() if v is not None)
        yield f"<node id={quoteattr(entity.id)}>{body}</node>\n"
    for relation in reader.iter_relations():
        fields = {
            "relation": relation.type.value,
            "share": relation.share,
            "origin": relation.origin,
            "evidence": len(relation.evidence),
            "quote": relation.evidence[0].quote if relation.evidence else None,
        }
        body = "".join(_data(f"e_{k}", v) for k, v in fields.items() if v is not None)
        yield f"<edge id={quoteattr(relation.key)} source={quoteattr(relation.source)} target={quoteattr(relation.target)}>{body}</edge>\n"
