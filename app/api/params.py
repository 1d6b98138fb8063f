"""Parameter types shared by the routes, so the OpenAPI document states each constraint once."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Path, Query
from pydantic import BeforeValidator

from graph.queries.common import MAX_NAME_LENGTH

__all__ = ["NameQuery", "NamePath", "OptionalNameQuery", "IsoDate"]

_NAME = {"min_length": 1, "max_length": MAX_NAME_LENGTH, "pattern": r"\S"}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_only(value: object) -> object:
    """Dates are YYYY-MM-DD: pydantic would also read '0' as a Unix timestamp."""
    if isinstance(value, str) and not _ISO.match(value):
        raise ValueError("a date is YYYY-MM-DD")
    return value


NameQuery = Annotated[str, Query(description="an id, name or alias in any language", **_NAME)]
OptionalNameQuery = Annotated[str | None, Query(description="an id, name or alias in any language", **_NAME)]
NamePath = Annotated[str, Path(description="an id, name or alias in any language", **_NAME)]
IsoDate = Annotated[date | None, BeforeValidator(_iso_only), Query(description="YYYY-MM-DD")]
