"""Documents: read one, ingest a text (extracted and written), remove one with all it alone supports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import PUBLIC, ReadDep, StoreDep, WriterDep
from app.api.params import IsoDateValue
from app.api.problems import problem_responses
from graph.model.errors import NotFoundError
from graph.model.records import Document, Entity, Relation
from graph.store import GraphReader, WriteSummary

router = APIRouter(prefix="/documents", tags=["documents"])

DocId = Annotated[str, Path(pattern=r"^doc:[0-9a-f]{16}$", description="a document id: doc: and 16 hex digits of its text's hash", examples=["doc:0123456789abcdef"])]
MAX_TEXT = 1_000_000


class DocumentCreate(BaseModel):
    """A text to read into the graph, with what is known of its source."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"text": "China announced export controls on gallium on 3 July 2023.", "published": "2023-07-04", "language": "en"}})

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the text, Chinese or English")
    title: str | None = Field(default=None, max_length=1000, description="its title")
    url: str | None = Field(default=None, max_length=2000, description="where it was published")
    published: IsoDateValue | None = Field(default=None, description="the day it was published, YYYY-MM-DD")
    language: str | None = Field(default=None, pattern=r"^(zh|en)$", description="zh or en; detected when not given")


class SummaryPublic(BaseModel):
    """What a write changed, counted; ``changed`` is false exactly when the graph is as it was."""

    documents_added: int
    entities_added: int
    entities_updated: int
    entities_unchanged: int
    relations_added: int
    relations_updated: int
    relations_unchanged: int
    evidence_added: int
    documents_removed: int
    entities_removed: int
    relations_removed: int
    evidence_removed: int
    decisions_added: int = Field(default=0, description="review decisions recorded (POST /v1/review/decisions)")
    changed: bool


class DocumentIngested(BaseModel):
    """A text read into the graph: the document stored and the entities and relations extracted."""

    document: Document
    entities: list[Entity] = Field(description="the entities the text names, as extracted")
    relations: list[Relation] = Field(description="the relations the text states, as extracted")
    summary: SummaryPublic


class DocumentRemoved(BaseModel):
    """A document removed, and what went with it."""

    id: str = Field(description="the id of the document removed")
    summary: SummaryPublic


def summary_public(summary: WriteSummary) -> SummaryPublic:
    fields = {name: getattr(summary, name) for name in SummaryPublic.model_fields if name != "changed"}
    return SummaryPublic(**fields, changed=summary.changed)


@router.get(
    "/{document_id}",
    response_model=Document,
    operation_id="read_document",
    summary="One document",
    responses=problem_responses(404, 422, 503),
    openapi_extra=PUBLIC,
)
async def get_document(read: ReadDep, document_id: DocId) -> Response:
    """A document with its full (normalised) text; evidence spans index into this text."""
    return await read.short(lambda reader: _document(reader, document_id))


def _document(reader: GraphReader, document_id: str) -> Document:
    document = reader.document(document_id)
    if document is None:
        raise NotFoundError(f"no document {document_id!r}")
    return document


@router.post(
    "",
    response_model=DocumentIngested,
    status_code=201,
    operation_id="ingest_document",
    summary="Read a text into the graph",
    responses=problem_responses(400, 401, 413, 422, 503),
)
def post_document(store: StoreDep, _: WriterDep, body: DocumentCreate) -> DocumentIngested:
    """Extract a text into the graph (needs the bearer token); posting the same text again changes nothing."""
    from ingest.pipeline import ingest_document
    from ingest.readers import read_text

    document = read_text(body.text, source="api", title=body.title, url=body.url, published=body.published, language=body.language)
    batch, summary = ingest_document(store, document)
    stored = store.document(document.id)  # with the system time the store stamped on it
    return DocumentIngested(document=stored or (batch.documents[0] if batch.documents else document), entities=batch.entities, relations=batch.relations, summary=summary_public(summary))


@router.delete(
    "/{document_id}",
    response_model=DocumentRemoved,
    operation_id="remove_document",
    summary="Remove a document",
    responses=problem_responses(401, 404, 422, 503),
)
def delete_document(store: StoreDep, _: WriterDep, document_id: DocId) -> DocumentRemoved:
    """Remove a document, its evidence, and what is left with none (needs the bearer token)."""
    return DocumentRemoved(id=document_id, summary=summary_public(store.remove_document(document_id)))
