"""Parameter types shared by the routes, so the OpenAPI document states each constraint once."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Path, Query
from pydantic import BeforeValidator

from graph.queries.common import MAX_NAME_LENGTH

__all__ = ["NameQuery", "NamePath", "OptionalNameQuery", "IsoDate", "IsoDateValue", "Offset", "page_limit"]

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

Offset = Annotated[int, Query(ge=0, le=1_000_000, description="how many results to skip: the page starts after them")]


def page_limit(most: int) -> object:
    """The ``limit`` parameter of a paged read that answers at most ``most`` results a page."""
    return Query(ge=1, le=most, description=f"page size, at most {most}")
