"""Where a read runs: on the event loop when it is short and the store can answer at once,
otherwise in a worker thread.

A hop to a worker thread costs more than a lookup answered from the in-memory index, so the
short reads (an entity, a document, a search, readyz, the version behind an ETag) run inline when the
store says it can answer without waiting (:meth:`GraphStore.answering_now`). Everything else —
traversals that may take long, any read of a store that has to wait for a lock or the network —
runs in a worker thread, so the event loop keeps serving other requests and the time budget's
backstop (app/api/middleware.py) can still answer for a read that blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from graph.store import GraphStore

__all__ = ["short_read", "long_read"]

T = TypeVar("T")


async def short_read(store: GraphStore, read: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``read(*args, **kwargs)`` inline when ``store`` can answer now, else in a worker thread.
    Only for reads bounded by a small page of rows (hard caps, not the graph's size) — and, until
    its evidence is paged, an entity's detail (app/api/routes/entities.py says why)."""
    with store.answering_now() as now:
        if now:
            return read(*args, **kwargs)
    return await run_in_threadpool(read, *args, **kwargs)


async def long_read(read: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``read(*args, **kwargs)`` in a worker thread: traversals whose cost grows with the graph."""
    return await run_in_threadpool(read, *args, **kwargs)
