"""Ceilings for the API benchmark: the same uvicorn serving next to nothing.

- ``raw``: a bare ASGI callable answering a 13-byte JSON body (uvicorn's own floor);
- ``fastapi_app``: FastAPI with ``/async`` and ``/sync`` hello routes (the framework's floor; a
  sync route runs in the thread pool, as the project's routes do).
"""

from __future__ import annotations

from fastapi import FastAPI

BODY = b'{"hello":"w"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def raw(scope, receive, send) -> None:  # noqa: ANN001
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


fastapi_app = FastAPI()


@fastapi_app.get("/async")
async def hello_async() -> dict:
    return {"hello": "w"}


@fastapi_app.get("/sync")
def hello_sync() -> dict:
    return {"hello": "w"}
