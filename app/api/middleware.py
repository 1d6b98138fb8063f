"""What wraps every request: a cap on request bodies, and conditional requests (a 304 for an answer
the client already holds). Everything else about a read (its snapshot, time budget, answer cache and
thread) is the read runner's, app/api/reads.py."""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimitMiddleware", "ConditionalMiddleware"]


def _problem(status: int, title: str, detail: str, path: str) -> tuple[Message, bytes]:
    body = orjson.dumps(
        {"type": "/problems/" + title.lower().replace(" ", "-"), "title": title, "status": status, "detail": detail, "instance": path}
    )
    start = {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]}
    return start, body


class ConditionalMiddleware:
    """``If-None-Match`` naming a 200 answer's ETag gets 304 Not Modified, without the body.

    The read runner tags every answer with the version of the snapshot it was read from
    (``W/"<backend>-<data version>"``), so a dashboard polling with If-None-Match is told "unchanged"
    until a write moves the version; at an unchanged version the answer usually comes from the
    answer cache, so the 304 costs no query either."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        held = _header(scope, b"if-none-match") if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") else None
        if held is None:
            await self.app(scope, receive, send)
            return
        unchanged = False

        async def conditional(message: Message) -> None:
            nonlocal unchanged
            if message["type"] == "http.response.start" and message["status"] == 200:
                etag = next((v for k, v in message.get("headers", ()) if k.lower() == b"etag"), None)
                if etag is not None and _names(held, etag):
                    unchanged = True
                    await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag), (b"cache-control", b"no-cache")]})
                    return
            if not unchanged:
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})

        await self.app(scope, receive, conditional)


def _names(if_none_match: bytes, etag: bytes) -> bool:
    """Whether an If-None-Match value names ``etag``: ``*``, or one of its tags compared weakly."""
    if if_none_match.strip() == b"*":
        return True
    bare = etag.removeprefix(b"W/")
    return any(tag.strip().removeprefix(b"W/") == bare for tag in if_none_match.split(b","))


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
