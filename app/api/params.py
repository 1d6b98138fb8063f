"""Parameter types shared by the routes, so the OpenAPI document states each constraint once."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import BeforeValidator

from graph.queries.common import MAX_NAME_LENGTH

__all__ = ["NameQuery", "NamePath", "OptionalNameQuery", "IsoDate", "IsoDateValue", "AsOf", "KnownAt", "Offset", "page_limit"]

_NAME = {"min_length": 1, "max_length": MAX_NAME_LENGTH, "pattern": r"\S"}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_only(value: object) -> object:
    """Dates are YYYY-MM-DD strings: pydantic would also read '0' or 0 as a Unix timestamp."""
    if isinstance(value, str):
        if not _ISO.match(value):
            raise ValueError("a date is YYYY-MM-DD")
    elif value is not None and not isinstance(value, date):
        raise ValueError("a date is a YYYY-MM-DD string")
    return value


NameQuery = Annotated[str, Query(description="an id, name or alias in any language", **_NAME)]
OptionalNameQuery = Annotated[str | None, Query(description="an id, name or alias in any language", **_NAME)]
NamePath = Annotated[str, Path(description="an id, name or alias in any language", **_NAME)]
IsoDate = Annotated[date | None, BeforeValidator(_iso_only), Query(description="a day, YYYY-MM-DD")]
# The same rule for request bodies (e.g. POST /v1/documents' ``published``), where JSON numbers
# would otherwise be taken as Unix timestamps although the schema says a date string.
IsoDateValue = Annotated[date, BeforeValidator(_iso_only)]

AsOf = Annotated[
    date | None,
    BeforeValidator(_iso_only),
    Query(
        description="world time: answer from the graph as it stood on this day (YYYY-MM-DD): measures from their "
        "first lifecycle event, with the status they had then; relations valid then",
        examples=["2025-10-15"],
    ),
]


def _aware(value: object) -> object:
    """A system time is an ISO 8601 moment with its zone (``Z`` or ``+08:00``): a naive one would
    be read in the server's zone, which a client cannot know."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("a moment is ISO 8601, e.g. 2025-10-24T08:00:00Z") from None
        if moment.tzinfo is None:
            raise ValueError("a moment needs its time zone (Z or +hh:mm)")
        return moment
    if value is not None and not isinstance(value, datetime):
        raise ValueError("a moment is an ISO 8601 string")
    return value


KnownAt = Annotated[
    datetime | None,
    BeforeValidator(_aware),
    Query(
        description="system time: answer from what this store knew at this moment (ISO 8601 with zone): only facts "
        "read from documents it had taken by then (see a document's `ingested`)",
        examples=["2025-10-24T08:00:00Z"],
    ),
]

Offset = Annotated[int, Query(ge=0, le=1_000_000, description="how many results to skip: the page starts after them")]


def page_limit(most: int) -> object:
    """The ``limit`` parameter of a paged read that answers at most ``most`` results a page."""
    return Query(ge=1, le=most, description=f"page size, at most {most}")
