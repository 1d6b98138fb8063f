"""The base of every answer's shape, apart from the rest of graph/queries/common.py so that the
shapes common.py builds on (conflicts.py) can use it without importing common.py back."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Answer"]


class Answer(BaseModel):
    """Base of the shapes answers are built from. Every field is in every answer (null when
    unknown), so the OpenAPI document marks each one required and generated clients need no
    "unset" checks; a subclass's docstring is its description there."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
