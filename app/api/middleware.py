"""HTTP concerns that wrap every route: ETags from the store's data version and a request-body cap."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ETagMiddleware", "BodyLimitMiddleware"]


def _problem(status: int, title: str, detail: str, path: str) -> tuple[dict, bytes]:
    import orjson

    body = orjson.dumps({"type": "/problems/" + title.lower().replace(" ", "-"), "title": title, "status": status, "detail": detail, "instance": path})
    start = {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]}
    return start, body


class ETagMiddleware:
    """Reads under /v1 carry ``ETag: W/"<backend>-<data version>"``; a matching If-None-Match gets 304.

    The version changes on every write, so a dashboard polling with If-None-Match pays for a full
    answer only when the graph changed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        store = scope["app"].state.store
        etag = f'W/"{store.backend}-{store.data_version()}"'.encode()
        headers = dict(scope.get("headers", []))
        if headers.get(b"if-none-match") == etag:
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag)]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"etag", etag), (b"cache-control", b"no-cache")]
            await send(message)

        await self.app(scope, receive, tagged)


class BodyLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        seen = 0
        too_big = False

        async def counted() -> Message:
            nonlocal seen, too_big
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_big = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        start, body = _problem(413, "Payload too large", f"request bodies are limited to {self.max_bytes} bytes", scope["path"])
        await send(start)
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
