"""Health, readiness, statistics and whole-graph export."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from app.api.deps import PUBLIC, DatedReadDep, ReadDep
from app.api.problems import problem_responses
from graph.export import FORMATS, export_graphml, export_json
from graph.model.decisions import Decision
from graph.model.records import Document, Entity, Relation
from graph.queries import explore
from graph.store import GraphReader

router = APIRouter(tags=["system"])


class Health(BaseModel):
    """The process is up."""

    status: str = Field(description="always ok", examples=["ok"])


class Ready(BaseModel):
    """The store answers, and at which version of the graph."""

    status: str = Field(description="always ready", examples=["ready"])
    backend: str = Field(description="the store answering: embedded or neo4j", examples=["embedded"])
    data_version: int = Field(description="changes with every write; the ETag of reads is made from it")


class ExportFormat(StrEnum):
    """What /v1/export writes: JSON in the facts model (re-loadable), or GraphML for Gephi, yEd and networkx."""

    JSON = "json"
    GRAPHML = "graphml"


class GraphExport(BaseModel):
    """The whole graph in the store's own model, every piece of evidence included; entities and
    relations leave out their null fields. `tradegraph ingest` reads it back."""

    documents: list[Document] = Field(description="every document with its full text")
    entities: list[Entity] = Field(description="every entity")
    relations: list[Relation] = Field(description="every relation")
    decisions: list[Decision] = Field(description="every review decision, in the order made (the facts above are as the documents gave them)")


EXPORT_CONTENT = {
    200: {
        "model": GraphExport,
        "description": "The whole graph as a file to save (Content-Disposition: attachment)",
        "content": {
            FORMATS["graphml"]: {"schema": {"type": "string", "description": "a GraphML document: a node per entity, an edge per relation"}}
        },
    }
}


@router.get("/healthz", response_model=Health, operation_id="check_health", summary="Liveness", openapi_extra=PUBLIC)
async def healthz() -> Health:
    """The process is up (it does not touch the store); it answers nothing but 200."""
    return Health(status="ok")


@router.get(
    "/readyz", response_model=Ready, operation_id="check_readiness", summary="Readiness", responses=problem_responses(503), openapi_extra=PUBLIC
)
async def readyz(read: ReadDep) -> Response:
    """The store answers; 503 problem details when it does not."""
    return await read.short(lambda reader: Ready(status="ready", backend=reader.backend, data_version=reader.data_version()))


@router.get(
    "/v1/stats", response_model=explore.StatsAnswer, operation_id="read_stats", summary="Counts", responses=problem_responses(422, 503), openapi_extra=PUBLIC
)
async def stats(read: DatedReadDep) -> Response:
    """Counts of documents, entities, relations and evidence, by type."""
    return await read.long(lambda reader, _: explore.stats(reader))


@router.get(
    "/v1/export",
    response_class=StreamingResponse,
    operation_id="export_graph",
    summary="The whole graph",
    responses={**EXPORT_CONTENT, **problem_responses(422, 503)},
    openapi_extra=PUBLIC,
)
async def export(read: DatedReadDep, format: Annotated[ExportFormat, Query(description="json or graphml")] = ExportFormat.JSON) -> StreamingResponse:
    """The whole graph with its evidence, streamed as JSON or GraphML."""
    filename = f"tradegraph.{format.value}"
    return await read.stream(
        _exporter(format), media_type=FORMATS[format.value], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _exporter(format: ExportFormat) -> Callable[[GraphReader], Iterator[bytes]]:
    """The chunks of an export in ``format``, read from one reader."""
    if format == ExportFormat.JSON:
        return export_json
    return lambda reader: (chunk.encode() for chunk in export_graphml(reader))
