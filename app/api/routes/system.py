"""Health, readiness, statistics and whole-graph export."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.api.deps import StoreDep
from app.api.problems import PROBLEM_RESPONSES
from app.api.running import long_read, short_read
from graph.export import FORMATS, export_graphml, export_json
from graph.queries import explore

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    backend: str
    data_version: int


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up (it does not touch the store)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Ready, responses={503: PROBLEM_RESPONSES[503]})
async def readyz(store: StoreDep) -> Ready:
    """The store answers; 503 problem details when it does not."""
    return Ready(status="ready", backend=store.backend, data_version=await short_read(store, store.data_version))


@router.get("/v1/stats", response_model=explore.StatsAnswer, responses={503: PROBLEM_RESPONSES[503]})
async def stats(store: StoreDep) -> explore.StatsAnswer:
    """Counts of documents, entities, relations and evidence, by type."""
    return await long_read(explore.stats, store)


@router.get(
    "/v1/export",
    response_class=StreamingResponse,
    responses={200: {"content": {t: {} for t in FORMATS.values()}}, **PROBLEM_RESPONSES},
)
def export(store: StoreDep, format: Literal["json", "graphml"] = "json") -> StreamingResponse:
    """The whole graph with its evidence, streamed as JSON or GraphML."""
    body = export_json(store) if format == "json" else (chunk.encode() for chunk in export_graphml(store))
    filename = f"tradegraph.{format}"
    return StreamingResponse(body, media_type=FORMATS[format], headers={"Content-Disposition": f'attachment; filename="{filename}"'})
