"""Bilateral trade flows as data: the rows behind the trade-derived relations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.deps import PUBLIC, UndatedListReadDep
from app.api.params import Offset, OptionalNameQuery, page_limit
from app.api.problems import problem_responses
from graph.queries import flows as q

router = APIRouter(tags=["trade"], responses=problem_responses(404, 409, 422, 503))


@router.get("/flows", response_model=q.FlowsAnswer, operation_id="list_flows", summary="Trade flows by filter", openapi_extra=PUBLIC)
async def list_flows(
    read: UndatedListReadDep,
    exporter: Annotated[OptionalNameQuery, Query(description="only flows from this country: ISO code, id, name or alias", examples=["CN"])] = None,
    importer: Annotated[OptionalNameQuery, Query(description="only flows to this country: ISO code, id, name or alias", examples=["US"])] = None,
    hs: Annotated[
        str | None,
        Query(
            description="only products under this HS code: 2, 4 or 6 digits, dots allowed (85, 8505, 8505.11)",
            pattern=r"^\s*\d{2}(\.?\d{2}(\.?\d{2})?)?\s*$", max_length=20, examples=["850511"],
        ),
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="only flows of this year", examples=[2023])] = None,
    dataset: Annotated[
        str | None, Query(min_length=1, max_length=200, description="only flows of this dataset", examples=["BACI HS17 V202401"])
    ] = None,
    offset: Offset = 0,
    limit: Annotated[int, page_limit(q.MAX_FLOWS)] = 100,
) -> Response:
    """Bilateral trade flows matching every filter given, largest value first, each with the file and line it was read from."""
    return await read.long(
        lambda reader, _: q.flows(
            reader, exporter=exporter, importer=importer, hs=hs, year=year, dataset=dataset, offset=offset, limit=limit
        )
    )
