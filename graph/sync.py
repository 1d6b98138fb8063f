"""Copying one store into another (``tradegraph sync --to neo4j``), in batches.

Documents go first (evidence cites them), then entities, then relations (their endpoints must
exist). An entity left without evidence when its last document was removed (kept because
relations other documents support need it) goes with the relations that need it, in a batch
marked as a copy: a write accepts it only there. Each batch is an ordinary upsert, so a second sync changes nothing
and an interrupted one can simply be run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from graph.model.records import Batch
from graph.store import GraphStore, WriteSummary

__all__ = ["sync", "batched"]

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def sync(
    source: GraphStore,
    target: GraphStore,
    *,
    batch_size: int = 500,
    on_batch: Callable[[str, int], None] | None = None,
) -> WriteSummary:
    """Upsert everything ``source`` holds into ``target``; ``on_batch(kind, rows)`` reports progress."""
    report = on_batch or (lambda kind, rows: None)
    total = WriteSummary()
    document_ids = [d.id for d in source.documents()]
    for chunk in batched(document_ids, max(1, batch_size // 10)):
        documents = [source.document(i) for i in chunk]
        total.add(target.upsert(Batch(documents=[d for d in documents if d is not None])))
        report("documents", len(chunk))
    bare = {}
    for chunk in batched(source.iter_entities(), batch_size):
        bare.update({e.id: e for e in chunk if not e.evidence})
        total.add(target.upsert(Batch(entities=[e for e in chunk if e.evidence])))
        report("entities", len(chunk))
    for chunk in batched(source.iter_relations(), batch_size):
        needed = dict.fromkeys(x for r in chunk for x in (r.source, r.target, r.origin) if x in bare)
        total.add(target.upsert(Batch(entities=[bare[i] for i in needed], relations=chunk, copied=True)))
        report("relations", len(chunk))
    # Decisions last, once what they name is there; each keeps its id and time.
    decisions = source.decisions()
    if decisions:
        total.add(target.upsert(Batch(decisions=decisions)))
        report("decisions", len(decisions))
    return total
