"""HTTP concerns that wrap every route: ETags from the store's data version, reads answered from
one version of the graph and kept while it lasts (app/api/answer_cache.py), a time budget for
reads, and a request-body cap."""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.answer_cache import Answer, AnswerCache
from app.api.running import short_read
from graph.errors import TradeGraphError

__all__ = [
    "ETagMiddleware",
    "BodyLimitMiddleware",
    "QueryBudget",
    "QueryBudgetMiddleware",
    "query_timeout_s",
    "MAX_ATTEMPTS",
    "BUDGET_SCOPE_KEY",
    "DEFAULT_QUERY_TIMEOUT_S",
]

log = logging.getLogger("tradegraph.api")

DEFAULT_QUERY_TIMEOUT_S = 10.0
BUDGET_SCOPE_KEY = "tradegraph.query_budget"
# The backstop answers this long after the budget when the query has not stopped by itself (a
# single store call that blocks); the query normally stops at its next store call (app/api/deps.py).
_BACKSTOP_GRACE_S = 0.25


def _problem(status: int, title: str, detail: str, path: str, type_: str | None = None) -> tuple[dict, bytes]:
    import orjson

    body = orjson.dumps(
        {"type": type_ or "/problems/" + title.lower().replace(" ", "-"), "title": title, "status": status, "detail": detail, "instance": path}
    )
    start = {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]}
    return start, body


def query_timeout_s(settings: object) -> float:
    """The time budget of one read (``Settings.query_timeout_s``); zero switches it off."""
    return float(getattr(settings, "query_timeout_s", DEFAULT_QUERY_TIMEOUT_S))


class QueryBudget:
    """The deadline of one read. The store handed to the route checks it before and after every
    store call (cooperative: the query stops at its next call); it stops counting once the answer
    has started to go out, so a streamed export is never cut."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline: float | None = time.monotonic() + seconds

    def stop(self) -> None:
        self.deadline = None

    def expire(self) -> None:
        self.deadline = float("-inf")

    @property
    def exceeded(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline


_abandoned: set[asyncio.Task] = set()


def _reap(task: asyncio.Task) -> None:
    _abandoned.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.info("an abandoned read ended with %r", task.exception())


class QueryBudgetMiddleware:
    """Every read under /v1 answers within its time budget: past it, a 503 problem
    (``/problems/query-timeout``) instead of a hung client.

    Two layers: the budget travels in the ASGI scope to the store the route receives, which raises
    once it is spent (the query stops, its thread is freed); and this middleware answers 503 itself
    if no response has started shortly after the budget (a store call that blocks), dropping
    whatever the abandoned query sends later."""

    def __init__(self, app: ASGIApp, timeout_s: float | None = None) -> None:
        self.app = app
        self.timeout_s = timeout_s

    def _budget_s(self, scope: Scope) -> float:
        if self.timeout_s is not None:
            return self.timeout_s
        app = scope.get("app")
        settings = getattr(getattr(app, "state", None), "settings", None)
        return query_timeout_s(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].startswith("/v1/")
            or scope["path"].startswith(_EXPORTS)  # streamed whole-graph dumps have no time budget
        ):
            await self.app(scope, receive, send)
            return
        seconds = self._budget_s(scope)
        if seconds <= 0 or BUDGET_SCOPE_KEY in scope:  # no budget, or one already running
            await self.app(scope, receive, send)
            return
        budget = QueryBudget(seconds)
        scope[BUDGET_SCOPE_KEY] = budget
        started = asyncio.Event()
        abandoned = False

        async def guarded(message: Message) -> None:
            if abandoned:
                return
            if message["type"] == "http.response.start":
                budget.stop()
                started.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded))
        waiter = asyncio.ensure_future(started.wait())
        try:
            await asyncio.wait({task, waiter}, timeout=seconds + _BACKSTOP_GRACE_S, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            waiter.cancel()
        if task.done() or started.is_set():
            await task
            return
        abandoned = True
        budget.expire()
        _abandoned.add(task)
        task.add_done_callback(_reap)
        log.warning("read %s gave no answer within its %.3g s budget", scope["path"], seconds)
        start, body = _problem(
            503,
            "Query timeout",
            f"the query did not finish within its {seconds:g} s budget (TRADEGRAPH_QUERY_TIMEOUT_S); "
            "narrow it (a smaller max_depth or limit, fewer ids) or retry later",
            scope["path"],
        )
        start["headers"].append((b"retry-after", b"1"))
        await send(start)
        await send({"type": "http.response.body", "body": body})


# Reads answered from one version of the graph: a read whose store version changed while it was
# being answered (another process or request committed a write meanwhile) is answered again, while
# its time budget lasts and at most this many times in all.
MAX_ATTEMPTS = 50
# The whole-graph export is written to a spool (memory up to SPOOL_MEMORY, then a temporary file)
# and sent once the version is known not to have moved; it has no time budget, and is tried at
# most EXPORT_ATTEMPTS times while writes keep landing.
_EXPORTS = ("/v1/export",)
EXPORT_ATTEMPTS = 5
SPOOL_MEMORY = 16 * 1024 * 1024
_SEND_CHUNK = 256 * 1024


class _ETags:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def _version(self, store, scope: Scope, send: Send) -> int | None:  # noqa: ANN001
        try:
            # Inline only when the store can answer at once; otherwise in a worker thread: the
            # store may wait (a lock held by a long write, a slow Neo4j), and the event loop must
            # go on serving everything else meanwhile.
            return await short_read(store, store.data_version)
        except TradeGraphError as e:
            log.error("store error on %s: %s", scope["path"], e)
            start, body = _problem(e.http_status, e.title, f"{e.title}; the error is logged", scope["path"])
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        store = scope["app"].state.store
        version = await self._version(store, scope, send)
        if version is None:
            return
        # Asked again here: ETagMiddleware could ask only when the store told its version at once
        # (never on Neo4j), and a write may have landed since.
        if await _answer_known(scope, send, store, version):
            return
        etag = _etag(store, version)
        original = dict(scope)
        if scope["path"].startswith(_EXPORTS):
            await self._export(store, original, receive, send, version)
            return

        # Answer, then ask the version again: unchanged means no write committed while the
        # answer was read, so it shows the graph as of one version (never half a document).
        budget = scope.get(BUDGET_SCOPE_KEY)
        attempts = 0
        while attempts < MAX_ATTEMPTS and not (attempts and isinstance(budget, QueryBudget) and budget.exceeded):
            attempts += 1
            answer: list[Message] = []

            async def keep(message: Message) -> None:
                answer.append(message)

            await self.app(dict(original), _replay(receive), keep)
            after = await self._version(store, scope, send)
            if after is None:
                return
            if after == version:
                _keep(scope, version, answer)
                for message in answer:
                    await send(_tag(message, etag))
                return
            version = after
            etag = _etag(store, version)
        log.warning("read %s: the graph changed during each of %d attempts", scope["path"], attempts)
        await _send_graph_changing(send, scope["path"], f"each of {attempts} attempts to answer was being read", retry_after=1)


    async def _export(self, store, scope: Scope, receive: Receive, send: Send, version: int) -> None:  # noqa: ANN001
        """The export, spooled and sent only when no write committed while it was written (an
        export read across a commit could cite documents it does not hold)."""
        import tempfile

        for _attempt in range(EXPORT_ATTEMPTS):
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY) as spool:
                head: list[Message] = []

                async def keep(message: Message) -> None:
                    if message["type"] == "http.response.start":
                        head.append(message)
                    elif message["type"] == "http.response.body" and message.get("body"):
                        spool.write(message["body"])

                failure: Exception | None = None
                try:
                    await self.app(dict(scope), _replay(receive), keep)
                except Exception as e:  # noqa: BLE001 - judged below: a write meanwhile, or a real fault
                    failure = e
                after = await self._version(store, scope, send)
                if after is None:
                    return
                if after == version:
                    if failure is not None:
                        raise failure
                    await send(_tag(head[0], _etag(store, version)))
                    spool.seek(0)
                    while chunk := spool.read(_SEND_CHUNK):
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    return
                if failure is not None:
                    log.info("export on %s broke off while the graph changed (%r); exporting again", scope["path"], failure)
                version = after
        await _send_graph_changing(send, scope["path"], f"each of {EXPORT_ATTEMPTS} attempts to export it was being written", retry_after=5)


def _etag(store, version: int) -> bytes:  # noqa: ANN001
    return f'W/"{store.backend}-{version}"'.encode()


def _tag(message: Message, etag: bytes) -> Message:
    """A 200 answer's start, with its ETag and the instruction to revalidate before reuse."""
    if message["type"] == "http.response.start" and message["status"] == 200:
        message.setdefault("headers", [])
        message["headers"] = [*message["headers"], (b"etag", etag), (b"cache-control", b"no-cache")]
    return message


def _cache_key(scope: Scope) -> tuple[str, str, bytes]:
    return scope["method"], scope["path"], scope.get("query_string", b"")


def _answers(scope: Scope) -> AnswerCache | None:
    """The app's answer cache, unless it is off or this is an export (spooled, not kept)."""
    cache = getattr(scope["app"].state, "answers", None)
    if cache is None or not cache.enabled or scope["path"].startswith(_EXPORTS):
        return None
    return cache


async def _answer_known(scope: Scope, send: Send, store, version: int) -> bool:  # noqa: ANN001
    """Answer from what the client or the server already holds at ``version``: 304 when the
    client's If-None-Match names it, the kept answer when there is one. False: read the store."""
    etag = _etag(store, version)
    if _header(scope, b"if-none-match") == etag:
        await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag)]})
        await send({"type": "http.response.body", "body": b""})
        return True
    cache = _answers(scope)
    kept = cache.get(version, _cache_key(scope)) if cache is not None else None
    if kept is None:
        return False
    await send(_tag({"type": "http.response.start", "status": kept.status, "headers": list(kept.headers)}, etag))
    await send({"type": "http.response.body", "body": kept.body})
    return True


def _keep(scope: Scope, version: int, answer: list[Message]) -> None:
    """Keep a 200 answer read wholly at ``version``."""
    cache = _answers(scope)
    if cache is None or not answer or answer[0]["type"] != "http.response.start" or answer[0]["status"] != 200:
        return
    body = b"".join(m.get("body", b"") for m in answer[1:] if m["type"] == "http.response.body")
    cache.put(version, _cache_key(scope), Answer(200, tuple(answer[0].get("headers", ())), body))


def _version_now(store) -> int | None:  # noqa: ANN001
    """The store's version when it can be told without waiting, else None."""
    try:
        return store.version_now()
    except TradeGraphError:
        return None  # the read path below reports it


async def _send_graph_changing(send: Send, path: str, during: str, *, retry_after: int) -> None:
    """503 ``/problems/graph-changing``: writes kept landing while ``during``; the client retries."""
    start, body = _problem(503, "Graph changing", f"the graph changed while {during}; retry", path)
    start["headers"].append((b"retry-after", str(retry_after).encode()))
    await send(start)
    await send({"type": "http.response.body", "body": body})


def _replay(receive: Receive) -> Receive:
    """A receive channel for one more run of a read: its (empty) body again, then the client's."""
    delivered = False

    async def again() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return await receive()

    return again


class ETagMiddleware:
    """Reads under /v1 carry ``ETag: W/"<backend>-<data version>"``; a matching If-None-Match gets 304.

    The version changes on every write, so a dashboard polling with If-None-Match pays for a full
    answer only when the graph changed. A store that cannot tell its version gets the error's own
    problem (503 when it is unavailable), not a bare 500.

    The version is asked again once the answer is ready; if a write committed meanwhile the answer
    may mix two versions (part of a document), so it is read again, while the read's time budget
    lasts (at most ``MAX_ATTEMPTS`` times; then a 503 ``/problems/graph-changing``). The tag
    therefore names the version the answer shows. ``/v1/export`` is spooled (memory, then a
    temporary file) and sent once it is known to come from one version (at most
    ``EXPORT_ATTEMPTS`` tries).

    Reads also run under their time budget (:class:`QueryBudgetMiddleware`), which starts before
    the version is asked for, so a store that blocks is answered with a 503 problem too; it is
    wrapped here so that every app installing this middleware has it.

    A 200 answer read wholly at one version is kept in the app's answer cache and sent again for
    the same method, path and query while the version holds. When the store can tell its version
    without waiting, a kept answer or a 304 goes out before the budget and the router are entered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._reads = QueryBudgetMiddleware(_ETags(app))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        # An answer the client or the answer cache holds needs neither a time budget nor a query.
        version = _version_now(scope["app"].state.store)
        if version is not None and await _answer_known(scope, send, scope["app"].state.store, version):
            return
        await self._reads(scope, receive, send)


class BodyLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        if scope["method"] in _BODYLESS:  # no route reads a body of these: nothing to count
            await self.app(scope, receive, send)
            return
        seen = 0
        too_big = False
        started = False

        async def counted() -> Message:
            nonlocal seen, too_big
            if too_big:
                raise _TooLarge
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_big = True
                    raise _TooLarge
            return message

        async def answer(message: Message) -> None:
            # Once the body ran past the cap, whatever the app makes of the refused read (FastAPI
            # turns any error while reading a body into a 400) is replaced by the 413 below.
            nonlocal started
            if too_big and not started:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, answer)
        except _TooLarge:
            pass
        if too_big and not started:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        start, body = _problem(413, "Payload too large", f"request bodies are limited to {self.max_bytes} bytes", scope["path"])
        await send(start)
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})


def _header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of one request header (names arrive lower-cased in ASGI)."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return None
