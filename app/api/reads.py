"""The read runner: how every read of the API is answered, in one place.

A route hands its query to the :class:`ReadRunner` it receives (``ReadDep``) and returns what the
runner gives back. For each read the runner

- enters one ``store.snapshot()``: the whole query, page or export reads that one version of the
  graph, however many store calls it makes and whatever is written meanwhile, so there is nothing
  to check afterwards and nothing to run again;
- asks that snapshot its data version, once: the version names the answer (its ETag, which
  app/api/middleware.py compares with If-None-Match) and keys the answer cache
  (app/api/answer_cache.py), so a read asked again at the same version is sent from the cache;
- keeps the time budget (``TRADEGRAPH_QUERY_TIMEOUT_S``): the query gets a
  :class:`~graph.queries.deadline.Deadline` its loops check before each store call, and a store
  call that blocks past the budget is answered 503 here while the call is left to finish in its
  thread (it stops at its next check);
- chooses the thread: a short read (bounded by a small page of rows) runs on the event loop when
  the store can be read without waiting (``GraphStore.try_snapshot``), anything else in a worker
  thread, so the event loop keeps serving while a store waits for a lock or the network (a store
  on the network, Neo4j, is never read on the loop). A snapshot is entered, read and left in one
  thread.

Exports stream from one snapshot too, produced in one worker thread and handed to the event loop
a few chunks ahead of the client; they have no time budget.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from enum import StrEnum
from typing import Annotated

import anyio
import anyio.from_thread
from fastapi import Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api.answer_cache import Answer, AnswerCache
from app.api.params import AsOf, KnownAt
from app.api.tables import CSV_MEDIA_TYPE, csv_of
from graph.model.errors import QueryTimeoutError
from graph.queries.deadline import NO_DEADLINE, Deadline
from graph.store import GraphReader, GraphStore
from graph.model.decisions import in_force
from graph.review_view import reviewed
from graph.time_view import in_time

__all__ = ["ReadRunner", "ReadDep", "DatedReadDep", "ListReadDep", "UndatedListReadDep", "AnswerFormat", "query_timeout_s", "DEFAULT_QUERY_TIMEOUT_S", "etag_of"]

log = logging.getLogger("tradegraph.api")

DEFAULT_QUERY_TIMEOUT_S = 10.0
# A read whose query has not stopped by itself this long after its budget (a single store call
# that blocks) is answered 503 without it.
_BACKSTOP_GRACE_S = 0.25
# An export is handed from its thread to the event loop in pieces of about this many bytes (one
# hop per piece, not per entity), at most _CHUNKS_AHEAD pieces ahead of the client.
_PIECE_BYTES = 64 * 1024
_CHUNKS_AHEAD = 8
_JSON = ((b"content-type", b"application/json"),)
_CSV = ((b"content-type", CSV_MEDIA_TYPE.encode()),)

ShortQuery = Callable[[GraphReader], BaseModel]
LongQuery = Callable[[GraphReader, Deadline], BaseModel]

# Reads the runner stopped waiting for, kept referenced until their threads are done.
_abandoned: set[asyncio.Future] = set()


def query_timeout_s(settings: object) -> float:
    """The time budget of one read (``Settings.query_timeout_s``); zero switches it off."""
    return float(getattr(settings, "query_timeout_s", DEFAULT_QUERY_TIMEOUT_S))


def etag_of(backend: str, version: int, variant: str = "") -> str:
    """The ETag of every answer read at ``version``: weak, since two stores may serialise alike;
    a ``variant`` (``csv``) names another representation of the same answer."""
    suffix = f"-{variant}" if variant else ""
    return f'W/"{backend}-{version}{suffix}"'


class ReadRunner:
    """Answers one request's read: snapshot, version, cache, budget and thread (module docstring)."""

    def __init__(
        self,
        store: GraphStore,
        cache: AnswerCache | None,
        key: tuple[str, str, bytes],
        seconds: float,
        *,
        as_of: dt.date | None = None,
        known_at: dt.datetime | None = None,
    ) -> None:
        self.store = store
        self.cache = cache if cache is not None and cache.enabled else None
        self.key = key
        self.seconds = seconds
        self.as_of = as_of
        self.known_at = known_at
        # a list answer asked for as CSV (``?format=csv``, ``Accept: text/csv``: app/api/tables.py);
        # ``negotiated`` when the Accept header may choose, so caches are told (``Vary``)
        self.csv = False
        self.negotiated = False

    def _in_time(self, reader: GraphReader) -> GraphReader:
        """The snapshot as it stood on ``as_of`` / as known at ``known_at`` (graph/time_view.py)."""
        return in_time(reader, as_of=self.as_of, known_at=self.known_at)

    def _as_decided(self, reader: GraphReader) -> GraphReader:
        """What a query reads: the snapshot with the review decisions in force (those made by
        ``known_at``, when asked: graph/review_view.py), at the time asked for."""
        return self._in_time(reviewed(reader, in_force(reader.decisions(), self.known_at)))

    async def short(self, query: ShortQuery) -> Response:
        """A read bounded by a small page of rows (an entity, a document, a search, readiness):
        on the event loop when the store can be read at once, else like :meth:`long`."""
        with self.store.try_snapshot() as reader:
            if reader is not None:
                return self._respond(*self._answer(reader, lambda r, _: query(r), NO_DEADLINE))
        return await self.long(lambda reader, _: query(reader))

    async def long(self, query: LongQuery) -> Response:
        """A read whose cost grows with the graph, in a worker thread under the time budget."""
        deadline = Deadline(self.seconds if self.seconds > 0 else None)

        def in_snapshot() -> tuple[int, Answer]:
            with self.store.snapshot() as reader:
                return self._answer(reader, query, deadline)

        task = asyncio.ensure_future(run_in_threadpool(in_snapshot))
        if deadline.seconds is None:
            return self._respond(*await task)
        try:
            done, _ = await asyncio.wait({task}, timeout=deadline.seconds + _BACKSTOP_GRACE_S)
        except asyncio.CancelledError:
            _abandon(task, deadline)
            raise
        if not done:
            _abandon(task, deadline)
            log.warning("a read gave no answer within its %.3g s budget", deadline.seconds)
            raise QueryTimeoutError(deadline.seconds)
        return self._respond(*task.result())

    async def stream(self, produce: Callable[[GraphReader], Iterator[bytes]], *, media_type: str, headers: dict[str, str]) -> StreamingResponse:
        """``produce(reader)``'s chunks as one response, every one read from one snapshot.

        The snapshot is entered, read and left in one worker thread, which hands chunks to the
        event loop a few ahead of the client and stops when the client goes. The response starts
        only once the first chunk is read, so a store that cannot be read is a problem answer,
        not a broken stream."""
        send, receive = anyio.create_memory_object_stream[int | bytes](_CHUNKS_AHEAD)

        def pump() -> None:
            with send, self.store.snapshot() as reader:
                anyio.from_thread.run(send.send, reader.data_version())
                for piece in _pieces(produce(self._in_time(reader))):
                    anyio.from_thread.run(send.send, piece)

        task = asyncio.ensure_future(run_in_threadpool(pump))
        task.add_done_callback(_reap)
        version: int | bytes = 0
        try:
            version = await receive.receive()
            ahead = [await receive.receive()]
        except anyio.EndOfStream:
            ahead = []
            await task  # raises what stopped the export before its first chunk, if anything did
        except BaseException:
            receive.close()
            raise

        async def body() -> AsyncIterator[bytes]:
            with receive:
                for chunk in ahead:
                    yield chunk
                async for chunk in receive:
                    yield chunk
            await task  # an export that broke off mid-way ends the response as broken, not as whole

        tags = {"ETag": etag_of(self.store.backend, int(version)), "Cache-Control": "no-cache"}
        return StreamingResponse(body(), media_type=media_type, headers={**headers, **tags})

    def _answer(self, reader: GraphReader, query: LongQuery, deadline: Deadline) -> tuple[int, Answer]:
        """The answer at the snapshot's version: kept from before, or read and serialised now."""
        version = reader.data_version()
        if self.cache is not None and (kept := self.cache.get(version, self.key)) is not None:
            return version, kept
        answer = query(self._as_decided(reader), deadline)
        if self.csv:
            return version, Answer(200, _CSV, csv_of(answer))
        return version, Answer(200, _JSON, answer.__pydantic_serializer__.to_json(answer))

    def _respond(self, version: int, answer: Answer) -> Response:
        if self.cache is not None:
            self.cache.put(version, self.key, answer)
        headers = {"ETag": etag_of(self.store.backend, version, "csv" if self.csv else ""), "Cache-Control": "no-cache"}
        if self.negotiated:
            headers["Vary"] = "Accept"
        media_type = CSV_MEDIA_TYPE if self.csv else "application/json"
        return Response(answer.body, status_code=answer.status, headers=headers, media_type=media_type)


def _pieces(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks`` joined into pieces of at least ``_PIECE_BYTES`` (the last may be smaller)."""
    held: list[bytes] = []
    size = 0
    for chunk in chunks:
        held.append(chunk)
        size += len(chunk)
        if size >= _PIECE_BYTES:
            yield b"".join(held)
            held, size = [], 0
    if held:
        yield b"".join(held)


def _abandon(task: asyncio.Future, deadline: Deadline) -> None:
    """Stop waiting for a read: its deadline passes now, so it stops at its next check."""
    deadline.expire()
    _abandoned.add(task)
    task.add_done_callback(_reap)


def _reap(task: asyncio.Future) -> None:
    _abandoned.discard(task)
    if not task.cancelled() and task.exception() is not None and not isinstance(task.exception(), QueryTimeoutError):
        log.info("a read left behind ended with %r", task.exception())


async def get_reads(request: Request) -> ReadRunner:
    """The runner of this request's read (``async``: a plain dependency would cost a thread hop)."""
    state = request.app.state
    key = (request.method, request.url.path, request.scope.get("query_string", b""))
    return ReadRunner(state.store, getattr(state, "answers", None), key, query_timeout_s(state.settings))


ReadDep = Annotated[ReadRunner, Depends(get_reads)]


async def get_dated_reads(request: Request, as_of: AsOf = None, known_at: KnownAt = None) -> ReadRunner:
    """The runner of a read that can be asked of the past: the world on ``as_of``, the store's
    knowledge at ``known_at`` (both are part of the cache key: they are in the query string)."""
    runner = await get_reads(request)
    runner.as_of, runner.known_at = as_of, known_at
    return runner


#: The runner of the query endpoints, which all answer ``as_of`` and ``known_at``.
DatedReadDep = Annotated[ReadRunner, Depends(get_dated_reads)]


class AnswerFormat(StrEnum):
    """How a list answer is written."""

    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[
    AnswerFormat | None,
    Query(description="json (the default) or csv: one row per item of `data`, the same items and page; "
          "`Accept: text/csv` asks for csv too"),
]


async def get_list_reads(request: Request, as_of: AsOf = None, known_at: KnownAt = None, format: FormatQuery = None) -> ReadRunner:
    """The runner of a list endpoint's read: a dated read that answers CSV too (``_in_format``)."""
    return _in_format(await get_dated_reads(request, as_of, known_at), request, format)


async def get_undated_list_reads(request: Request, format: FormatQuery = None) -> ReadRunner:
    """The runner of a list of data the graph's time does not apply to (trade flows), in JSON or CSV."""
    return _in_format(await get_reads(request), request, format)


def _in_format(runner: ReadRunner, request: Request, format: AnswerFormat | None) -> ReadRunner:
    """``runner`` answering CSV (app/api/tables.py) when ``format=csv`` or, without ``format``,
    when the Accept header prefers text/csv. The cache keeps the two apart (the format chosen is
    part of its key) and their ETags differ."""
    if format is None:
        runner.negotiated = True
        runner.csv = _prefers_csv(request.headers.get("accept", ""))
    else:
        runner.csv = format is AnswerFormat.CSV
    if runner.csv:
        method, path, query = runner.key
        runner.key = (method, path, query + b"#csv")
    return runner


def _prefers_csv(accept: str) -> bool:
    """Whether an Accept header ranks text/csv above application/json (and above */*)."""
    ranks: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        ranks[media.lower()] = max(weight, ranks.get(media.lower(), 0.0))
    csv_rank = ranks.get("text/csv", 0.0)
    return csv_rank > 0 and csv_rank > ranks.get("application/json", 0.0) and csv_rank >= ranks.get("*/*", 0.0)


#: The runner of the list endpoints: dated, and answering JSON or CSV.
ListReadDep = Annotated[ReadRunner, Depends(get_list_reads)]
#: The same for a list the graph's time does not apply to.
UndatedListReadDep = Annotated[ReadRunner, Depends(get_undated_list_reads)]
